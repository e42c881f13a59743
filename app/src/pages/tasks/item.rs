//! One task of the list: its checkbox, its title (double-click or "Edit" to rename) and its
//! delete button.

use leptos::{ev, html, prelude::*};

use crate::pages::tasks::board::{is_pending, Board};

/// The row of the task with id `id`. Test hooks: `data-testid="task-item"` on the row,
/// `data-testid="task-title"` on the title, and labelled controls ("Complete “…”",
/// "Edit “…”", "Delete “…”", and the edit box "Edit title of “…”").
#[component]
pub fn TaskItem(id: String, board: Board) -> impl IntoView {
    let task = {
        let id = id.clone();
        Memo::new(move |_| {
            board
                .tasks
                .with(|tasks| tasks.iter().find(|t| t.id == id).cloned())
        })
    };
    let title = move || task.with(|t| t.as_ref().map(|t| t.title.clone()).unwrap_or_default());
    let completed = move || task.with(|t| t.as_ref().is_some_and(|t| t.completed));
    let editing = RwSignal::new(false);
    let edit_input = NodeRef::<html::Input>::new();

    Effect::new(move || {
        if editing.get() {
            if let Some(input) = edit_input.get() {
                let _ = input.focus();
                input.select();
            }
        }
    });

    let commit = {
        let id = id.clone();
        move |value: String| {
            if editing.get_untracked() {
                editing.set(false);
                board.rename(id.clone(), &value);
            }
        }
    };
    let on_keydown = {
        let commit = commit.clone();
        move |event: ev::KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                event.prevent_default();
                commit(event_target_value(&event));
            }
            "Escape" => editing.set(false),
            _ => {}
        }
    };
    // Until the server confirms the new task its row has a temporary id (a confirmed task is a
    // new row), and its controls stay disabled: a change could not be sent yet.
    let pending = is_pending(&id);
    let toggle_id = id.clone();
    let delete_id = id.clone();
    let checkbox_id = format!("task-{id}-done");

    view! {
        <li class="task" class:completed=completed class:editing=move || editing.get() data-testid="task-item">
            <div class="task-view" hidden=move || editing.get()>
                <input
                    id=checkbox_id
                    class="toggle"
                    type="checkbox"
                    disabled=pending
                    prop:checked=completed
                    checked=completed
                    aria-label=move || format!("Complete “{}”", title())
                    on:change=move |event| {
                        board.set_completed(toggle_id.clone(), event_target_checked(&event))
                    }
                />
                <span class="task-title" data-testid="task-title" on:dblclick=move |_| {
                    if !pending {
                        editing.set(true)
                    }
                }>
                    {title}
                </span>
                <button
                    type="button"
                    disabled=pending
                    class="icon-button edit"
                    aria-label=move || format!("Edit “{}”", title())
                    on:click=move |_| editing.set(true)
                >
                    "✎"
                </button>
                <button
                    type="button"
                    disabled=pending
                    class="icon-button destroy"
                    aria-label=move || format!("Delete “{}”", title())
                    on:click=move |_| board.delete(delete_id.clone())
                >
                    "×"
                </button>
            </div>
            <Show when=move || editing.get()>
                <input
                    class="edit-input"
                    node_ref=edit_input
                    prop:value=title
                    aria-label=move || format!("Edit title of “{}”", title())
                    on:keydown=on_keydown.clone()
                    on:blur={
                        let commit = commit.clone();
                        move |event| commit(event_target_value(&event))
                    }
                />
            </Show>
        </li>
    }
}
