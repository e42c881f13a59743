//! One module per page.

pub mod account;
pub mod forgot_password;
pub mod home;
pub mod not_found;
pub mod reset_password;
pub mod sign_in;
pub mod sign_up;
pub mod tasks;
