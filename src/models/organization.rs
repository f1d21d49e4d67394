//! Organizations.

use super::Country;
use super::List;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// An organization as `GET /organizations` lists it.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct OrganizationSummary {
    /// Organization id (`org_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Sub-domain, usable as a lookup.
    pub sub_domain: String,
    /// Domain under which VM FQDNs live.
    pub infrastructure_domain: String,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// Activation time (Unix seconds), `null` if not activated.
    pub activated_at: Option<i64>,
    /// Whether the organization is suspended.
    pub suspended: bool,
    /// Whether the organization is managed.
    pub managed: bool,
}

/// `Currency`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Currency {
    /// Currency id.
    pub id: String,
    /// Currency name.
    pub name: String,
    /// ISO 4217 code.
    pub iso_code: String,
    /// Symbol.
    pub symbol: String,
}

/// `CountryState`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct CountryState {
    /// State id.
    pub id: String,
    /// State name.
    pub name: String,
    /// State code.
    pub code: String,
    /// The country it belongs to.
    pub country: Country,
}

/// `Organization`: the full record embedded in a virtual machine.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Organization {
    /// Organization id (`org_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Sub-domain, usable as a lookup.
    pub sub_domain: String,
    /// Domain under which VM FQDNs live.
    pub infrastructure_domain: String,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// Activation time (Unix seconds).
    pub activated_at: Option<i64>,
    /// Whether the organization is suspended.
    pub suspended: bool,
    /// Whether the organization is managed.
    pub managed: bool,
    /// Billing name.
    pub billing_name: Option<String>,
    /// Address line 1.
    pub address1: Option<String>,
    /// Address line 2.
    pub address2: Option<String>,
    /// Address line 3.
    pub address3: Option<String>,
    /// Address line 4.
    pub address4: Option<String>,
    /// Postcode.
    pub postcode: Option<String>,
    /// VAT number.
    pub vat_number: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
    /// Billing currency.
    pub currency: Currency,
    /// Country.
    pub country: Option<Country>,
    /// State or region.
    pub country_state: Option<CountryState>,
}

/// Result of `listOrganizations`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct ListOrganizationsResponse {
    /// Every organization the token can see.
    #[tsify(type = "OrganizationSummary[]")]
    pub organizations: List<OrganizationSummary>,
}
