//! The architecture rules of the product, checked on its source code:
//!
//! - the auth configuration is built in one place only (`server/src/startup.rs`);
//! - one server function in `app` asks the issuer for a JWT (`app/src/api/token.rs`);
//! - only the API client's transport and the tasks backend's bearer extractor touch the
//!   `Authorization` header;
//! - nothing in `app` or `frontend` mentions browser storage or script-readable cookies;
//! - the auth router is built and mounted once;
//! - the environment is read in the configuration module only.
//!
//! Each rule also runs against a copy of the source tree with one violation added, to prove
//! that it can fail.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
};

/// The source directories the rules look at, relative to the workspace root.
const SOURCE_DIRS: [&str; 3] = ["app/src", "frontend/src", "server/src"];

/// The one file allowed to construct the auth configuration.
const AUTH_CONFIG_HOME: &str = "server/src/startup.rs";
/// The one file allowed to request a token from the issuer.
const TOKEN_FUNCTION_HOME: &str = "app/src/api/token.rs";
/// The files allowed to read or write the `Authorization` header.
const AUTHORIZATION_HOMES: [&str; 2] = ["app/src/api/transport.rs", "server/src/tasks/bearer.rs"];
/// The one file allowed to mount the auth router.
const AUTH_MOUNT_HOME: &str = "server/src/startup.rs";
/// The configuration module, the only code that reads the environment.
const CONFIG_MODULE: &str = "server/src/config/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    OneAuthConfig,
    OneTokenFunction,
    AuthorizationHeader,
    NoBrowserStorage,
    OneAuthMount,
    EnvInConfigOnly,
}

#[derive(Debug)]
struct Violation {
    rule: Rule,
    detail: String,
}

/// A Rust source file: its path relative to the root (with `/`), and its text.
struct Source {
    path: String,
    text: String,
}

impl Source {
    /// The lines that are code: comment lines (`//`, `///`, `//!`, `*` inside block comments)
    /// are left out, so documentation may name what the code must not do.
    fn code_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.text.lines().enumerate().filter(|(_, line)| {
            let line = line.trim_start();
            !(line.starts_with("//") || line.starts_with('*') || line.starts_with("/*"))
        })
    }

    /// `(line number, line)` of every code line containing one of `needles`.
    fn code_hits(&self, needles: &[&str]) -> Vec<(usize, String)> {
        self.code_lines()
            .filter(|(_, line)| needles.iter().any(|needle| line.contains(needle)))
            .map(|(index, line)| (index + 1, line.trim().to_owned()))
            .collect()
    }

    fn is_in(&self, dir: &str) -> bool {
        self.path.starts_with(dir)
    }
}

fn read_sources(root: &Path) -> Vec<Source> {
    let mut sources = Vec::new();
    for dir in SOURCE_DIRS {
        collect_rust_files(root, &root.join(dir), &mut sources);
    }
    assert!(
        sources.iter().any(|source| source.path == AUTH_CONFIG_HOME),
        "no sources found under {}",
        root.display()
    );
    sources
}

fn collect_rust_files(root: &Path, dir: &Path, sources: &mut Vec<Source>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            collect_rust_files(root, &path, sources);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path.strip_prefix(root).expect("a path under the root");
            sources.push(Source {
                path: relative.to_string_lossy().replace('\\', "/"),
                text: fs::read_to_string(&path).expect("a UTF-8 source file"),
            });
        }
    }
}

/// Every violation of every rule in the tree at `root`.
fn check(root: &Path) -> Vec<Violation> {
    let sources = read_sources(root);
    let mut violations = Vec::new();
    let mut report = |rule: Rule, source: &Source, line: usize, text: &str, why: &str| {
        violations.push(Violation {
            rule,
            detail: format!("{}:{line}: {why}: {text}", source.path),
        });
    };

    let mut auth_config_builds = 0;
    let mut token_requests = 0;
    let mut auth_mounts = 0;
    let mut auth_router_builds = 0;

    for source in &sources {
        let browser_side = source.is_in("app/src") || source.is_in("frontend/src");

        // One auth config: `AuthConfig::new(` once, in startup.rs; no struct literal anywhere
        // but its own module.
        for (line, text) in source.code_hits(&["AuthConfig::new("]) {
            auth_config_builds += 1;
            if source.path != AUTH_CONFIG_HOME {
                report(
                    Rule::OneAuthConfig,
                    source,
                    line,
                    &text,
                    "auth config built here",
                );
            }
        }
        if source.path != "server/src/auth/config.rs" {
            for (line, text) in source.code_hits(&["AuthConfig {"]) {
                if is_struct_literal(&text, "AuthConfig {") {
                    report(
                        Rule::OneAuthConfig,
                        source,
                        line,
                        &text,
                        "auth config literal",
                    );
                }
            }
        }

        // One token function: only token.rs names the issuer's token route or its header.
        if browser_side {
            for (line, text) in source.code_hits(&["/api/auth/token", "set-auth-jwt"]) {
                token_requests += 1;
                if source.path != TOKEN_FUNCTION_HOME {
                    report(
                        Rule::OneTokenFunction,
                        source,
                        line,
                        &text,
                        "token requested here",
                    );
                }
            }
        }

        // The Authorization header: only the API transport and the bearer extractor.
        if !AUTHORIZATION_HOMES.contains(&source.path.as_str()) {
            let lowered = Source {
                path: source.path.clone(),
                text: source.text.to_lowercase(),
            };
            for (line, text) in lowered.code_hits(&["authorization", "bearer_auth("]) {
                report(
                    Rule::AuthorizationHeader,
                    source,
                    line,
                    &text,
                    "Authorization header touched here",
                );
            }
        }

        // No browser storage, comments included: nothing there should even suggest it.
        if browser_side {
            let needles = [
                "localstorage",
                "sessionstorage",
                "local_storage",
                "session_storage",
                "document.cookie",
                "set_cookie(",
                ".cookie()",
                "indexeddb",
            ];
            for (index, line) in source.text.lines().enumerate() {
                let lowered = line.to_lowercase();
                if needles.iter().any(|needle| lowered.contains(needle)) {
                    report(
                        Rule::NoBrowserStorage,
                        source,
                        index + 1,
                        line.trim(),
                        "browser storage named",
                    );
                }
            }
        }

        // One auth mount and one auth router.
        for (line, text) in source.code_hits(&["\"/api/auth\""]) {
            auth_mounts += 1;
            if source.path != AUTH_MOUNT_HOME {
                report(
                    Rule::OneAuthMount,
                    source,
                    line,
                    &text,
                    "auth router mounted here",
                );
            }
        }
        if source.path != "server/src/auth/router.rs" {
            for (line, text) in source.code_hits(&["auth::router(", "auth::router_with("]) {
                auth_router_builds += 1;
                if source.path != AUTH_MOUNT_HOME {
                    report(
                        Rule::OneAuthMount,
                        source,
                        line,
                        &text,
                        "auth router built here",
                    );
                }
            }
        }

        // The environment: only the configuration module.
        if !source.is_in(CONFIG_MODULE) {
            let needles = [
                "env::var(",
                "env::vars(",
                "env::var_os(",
                "env::vars_os(",
                "env!(",
                "dotenv",
            ];
            for (line, text) in source.code_hits(&needles) {
                report(
                    Rule::EnvInConfigOnly,
                    source,
                    line,
                    &text,
                    "environment read here",
                );
            }
        }
    }

    let mut count_rule = |rule: Rule, what: &str, count: usize| {
        if count != 1 {
            violations.push(Violation {
                rule,
                detail: format!("{what}: expected exactly one, found {count}"),
            });
        }
    };
    count_rule(
        Rule::OneAuthConfig,
        "AuthConfig::new( calls",
        auth_config_builds,
    );
    count_rule(
        Rule::OneTokenFunction,
        "token requests in app and frontend",
        token_requests,
    );
    count_rule(Rule::OneAuthMount, "\"/api/auth\" mounts", auth_mounts);
    count_rule(
        Rule::OneAuthMount,
        "auth router constructions",
        auth_router_builds,
    );
    violations
}

/// Whether `pattern` (`Name {`) on `line` opens a struct literal rather than a type's
/// definition, `impl` block or a function's return type.
fn is_struct_literal(line: &str, pattern: &str) -> bool {
    let Some(at) = line.find(pattern) else {
        return false;
    };
    let before = line[..at].trim_end();
    let not_a_literal = ["struct", "impl", "for", "->", "&", "mut", "dyn"];
    !not_a_literal.iter().any(|word| before.ends_with(word))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate sits in the workspace")
        .to_path_buf()
}

fn rules_of(violations: &[Violation]) -> Vec<Rule> {
    let mut rules: Vec<Rule> = violations.iter().map(|v| v.rule).collect();
    rules.dedup();
    rules
}

#[test]
fn the_product_follows_every_architecture_rule() {
    let violations = check(&workspace_root());
    assert!(
        violations.is_empty(),
        "architecture rules broken:\n{}",
        violations
            .iter()
            .map(|v| format!("  {:?}: {}", v.rule, v.detail))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A copy of the real source tree, removed when dropped.
struct Fixture {
    root: PathBuf,
}

impl Fixture {
    fn copy_of_the_product() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "architecture-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&root);
        for dir in SOURCE_DIRS {
            copy_dir(&workspace_root().join(dir), &root.join(dir));
        }
        Fixture { root }
    }

    /// Adds `code` at the end of the file at `path` (created when missing).
    fn append(&self, path: &str, code: &str) -> &Self {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().expect("a file in a directory")).expect("mkdir");
        let mut text = fs::read_to_string(&path).unwrap_or_default();
        text.push('\n');
        text.push_str(code);
        text.push('\n');
        fs::write(path, text).expect("write the fixture file");
        self
    }

    /// Replaces the first `from` in the file at `path` with `to`.
    fn replace(&self, path: &str, from: &str, to: &str) -> &Self {
        let path = self.root.join(path);
        let text = fs::read_to_string(&path).expect("read the fixture file");
        assert!(text.contains(from), "{} has no {from:?}", path.display());
        fs::write(path, text.replacen(from, to, 1)).expect("write the fixture file");
        self
    }

    fn broken_rules(&self) -> Vec<Rule> {
        rules_of(&check(&self.root))
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the fixture directory");
    for entry in fs::read_dir(from).expect("read the source directory") {
        let path = entry.expect("a readable directory entry").path();
        let target = to.join(path.file_name().expect("a named entry"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy a source file");
        }
    }
}

#[test]
fn an_unchanged_copy_passes_so_each_fixture_tests_only_its_violation() {
    assert_eq!(Fixture::copy_of_the_product().broken_rules(), vec![]);
}

#[test]
fn a_second_auth_config_construction_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "server/src/tasks/mod.rs",
        "fn second(config: &crate::config::Config) -> crate::auth::AuthConfig {\n    \
         crate::auth::AuthConfig::new(config)\n}",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::OneAuthConfig]);
}

#[test]
fn an_auth_config_literal_outside_its_module_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "server/src/http/mod.rs",
        "fn literal() -> AuthConfig {\n    AuthConfig { secret: todo!() }\n}",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::OneAuthConfig]);
}

#[test]
fn a_second_token_request_in_the_app_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "app/src/pages/home.rs",
        "async fn sneaky() { let _ = call_auth(Method::GET, \"/api/auth/token\", None).await; }",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::OneTokenFunction]);
}

#[test]
fn reading_the_set_auth_jwt_header_in_the_app_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "app/src/session.rs",
        "fn jwt(h: &http::HeaderMap) -> Option<&http::HeaderValue> { h.get(\"set-auth-jwt\") }",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::OneTokenFunction]);
}

#[test]
fn moving_the_token_function_away_from_its_home_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.replace("app/src/api/token.rs", "\"/api/auth/token\"", "TOKEN_PATH");
    assert_eq!(fixture.broken_rules(), vec![Rule::OneTokenFunction]);
}

#[test]
fn an_authorization_header_in_a_component_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "app/src/pages/tasks/item.rs",
        "fn header(t: &str) -> (http::HeaderName, String) { (http::header::AUTHORIZATION, t.into()) }",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::AuthorizationHeader]);
}

#[test]
fn a_hand_built_authorization_header_in_the_server_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "server/src/http/mod.rs",
        "fn peek(h: &axum::http::HeaderMap) -> bool { h.contains_key(\"Authorization\") }",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::AuthorizationHeader]);
}

#[test]
fn local_storage_in_the_app_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "app/src/api/token_cache.rs",
        "fn keep(w: &web_sys::Window) { let _ = w.local_storage(); }",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::NoBrowserStorage]);
}

#[test]
fn session_storage_in_the_frontend_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "frontend/src/lib.rs",
        "// keep the token in sessionStorage between reloads",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::NoBrowserStorage]);
}

#[test]
fn document_cookie_in_the_app_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "app/src/session.rs",
        "fn write(d: &web_sys::HtmlDocument, t: &str) { let _ = d.set_cookie(t); }",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::NoBrowserStorage]);
}

#[test]
fn a_second_auth_mount_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "server/src/http/mod.rs",
        "fn again(r: axum::Router, s: crate::auth::AuthState) -> axum::Router {\n    \
         r.nest(\"/api/auth\", crate::auth::router(s))\n}",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::OneAuthMount]);
}

#[test]
fn a_second_auth_router_under_another_path_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "server/src/startup.rs",
        "fn twice(r: axum::Router, s: auth::AuthState) -> axum::Router {\n    \
         r.nest(\"/auth\", auth::router(s))\n}",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::OneAuthMount]);
}

#[test]
fn reading_the_environment_outside_the_config_module_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "server/src/mail/mod.rs",
        "fn host() -> Option<String> { std::env::var(\"SMTP_HOST\").ok() }",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::EnvInConfigOnly]);
}

#[test]
fn reading_the_environment_in_the_app_fails() {
    let fixture = Fixture::copy_of_the_product();
    fixture.append(
        "app/src/api/mod.rs",
        "const BASE: &str = env!(\"API_BASE_URL\");",
    );
    assert_eq!(fixture.broken_rules(), vec![Rule::EnvInConfigOnly]);
}
