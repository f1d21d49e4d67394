//! The Public API v1 (`/public/v1`, its own document): data centers,
//! prices, price estimates, sign-ups, stats and VM packages, with no
//! token. Answers come from the fixture's catalogue (its data centers,
//! countries, currencies and packages), shaped by the Public document's
//! schemas ([`Shaper::public`]), so only documented fields are sent and
//! every required one is there.
//!
//! The prices are the mock's own (the document says nothing of them): a
//! package costs by its cores and memory, storage by the GB, in each
//! currency of the fixture at a fixed rate, so an estimate adds up to what
//! the price list says. An estimate's `resource` names a price list
//! entry: `virtual_machine_package:<package permalink or id>` or
//! `storage_gb`. Tax: 20% for a customer in the United Kingdom, none
//! elsewhere (a mock's simplification).

use katapult_wasm::operation::{Operation, PUBLIC_OPERATIONS};
use katapult_wasm::request::Method;
use serde_json::{json, Map, Value};

use crate::args::Args;
use crate::document::Document;
use crate::engine::{Answer, Request};
use crate::error::ApiError;
use crate::fixture::Fixture;
use crate::ids::hash_str;
use crate::paging;
use crate::shape::Shaper;

/// The monthly price of one CPU core and one GB of memory in a package,
/// and of one GB of storage, in pounds.
const PER_CORE: f64 = 4.0;
const PER_GB_MEMORY: f64 = 2.0;
const PER_GB_STORAGE: f64 = 0.1;
/// Hours in a month, as hourly prices count them.
const HOURS: f64 = 730.0;
/// The largest page of packages.
const MAX_PER_PAGE: i64 = 100;

/// One currency's rate against the pound (an unknown one costs as the pound).
fn rate(iso_code: &str) -> f64 {
    match iso_code {
        "EUR" => 1.17,
        "USD" => 1.27,
        _ => 1.0,
    }
}

/// Rounded to pennies.
fn money(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

/// A monthly amount by the hour, to a hundredth of a penny.
fn hourly(per_month: f64) -> f64 {
    (per_month / HOURS * 10_000.0).round() / 10_000.0
}

/// The Public API's state: the sign-ups made (for their ids).
#[derive(Debug, Clone, Default)]
pub struct Public {
    signups: u64,
}

/// A priced thing: the resource an estimate names, its words and monthly
/// price in pounds, and the package it is, if one.
struct Priced {
    resource: String,
    description: String,
    per_month: f64,
    package: Option<Value>,
}

impl Public {
    /// A Public API with no sign-ups yet.
    pub fn new() -> Self {
        Public::default()
    }

    /// Back to no sign-ups.
    pub fn reset(&mut self) {
        self.signups = 0;
    }

    /// The operation at `method` `path` (below `/public/v1`, no trailing
    /// slash), if the Public API has one.
    pub fn route(method: &str, path: &str) -> Option<&'static Operation> {
        PUBLIC_OPERATIONS
            .iter()
            .find(|op| op.path() == path && op.method().as_str().eq_ignore_ascii_case(method))
    }

    /// Whether any Public API operation lives at `path`.
    pub fn path_exists(path: &str) -> bool {
        PUBLIC_OPERATIONS.iter().any(|op| op.path() == path)
    }

    /// The answer to `request` (its path below `/public/v1`), from the
    /// catalogue of `fixture` at `now_ms`; `None` when no operation lives
    /// at its method and path.
    pub fn handle(&mut self, fixture: &Fixture, request: &Request, now_ms: u64) -> Option<Answer> {
        let op = Self::route(request.method, request.path)?;
        let now = i64::try_from(now_ms / 1000).unwrap_or(i64::MAX);
        let answer = Args::from_request(request.query, request.content_type, request.body)
            .and_then(|args| self.answer(op, fixture, &args));
        Some(match answer {
            Ok(source) => {
                let id = op.id();
                let shaped = match Document::public().operation(id).and_then(|o| o.answer()) {
                    Some(schema) => {
                        let shaper = Shaper::public(now);
                        shaper.shape(
                            schema,
                            Some(&source),
                            shaper.slot("", id, hash_str(id)),
                            "$",
                        )
                    }
                    None => source,
                };
                Answer::json(200, &shaped)
            }
            Err(e) => Answer::error(&e),
        })
    }

    fn answer(
        &mut self,
        op: &'static Operation,
        fixture: &Fixture,
        args: &Args,
    ) -> Result<Value, ApiError> {
        let catalogue = Catalogue { fixture };
        Ok(match (op.method(), op.path()) {
            (Method::Get, "/data_centers") => json!({ "data_centers": catalogue.data_centers() }),
            (Method::Get, "/pricing/prices") => json!({ "prices": catalogue.prices() }),
            (Method::Post, "/pricing/estimate") => json!({ "estimate": catalogue.estimate(args)? }),
            (Method::Post, "/signups") => self.signup(args)?,
            (Method::Get, "/stats") => catalogue.stats(),
            (Method::Get, "/virtual_machine_packages") => {
                let endpoint = "PublicAPI/Endpoints/VirtualMachinePackages/ListEndpoint";
                let (page, per_page) = paging::page_args(args, endpoint, MAX_PER_PAGE)?;
                let (pagination, packages) =
                    paging::paginate(catalogue.packages(), page, per_page, false);
                json!({ "pagination": pagination, "packages": packages })
            }
            _ => return Err(ApiError::unhandled()),
        })
    }

    fn signup(&mut self, args: &Args) -> Result<Value, ApiError> {
        let email = match args.0.get("email_address") {
            Some(Value::String(e)) if e.contains('@') => e.clone(),
            _ => {
                return Err(error(
                    422,
                    "validation_error",
                    json!({
                        "errors": ["Email address is invalid"],
                        "object": "Signup",
                    }),
                ))
            }
        };
        if let Some(coupon) = args.0.get("coupon").filter(|c| !c.is_null()) {
            if coupon.as_str() != Some("WELCOME") {
                return Err(error(404, "invalid_coupon_code", json!({})));
            }
        }
        self.signups += 1;
        let id = format!(
            "signup_{:016x}",
            hash_str(&format!("{email}{}", self.signups))
        );
        let by_email = args
            .0
            .get("verify_with_email")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok(json!({
            "id": id,
            "email_address": if by_email { Value::String(email) } else { Value::Null },
            "url": if by_email { Value::Null } else { Value::String(format!("https://identity.katapult.example/signup/{id}")) },
        }))
    }
}

/// A documented error of the Public API, with the document's description.
fn error(status: u16, code: &str, detail: Value) -> ApiError {
    ApiError::new(status, code, detail)
        .with_description(Document::public().describe(code).map(str::to_owned))
}

/// The fixture's catalogue, as the Public API shows it.
struct Catalogue<'a> {
    fixture: &'a Fixture,
}

impl<'f> Catalogue<'f> {
    fn of(&self, kind: &str) -> Vec<&'f Map<String, Value>> {
        let fixture: &'f Fixture = self.fixture;
        fixture
            .objects()
            .iter()
            .filter(|o| o.kind == kind)
            .map(|o| &o.data)
            .collect()
    }

    fn data_centers(&self) -> Vec<Value> {
        self.of("data_center")
            .into_iter()
            .map(|dc| {
                let mut out = dc.clone();
                // The Public API names the country (a string), not the object.
                let country = dc.get("country").and_then(|c| c.get("name")).cloned();
                out.insert("country".into(), country.unwrap_or(Value::Null));
                Value::Object(out)
            })
            .collect()
    }

    fn packages(&self) -> Vec<Value> {
        self.of("virtual_machine_package")
            .into_iter()
            .filter(|p| p.get("privacy").and_then(Value::as_str) != Some("private"))
            .map(|p| Value::Object(p.clone()))
            .collect()
    }

    fn currencies(&self) -> Vec<&'f Map<String, Value>> {
        self.of("currency")
    }

    /// Everything with a price.
    fn priced(&self) -> Vec<Priced> {
        let number = |p: &Value, field: &str| p.get(field).and_then(Value::as_f64).unwrap_or(0.0);
        let mut out: Vec<Priced> = self
            .packages()
            .into_iter()
            .map(|p| Priced {
                resource: format!(
                    "virtual_machine_package:{}",
                    p.get("permalink")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                ),
                description: p
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                per_month: number(&p, "cpu_cores") * PER_CORE
                    + number(&p, "memory_in_gb") * PER_GB_MEMORY,
                package: Some(p),
            })
            .collect();
        out.push(Priced {
            resource: "storage_gb".into(),
            description: "Block storage, per GB".into(),
            per_month: PER_GB_STORAGE,
            package: None,
        });
        out
    }

    fn prices_of(&self, per_month: f64, salt: &str) -> Vec<Value> {
        self.currencies()
            .into_iter()
            .map(|c| {
                let iso = c.get("iso_code").and_then(Value::as_str).unwrap_or_default();
                json!({
                    "id": format!("price_{:012x}", hash_str(&format!("{salt}{iso}")) & 0xffff_ffff_ffff),
                    "price": money(per_month * rate(iso)),
                    "currency": [Value::Object(c.clone())],
                })
            })
            .collect()
    }

    fn prices(&self) -> Vec<Value> {
        let priced = self.priced();
        let (packages, other): (Vec<&Priced>, Vec<&Priced>) =
            priced.iter().partition(|p| p.package.is_some());
        let variant = |p: &Priced, default: bool| {
            json!({
                "id": p.resource.split_once(':').map(|(_, v)| v),
                "description": p.description,
                "default": default,
                "prices": self.prices_of(p.per_month, &p.resource),
            })
        };
        let mut out = vec![json!({
            "resource": "virtual_machine_package",
            "category": "Compute",
            "description": "Virtual machine packages, per month",
            "variants": packages.iter().enumerate().map(|(i, p)| variant(p, i == 0)).collect::<Vec<_>>(),
        })];
        out.extend(other.iter().map(|p| {
            json!({
                "resource": p.resource,
                "category": "Storage",
                "description": p.description,
                "variants": [variant(p, true)],
            })
        }));
        out
    }

    /// The object of `kind` a lookup argument names (by any of its keys).
    fn find(&self, kind: &str, lookup: Option<&Value>) -> Option<&'f Map<String, Value>> {
        let lookup = lookup?.as_object()?;
        self.of(kind).into_iter().find(|o| {
            lookup
                .iter()
                .any(|(k, v)| !v.is_null() && o.get(k).is_some_and(|x| x == v))
        })
    }

    fn estimate(&self, args: &Args) -> Result<Value, ApiError> {
        let currency = self
            .find("currency", args.0.get("currency"))
            .ok_or_else(|| error(404, "currency_not_found", json!({})))?;
        let country = self
            .find("country", args.0.get("country"))
            .ok_or_else(|| error(404, "country_not_found", json!({})))?;
        let wanted = match args.0.get("resources") {
            Some(Value::Array(r)) if !r.is_empty() => r,
            _ => return Err(error(400, "missing_resources", json!({}))),
        };
        let iso = currency
            .get("iso_code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let tax_rate = if country.get("iso_code2").and_then(Value::as_str) == Some("GB") {
            0.2
        } else {
            0.0
        };
        let priced = self.priced();
        let mut lines = Vec::new();
        let mut total = 0.0;
        for item in wanted {
            let name = item
                .get("resource")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let found = priced.iter().find(|p| {
                p.resource == name
                    || p.package.as_ref().is_some_and(|pkg| {
                        name.strip_prefix("virtual_machine_package:")
                            .is_some_and(|key| pkg.get("id").and_then(Value::as_str) == Some(key))
                    })
            });
            let Some(p) = found else {
                return Err(error(
                    400,
                    "invalid_estimate_resource",
                    json!({ "resource": name }),
                ));
            };
            let quantity = match item.get("quantity").and_then(Value::as_i64) {
                Some(q) if q >= 1 => q,
                _ => {
                    return Err(error(
                        400,
                        "invalid_estimate_quantity",
                        json!({ "resource": name }),
                    ))
                }
            };
            let each = money(p.per_month * rate(iso));
            #[allow(clippy::cast_precision_loss)] // quantities are small
            let per_month = money(each * quantity as f64);
            total += per_month;
            lines.push(json!({
                "resource": p.resource,
                "description": p.description,
                "quantity": quantity,
                "per_month_each": each,
                "per_month": per_month,
                "per_month_inc_tax": money(per_month * (1.0 + tax_rate)),
                "per_hour_each": hourly(each),
                "per_hour": hourly(per_month),
                "per_hour_inc_tax": hourly(per_month * (1.0 + tax_rate)),
                "package": p.package,
            }));
        }
        let total = money(total);
        let lines_key = format!("{iso}{tax_rate}{lines:?}");
        Ok(json!({
            "resources": lines,
            "per_month": total,
            "per_month_inc_tax": money(total * (1.0 + tax_rate)),
            "per_hour": hourly(total),
            "per_hour_inc_tax": hourly(total * (1.0 + tax_rate)),
            "currency": Value::Object(currency.clone()),
            "tax_rate": tax_rate,
            "pdf_url": format!("https://katapult.example/estimates/{:016x}.pdf", hash_str(&lines_key)),
        }))
    }

    fn stats(&self) -> Value {
        let vms = self.of("virtual_machine");
        let sum = |field: &str| -> i64 {
            vms.iter()
                .filter_map(|v| v.get(field).and_then(Value::as_i64))
                .sum()
        };
        let storage: i64 = self
            .of("disk")
            .iter()
            .filter_map(|d| d.get("size_in_gb").and_then(Value::as_i64))
            .sum();
        json!({
            "total_virtual_machines_launched": vms.len(),
            "total_virtual_machines_launched_today": 0,
            "total_memory": sum("memory_in_gb"),
            "total_cpu_cores": sum("cpu_cores"),
            "total_block_storage": storage,
            "total_organizations": self.of("organization").len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use katapult_wasm::schema::conforms;

    fn ask(
        public: &mut Public,
        method: &'static str,
        path: &'static str,
        query: Option<&'static str>,
        body: &'static str,
    ) -> (u16, Value) {
        let request = Request {
            method,
            path,
            query,
            content_type: Some("application/json"),
            body: body.as_bytes(),
        };
        let answer = public
            .handle(Fixture::builtin(), &request, 1_700_000_000_000)
            .expect("an operation");
        (answer.status, answer.json_body())
    }

    #[test]
    fn every_operation_answers_in_the_public_documents_shape() {
        let mut public = Public::new();
        let estimate = r#"{"customer_name":"Reseller","customer_type":"business","currency":{"iso_code":"EUR"},"country":{"iso_code2":"GB"},"resources":[{"resource":"virtual_machine_package:rock-6","quantity":2},{"resource":"storage_gb","quantity":100}]}"#;
        for op in PUBLIC_OPERATIONS.iter() {
            let body = match op.id() {
                "post:pricing_estimate" => estimate,
                "post:signups" => r#"{"email_address":"a@example.com"}"#,
                _ => "",
            };
            let path: &'static str = op.path();
            let (status, answer) = ask(&mut public, op.method().as_str(), path, None, body);
            assert_eq!(status, 200, "{}: {answer}", op.id());
            assert!(
                conforms(&answer, op.answer, true).is_ok(),
                "{}: {answer}",
                op.id()
            );
        }
    }

    #[test]
    fn an_estimate_adds_up_to_the_price_list() {
        let mut public = Public::new();
        let (_, prices) = ask(&mut public, "GET", "/pricing/prices", None, "");
        let rock6 = prices["prices"][0]["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == "rock-6")
            .unwrap()
            .clone();
        let eur = rock6["prices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["currency"][0]["iso_code"] == "EUR")
            .unwrap()["price"]
            .as_f64()
            .unwrap();
        let (status, answer) = ask(
            &mut public,
            "POST",
            "/pricing/estimate",
            None,
            r#"{"customer_name":"R","customer_type":"consumer","currency":{"iso_code":"EUR"},"country":{"iso_code2":"GB"},"resources":[{"resource":"virtual_machine_package:rock-6","quantity":2}]}"#,
        );
        assert_eq!(status, 200);
        let e = &answer["estimate"];
        assert_eq!(e["per_month"].as_f64().unwrap(), money(eur * 2.0));
        assert_eq!(e["tax_rate"].as_f64().unwrap(), 0.2);
        assert_eq!(
            e["per_month_inc_tax"].as_f64().unwrap(),
            money(eur * 2.0 * 1.2)
        );
        assert_eq!(e["resources"][0]["package"]["name"], "Rock 6");
        assert_eq!(e["currency"]["iso_code"], "EUR");
    }

    #[test]
    fn the_documented_errors() {
        let mut public = Public::new();
        let with = |currency: &str, country: &str, resources: &str| {
            format!(
                r#"{{"customer_name":"R","customer_type":"consumer","currency":{currency},"country":{country},"resources":{resources}}}"#
            )
        };
        for (body, status, code) in [
            (
                with(
                    r#"{"iso_code":"XXX"}"#,
                    r#"{"iso_code2":"GB"}"#,
                    r#"[{"resource":"storage_gb","quantity":1}]"#,
                ),
                404,
                "currency_not_found",
            ),
            (
                with(
                    r#"{"iso_code":"GBP"}"#,
                    r#"{"iso_code2":"ZZ"}"#,
                    r#"[{"resource":"storage_gb","quantity":1}]"#,
                ),
                404,
                "country_not_found",
            ),
            (
                with(r#"{"iso_code":"GBP"}"#, r#"{"iso_code2":"GB"}"#, "[]"),
                400,
                "missing_resources",
            ),
            (
                with(
                    r#"{"iso_code":"GBP"}"#,
                    r#"{"iso_code2":"GB"}"#,
                    r#"[{"resource":"gold","quantity":1}]"#,
                ),
                400,
                "invalid_estimate_resource",
            ),
            (
                with(
                    r#"{"iso_code":"GBP"}"#,
                    r#"{"iso_code2":"GB"}"#,
                    r#"[{"resource":"storage_gb","quantity":0}]"#,
                ),
                400,
                "invalid_estimate_quantity",
            ),
        ] {
            let body: &'static str = Box::leak(body.into_boxed_str());
            let (got, answer) = ask(&mut public, "POST", "/pricing/estimate", None, body);
            assert_eq!(
                (got, answer["error"]["code"].as_str()),
                (status, Some(code)),
                "{answer}"
            );
        }
        let (got, answer) = ask(
            &mut public,
            "POST",
            "/signups",
            None,
            r#"{"email_address":"a@b.c","coupon":"NOPE"}"#,
        );
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (404, Some("invalid_coupon_code"))
        );
        let (got, _) = ask(
            &mut public,
            "POST",
            "/signups",
            None,
            r#"{"email_address":"nope"}"#,
        );
        assert_eq!(got, 422);
        let (got, answer) = ask(
            &mut public,
            "GET",
            "/virtual_machine_packages",
            Some("per_page=0"),
            "",
        );
        assert_eq!(got, 400, "{answer}");
        assert!(Public::route("GET", "/organizations").is_none());
    }

    #[test]
    fn packages_are_paginated() {
        let mut public = Public::new();
        let (_, answer) = ask(
            &mut public,
            "GET",
            "/virtual_machine_packages",
            Some("page=2&per_page=2"),
            "",
        );
        assert_eq!(answer["pagination"]["total"], 5);
        assert_eq!(answer["pagination"]["current_page"], 2);
        assert_eq!(answer["packages"][0]["name"], "Rock 12");
    }
}
