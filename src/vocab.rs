//! Fixed vocabularies of the data model. Stored as their snake_case keys; the UI translates them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Declares a string-keyed enum with `ALL`, `key()` and `parse()` so SQL and JSON share one spelling.
macro_rules! vocab {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($key => Some($name::$variant),)+ _ => None }
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.key().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::parse(s).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("unknown {} {:?}", stringify!($name), s).into()))
            }
        }
    };
}

vocab!(
    /// What a need asks for.
    Category {
        Water = "water", Food = "food", BabySupplies = "baby_supplies", Medicine = "medicine",
        Hygiene = "hygiene", Cleaning = "cleaning", Fuel = "fuel", Shelter = "shelter", Other = "other",
    }
);

vocab!(
    /// How urgent a need is; declared from most to least urgent (the derived order follows it).
    Urgency { Critical = "critical", High = "high", Normal = "normal", Low = "low" }
);

vocab!(
    /// Life cycle of a need: open → assigned → delivered, or cancelled / failed.
    NeedStatus {
        Open = "open", Assigned = "assigned", Delivered = "delivered", Cancelled = "cancelled", Failed = "failed",
    }
);

vocab!(
    /// Vulnerabilities the intake form offers.
    Vulnerability {
        Oxygen = "oxygen", ColdChain = "cold_chain", Dialysis = "dialysis", MobilityLimited = "mobility_limited",
        Infant = "infant", Pregnant = "pregnant", Pets = "pets", NoVehicle = "no_vehicle",
        HearingImpaired = "hearing_impaired", VisionImpaired = "vision_impaired", LivesAlone = "lives_alone",
    }
);

vocab!(
    /// How a household's location was obtained.
    LocationSource { Pin = "pin", Geocoded = "geocoded", Imported = "imported" }
);

vocab!(
    /// Whether the household agreed to have its details kept and shared with drivers.
    ConsentStatus { Unknown = "unknown", Given = "given", Refused = "refused" }
);

vocab!(
    /// The legal basis for keeping a household's data (GDPR art. 6: consent, or vital interest
    /// when the person cannot be asked in an emergency).
    LegalBasis { VitalInterest = "vital_interest", Consent = "consent" }
);

vocab!(
    /// What an audit entry records.
    AuditAction {
        Create = "create", Update = "update", Delete = "delete", Merge = "merge", Import = "import",
        Export = "export", Backup = "backup", Restore = "restore", Sync = "sync", Purge = "purge",
        Rekey = "rekey", Encrypt = "encrypt", Settings = "settings",
    }
);

vocab!(
    HouseholdStatus { Active = "active", Closed = "closed" }
);

vocab!(
    /// What a spreadsheet import brings in.
    ImportKind { Households = "households", Sites = "sites", Volunteers = "volunteers" }
);

vocab!(
    /// What a supply site is.
    SiteKind {
        Warehouse = "warehouse", DistributionPoint = "distribution_point", CommunityFridge = "community_fridge",
        DonationDropoff = "donation_dropoff", Shelter = "shelter",
    }
);

vocab!(
    /// How stock changed: the only ways it can.
    MovementKind {
        Received = "received", TransferOut = "transfer_out", TransferIn = "transfer_in", Issued = "issued",
        Counted = "counted",
    }
);

vocab!(
    /// What a volunteer does.
    Role { Driver = "driver", Packer = "packer", Dispatcher = "dispatcher", Intake = "intake" }
);

vocab!(
    VehicleKind { Car = "car", Van = "van", Pickup = "pickup", Truck = "truck", CargoBike = "cargo_bike", Motorbike = "motorbike" }
);

vocab!(
    /// What a vehicle can do beyond carrying: reach flooded roads, keep things cold, take a
    /// wheelchair, pull a trailer.
    Capability {
        HighClearance = "high_clearance", Cooler = "cooler", WheelchairLift = "wheelchair_lift", Trailer = "trailer",
    }
);

impl Urgency {
    /// 0 = critical … 3 = low; the map colours and clusters by this rank.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

impl NeedStatus {
    /// Allowed transitions. Re-opening a cancelled/failed need is allowed (a new attempt).
    pub fn can_become(self, next: NeedStatus) -> bool {
        use NeedStatus::*;
        self == next
            || matches!(
                (self, next),
                (Open, Assigned | Cancelled | Delivered)
                    | (Assigned, Open | Delivered | Failed | Cancelled)
                    | (Delivered, Open)
                    | (Failed | Cancelled, Open)
            )
    }
}

/// A unit as compared: case, spaces, plural "s" and common spellings of litres and kilograms
/// folded ("Litres" = "l", "Bottles" = "bottle").
pub fn unit_key(unit: &str) -> String {
    let u = crate::text::fold(unit.trim()).to_lowercase();
    let u = u.split_whitespace().collect::<Vec<_>>().join(" ");
    match u.as_str() {
        "l" | "lt" | "ltr" | "litre" | "litres" | "liter" | "liters" => "l".into(),
        "kg" | "kgs" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogramme" | "kilogrammes" => "kg".into(),
        "g" | "gram" | "grams" | "gramme" | "grammes" => "g".into(),
        "ml" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => "ml".into(),
        _ if u.len() > 3 && u.ends_with("es") && (u.ends_with("ches") || u.ends_with("shes") || u.ends_with("xes")) => {
            u[..u.len() - 2].into()
        }
        _ if u.len() > 2 && u.ends_with('s') && !u.ends_with("ss") => u[..u.len() - 1].into(),
        _ => u,
    }
}
