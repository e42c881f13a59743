//! The tasks API's JSON: see the README section "Tasks API" for routes and errors.

use serde::{Deserialize, Serialize};

/// The longest task title accepted, in characters (after trimming).
pub const MAX_TITLE_CHARS: usize = 500;

/// One task of the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: String,
    pub title: String,
    pub completed: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// Which tasks a list request returns: `?filter=all|active|completed`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskFilter {
    #[default]
    All,
    Active,
    Completed,
}

impl TaskFilter {
    /// The value used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskFilter::All => "all",
            TaskFilter::Active => "active",
            TaskFilter::Completed => "completed",
        }
    }
}

/// `POST /api/tasks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTask {
    pub title: String,
}

/// `PATCH /api/tasks/{id}`: the fields to change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

/// `POST /api/tasks/toggle-all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToggleAll {
    pub completed: bool,
}

/// `POST /api/tasks/clear-completed` answers with the number of tasks removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cleared {
    pub deleted: u64,
}

/// Trims a title and checks it: `Err` carries the message for the `title` field.
pub fn normalize_title(raw: &str) -> Result<String, &'static str> {
    let title = raw.trim();
    if title.is_empty() {
        return Err("Enter a title.");
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err("A title can be at most 500 characters.");
    }
    // PostgreSQL cannot store it, and no title needs it.
    if title.contains('\0') {
        return Err("A title cannot contain a NUL character.");
    }
    Ok(title.to_owned())
}
