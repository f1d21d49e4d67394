//! Client configuration: validated once, in the constructor.

use crate::args::{describe, object_arg, whole_number};
use crate::error::Error;
use serde_json::Value;
use std::fmt;

/// The live API's base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.katapult.io/core/v1";
/// The live Public API's base URL.
pub const PUBLIC_BASE_URL: &str = "https://api.katapult.io/public/v1";
/// Per-attempt timeout when none is given.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Retries after the first attempt when none is given.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Upper bound for `maxRetries`, so a typo cannot retry for hours.
pub const MAX_RETRIES_LIMIT: u32 = 10;
/// Upper bound for `timeoutMs` (what `setTimeout` can express).
pub const TIMEOUT_LIMIT_MS: u32 = i32::MAX as u32;
/// The largest answer read when none is given (32 MiB, after decompression).
pub const DEFAULT_MAX_RESPONSE_BYTES: u32 = 32 << 20;
/// Upper bound for `maxResponseBytes` (what the module's memory can hold).
pub const MAX_RESPONSE_BYTES_LIMIT: u32 = 1 << 30;

/// A validated client configuration. `Debug` never shows the token.
#[derive(Clone, PartialEq)]
pub struct Config {
    /// `None` when the token comes from a function (held by the IO layer,
    /// called before every attempt).
    token: Option<String>,
    /// Base URL without trailing slash, e.g. `https://api.katapult.io/core/v1`.
    pub base_url: String,
    /// Per-attempt timeout.
    pub timeout_ms: u32,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The largest answer read; a larger one is `response_too_large`.
    pub max_response_bytes: u32,
}

impl Config {
    /// Validates the constructor's argument. With `token_function`, the
    /// token is a function the IO layer holds (and `value` has no `token`).
    pub fn parse(value: &Value, token_function: bool) -> Result<Self, Error> {
        Self::parse_as(value, Some(token_function))
    }

    /// Validates `new KatapultPublicClient(config?)`: no token (the Public
    /// API needs none), the Public API's base URL unless one is given.
    pub fn parse_public(value: &Value) -> Result<Self, Error> {
        if value.get("token").is_some_and(|t| !t.is_null()) {
            return Err(Error::invalid_argument(
                "KatapultPublicClient takes no token: the Public API needs none (use KatapultClient for the Core API)",
            ));
        }
        let empty = Value::Object(serde_json::Map::new());
        Self::parse_as(if value.is_null() { &empty } else { value }, None)
    }

    /// [`Config::parse`] (`Some(token_function)`) or [`Config::parse_public`] (`None`).
    fn parse_as(value: &Value, token_function: Option<bool>) -> Result<Self, Error> {
        let public = token_function.is_none();
        let token_function = token_function.unwrap_or(false);
        let keys = [
            "token",
            "baseUrl",
            "timeoutMs",
            "maxRetries",
            "maxResponseBytes",
            // Read by the IO layer (src/js/config.js), never given here.
            "fetch",
            "hooks",
            "logger",
            "logLevel",
            "userAgent",
            "rateLimit",
        ];
        let keys = if public { &keys[1..] } else { &keys[..] };
        let Some(obj) = object_arg(Some(value), "config", keys)? else {
            return Err(Error::invalid_argument(
                "KatapultClient needs a config object: new KatapultClient({ token })",
            ));
        };
        let token = match obj.get("token") {
            _ if token_function || public => None,
            Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                return Err(Error::invalid_argument(
                    "config.token is required: an API token string, or a function that returns one",
                ))
            }
            Some(other) => {
                return Err(Error::invalid_argument(format!(
                    "config.token must be a string or a function, got {}",
                    describe(other)
                )))
            }
        };
        if let Some(token) = &token {
            header_safe(token)
                .map_err(|why| Error::invalid_argument(format!("config.token {why}")))?;
        }
        let base_url = match obj.get("baseUrl") {
            None | Some(Value::Null) if public => PUBLIC_BASE_URL.to_owned(),
            None | Some(Value::Null) => DEFAULT_BASE_URL.to_owned(),
            Some(Value::String(s)) => normalize_base_url(s)?,
            Some(other) => {
                return Err(Error::invalid_argument(format!(
                    "config.baseUrl must be a string, got {}",
                    describe(other)
                )))
            }
        };
        Ok(Config {
            token,
            base_url,
            timeout_ms: whole_number(
                obj.get("timeoutMs"),
                "config.timeoutMs",
                1,
                TIMEOUT_LIMIT_MS,
            )?
            .unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: whole_number(
                obj.get("maxRetries"),
                "config.maxRetries",
                0,
                MAX_RETRIES_LIMIT,
            )?
            .unwrap_or(DEFAULT_MAX_RETRIES),
            max_response_bytes: whole_number(
                obj.get("maxResponseBytes"),
                "config.maxResponseBytes",
                1,
                MAX_RESPONSE_BYTES_LIMIT,
            )?
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        })
    }

    /// The `Authorization` header value of a token string (`None` when the
    /// token comes from a function: see [`bearer`]). The only place the
    /// token leaves.
    pub fn authorization(&self) -> Option<String> {
        self.token.as_ref().map(|t| format!("Bearer {t}"))
    }
}

/// The `Authorization` header value for a token a token function gave, or
/// `invalid_argument` saying what is wrong with it (never the value).
pub fn bearer(token: &str) -> Result<String, Error> {
    header_safe(token)
        .map(|()| format!("Bearer {token}"))
        .map_err(|why| Error::invalid_argument(format!("The token function's token {why}")))
}

/// Only visible ASCII fits in an Authorization header; anything else would
/// make fetch throw later with a less helpful message.
fn header_safe(token: &str) -> Result<(), &'static str> {
    if token.is_empty() {
        Err("is empty")
    } else if !token.bytes().all(|b| b.is_ascii_graphic()) {
        Err("contains spaces or characters that cannot be sent in an HTTP header")
    } else {
        Ok(())
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("token", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Accepts `http(s)://host[:port][/path]`, drops trailing slashes, and
/// rejects anything with credentials, a query, a fragment or whitespace.
pub fn normalize_base_url(raw: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::invalid_argument(format!("config.baseUrl {why}"));
    let lower = raw.to_ascii_lowercase();
    let rest_at = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return Err(bad("must start with http:// or https://"));
    };
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain whitespace"));
    }
    if raw.contains(['?', '#']) {
        return Err(bad("must not contain a query (?) or fragment (#)"));
    }
    let rest = raw.get(rest_at..).unwrap_or_default();
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(bad(
            "must not contain credentials; pass the token as config.token",
        ));
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(':') {
            h
        } else {
            authority
        }
    });
    if host.is_empty() {
        return Err(bad("must name a host"));
    }
    Ok(raw.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults() {
        let c = Config::parse(&json!({"token": "abc"}), false).unwrap();
        assert_eq!(c.base_url, DEFAULT_BASE_URL);
        assert_eq!(c.timeout_ms, 30_000);
        assert_eq!(c.max_retries, 2);
        assert_eq!(c.authorization().as_deref(), Some("Bearer abc"));
    }

    #[test]
    fn base_url_forms() {
        for (input, out) in [
            (
                "http://127.0.0.1:8080/core/v1/",
                "http://127.0.0.1:8080/core/v1",
            ),
            (
                "HTTPS://api.katapult.io/core/v1",
                "HTTPS://api.katapult.io/core/v1",
            ),
            ("http://[::1]:9/core/v1//", "http://[::1]:9/core/v1"),
            ("http://localhost", "http://localhost"),
        ] {
            assert_eq!(normalize_base_url(input).as_deref(), Ok(out), "{input}");
        }
        for bad in [
            "ftp://x/core/v1",
            "javascript:alert(1)",
            "api.katapult.io",
            "http://",
            "http:///path",
            "http://x/core/v1?x=1",
            "http://x/#frag",
            "http://user:pw@x/",
            "http://x y/",
            "",
        ] {
            assert_eq!(
                normalize_base_url(bad).unwrap_err().code,
                "invalid_argument",
                "{bad}"
            );
        }
    }

    #[test]
    fn rejections() {
        for (input, message) in [
            (json!({}), "config.token is required: an API token string, or a function that returns one"),
            (json!({"token": ""}), "config.token is required: an API token string, or a function that returns one"),
            (json!({"token": 5}), "config.token must be a string or a function, got a number"),
            (json!({"token": "a b"}), "config.token contains spaces or characters that cannot be sent in an HTTP header"),
            (json!({"token": "t", "timeoutMs": 0}), "config.timeoutMs must be a whole number from 1 to 2147483647"),
            (json!({"token": "t", "maxRetries": -1}), "config.maxRetries must be a whole number from 0 to 10"),
            (json!({"token": "t", "baseUrl": 5}), "config.baseUrl must be a string, got a number"),
            (json!({"token": "t", "base_url": "x"}), "config has an unknown key \"base_url\"; allowed: token, baseUrl, timeoutMs, maxRetries, maxResponseBytes, fetch, hooks, logger, logLevel, userAgent, rateLimit"),
            (json!(null), "KatapultClient needs a config object: new KatapultClient({ token })"),
            (json!("tok"), "config must be an object, got a string"),
        ] {
            let e = Config::parse(&input, false).unwrap_err();
            assert_eq!(e.code, "invalid_argument");
            assert_eq!(e.message, message, "{input}");
        }
    }

    #[test]
    fn a_token_function_leaves_the_header_to_each_attempt() {
        let c = Config::parse(&json!({"baseUrl": "http://x/core/v1"}), true).unwrap();
        assert_eq!(c.authorization(), None);
        assert_eq!(bearer("abc").as_deref(), Ok("Bearer abc"));
        for (bad, why) in [
            ("", "is empty"),
            (
                "a b",
                "contains spaces or characters that cannot be sent in an HTTP header",
            ),
        ] {
            let e = bearer(bad).unwrap_err();
            assert_eq!((e.code.as_str(), e.status), ("invalid_argument", 0));
            assert_eq!(e.message, format!("The token function's token {why}"));
        }
        assert!(!bearer("sekrit ").unwrap_err().message.contains("sekrit"));
    }

    #[test]
    fn debug_redacts_the_token() {
        let c = Config::parse(&json!({"token": "sekrit-token-123"}), false).unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("sekrit"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn a_public_client_takes_no_token_and_defaults_to_the_public_api() {
        for given in [json!(null), json!({})] {
            let c = Config::parse_public(&given).unwrap();
            assert_eq!(c.base_url, PUBLIC_BASE_URL);
            assert_eq!(c.authorization(), None);
        }
        let c = Config::parse_public(
            &json!({"baseUrl": "http://127.0.0.1:9/public/v1/", "maxRetries": 0}),
        )
        .unwrap();
        assert_eq!(
            (c.base_url.as_str(), c.max_retries),
            ("http://127.0.0.1:9/public/v1", 0)
        );
        let e = Config::parse_public(&json!({"token": "sekrit"})).unwrap_err();
        assert!(
            e.message.starts_with("KatapultPublicClient takes no token"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("sekrit"));
        let e = Config::parse_public(&json!({"timeoutMs": 0})).unwrap_err();
        assert_eq!(
            e.message,
            "config.timeoutMs must be a whole number from 1 to 2147483647"
        );
        let e = Config::parse_public(&json!({"tokn": 1})).unwrap_err();
        assert!(
            e.message.contains("allowed: baseUrl, timeoutMs"),
            "{}",
            e.message
        );
    }
}
