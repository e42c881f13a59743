//! The auth actions of the UI: signing up, in and out, the account (profile, sessions,
//! password, deletion) and recovery (password reset, email verification). Every one is a server
//! function that forwards to the one auth router; also their typed error, the rule for where to
//! go after signing in, and how a session's device is named.

pub mod account;
pub mod device;
pub mod error;
pub mod functions;
pub mod next;
pub mod recovery;
pub mod sessions;

pub use error::AppError;
pub use functions::{
    current_user, sign_in, sign_out, sign_up, CurrentUser, SignIn, SignOut, SignUp,
};
