//! CORS headers, exactly as the live API sends them (no
//! `Access-Control-Expose-Headers`).

use axum::http::{HeaderMap, HeaderValue};

/// `Access-Control-Allow-Methods` value.
pub const ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
/// `Access-Control-Allow-Headers` value.
pub const ALLOW_HEADERS: &str = "Authorization, Content-Type";

/// Add the CORS headers to a response.
pub fn apply(headers: &mut HeaderMap) {
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static(ALLOW_METHODS),
    );
    headers.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(ALLOW_HEADERS),
    );
}
