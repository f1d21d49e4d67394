//! String enums from the OpenAPI document. Each tolerates values this version
//! does not know: they decode as `Other(String)` and reach JavaScript as the
//! original string, so a new VM state never breaks a call.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Declares a string enum, its serde impls and its TypeScript union type
/// (`"a" | "b" | (string & {})`: known values autocomplete, unknown ones fit).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value not in this version's OpenAPI document, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Every documented wire value, in the document's order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(StrVisitor).map(|s| Self::from(s.as_ref()))
            }
        }

        #[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
        const _: &'static str = concat!(
            "export type ", stringify!($name), " = ",
            $("\"", $wire, "\" | ",)+
            "(string & {});"
        );
    };
}

/// Accepts borrowed or owned strings without copying when it can.
struct StrVisitor;

impl<'de> de::Visitor<'de> for StrVisitor {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned().into())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
}

string_enum! {
    /// `VirtualMachineStateEnum`.
    VirtualMachineState {
        Stopped = "stopped",
        Failed = "failed",
        Started = "started",
        Starting = "starting",
        Allocated = "allocated",
        Allocating = "allocating",
        Resetting = "resetting",
        Migrating = "migrating",
        Stopping = "stopping",
        ShuttingDown = "shutting_down",
        Transferring = "transferring",
        Orphaned = "orphaned",
    }
}

string_enum! {
    /// `TaskStatusEnum`.
    TaskStatus {
        Pending = "pending",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
    }
}

string_enum! {
    /// `VirtualMachineBuildStateEnum`.
    VirtualMachineBuildState {
        Draft = "draft",
        Failed = "failed",
        Pending = "pending",
        Complete = "complete",
        Building = "building",
    }
}

string_enum! {
    /// `PrivacyTypesEnum`.
    PrivacyType {
        Public = "public",
        Private = "private",
    }
}

string_enum! {
    /// `VirtualMachineGPUStatusEnum`.
    VirtualMachineGpuStatus {
        Attached = "attached",
        Attaching = "attaching",
        Detached = "detached",
        Detaching = "detaching",
        Unknown = "unknown",
    }
}

string_enum! {
    /// `VirtualMachineGPUPendingActionEnum`.
    VirtualMachineGpuPendingAction {
        Attach = "attach",
        Detach = "detach",
    }
}

string_enum! {
    /// `TagColorsEnum`.
    TagColor {
        Red = "red",
        Pink = "pink",
        Purple = "purple",
        DarkBlue = "dark_blue",
        Green = "green",
        Teal = "teal",
        Aqua = "aqua",
        LightBlue = "light_blue",
        Yellow = "yellow",
        Orange = "orange",
        OrangeRed = "orange_red",
        Brown = "brown",
        Black = "black",
        DarkGray = "dark_gray",
        LightGray = "light_gray",
        LightBrown = "light_brown",
        PastelRed = "pastel_red",
        PastelPink = "pastel_pink",
        PastelPurple = "pastel_purple",
        PastelDarkBlue = "pastel_dark_blue",
        PastelGreen = "pastel_green",
        PastelTeal = "pastel_teal",
        PastelAqua = "pastel_aqua",
        PastelLightBlue = "pastel_light_blue",
        PastelYellow = "pastel_yellow",
        PastelOrange = "pastel_orange",
        PastelOrangeRed = "pastel_orange_red",
        PastelBrown = "pastel_brown",
        PastelBlack = "pastel_black",
        PastelDarkGray = "pastel_dark_gray",
        PastelLightGray = "pastel_light_gray",
        PastelLightBrown = "pastel_light_brown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The enums match the OpenAPI document exactly, value for value, and the
    /// TypeScript union lists the same values.
    #[test]
    fn known_values_match_the_openapi_document() {
        let spec_path = std::env::var("KATAPULT_OPENAPI").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/spec/katapult-core-openapi.json"
            )
            .into()
        });
        let Ok(text) = std::fs::read_to_string(&spec_path) else {
            eprintln!("SKIP enum-vs-spec check: {spec_path} not found");
            return;
        };
        let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
        let schemas = &spec["components"]["schemas"];
        let pairs: [(&str, &[&str]); 7] = [
            ("VirtualMachineStateEnum", VirtualMachineState::KNOWN),
            ("TaskStatusEnum", TaskStatus::KNOWN),
            (
                "VirtualMachineBuildStateEnum",
                VirtualMachineBuildState::KNOWN,
            ),
            ("PrivacyTypesEnum", PrivacyType::KNOWN),
            (
                "VirtualMachineGPUStatusEnum",
                VirtualMachineGpuStatus::KNOWN,
            ),
            (
                "VirtualMachineGPUPendingActionEnum",
                VirtualMachineGpuPendingAction::KNOWN,
            ),
            ("TagColorsEnum", TagColor::KNOWN),
        ];
        for (schema, known) in pairs {
            let values: Vec<&str> = schemas[schema]["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(values, known, "{schema}");
        }
    }

    #[test]
    fn unknown_values_survive_a_round_trip() {
        let s: VirtualMachineState = serde_json::from_str("\"hibernating\"").unwrap();
        assert_eq!(s, VirtualMachineState::Other("hibernating".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hibernating\"");
        let s: VirtualMachineState = serde_json::from_str("\"shutting_down\"").unwrap();
        assert_eq!(s, VirtualMachineState::ShuttingDown);
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"shutting_down\"");
    }

    #[test]
    fn non_strings_are_rejected_not_coerced() {
        assert!(serde_json::from_str::<TaskStatus>("5").is_err());
        assert!(serde_json::from_str::<TaskStatus>("null").is_err());
    }
}
