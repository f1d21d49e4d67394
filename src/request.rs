//! Plain-data HTTP requests, and the calls that pair a request with the
//! documented type of its answer. No IO happens here.

use crate::error::Error;
use crate::operation::Operation;
use crate::schema::TyRef;

/// HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET: arguments in the query string.
    Get,
    /// POST: arguments in a JSON body.
    Post,
    /// DELETE: arguments in a JSON body.
    Delete,
    /// PATCH: arguments in a JSON body.
    Patch,
    /// PUT: arguments in a JSON body.
    Put,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
        }
    }
}

/// One HTTP request, as data.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// Path below the base URL, starting with `/`.
    pub path: &'static str,
    /// Query pairs, unencoded, in order.
    pub query: Vec<(String, String)>,
    /// JSON body, if any (sent with `Content-Type: application/json`).
    pub body: Option<String>,
}

impl HttpRequest {
    /// A GET with the given query pairs.
    pub fn get(path: &'static str, query: Vec<(String, String)>) -> Self {
        HttpRequest {
            method: Method::Get,
            path,
            query,
            body: None,
        }
    }

    /// A request with a JSON body.
    pub fn with_body(method: Method, path: &'static str, body: &serde_json::Value) -> Self {
        HttpRequest {
            method,
            path,
            query: Vec::new(),
            body: Some(crate::json::write(body)),
        }
    }

    /// The full URL below `base_url` (which has no trailing slash).
    pub fn url(&self, base_url: &str) -> String {
        let mut url = format!("{base_url}{}", self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            percent_encode(&mut url, k, true);
            url.push('=');
            percent_encode(&mut url, v, false);
        }
        url
    }

    /// Whether repeating the request after a network error is harmless.
    pub fn is_idempotent(&self) -> bool {
        self.method == Method::Get
    }
}

/// Appends `text` percent-encoded: every byte but RFC 3986's unreserved
/// characters (and, in keys, the brackets of `organization[sub_domain]` and
/// `annotations[][key]`, kept readable as in the API's documentation; the
/// API decodes both forms alike).
fn percent_encode(out: &mut String, text: &str, key: bool) {
    let hex = |n: u8| char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 });
    for &b in text.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (key && matches!(b, b'[' | b']'));
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b & 15));
        }
    }
}

/// A request together with the documented type of its 2xx answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The request to send.
    pub request: HttpRequest,
    /// What a 2xx body must be (the generated shape of the operation's answer).
    pub shape: TyRef,
    /// Whether the answer is JSON (else `text/plain`, resolved as the string).
    pub json: bool,
}

impl Call {
    /// Pairs `request` with the answer of `op`.
    pub fn for_operation(request: HttpRequest, op: &Operation) -> Self {
        Call {
            request,
            shape: op.answer,
            json: op.json(),
        }
    }

    /// Checks a response without building it: a 2xx body against the
    /// documented shape, anything else mapped to the API's error. Never
    /// panics, whatever the bytes.
    pub fn check(&self, status: u16, body: &[u8], request_id: Option<String>) -> Result<(), Error> {
        crate::response::check(status, body, self.shape, request_id)
    }

    /// [`Call::check`], then the body as JSON data: exactly what was sent,
    /// absent fields absent. Never panics, whatever the bytes.
    pub fn decode(
        &self,
        status: u16,
        body: &[u8],
        request_id: Option<String>,
    ) -> Result<serde_json::Value, Error> {
        crate::response::decode(status, body, self.shape, request_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding_keeps_brackets_in_keys_and_encodes_values() {
        let r = HttpRequest::get(
            "/organizations/organization/virtual_machines",
            vec![
                ("organization[sub_domain]".into(), "acme".into()),
                ("annotations[][key]".into(), "team name".into()),
                ("annotations[][value]".into(), "a&b=c/d?e#f[g]%".into()),
                ("page".into(), "2".into()),
            ],
        );
        assert_eq!(
            r.url("http://127.0.0.1:1/core/v1"),
            "http://127.0.0.1:1/core/v1/organizations/organization/virtual_machines\
             ?organization[sub_domain]=acme&annotations[][key]=team%20name\
             &annotations[][value]=a%26b%3Dc%2Fd%3Fe%23f%5Bg%5D%25&page=2"
        );
    }

    #[test]
    fn path_injection_in_values_stays_in_the_query() {
        let r = HttpRequest::get(
            "/virtual_machines/virtual_machine",
            vec![("virtual_machine[id]".into(), "../x?y#z".into())],
        );
        let url = r.url("https://api.katapult.io/core/v1");
        assert_eq!(
            url,
            "https://api.katapult.io/core/v1/virtual_machines/virtual_machine?virtual_machine[id]=..%2Fx%3Fy%23z"
        );
    }

    #[test]
    fn non_ascii_is_utf8_percent_encoded() {
        let r = HttpRequest::get("/p", vec![("k".into(), "é☃".into())]);
        assert_eq!(r.url(""), "/p?k=%C3%A9%E2%98%83");
    }

    #[test]
    fn only_get_is_idempotent() {
        assert!(HttpRequest::get("/p", vec![]).is_idempotent());
        assert!(
            !HttpRequest::with_body(Method::Post, "/p", &serde_json::json!({})).is_idempotent()
        );
        assert!(
            !HttpRequest::with_body(Method::Delete, "/p", &serde_json::json!({})).is_idempotent()
        );
    }
}
