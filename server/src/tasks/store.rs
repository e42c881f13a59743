//! The tasks table. Every statement is scoped by `user_id` and served by the
//! `(user_id, created_at)` index or the primary key.

use app::model::tasks::{Task, TaskFilter};
use sqlx::{any::AnyRow, Row};

use crate::db::{iso8601, new_id, now_ms, Backend, Db};

/// Whether a user row with this id exists (primary key lookup).
pub async fn user_exists(db: &Db, user_id: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// The user's tasks matching `filter`, oldest first, or `None` when the user does not exist.
/// The existence check rides in the same statement, and the database folds the rows into one
/// JSON array of `[id, title, completed, created_at, updated_at]`: one value crosses from the
/// driver instead of one row per task. Each statement on SQLite is a round trip to the
/// driver's worker thread, which was the largest cost of this route.
pub async fn list(
    db: &Db,
    user_id: &str,
    filter: TaskFilter,
) -> Result<Option<Vec<Task>>, sqlx::Error> {
    let completed: i64 = match filter {
        TaskFilter::All => -1,
        TaskFilter::Active => 0,
        TaskFilter::Completed => 1,
    };
    let row = sqlx::query(LIST.get(db))
        .bind(user_id)
        .bind(completed)
        .fetch_one(&db.pool)
        .await?;
    if row.try_get::<i64, _>(0)? == 0 {
        return Ok(None);
    }
    let json: String = row.try_get(1)?;
    let rows: Vec<(String, String, i64, i64, i64)> =
        serde_json::from_str(&json).map_err(|error| sqlx::Error::Decode(Box::new(error)))?;
    Ok(Some(
        rows.into_iter()
            .map(|(id, title, completed, created_at, updated_at)| Task {
                id,
                title,
                completed: completed != 0,
                created_at: iso8601(created_at),
                updated_at: iso8601(updated_at),
            })
            .collect(),
    ))
}

/// Adds a task. Its `created_at` is now, or one millisecond after the user's newest task if
/// that is later, so that "ordered by creation" is the order of the requests even within one
/// millisecond.
pub async fn create(db: &Db, user_id: &str, title: &str) -> Result<Task, sqlx::Error> {
    let now = now_ms();
    let row = sqlx::query(INSERT.get(db))
        .bind(new_id())
        .bind(user_id)
        .bind(title)
        .bind(now)
        .fetch_one(&db.pool)
        .await?;
    task(&row)
}

/// Changes the title and/or completion of the user's task; `None` when the user has no task
/// with this id.
pub async fn update(
    db: &Db,
    user_id: &str,
    id: &str,
    title: Option<&str>,
    completed: Option<bool>,
) -> Result<Option<Task>, sqlx::Error> {
    if title.is_none() && completed.is_none() {
        return get(db, user_id, id).await;
    }
    let row = sqlx::query(UPDATE)
        .bind(title)
        .bind(completed.map(i64::from))
        .bind(now_ms())
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(task).transpose()
}

/// The user's task with this id.
pub async fn get(db: &Db, user_id: &str, id: &str) -> Result<Option<Task>, sqlx::Error> {
    let row = sqlx::query(GET)
        .bind(id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(task).transpose()
}

/// Deletes the user's task; false when the user has no task with this id.
pub async fn delete(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM tasks WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks every task of the user completed (or not).
pub async fn set_all_completed(db: &Db, user_id: &str, completed: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tasks SET completed = $1, updated_at = $2 WHERE user_id = $3 AND completed <> $1",
    )
    .bind(i64::from(completed))
    .bind(now_ms())
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Deletes the user's completed tasks and returns how many there were.
pub async fn delete_completed(db: &Db, user_id: &str) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM tasks WHERE user_id = $1 AND completed = 1")
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(result.rows_affected())
}

fn task(row: &AnyRow) -> Result<Task, sqlx::Error> {
    Ok(Task {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        completed: row.try_get::<i64, _>("completed")? != 0,
        created_at: iso8601(row.try_get("created_at")?),
        updated_at: iso8601(row.try_get("updated_at")?),
    })
}

/// One statement in the two dialects, where they differ.
struct Dialects {
    sqlite: &'static str,
    postgres: &'static str,
}

impl Dialects {
    fn get(&self, db: &Db) -> &'static str {
        match db.backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// Two columns: how many users have the id `$1` (0 or 1), and that user's tasks as JSON. `$2` is
/// the `completed` value to keep, or -1 for every task.
const LIST: Dialects = Dialects {
    sqlite: "SELECT (SELECT COUNT(*) FROM users WHERE id = $1), \
             (SELECT json_group_array(\
             json_array(id, title, completed, created_at, updated_at) ORDER BY created_at, id) \
             FROM tasks WHERE user_id = $1 AND ($2 < 0 OR completed = $2))",
    postgres: "SELECT (SELECT COUNT(*) FROM users WHERE id = $1), \
               (SELECT COALESCE(json_agg(\
               json_build_array(id, title, completed, created_at, updated_at) \
               ORDER BY created_at, id), '[]'::json)::text \
               FROM tasks WHERE user_id = $1 AND ($2 < 0 OR completed = $2))",
};

const GET: &str = "SELECT id, title, completed, created_at, updated_at FROM tasks \
                   WHERE id = $1 AND user_id = $2";

const UPDATE: &str = "UPDATE tasks SET title = COALESCE($1, title), \
                      completed = COALESCE($2, completed), updated_at = $3 \
                      WHERE id = $4 AND user_id = $5 \
                      RETURNING id, title, completed, created_at, updated_at";

// SQLite's two-argument max() is PostgreSQL's GREATEST().
const INSERT: Dialects = Dialects {
    sqlite: "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at) \
             SELECT $1, $2, $3, 0, max($4, COALESCE(MAX(created_at) + 1, $4)), $4 \
             FROM tasks WHERE user_id = $2 \
             RETURNING id, title, completed, created_at, updated_at",
    postgres: "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at) \
               SELECT $1, $2, $3, 0, GREATEST($4, COALESCE(MAX(created_at) + 1, $4)), $4 \
               FROM tasks WHERE user_id = $2 \
               RETURNING id, title, completed, created_at, updated_at",
};
