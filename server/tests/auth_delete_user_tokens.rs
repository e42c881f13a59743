//! `delete-user` removes the user's one-time tokens with the rest of their data: the
//! `verifications` rows name the user only inside `identifier`, so no foreign key does it.

use crate::auth_support;
use crate::common;
use crate::recovery_support;

use auth_support::*;
use common::{Store, TestServer};
use recovery_support::*;
use serde_json::{json, Value};

async fn delete_user_removes_everything_theirs_on(server: TestServer) {
    let (ada, cookie) = signed_up(&server, "ada@example.com").await;
    signed_up(&server, "bob@example.com").await;
    wait_for_mails(&server, "ada@example.com", 1).await;
    wait_for_mails(&server, "bob@example.com", 1).await;
    reset_link(&server, "ada@example.com", 2).await;
    let ada_id = ada["user"]["id"].as_str().unwrap().to_owned();
    sqlx::query(
        "INSERT INTO tasks (id, user_id, title, completed, created_at, updated_at) \
         VALUES ('t1', $1, 'Write the notes', 0, $2, $2)",
    )
    .bind(&ada_id)
    .bind(server::db::now_ms())
    .execute(&server.db.pool)
    .await
    .unwrap();
    assert_eq!(count(&server, "verifications").await, 3);

    let response = post_with_cookie(
        &server,
        "/api/auth/delete-user",
        &cookie,
        json!({"password": PASSWORD}),
    )
    .await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        json_body(response).await,
        json!({"success": true, "message": "User deleted"})
    );
    assert_eq!(count(&server, "users").await, 1);
    assert_eq!(count(&server, "accounts").await, 1);
    assert_eq!(count(&server, "sessions").await, 1);
    assert_eq!(count(&server, "tasks").await, 0);
    let bob_id = user_id(&server, "bob@example.com").await;
    let left: Vec<(String,)> = sqlx::query_as("SELECT identifier FROM verifications")
        .fetch_all(&server.db.pool)
        .await
        .unwrap();
    assert_eq!(left, vec![(format!("verify-email:{bob_id}"),)]);
    assert_eq!(
        json_body(get_session(&server, Some(&cookie)).await).await,
        Value::Null
    );
}

#[tokio::test]
async fn delete_user_removes_their_sessions_accounts_tasks_and_one_time_tokens_on_sqlite() {
    delete_user_removes_everything_theirs_on(server_with(SEND_ON_SIGN_UP, &[]).await).await;
}

#[tokio::test]
async fn delete_user_removes_their_sessions_accounts_tasks_and_one_time_tokens_on_postgres() {
    let Some(server) = server_on(Store::Postgres, SEND_ON_SIGN_UP, &[]).await else {
        return;
    };
    delete_user_removes_everything_theirs_on(server).await;
}
