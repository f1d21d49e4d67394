//! Walking every page of a list: which pages to fetch after the first, and
//! when a page is the last.
//!
//! When the first page says how many pages there are, the rest can be
//! fetched concurrently and put back in order. A "large set" (or a missing
//! `total_pages`) does not say, so pages are walked one by one until a
//! short page. The document requires none of the pagination object's keys,
//! so every decision copes with any of them absent.

use crate::args::{object_arg, positive_int, whole_number, RETRIES, SIGNAL, TIMEOUT};
use crate::error::Error;
use crate::operation::Operation;
use serde_json::Value;
use std::ops::RangeInclusive;

/// Page size of `paginate` and `iterate` (and the VM walks) by default.
pub const DEFAULT_PER_PAGE: u32 = 100;
/// Requests in flight at once by default.
pub const DEFAULT_CONCURRENCY: u32 = 4;
/// Most requests in flight at once.
pub const MAX_CONCURRENCY: u32 = 32;
/// Pages a walk fetches at most by default (`maxPages`): a server that
/// reports more, or never sends a short page, cannot keep a walk going.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;
/// The largest `maxPages` accepted (20 million VMs at 200 a page).
pub const MAX_PAGES: u32 = 100_000;

/// Validated options of a walk over every page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageOptions {
    /// Page size of each request.
    pub per_page: u32,
    /// Requests in flight at once (1 for an iterator).
    pub concurrency: u32,
    /// Pages fetched at most; more remaining is `invalid_response`.
    pub max_pages: u32,
}

impl PageOptions {
    /// Validates `options`: `per_page`, and with `with_concurrency` (not
    /// for iterators, which fetch one page at a time) `concurrency` and
    /// `onProgress`, plus `signal` and the caller's own `extra` keys.
    pub fn parse(
        options: Option<&Value>,
        with_concurrency: bool,
        extra: &[&str],
    ) -> Result<Self, Error> {
        let own: &[&str] = if with_concurrency {
            &[
                "per_page",
                "concurrency",
                "maxPages",
                "onProgress",
                SIGNAL,
                TIMEOUT,
                RETRIES,
            ]
        } else {
            &["per_page", "maxPages", SIGNAL, TIMEOUT, RETRIES]
        };
        let keys: Vec<&str> = extra.iter().chain(own).copied().collect();
        let obj = object_arg(options, "options", &keys)?;
        let get = |key: &str| obj.and_then(|o| o.get(key));
        let concurrency = whole_number(
            get("concurrency"),
            "options.concurrency",
            1,
            MAX_CONCURRENCY,
        )?
        .unwrap_or(DEFAULT_CONCURRENCY);
        Ok(PageOptions {
            per_page: positive_int(get("per_page"), "options.per_page")?
                .unwrap_or(DEFAULT_PER_PAGE),
            concurrency: if with_concurrency { concurrency } else { 1 },
            max_pages: whole_number(get("maxPages"), "options.maxPages", 1, MAX_PAGES)?
                .unwrap_or(DEFAULT_MAX_PAGES),
        })
    }
}

/// The items key of a paginated operation, and its arguments checked for
/// a walk: `page` and `per_page` are the walk's own.
pub fn walkable(op: &Operation, params: &Value) -> Result<&'static str, Error> {
    let items = op.items().ok_or_else(|| {
        Error::invalid_argument(
            "This operation is not paginated (its answer has no pagination): call it with request",
        )
    })?;
    for key in ["page", "per_page"] {
        if params.get(key).is_some_and(|v| !v.is_null()) {
            return Err(Error::invalid_argument(format!(
                "params.{key} is set by the walk over every page; pass per_page in the options"
            )));
        }
    }
    Ok(items)
}

/// The arguments of one page of a walk: `params` with `page` and `per_page`.
pub fn page_params(params: &Value, page: u32, per_page: u32) -> Value {
    let mut map = params.as_object().cloned().unwrap_or_default();
    map.insert("page".into(), Value::from(page));
    map.insert("per_page".into(), Value::from(per_page));
    Value::Object(map)
}

/// A page's `pagination` object, as far as the API sent it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pagination {
    /// The page this is.
    pub current_page: Option<i64>,
    /// How many pages there are (`null` for a large set).
    pub total_pages: Option<i64>,
    /// How many items there are (`null` for a large set).
    pub total: Option<i64>,
    /// The page size the server used (it may cap what was asked).
    pub per_page: Option<i64>,
    /// A large set: no counts are given.
    pub large_set: Option<bool>,
}

impl Pagination {
    fn counted(&self) -> bool {
        self.large_set != Some(true)
    }
}

/// What to fetch after the first page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The first page was all there is.
    Done,
    /// These pages, concurrently; their items go after the first page's, in page order.
    Pages(RangeInclusive<u32>),
    /// Unknown page count: page 2, 3, … one at a time until [`is_last_page`].
    Sequential,
}

/// Plans the rest of the walk from the first page (page 1), which held
/// `items` items when `asked` were asked for.
pub fn plan(first: &Pagination, items: usize, asked: u32, max_pages: u32) -> Result<Plan, Error> {
    if is_last_page(first, items, asked) {
        return Ok(Plan::Done);
    }
    match first.total_pages {
        Some(total) if total > i64::from(max_pages) => Err(Error::invalid_response(
            200,
            format!(
                "The API reported {total} pages, more than maxPages ({max_pages}); nothing more was fetched"
            ),
        )),
        Some(total) if first.counted() => Ok(Plan::Pages(2..=u32::try_from(total).unwrap_or(1))),
        _ => Ok(Plan::Sequential),
    }
}

/// Whether `page` (holding `items` items, `asked` asked for) is the last
/// one: the count says so, or it is short (fewer items than its
/// `per_page`, which the server may have capped below what was asked, or
/// than `asked` when it does not say). A page size of 0 cannot be walked.
pub fn is_last_page(page: &Pagination, items: usize, asked: u32) -> bool {
    let counted_last = page.counted()
        && matches!((page.current_page, page.total_pages), (Some(c), Some(t)) if c >= t);
    let per_page = page.per_page.unwrap_or(i64::from(asked));
    let short = usize::try_from(per_page).map_or(true, |per_page| items < per_page);
    counted_last || items == 0 || per_page <= 0 || short
}

/// The page after `page` in a walk one page at a time, or `invalid_response`
/// once the walk would pass `max_pages` (a server that never sends a
/// short page cannot keep it going forever).
pub fn next_page(page: u32, max_pages: u32) -> Result<u32, Error> {
    match page.checked_add(1) {
        Some(next) if next <= max_pages => Ok(next),
        _ => Err(Error::invalid_response(
            200,
            format!("The API kept sending full pages past maxPages ({max_pages}); giving up"),
        )),
    }
}

/// Checks that a page walked one by one is the page that was asked for, so
/// a server that ignores `page` cannot make the walk repeat forever (one
/// that does not say which page it sent is bounded by `maxPages`).
pub fn check_page(requested: u32, got: &Pagination) -> Result<(), Error> {
    match got.current_page {
        Some(current) if current != i64::from(requested) && requested != 1 => {
            Err(Error::invalid_response(
                200,
                format!("The API answered page {current} when page {requested} was asked for"),
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(current: i64, total_pages: Option<i64>, per_page: i64, large_set: bool) -> Pagination {
        Pagination {
            current_page: Some(current),
            total_pages,
            total: total_pages.map(|t| t * per_page),
            per_page: Some(per_page),
            large_set: Some(large_set),
        }
    }

    #[test]
    fn absent_keys_fall_back_to_what_was_asked() {
        let none = Pagination::default();
        // Nothing said: a full page (of what was asked) means walk on.
        assert_eq!(plan(&none, 30, 30, MAX_PAGES), Ok(Plan::Sequential));
        assert_eq!(plan(&none, 29, 30, MAX_PAGES), Ok(Plan::Done));
        assert!(is_last_page(&none, 0, 30));
        // A count without large_set is a count.
        let counted = Pagination {
            total_pages: Some(3),
            ..none
        };
        assert_eq!(plan(&counted, 30, 30, MAX_PAGES), Ok(Plan::Pages(2..=3)));
        let last = Pagination {
            current_page: Some(3),
            total_pages: Some(3),
            ..none
        };
        assert!(is_last_page(&last, 30, 30));
        // Without current_page, check_page cannot tell and lets it through.
        assert!(check_page(2, &none).is_ok());
    }

    #[test]
    fn counted_lists_fetch_the_remaining_pages_concurrently() {
        assert_eq!(
            plan(&p(1, Some(100), 100, false), 100, 100, MAX_PAGES),
            Ok(Plan::Pages(2..=100))
        );
        assert_eq!(
            plan(&p(1, Some(2), 30, false), 30, 100, MAX_PAGES),
            Ok(Plan::Pages(2..=2))
        );
    }

    #[test]
    fn single_or_empty_lists_are_done_after_the_first_page() {
        assert_eq!(
            plan(&p(1, Some(1), 30, false), 11, 100, MAX_PAGES),
            Ok(Plan::Done)
        );
        assert_eq!(
            plan(&p(1, Some(0), 30, false), 0, 100, MAX_PAGES),
            Ok(Plan::Done)
        );
        assert_eq!(
            plan(&p(1, Some(1), 30, false), 30, 100, MAX_PAGES),
            Ok(Plan::Done)
        );
    }

    #[test]
    fn large_sets_and_unknown_counts_walk_until_a_short_page() {
        assert_eq!(
            plan(&p(1, None, 100, true), 100, 100, MAX_PAGES),
            Ok(Plan::Sequential)
        );
        assert_eq!(
            plan(&p(1, Some(50), 100, true), 100, 100, MAX_PAGES),
            Ok(Plan::Sequential)
        );
        assert_eq!(
            plan(&p(1, None, 100, false), 100, 100, MAX_PAGES),
            Ok(Plan::Sequential)
        );
        assert_eq!(
            plan(&p(1, None, 100, true), 99, 100, MAX_PAGES),
            Ok(Plan::Done)
        );
        assert!(!is_last_page(&p(7, None, 100, true), 100, 100));
        assert!(is_last_page(&p(8, None, 100, true), 3, 100));
        assert!(is_last_page(&p(8, None, 100, true), 0, 100));
    }

    #[test]
    fn broken_answers_cannot_make_a_walk_endless() {
        // A page size of 0 (schema-valid, meaningless) ends the walk.
        assert!(is_last_page(&p(0, Some(0), 0, true), 1, 100));
        // An absurd page count is refused rather than fetched.
        assert_eq!(
            plan(
                &p(1, Some(i64::from(MAX_PAGES) + 1), 1, false),
                1,
                1,
                MAX_PAGES
            )
            .unwrap_err()
            .code,
            "invalid_response"
        );
        assert_eq!(
            plan(&p(1, Some(i64::from(MAX_PAGES)), 1, false), 1, 1, MAX_PAGES),
            Ok(Plan::Pages(2..=MAX_PAGES))
        );
        // Negative numbers (schema-valid integers) end the walk.
        assert!(is_last_page(&p(1, Some(-5), 30, false), 30, 100));
        assert!(is_last_page(&p(1, None, -30, true), 30, 100));
        // A server that ignores `page` is caught on the second page.
        assert!(check_page(1, &p(0, None, 5, true)).is_ok());
        assert!(check_page(2, &p(2, None, 5, true)).is_ok());
        let e = check_page(2, &p(1, None, 5, true)).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "invalid_response",
                "The API answered page 1 when page 2 was asked for"
            )
        );
    }

    #[test]
    fn walks_one_page_at_a_time_end_at_max_pages() {
        assert_eq!(next_page(1, MAX_PAGES), Ok(2));
        assert_eq!(next_page(MAX_PAGES - 1, MAX_PAGES), Ok(MAX_PAGES));
        assert_eq!(
            next_page(MAX_PAGES, MAX_PAGES).unwrap_err().code,
            "invalid_response"
        );
        assert_eq!(
            next_page(u32::MAX, MAX_PAGES).unwrap_err().code,
            "invalid_response"
        );
    }

    #[test]
    fn a_server_capped_page_size_is_what_counts() {
        // Asked for 500, the server capped at 200 and says so.
        assert!(!is_last_page(&p(1, None, 200, true), 200, 500));
        assert!(is_last_page(&p(3, Some(3), 200, false), 200, 100));
    }

    #[test]
    fn options() {
        let o = PageOptions::parse(None, true, &[]).unwrap();
        assert_eq!((o.concurrency, o.per_page), (4, 100));
        let o = PageOptions::parse(Some(&json!({"per_page": 50, "concurrency": 8})), true, &[])
            .unwrap();
        assert_eq!((o.concurrency, o.per_page), (8, 50));
        assert_eq!(
            PageOptions::parse(Some(&json!({"per_page": 7})), false, &[])
                .unwrap()
                .concurrency,
            1
        );
        for (bad, with, message) in [
            (json!({"concurrency": 0}), true, "options.concurrency must be a whole number from 1 to 32"),
            (json!({"concurrency": 33}), true, "options.concurrency must be a whole number from 1 to 32"),
            (json!({"page": 2}), true, "options has an unknown key \"page\"; allowed: annotations, per_page, concurrency, maxPages, onProgress, signal, timeoutMs, maxRetries"),
            (json!({"concurrency": 2}), false, "options has an unknown key \"concurrency\"; allowed: annotations, per_page, maxPages, signal, timeoutMs, maxRetries"),
            (json!({"per_page": 0}), false, "options.per_page must be a whole number from 1 to 4294967295"),
        ] {
            assert_eq!(PageOptions::parse(Some(&bad), with, &["annotations"]).unwrap_err().message, message, "{bad}");
        }
    }

    #[test]
    fn walks_take_paginated_operations_and_set_the_page_themselves() {
        let list = Operation::find("get:organization_virtual_machines").unwrap();
        assert_eq!(
            walkable(list, &json!({"organization": {"id": "o"}})),
            Ok("virtual_machines")
        );
        let e = walkable(list, &json!({"page": 2})).unwrap_err();
        assert_eq!(
            e.message,
            "params.page is set by the walk over every page; pass per_page in the options"
        );
        let one = Operation::find("get:virtual_machine").unwrap();
        assert!(walkable(one, &json!({}))
            .unwrap_err()
            .message
            .starts_with("This operation is not paginated"));
        assert_eq!(
            page_params(&json!({"organization": {"id": "o"}}), 3, 50),
            json!({"organization": {"id": "o"}, "page": 3, "per_page": 50})
        );
    }
}
