//! The server's integration tests, built as one test binary.
//!
//! Each file in this directory is one area of tests; each sub-directory is a helper shared by
//! several of them. They are modules of this one crate so that the server links once for all of
//! them (cargo would otherwise build and link a binary per file). `Cargo.toml` turns off cargo's
//! discovery of test files, so a new file must be declared below: the test
//! `every_file_in_tests_is_part_of_the_suite` fails until it is.

// Helpers.
mod auth_support;
mod common;
mod jwt_support;
mod mime;
mod recovery_support;
mod smtp_sink;

// Test areas.
mod architecture;
mod auth_account;
mod auth_concurrency;
mod auth_cross_site;
mod auth_delete_user_tokens;
mod auth_password_reset;
mod auth_rate_limit;
mod auth_recovery_smtp;
mod auth_session;
mod auth_sign_in;
mod auth_sign_up;
mod auth_token;
mod auth_verify_email;
mod jwt_issuer;
mod jwt_verifier;
mod mail_outbox;
mod mail_smtp;
mod platform;
mod startup;
mod tasks_api;
mod tasks_standalone;
mod ui_server_functions;
mod verification_store;

/// With test discovery off, a test file that nobody declares would never compile nor run.
#[test]
fn every_file_in_tests_is_part_of_the_suite() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let suite = std::fs::read_to_string(dir.join("suite.rs")).expect("read tests/suite.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("list tests/") {
        let path = entry.expect("read tests/ entry").path();
        let module = if path.is_dir() && path.join("mod.rs").is_file() {
            path.file_name()
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            path.file_stem()
        } else {
            continue;
        };
        let module = module.and_then(|name| name.to_str()).unwrap_or_default();
        if module != "suite" && !suite.contains(&format!("\nmod {module};\n")) {
            missing.push(module.to_owned());
        }
    }
    missing.sort();
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "declare these as modules in tests/suite.rs"
    );
}
