//! Who is asking: the client address (the socket peer, or `X-Forwarded-For` when the peer is a
//! trusted proxy) and the user agent, recorded on sessions and used as the rate-limit key.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::ConnectInfo,
    http::{header, request::Parts, Extensions, HeaderMap},
};

use super::config::AuthConfig;

/// The client of one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// `None` when the request carries no connection info (never for served requests).
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// The client of a request with these parts.
    pub fn from_parts(parts: &Parts, config: &AuthConfig) -> Self {
        Self::from_request(&parts.headers, &parts.extensions, config)
    }

    /// The client of a request with these headers and extensions.
    pub fn from_request(headers: &HeaderMap, extensions: &Extensions, config: &AuthConfig) -> Self {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Self {
            ip: peer.map(|peer| client_ip(peer, headers, config)),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(512).collect()),
        }
    }
}

/// The peer, unless it is a trusted proxy: then the nearest address in `X-Forwarded-For` that
/// is not itself a trusted proxy (addresses further left were written by the client and prove
/// nothing).
fn client_ip(peer: IpAddr, headers: &HeaderMap, config: &AuthConfig) -> IpAddr {
    if !config.trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !config.trusted_proxies.contains(ip))
        .unwrap_or(peer)
}

/// Extractor: the [`ClientInfo`] of the request.
#[derive(Clone, Debug)]
pub struct Client(pub ClientInfo);

impl axum::extract::FromRequestParts<super::router::AuthState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &super::router::AuthState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(ClientInfo::from_parts(parts, state.service.config())))
    }
}
