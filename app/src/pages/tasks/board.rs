//! The task list of the page and its changes: each change shows at once (optimistic), is sent
//! through the API client, and is undone with a visible message when the server refuses it.

use std::future::Future;

use futures::channel::oneshot;
use leptos::prelude::*;

use crate::{
    api::{
        client::ApiClient, default_client, token_source::DefaultTokens,
        transport::DefaultTransport, ApiError,
    },
    components::protected::SignInRedirect,
    model::tasks::{normalize_title, Task},
    pages::tasks::edits::{remove_where, replace, restore, Stamps},
};

/// Ids of tasks the server has not confirmed yet start with this.
const PENDING_PREFIX: &str = "pending-";

/// Whether the task with this id is still waiting for the server to confirm its creation.
pub fn is_pending(id: &str) -> bool {
    id.starts_with(PENDING_PREFIX)
}

/// The page's tasks and its alert. Cheap to copy into event handlers.
#[derive(Clone, Copy)]
pub struct Board {
    /// Every task of the user, oldest first; filters only change what is shown.
    pub tasks: RwSignal<Vec<Task>>,
    /// The last refusal, shown with `role="alert"` until dismissed or replaced.
    pub alert: RwSignal<Option<String>>,
    /// Changes sent to the server and not answered yet.
    pub in_flight: RwSignal<u32>,
    /// Changes sent since the page loaded.
    pub sent: RwSignal<u32>,
    next_pending: StoredValue<u64>,
    stamps: StoredValue<Stamps>,
    /// Resolves when the change sent last has been answered; the next one waits for it.
    last_change: StoredValue<Option<oneshot::Receiver<()>>>,
    sign_in: StoredValue<(SignInRedirect, String)>,
}

impl Board {
    /// A board showing `initial`; `sign_in_url` is where to go when the session has ended.
    pub fn new(initial: Vec<Task>, sign_in_url: String) -> Self {
        Board {
            tasks: RwSignal::new(initial),
            alert: RwSignal::new(None),
            in_flight: RwSignal::new(0),
            sent: RwSignal::new(0),
            next_pending: StoredValue::new(0),
            stamps: StoredValue::new(Stamps::default()),
            last_change: StoredValue::new(None),
            sign_in: StoredValue::new((SignInRedirect::new(), sign_in_url)),
        }
    }

    /// Adds a task titled `raw` (trimmed); a blank title is ignored. Returns whether a task was
    /// added.
    pub fn add_task(self, raw: &str) -> bool {
        let title = match normalize_title(raw) {
            Ok(title) => title,
            Err(_) if raw.trim().is_empty() => return false,
            Err(message) => {
                self.alert.set(Some(message.to_owned()));
                return false;
            }
        };
        let pending_id = self
            .next_pending
            .with_value(|n| format!("{PENDING_PREFIX}{n}"));
        self.next_pending.update_value(|n| *n += 1);
        self.tasks.update(|tasks| {
            tasks.push(Task {
                id: pending_id.clone(),
                title: title.clone(),
                completed: false,
                created_at: String::new(),
                updated_at: String::new(),
            })
        });

        let action = format!("Adding “{title}”");
        let confirmed_id = pending_id.clone();
        self.send(
            action,
            move |client| async move { client.add_task(&title).await },
            move |board, task| {
                board.tasks.update(|tasks| {
                    replace(tasks, &confirmed_id, task);
                })
            },
            move |board| {
                board.tasks.update(|tasks| {
                    remove_where(tasks, |t| t.id == pending_id);
                })
            },
        );
        true
    }

    /// Marks the task completed or not.
    pub fn set_completed(self, id: String, completed: bool) {
        let Some(title) = self.title_of(&id) else {
            return;
        };
        self.tasks.update(|tasks| {
            if let Some(task) = tasks.iter_mut().find(|t| t.id == id) {
                task.completed = completed;
            }
        });

        let stamp = self.stamp([id.as_str()]);
        let (call_id, ok_id) = (id.clone(), id.clone());
        self.send(
            format!("Updating “{title}”"),
            move |client| async move { client.set_completed(&call_id, completed).await },
            move |board, task| board.take_answer(&ok_id, stamp, task),
            move |board| {
                board.tasks.update(|tasks| {
                    if let Some(task) = tasks.iter_mut().find(|t| t.id == id) {
                        task.completed = !completed;
                    }
                })
            },
        );
    }

    /// Renames the task to `raw` (trimmed); an empty title deletes it, an unchanged one does
    /// nothing.
    pub fn rename(self, id: String, raw: &str) {
        let Some(old_title) = self.title_of(&id) else {
            return;
        };
        let title = raw.trim().to_owned();
        if title.is_empty() {
            return self.delete(id);
        }
        if title == old_title {
            return;
        }
        if let Err(message) = normalize_title(&title) {
            self.alert.set(Some(message.to_owned()));
            return;
        }
        self.set_title(&id, &title);

        let stamp = self.stamp([id.as_str()]);
        let (call_id, ok_id) = (id.clone(), id.clone());
        self.send(
            format!("Renaming “{old_title}”"),
            move |client| async move { client.rename_task(&call_id, &title).await },
            move |board, task| board.take_answer(&ok_id, stamp, task),
            move |board| board.set_title(&id, &old_title),
        );
    }

    /// Deletes the task.
    pub fn delete(self, id: String) {
        let Some(title) = self.title_of(&id) else {
            return;
        };
        let mut removed = Vec::new();
        self.tasks
            .update(|tasks| removed = remove_where(tasks, |t| t.id == id));

        self.send(
            format!("Deleting “{title}”"),
            move |client| async move { client.delete_task(&id).await },
            |_, ()| {},
            move |board| board.tasks.update(|tasks| restore(tasks, removed)),
        );
    }

    /// Marks every task completed or not.
    pub fn toggle_all(self, completed: bool) {
        let before: Vec<(String, bool)> = self.tasks.with(|tasks| {
            tasks
                .iter()
                .filter(|t| !is_pending(&t.id))
                .map(|t| (t.id.clone(), t.completed))
                .collect()
        });
        self.tasks.update(|tasks| {
            for task in tasks.iter_mut() {
                task.completed = completed;
            }
        });
        let stamp = self.stamp(before.iter().map(|(id, _)| id.as_str()));

        self.send(
            if completed {
                "Marking all tasks complete".to_owned()
            } else {
                "Marking all tasks active".to_owned()
            },
            move |client| async move { client.toggle_all(completed).await },
            move |board, updated| {
                for task in updated {
                    let id = task.id.clone();
                    board.take_answer(&id, stamp, task);
                }
            },
            move |board| {
                board.tasks.update(|tasks| {
                    for (id, was) in &before {
                        if let Some(task) = tasks.iter_mut().find(|t| &t.id == id) {
                            task.completed = *was;
                        }
                    }
                })
            },
        );
    }

    /// Deletes every completed task.
    pub fn clear_completed(self) {
        let mut removed = Vec::new();
        self.tasks
            .update(|tasks| removed = remove_where(tasks, |t| t.completed && !is_pending(&t.id)));
        if removed.is_empty() {
            return;
        }

        self.send(
            "Clearing completed tasks".to_owned(),
            |client| async move { client.clear_completed().await },
            |_, _| {},
            move |board| board.tasks.update(|tasks| restore(tasks, removed)),
        );
    }

    /// The task's title, or `None` when it is unknown or not yet confirmed by the server.
    // LIMITATION: a task cannot be changed until the server has confirmed its creation (usually
    // a few milliseconds); its controls are disabled until then (see `TaskItem`).
    fn title_of(self, id: &str) -> Option<String> {
        if is_pending(id) {
            return None;
        }
        self.tasks
            .with(|tasks| tasks.iter().find(|t| t.id == id).map(|t| t.title.clone()))
    }

    /// Records a change touching `ids`; see [`Stamps`]. (A board already disposed of gets 0,
    /// which no task's last change ever has.)
    fn stamp<'a>(self, ids: impl IntoIterator<Item = &'a str>) -> u64 {
        self.stamps
            .try_update_value(|stamps| stamps.stamp(ids))
            .unwrap_or(0)
    }

    /// Shows `task` as the server answered the change stamped `stamp`, unless a later change
    /// has touched the task since: that change's own answer will show it.
    fn take_answer(self, id: &str, stamp: u64, task: Task) {
        // The board may be gone (the person moved to another page): its answers still arrive.
        let latest = self
            .stamps
            .try_with_value(|stamps| stamps.is_latest(id, stamp))
            .unwrap_or(false);
        if latest {
            self.tasks.update(|tasks| {
                replace(tasks, id, task);
            });
        }
    }

    fn set_title(self, id: &str, title: &str) {
        self.tasks.update(|tasks| {
            if let Some(task) = tasks.iter_mut().find(|t| t.id == id) {
                task.title = title.to_owned();
            }
        });
    }

    /// Runs `call` with an API client in the background, once every change sent before it has
    /// been answered; then `confirm` with its result, or `undo` and an alert naming `action` and
    /// the reason. `in_flight` counts it until then.
    ///
    /// Changes reach the server one at a time, in the order they were made, so that the state
    /// the server ends with is the one the page shows (two requests in flight at once may be
    /// handled in either order).
    // LIMITATION: a request that never ends holds back every later change of the page; the
    // browser's own network timeout is the only bound.
    fn send<T, F, Fut>(
        self,
        action: String,
        call: F,
        confirm: impl FnOnce(Board, T) + 'static,
        undo: impl FnOnce(Board) + 'static,
    ) where
        T: 'static,
        F: FnOnce(ApiClient<DefaultTokens, DefaultTransport>) -> Fut + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        self.alert.set(None);
        self.in_flight.update(|n| *n += 1);
        self.sent.update(|n| *n += 1);
        let (answered, this_change) = oneshot::channel::<()>();
        let previous = self
            .last_change
            .try_update_value(|last| last.replace(this_change))
            .flatten();
        leptos::task::spawn_local(async move {
            if let Some(previous) = previous {
                // An error only means that change's task is gone: nothing to wait for.
                let _ = previous.await;
            }
            let result = call(default_client()).await;
            self.in_flight.update(|n| *n = n.saturating_sub(1));
            match result {
                Ok(value) => confirm(self, value),
                Err(error) => {
                    undo(self);
                    self.alert.set(Some(format!("{action} failed. {error}")));
                    if error == ApiError::Unauthorized {
                        // `try_`: the board may already be gone, e.g. after the first
                        // refusal's own redirect.
                        self.sign_in
                            .try_with_value(|(redirect, url)| redirect.go(url));
                    }
                }
            }
            // The next change may go now; nobody waiting for it is fine too.
            let _ = answered.send(());
        });
    }
}
