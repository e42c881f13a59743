//! Configuration errors: each names the setting and says how to fix it.

use std::fmt;

/// A configuration problem that stops start-up. Displayed as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The setting at fault, as the operator writes it (`DATABASE_URL`, `server.address`).
    pub setting: &'static str,
    /// What is wrong with it.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

impl ConfigError {
    /// A setting whose value cannot be used.
    pub fn invalid(
        setting: &'static str,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            setting,
            problem: problem.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; {}", self.setting, self.problem, self.fix)
    }
}

impl std::error::Error for ConfigError {}
