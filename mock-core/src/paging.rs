//! Pagination as the API does it: `page` (default 1) and `per_page`
//! (default 30, at most the mock's maximum), checked with Apia's rules and
//! error bodies, and the `pagination` object every paginated list answers
//! with. One implementation for the engine and the hand-written routes.

use serde_json::{json, Value};

use crate::args::Args;
use crate::error::ApiError;

/// Lists longer than this are a `large_set` when large sets are on
/// (Apia's `potentially_large_set`).
pub const LARGE_SET: usize = 1000;

/// The `page` and `per_page` arguments, checked as Apia does.
pub fn page_args(
    args: &Args,
    endpoint_id: &str,
    max_per_page: i64,
) -> Result<(i64, i64), ApiError> {
    let page = args.integer(endpoint_id, "page", 1, &[("greater_than_zero", &|v| v > 0)])?;
    let per_page = args.integer(
        endpoint_id,
        "per_page",
        30,
        &[
            ("greater_than_zero", &|v| v > 0),
            ("less_than_or_equal_to_one_hundred", &|v| v <= max_per_page),
        ],
    )?;
    Ok((page, per_page))
}

/// The page `page` of `items` and its `pagination` object. A page past
/// the end is empty with the right totals; with `large_sets`, a list longer
/// than [`LARGE_SET`] reports no totals.
pub fn paginate<T>(items: Vec<T>, page: i64, per_page: i64, large_sets: bool) -> (Value, Vec<T>) {
    let total = items.len();
    let per = usize::try_from(per_page).unwrap_or(1).max(1);
    let start = usize::try_from(page.saturating_sub(1))
        .unwrap_or(usize::MAX)
        .saturating_mul(per);
    let items: Vec<T> = items.into_iter().skip(start).take(per).collect();
    let pagination = if large_sets && total > LARGE_SET {
        json!({
            "current_page": page,
            "total_pages": null,
            "total": null,
            "per_page": per_page,
            "large_set": true,
        })
    } else {
        json!({
            "current_page": page,
            "total_pages": total.div_ceil(per),
            "total": total,
            "per_page": per_page,
            "large_set": false,
        })
    };
    (pagination, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_totals() {
        let (p, items) = paginate((1..=5).collect(), 2, 2, false);
        assert_eq!(items, [3, 4]);
        assert_eq!(p["total_pages"], 3);
        assert_eq!(p["total"], 5);
        let (p, items) = paginate((1..=5).collect::<Vec<i32>>(), 9, 2, false);
        assert!(items.is_empty());
        assert_eq!(p["current_page"], 9);
        let (p, _) = paginate((0..1001).collect::<Vec<i32>>(), 1, 30, true);
        assert_eq!(
            (p["large_set"].clone(), p["total"].clone()),
            (json!(true), Value::Null)
        );
    }

    #[test]
    fn arguments_follow_apia() {
        let args = Args::from_request(Some("page=0"), None, b"").expect("args");
        let e = page_args(&args, "E", 200).expect_err("page 0");
        assert_eq!(e.detail["errors"], json!(["greater_than_zero"]));
        let args = Args::from_request(Some("per_page=201"), None, b"").expect("args");
        let e = page_args(&args, "E", 200).expect_err("too many");
        assert_eq!(
            e.detail["errors"],
            json!(["less_than_or_equal_to_one_hundred"])
        );
    }
}
