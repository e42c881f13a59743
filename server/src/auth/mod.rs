//! Authentication: the one auth configuration ([`AuthConfig`]), the auth service
//! ([`AuthService`]) and the one router that serves `/api/auth/*` with Better Auth's HTTP
//! contract ([`router`]), password reset and email verification included ([`Recovery`]).

mod account;
mod account_routes;
mod body;
mod client;
mod config;
mod cookie;
mod email;
mod error;
mod origin;
mod password;
mod password_hash;
mod password_reset;
mod rate_limit;
mod recovery;
mod recovery_store;
mod router;
mod service;
mod session_routes;
mod store;
mod token;
mod verify_email;

pub use account::{PasswordChanged, ProfileUpdate};
pub use client::{Client, ClientInfo};
pub use config::AuthConfig;
pub use cookie::SessionToken;
pub use error::AuthError;
pub use rate_limit::RateLimiter;
pub use recovery::Recovery;
pub use router::{router, router_with, AuthState, SessionHeaders};
pub use service::{AuthService, CurrentSession, SignUp, SignedIn};
pub use token::{jwt_routes, JwtSessionHeader};
