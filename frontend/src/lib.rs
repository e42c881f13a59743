//! The WASM entry point: hydrates the server-rendered page in the browser.

/// Called by the hydration script that the server puts in every page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A page loaded on demand hydrates once its code has arrived; the others at once.
    let path = leptos::prelude::window()
        .location()
        .pathname()
        .unwrap_or_default();
    if app::loads_on_demand(&path) {
        leptos::mount::hydrate_lazy(app::App);
    } else {
        leptos::mount::hydrate_body(app::App);
    }
}
