//! `GET /organizations`.

use crate::generated::schema as shapes;
use crate::request::{Call, HttpRequest};

/// `GET /organizations`: every organization the token can see.
pub fn list() -> Call {
    Call::new(
        HttpRequest::get("/organizations", Vec::new()),
        shapes::GET_ORGANIZATIONS,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    #[test]
    fn request_and_decode() {
        let c = list();
        assert_eq!(c.request.method, Method::Get);
        assert_eq!(
            c.request.url("http://h/core/v1"),
            "http://h/core/v1/organizations"
        );
        let body = br#"{"organizations":[{"id":"org_1","name":"Acme","sub_domain":"acme",
            "infrastructure_domain":"acme.katapult.cloud","created_at":1,"activated_at":null,
            "suspended":false,"managed":false}]}"#;
        let r = c.decode(200, body, None).unwrap();
        assert_eq!(r["organizations"][0]["sub_domain"], "acme");
        assert_eq!(
            r["organizations"][0]["activated_at"],
            serde_json::Value::Null
        );
    }
}
