//! The tasks routes. Each handler acts only on the caller's own tasks: another user's task id
//! behaves exactly like an unknown one (404, never 403, so ids reveal nothing).

use app::model::tasks::{
    normalize_title, Cleared, NewTask, Task, TaskFilter, TaskPatch, ToggleAll,
};
use axum::{
    extract::{rejection::PathRejection, Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;

use super::{
    bearer::{user_gone, Bearer, Caller},
    body::JsonBody,
    error::TasksError,
    store, TasksState,
};

/// Ids longer than this are not looked up (issued ids are 32 characters).
const MAX_ID_LEN: usize = 64;

/// `?filter=` of the list route; absent means all.
#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    filter: TaskFilter,
}

/// `GET /api/tasks?filter=all|active|completed`: the caller's tasks, oldest first. The list
/// statement also checks that the user exists, hence [`Bearer`] rather than [`Caller`].
pub async fn list(
    State(state): State<TasksState>,
    caller: Bearer,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Task>>, TasksError> {
    // An unknown filter and a query that does not parse (a repeated `filter`, say) are both
    // refused, never read as "all".
    let Query(ListQuery { filter }) = query.map_err(|_| {
        TasksError::invalid("filter", "The filter must be all, active or completed.")
    })?;
    store::list(&state.db, &caller.user_id, filter)
        .await?
        .map(Json)
        .ok_or_else(user_gone)
}

/// `POST /api/tasks` `{title}`: 201 with the new task.
pub async fn create(
    State(state): State<TasksState>,
    caller: Caller,
    JsonBody(new): JsonBody<NewTask>,
) -> Result<(StatusCode, Json<Task>), TasksError> {
    let title = normalize_title(&new.title).map_err(|m| TasksError::invalid("title", m))?;
    let task = store::create(&state.db, &caller.user_id, &title).await?;
    Ok((StatusCode::CREATED, Json(task)))
}

/// `PATCH /api/tasks/{id}` `{title?, completed?}`: the task after the change.
pub async fn update(
    State(state): State<TasksState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    JsonBody(patch): JsonBody<TaskPatch>,
) -> Result<Json<Task>, TasksError> {
    let id = task_id(id)?;
    let title = patch
        .title
        .as_deref()
        .map(normalize_title)
        .transpose()
        .map_err(|m| TasksError::invalid("title", m))?;
    store::update(
        &state.db,
        &caller.user_id,
        &id,
        title.as_deref(),
        patch.completed,
    )
    .await?
    .map(Json)
    .ok_or(TasksError::NotFound)
}

/// `DELETE /api/tasks/{id}`: 204.
pub async fn delete(
    State(state): State<TasksState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, TasksError> {
    let id = task_id(id)?;
    if store::delete(&state.db, &caller.user_id, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(TasksError::NotFound)
    }
}

/// `POST /api/tasks/toggle-all` `{completed}`: every task of the caller afterwards.
/// The list that answers also checks that the user exists (hence [`Bearer`]); for a user who
/// no longer exists the update before it matches no row.
pub async fn toggle_all(
    State(state): State<TasksState>,
    caller: Bearer,
    JsonBody(toggle): JsonBody<ToggleAll>,
) -> Result<Json<Vec<Task>>, TasksError> {
    store::set_all_completed(&state.db, &caller.user_id, toggle.completed).await?;
    store::list(&state.db, &caller.user_id, TaskFilter::All)
        .await?
        .map(Json)
        .ok_or_else(user_gone)
}

/// `POST /api/tasks/clear-completed`: `{deleted}`, the number of completed tasks removed.
pub async fn clear_completed(
    State(state): State<TasksState>,
    caller: Caller,
) -> Result<Json<Cleared>, TasksError> {
    let deleted = store::delete_completed(&state.db, &caller.user_id).await?;
    Ok(Json(Cleared { deleted }))
}

fn task_id(id: Result<Path<String>, PathRejection>) -> Result<String, TasksError> {
    match id {
        // Issued ids are ASCII letters and digits; anything else (a NUL, say, which PostgreSQL
        // would refuse) cannot name a task.
        Ok(Path(id))
            if !id.is_empty()
                && id.len() <= MAX_ID_LEN
                && id.bytes().all(|byte| byte.is_ascii_alphanumeric()) =>
        {
            Ok(id)
        }
        _ => Err(TasksError::NotFound),
    }
}
