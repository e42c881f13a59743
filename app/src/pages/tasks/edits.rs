//! Edits of the local task list used for optimistic updates, and their inverses for rolling
//! back when the server refuses.

use std::collections::HashMap;

use crate::model::tasks::Task;

/// Replaces the task with id `id` by `task`; false when there is none.
pub fn replace(tasks: &mut [Task], id: &str, task: Task) -> bool {
    match tasks.iter_mut().find(|t| t.id == id) {
        Some(slot) => {
            *slot = task;
            true
        }
        None => false,
    }
}

/// Removes the tasks matching `remove`, returning each with the index it had, for [`restore`].
pub fn remove_where(tasks: &mut Vec<Task>, remove: impl Fn(&Task) -> bool) -> Vec<(usize, Task)> {
    let mut removed = Vec::new();
    let mut index = 0;
    tasks.retain(|task| {
        let gone = remove(task);
        if gone {
            removed.push((index, task.clone()));
        }
        index += 1;
        !gone
    });
    removed
}

/// Puts back tasks removed by [`remove_where`] at the positions they had (as far as the list
/// still reaches), skipping any whose id is present again.
pub fn restore(tasks: &mut Vec<Task>, removed: Vec<(usize, Task)>) {
    for (index, task) in removed {
        if tasks.iter().any(|t| t.id == task.id) {
            continue;
        }
        let at = index.min(tasks.len());
        tasks.insert(at, task);
    }
}

/// Which change made on the page was the last to touch each task. An answer from the server
/// carries the task as that answer's change left it; it may only replace the task on the page
/// when no later change has touched the task since (else the page would show the older state
/// until the later answer arrives).
#[derive(Debug, Default)]
pub struct Stamps {
    next: u64,
    last: HashMap<String, u64>,
}

impl Stamps {
    /// Records a new change touching `ids` and returns its stamp.
    pub fn stamp<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> u64 {
        self.next += 1;
        for id in ids {
            self.last.insert(id.to_owned(), self.next);
        }
        self.next
    }

    /// Whether no change after the one stamped `stamp` has touched `id`. A task no stamped
    /// change has touched (one still being created when "mark all" was sent) takes any answer.
    pub fn is_latest(&self, id: &str, stamp: u64) -> bool {
        self.last.get(id).is_none_or(|&last| last == stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, completed: bool) -> Task {
        Task {
            id: id.into(),
            title: format!("title {id}"),
            completed,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn ids(tasks: &[Task]) -> Vec<&str> {
        tasks.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn removing_completed_tasks_and_restoring_them_gives_the_original_order() {
        let mut tasks = vec![
            task("a", true),
            task("b", false),
            task("c", true),
            task("d", false),
        ];

        let removed = remove_where(&mut tasks, |t| t.completed);
        assert_eq!(ids(&tasks), ["b", "d"]);
        assert_eq!(removed.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 2]);

        restore(&mut tasks, removed);
        assert_eq!(ids(&tasks), ["a", "b", "c", "d"]);
    }

    #[test]
    fn restoring_into_a_shorter_list_appends_and_never_duplicates() {
        let mut tasks = vec![task("a", false)];
        restore(
            &mut tasks,
            vec![(5, task("z", true)), (0, task("a", false))],
        );
        assert_eq!(ids(&tasks), ["a", "z"]);
    }

    #[test]
    fn replace_swaps_the_task_with_the_same_id() {
        let mut tasks = vec![task("pending-1", false), task("b", false)];
        assert!(replace(&mut tasks, "pending-1", task("k9", false)));
        assert_eq!(ids(&tasks), ["k9", "b"]);
        assert!(!replace(&mut tasks, "missing", task("x", false)));
    }

    #[test]
    fn only_the_last_change_of_a_task_may_replace_it() {
        let mut stamps = Stamps::default();
        let all = stamps.stamp(["a", "b"]);
        assert!(stamps.is_latest("a", all));
        let one = stamps.stamp(["a"]);
        assert!(!stamps.is_latest("a", all));
        assert!(stamps.is_latest("a", one));
        assert!(stamps.is_latest("b", all));
        assert!(stamps.is_latest("never-stamped", all));
    }
}
