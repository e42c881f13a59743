//! The server binary: reads the configuration, then serves until SIGINT or SIGTERM.

use std::process::ExitCode;

use server::{config::Environment, startup};

fn main() -> ExitCode {
    match startup::run(Environment::from_process()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line naming the setting and the fix; no backtrace.
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
