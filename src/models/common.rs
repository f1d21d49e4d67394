//! Small shapes shared by several resources.

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use tsify::Tsify;

/// An array field: a `Vec` that reads a missing field as empty (API.md: a
/// missing field is not an error), while `null` stays an error.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct List<T>(pub Vec<T>);

impl<T> Deref for List<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> Self {
        List(items)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // serde hands a missing field to `deserialize_option` as `none`.
        d.deserialize_option(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = List<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<List<T>, E> {
        Ok(List(Vec::new()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<List<T>, E> {
        Err(E::custom("expected an array, got null"))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<List<T>, D::Error> {
        Vec::deserialize(d).map(List)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<List<T>, A::Error> {
        Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(List)
    }
}

/// An annotation (`KeyValue`): a key and an optional value.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct KeyValue {
    /// The annotation key.
    pub key: String,
    /// The annotation value; `null` when the API omits it.
    pub value: Option<String>,
}

/// `PaginationObject`: where a page sits in the whole list.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Pagination {
    /// The current page (from 1).
    pub current_page: i64,
    /// The total number of pages; `null` for a large set.
    pub total_pages: Option<i64>,
    /// The total number of items; `null` for a large set.
    pub total: Option<i64>,
    /// Items per page.
    pub per_page: i64,
    /// True when the set is too large to count (`total` and `total_pages` are then null).
    pub large_set: bool,
}

/// `Country`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Country {
    /// Country id.
    pub id: String,
    /// Country name.
    pub name: String,
    /// ISO 3166 alpha-2 code.
    pub iso_code2: String,
    /// ISO 3166 alpha-3 code.
    pub iso_code3: String,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// Whether the country is in the EU.
    pub eu: bool,
}

/// `DataCenter`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct DataCenter {
    /// Data center id (`dc_…`).
    pub id: String,
    /// Data center name.
    pub name: String,
    /// Data center permalink.
    pub permalink: String,
    /// Where it is.
    pub country: Country,
}

/// `Zone`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Zone {
    /// Zone id (`zone_…`).
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Zone permalink.
    pub permalink: Option<String>,
    /// The data center the zone is in.
    pub data_center: DataCenter,
}

/// `Attachment`: an uploaded file such as an icon.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Attachment {
    /// Download URL.
    pub url: String,
    /// File name.
    pub file_name: String,
    /// MIME type.
    pub file_type: String,
    /// Size in bytes.
    pub file_size: i64,
    /// Content digest.
    pub digest: String,
    /// Attachment token.
    pub token: String,
}
