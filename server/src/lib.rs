//! The server: configuration, the auth service and its one router, the JWT issuer, the mailer
//! and one-time tokens, the tasks backend, and the Leptos site (its bundle checked by [`site`]),
//! assembled in [`startup`].

pub mod auth;
pub mod config;
pub mod db;
pub mod http;
pub mod jwt;
pub mod mail;
pub mod site;
pub mod startup;
pub mod tasks;
pub mod verification;
