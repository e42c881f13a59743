//! The browser's token cache: one JWT kept in memory only, renewed shortly before it expires or
//! after the API refused it, with concurrent callers sharing one request for a new token.

use std::{cell::RefCell, future::Future};

use futures::{
    future::{LocalBoxFuture, Shared},
    FutureExt,
};

use crate::api::{
    error::ApiError,
    token::{AuthToken, TokenGrant},
};

/// A cached token is renewed once it has fewer than this many seconds left.
pub const REFRESH_MARGIN_SECS: i64 = 60;

type GrantRequest = Shared<LocalBoxFuture<'static, Result<TokenGrant, ApiError>>>;

/// The current token, if any, and the request for a new one, if one is under way.
#[derive(Default)]
pub struct TokenCache {
    current: RefCell<Option<TokenGrant>>,
    in_flight: RefCell<Option<GrantRequest>>,
}

impl TokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// A token valid for at least [`REFRESH_MARGIN_SECS`] more seconds at `now` (Unix seconds):
    /// the cached one, or a new one from `request`. While a request is under way every caller
    /// waits for that same request; `request` is called only when none is.
    pub async fn token<R, F>(&self, now: i64, request: R) -> Result<AuthToken, ApiError>
    where
        R: FnOnce() -> F,
        F: Future<Output = Result<TokenGrant, ApiError>> + 'static,
    {
        if let Some(grant) = self.current.borrow().as_ref() {
            if grant.expires_at - REFRESH_MARGIN_SECS > now {
                return Ok(grant.token.clone());
            }
        }

        let pending = self
            .in_flight
            .borrow_mut()
            .get_or_insert_with(|| request().boxed_local().shared())
            .clone();
        let result = pending.clone().await;

        let mut in_flight = self.in_flight.borrow_mut();
        if in_flight.as_ref().is_some_and(|f| f.ptr_eq(&pending)) {
            *in_flight = None;
            if let Ok(grant) = &result {
                *self.current.borrow_mut() = Some(grant.clone());
            }
        }
        result.map(|grant| grant.token)
    }

    /// Forgets `rejected` (the API answered 401 with it), so the next call asks for a new token.
    /// A token that has already been replaced is left alone.
    pub fn reject(&self, rejected: &AuthToken) {
        let mut current = self.current.borrow_mut();
        if current
            .as_ref()
            .is_some_and(|grant| &grant.token == rejected)
        {
            *current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use futures::{channel::oneshot, executor::block_on, future::join, poll};

    use super::*;

    fn grant(value: &str, expires_at: i64) -> TokenGrant {
        TokenGrant {
            token: AuthToken::new(value.into()),
            expires_at,
        }
    }

    #[test]
    fn a_fresh_token_is_reused_without_a_request() {
        let cache = TokenCache::new();
        let requests = Cell::new(0);
        let ask = |value: &'static str| {
            requests.set(requests.get() + 1);
            async move { Ok(grant(value, 1_000)) }
        };

        let first = block_on(cache.token(100, || ask("a"))).unwrap();
        let second = block_on(cache.token(939, || ask("b"))).unwrap();

        assert_eq!(first.expose(), "a");
        assert_eq!(second.expose(), "a");
        assert_eq!(requests.get(), 1);
    }

    #[test]
    fn a_token_within_sixty_seconds_of_expiry_is_renewed() {
        let cache = TokenCache::new();
        block_on(cache.token(100, || async { Ok(grant("a", 1_000)) })).unwrap();

        let renewed = block_on(cache.token(940, || async { Ok(grant("b", 1_900)) })).unwrap();

        assert_eq!(renewed.expose(), "b");
    }

    #[test]
    fn concurrent_callers_share_one_request() {
        let cache = TokenCache::new();
        let requests = Cell::new(0);
        let (send, receive) = oneshot::channel::<TokenGrant>();
        let receive = RefCell::new(Some(receive));
        let ask = || {
            requests.set(requests.get() + 1);
            let receive = receive.borrow_mut().take();
            async move {
                match receive {
                    Some(receive) => receive.await.map_err(|_| ApiError::Unauthorized),
                    None => Ok(grant("second request", 2_000)),
                }
            }
        };

        let (first, second) = block_on(async {
            let mut first = Box::pin(cache.token(100, ask));
            let mut second = Box::pin(cache.token(100, ask));
            assert!(poll!(first.as_mut()).is_pending());
            assert!(poll!(second.as_mut()).is_pending());
            send.send(grant("shared", 1_000)).unwrap();
            join(first, second).await
        });

        assert_eq!(first.unwrap().expose(), "shared");
        assert_eq!(second.unwrap().expose(), "shared");
        assert_eq!(requests.get(), 1);
    }

    #[test]
    fn a_rejected_token_is_replaced_on_the_next_call() {
        let cache = TokenCache::new();
        let first = block_on(cache.token(100, || async { Ok(grant("a", 1_000)) })).unwrap();

        cache.reject(&first);
        let next = block_on(cache.token(101, || async { Ok(grant("b", 1_000)) })).unwrap();

        assert_eq!(next.expose(), "b");
    }

    #[test]
    fn a_failed_request_is_not_cached_and_the_next_call_asks_again() {
        let cache = TokenCache::new();
        let failed = block_on(cache.token(100, || async { Err(ApiError::Unauthorized) }));
        let next = block_on(cache.token(100, || async { Ok(grant("b", 1_000)) })).unwrap();

        assert_eq!(failed, Err(ApiError::Unauthorized));
        assert_eq!(next.expose(), "b");
    }
}
