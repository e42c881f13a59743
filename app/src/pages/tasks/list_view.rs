//! What the task list shows, as plain functions of the tasks and the filter.

use crate::model::tasks::{Task, TaskFilter};

/// The filter named by the URL segment after `/tasks` (`None` for `/tasks` itself); `None` for a
/// segment that names no filter.
pub fn filter_from_segment(segment: Option<&str>) -> Option<TaskFilter> {
    match segment {
        None | Some("") => Some(TaskFilter::All),
        Some("active") => Some(TaskFilter::Active),
        Some("completed") => Some(TaskFilter::Completed),
        Some(_) => None,
    }
}

/// The page URL of a filter: `/tasks`, `/tasks/active`, `/tasks/completed`.
pub fn filter_href(filter: TaskFilter) -> &'static str {
    match filter {
        TaskFilter::All => "/tasks",
        TaskFilter::Active => "/tasks/active",
        TaskFilter::Completed => "/tasks/completed",
    }
}

/// Whether `task` is shown under `filter`.
pub fn is_visible(task: &Task, filter: TaskFilter) -> bool {
    match filter {
        TaskFilter::All => true,
        TaskFilter::Active => !task.completed,
        TaskFilter::Completed => task.completed,
    }
}

/// The counter below the list: "1 item left", "2 items left", "0 items left".
pub fn items_left_label(active: usize) -> String {
    let noun = if active == 1 { "item" } else { "items" };
    format!("{active} {noun} left")
}

/// The save status beside the list: "Saving…" while changes are on their way to the server,
/// "All changes saved" once every change sent since the page loaded has been answered (a refused
/// one is rolled back and named in the alert), nothing before the first change.
pub fn save_status_label(in_flight: u32, sent: u32) -> &'static str {
    if in_flight > 0 {
        "Saving…"
    } else if sent > 0 {
        "All changes saved"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(completed: bool) -> Task {
        Task {
            id: "k".into(),
            title: "t".into(),
            completed,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn the_counter_uses_singular_only_for_one() {
        assert_eq!(items_left_label(0), "0 items left");
        assert_eq!(items_left_label(1), "1 item left");
        assert_eq!(items_left_label(2), "2 items left");
    }

    #[test]
    fn url_segments_name_the_filters_and_anything_else_is_unknown() {
        assert_eq!(filter_from_segment(None), Some(TaskFilter::All));
        assert_eq!(
            filter_from_segment(Some("active")),
            Some(TaskFilter::Active)
        );
        assert_eq!(
            filter_from_segment(Some("completed")),
            Some(TaskFilter::Completed)
        );
        assert_eq!(filter_from_segment(Some("all")), None);
        assert_eq!(filter_href(TaskFilter::Completed), "/tasks/completed");
    }

    #[test]
    fn active_shows_open_tasks_and_completed_shows_done_ones() {
        assert!(is_visible(&task(false), TaskFilter::Active));
        assert!(!is_visible(&task(true), TaskFilter::Active));
        assert!(is_visible(&task(true), TaskFilter::Completed));
        assert!(!is_visible(&task(false), TaskFilter::Completed));
        assert!(is_visible(&task(true), TaskFilter::All));
    }

    #[test]
    fn the_save_status_says_saving_until_every_sent_change_is_answered() {
        assert_eq!(save_status_label(0, 0), "");
        assert_eq!(save_status_label(1, 1), "Saving…");
        assert_eq!(save_status_label(2, 5), "Saving…");
        assert_eq!(save_status_label(0, 5), "All changes saved");
    }
}
