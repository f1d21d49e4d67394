//! Bearer-token authentication, scopes and the per-token rate limit.
//!
//! Like Katapult's API authenticator: no `Authorization: Bearer …` header is
//! 400 `missing_api_token`; an unknown token is 403 `invalid_api_token`.
//! Besides the configured token (all scopes), the built-in `readonly-token`
//! holds only read scopes (every `…:read` scope the document names), so
//! non-GET endpoints answer `scope_not_granted`.

use std::collections::HashMap;
use std::time::Instant;

use axum::http::HeaderMap;

/// The built-in read-only token (the engine's: the in-process mock takes
/// it too).
pub use katapult_mock_core::READ_ONLY_TOKEN as READONLY_TOKEN;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No usable `Authorization: Bearer …` header.
    Missing,
    /// A token that is not known.
    Invalid,
    /// The configured token: every scope.
    Full(String),
    /// The read-only token.
    ReadOnly(String),
}

impl Auth {
    /// Classify a request's headers against the configured token.
    pub fn from_headers(headers: &HeaderMap, configured: &str) -> Auth {
        let Some(value) = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Auth::Missing;
        };
        let value = value.trim();
        let token = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => return Auth::Missing,
        };
        if token.is_empty() {
            Auth::Missing
        } else if token == configured {
            Auth::Full(token.to_string())
        } else if token == READONLY_TOKEN {
            Auth::ReadOnly(token.to_string())
        } else {
            Auth::Invalid
        }
    }

    /// The value recorded in the request log.
    pub fn log_name(&self) -> &'static str {
        match self {
            Auth::Missing => "missing",
            Auth::Invalid => "invalid",
            Auth::Full(_) => "ok",
            Auth::ReadOnly(_) => "readonly",
        }
    }

    /// Does this identity hold any of `scopes` (Apia: `authorized_scope?`)?
    pub fn granted(&self, scopes: &[&str]) -> bool {
        match self {
            Auth::Full(_) => true,
            Auth::ReadOnly(_) => katapult_mock_core::read_only_may(scopes),
            Auth::Missing | Auth::Invalid => false,
        }
    }
}

/// Fixed one-minute windows per token.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: HashMap<String, (Instant, f64)>,
}

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateCheck {
    /// Under the limit.
    pub allowed: bool,
    /// Requests left in this window.
    pub remaining: u64,
}

impl RateLimiter {
    /// Count one request for `token` against `limit` per `window_ms`: a
    /// token bucket that holds `limit` and refills `limit` per window,
    /// evenly (so a 429 is followed by room again within a fraction of the
    /// window, and a client pacing itself at that rate draws none).
    pub fn check(&mut self, token: &str, limit: u64, window_ms: u64) -> RateCheck {
        let now = Instant::now();
        let full = limit as f64;
        let entry = self.buckets.entry(token.to_string()).or_insert((now, full));
        let elapsed = now.duration_since(entry.0).as_secs_f64() * 1000.0;
        entry.1 = (entry.1 + elapsed * full / window_ms.max(1) as f64).min(full);
        entry.0 = now;
        let allowed = entry.1 >= 1.0;
        if allowed {
            entry.1 -= 1.0;
        }
        RateCheck {
            allowed,
            remaining: entry.1.max(0.0) as u64,
        }
    }

    /// Forget every window.
    pub fn clear(&mut self) {
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(v) {
            m.insert(axum::http::header::AUTHORIZATION, v);
        }
        m
    }

    #[test]
    fn classify() {
        assert_eq!(Auth::from_headers(&HeaderMap::new(), "t"), Auth::Missing);
        assert_eq!(Auth::from_headers(&h("Basic abc"), "t"), Auth::Missing);
        assert_eq!(Auth::from_headers(&h("Bearer "), "t"), Auth::Missing);
        assert_eq!(Auth::from_headers(&h("Bearer x"), "t"), Auth::Invalid);
        assert_eq!(
            Auth::from_headers(&h("Bearer t"), "t"),
            Auth::Full("t".into())
        );
        assert_eq!(
            Auth::from_headers(&h("bearer readonly-token"), "t").log_name(),
            "readonly"
        );
    }

    #[test]
    fn limiter() {
        let mut l = RateLimiter::default();
        assert_eq!(
            l.check("a", 2, 60_000),
            RateCheck {
                allowed: true,
                remaining: 1
            }
        );
        assert_eq!(
            l.check("a", 2, 60_000),
            RateCheck {
                allowed: true,
                remaining: 0
            }
        );
        assert_eq!(
            l.check("a", 2, 60_000),
            RateCheck {
                allowed: false,
                remaining: 0
            }
        );
        assert!(l.check("b", 2, 60_000).allowed);
    }
}
