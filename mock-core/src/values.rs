//! Values for documented fields nobody has set: deterministic (the same
//! object answers the same value every time), of the documented type, and
//! plausible for the field's name (an address looks like an address, a
//! time like a recent time, an enum takes its first documented value).

use serde_json::{json, Value};

use crate::ids::{encode16, hash_str, mix64};

/// What a generated value is for.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    /// The field's name (`permalink`).
    pub name: &'a str,
    /// The name of the object holding it (`dns_zone`).
    pub owner: &'a str,
    /// Fixes the value: derived from the object's id and the field's path.
    pub seed: u64,
    /// The time, in unix seconds.
    pub now: i64,
}

impl Slot<'_> {
    /// The seed of a field inside this one.
    pub fn child(&self, name: &str) -> u64 {
        mix64(self.seed ^ hash_str(name))
    }

    /// A small number for names and addresses.
    fn n(&self) -> u64 {
        self.seed % 1000
    }

    /// The owner's words, capitalized (`dns_zone` → `Dns zone`).
    fn title(&self) -> String {
        let words = self.owner.replace('_', " ");
        let mut c = words.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_else(|| "Object".to_owned())
    }
}

/// A string for the field.
pub fn string(slot: &Slot) -> String {
    let n = slot.n();
    let dashed = slot.owner.replace('_', "-");
    let name = slot.name;
    match name {
        "id" => format!(
            "{}_{}",
            crate::kinds::id_prefix(slot.owner),
            encode16(slot.seed)
        ),
        "name" | "label" => format!("{} {n}", slot.title()),
        "permalink" | "api_reference" | "sub_domain" | "slug" => format!("{dashed}-{n}"),
        "hostname" => format!("host-{n}"),
        "fqdn" | "domain" | "reverse_dns" | "infrastructure_domain" => {
            format!("host-{n}.example.com")
        }
        "address" | "ip" | "ip_address" => format!("192.0.2.{}", n % 254 + 1),
        "address_with_mask" => format!("192.0.2.{}/24", n % 254 + 1),
        "email" | "email_address" => format!("user{n}@example.com"),
        "url" | "endpoint" | "webhook_url" => format!("https://example.com/{dashed}/{n}"),
        "iso_code2" => "GB".to_owned(),
        "iso_code3" => "GBR".to_owned(),
        "iso_code" => "GBP".to_owned(),
        "symbol" => "£".to_owned(),
        "time_zone" => "Europe/London".to_owned(),
        "region" => format!("region-{n}"),
        "mac_address" => format!("02:00:00:00:{:02x}:{:02x}", (n >> 8) & 0xff, n & 0xff),
        "fingerprint" => format!("SHA256:{}", encode16(slot.seed)),
        "description" => format!("{} {n}, made by the Katapult mock", slot.title()),
        _ if name.ends_with("_at") => slot.now.to_string(),
        _ => format!("{}-{n}", name.replace('_', "-")),
    }
}

/// An integer for the field.
pub fn integer(slot: &Slot) -> i64 {
    let name = slot.name;
    match name {
        "keep_until" | "expires_at" => slot.now + 7 * 24 * 3600,
        "progress" => 100,
        "ttl" => 3600,
        "priority" => 10,
        "port" | "listen_port" => 80,
        "current_page" | "per_page" | "total_pages" | "total" => 1,
        _ if name.ends_with("_at") => slot.now,
        _ if name.ends_with("_in_gb") || name.ends_with("_gb") => 10,
        _ => i64::try_from(slot.seed % 90 + 1).unwrap_or(1),
    }
}

/// A value for a scalar schema node: its first enum value, else by type.
pub fn scalar(kind: &str, enum_first: Option<&Value>, slot: &Slot) -> Value {
    if let Some(first) = enum_first {
        return first.clone();
    }
    match kind {
        "string" => Value::String(string(slot)),
        "integer" => json!(integer(slot)),
        "number" => json!(1.5),
        "boolean" => Value::Bool(false),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_stable_and_fit_their_names() {
        let slot = Slot {
            name: "permalink",
            owner: "load_balancer",
            seed: 42,
            now: 1_700_000_000,
        };
        assert_eq!(string(&slot), "load-balancer-42");
        assert_eq!(string(&slot), string(&slot));
        let id = string(&Slot { name: "id", ..slot });
        assert!(id.starts_with("lb_"), "{id}");
        assert_eq!(
            integer(&Slot {
                name: "created_at",
                ..slot
            }),
            1_700_000_000
        );
        assert_eq!(scalar("boolean", None, &slot), Value::Bool(false));
        assert_eq!(scalar("string", Some(&json!("a")), &slot), json!("a"));
    }
}
