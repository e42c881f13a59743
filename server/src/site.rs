//! Checks on the browser bundle the server is about to serve.
//!
//! Release builds load some pages lazily (see `app/src/lib.rs`): their WASM is split into chunks
//! by `cargo leptos build --release --split`. Built without `--split`, the bundle's JavaScript
//! still imports the lazy chunks from a placeholder module that does not exist, so no page would
//! ever hydrate. The server refuses to start with such a bundle instead of serving dead pages.

use std::path::{Path, PathBuf};

/// The module name that `--split` replaces in the bundle's JavaScript.
const UNSPLIT_IMPORT: &str = "__wasm_split_placeholder__";

/// The bundle cannot work as built.
#[derive(Debug, thiserror::Error)]
#[error(
    "LEPTOS_SITE_ROOT: the browser bundle {} was built without --split, so its lazily loaded \
     pages can never load; rebuild it with `cargo leptos build --release --split` \
     (scripts/run.sh does)",
    path.display()
)]
pub struct UnsplitBundle {
    /// The bundle's JavaScript file.
    pub path: PathBuf,
}

/// Checks `<site_root>/<pkg_dir>/<output_name>.js`. A missing file is fine: the API works
/// without a site, as in the HTTP tests.
pub fn check_bundle(
    site_root: &Path,
    pkg_dir: &str,
    output_name: &str,
) -> Result<(), UnsplitBundle> {
    let path = site_root.join(pkg_dir).join(format!("{output_name}.js"));
    match std::fs::read_to_string(&path) {
        Ok(script) if script.contains(UNSPLIT_IMPORT) => Err(UnsplitBundle { path }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with_bundle(script: Option<&str>) -> PathBuf {
        let root = std::env::temp_dir().join(format!("site-check-{}", rand::random::<u64>()));
        std::fs::create_dir_all(root.join("pkg")).expect("create pkg");
        if let Some(script) = script {
            std::fs::write(root.join("pkg/tasks.js"), script).expect("write bundle");
        }
        root
    }

    #[test]
    fn a_bundle_that_imports_the_split_placeholder_is_refused() {
        let root = site_with_bundle(Some(
            "import * as import1 from \"__wasm_split_placeholder__\"\n",
        ));
        let error = check_bundle(&root, "pkg", "tasks").expect_err("refused");
        assert_eq!(error.path, root.join("pkg/tasks.js"));
        assert!(error
            .to_string()
            .starts_with("LEPTOS_SITE_ROOT: the browser bundle "));
        std::fs::remove_dir_all(root).ok();
    }

    #[test]
    fn a_split_bundle_and_a_missing_one_are_accepted() {
        let split = site_with_bundle(Some(
            "import * as import1 from \"./__wasm_split.______________________.js\"\n",
        ));
        assert!(check_bundle(&split, "pkg", "tasks").is_ok());
        let missing = site_with_bundle(None);
        assert!(check_bundle(&missing, "pkg", "tasks").is_ok());
        std::fs::remove_dir_all(split).ok();
        std::fs::remove_dir_all(missing).ok();
    }
}
