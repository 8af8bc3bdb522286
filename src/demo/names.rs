//! Clearly fictional names for demo households: invented surnames no real family carries.

pub const GIVEN: &[&str] = &[
    "Ana", "Luis", "Marie", "Pierre", "Sofia", "Omar", "Fatima", "Giulia", "Marco", "Elena", "Jean", "Carmen", "Noah",
    "Amira", "Chen", "Olga", "Tomás", "Inès", "Yusuf", "Léa", "Kofi", "Mei", "Rosa", "Hugo",
];

pub const FAMILY: &[&str] = &[
    "Applewood",
    "Brightwater",
    "Cobblestone",
    "Dandelion",
    "Elderberry",
    "Fairweather",
    "Gingerbread",
    "Hazelnut",
    "Ironwood",
    "Juniper",
    "Kettleby",
    "Lanternfield",
    "Marigold",
    "Nettlebrook",
    "Oakhollow",
    "Pennywhistle",
    "Quillfeather",
    "Rosewater",
    "Thistledown",
    "Underhill",
    "Velvetleaf",
    "Willowmere",
    "Yarrowby",
    "Zephyrine",
    "Boisjoli",
    "Clairefontaine",
    "Dulcemar",
    "Estrellado",
    "Fuentevieja",
    "Lunaverde",
    "Marchebleue",
    "Solbrillo",
    "Valdoré",
    "Vientoclaro",
];

pub const ACCESS_NOTES: &[&str] = &[
    "3rd floor, no lift",
    "Ring twice, hard of hearing",
    "Gate code 0000 (demo)",
    "Entrance on the side street",
    "Basement flat, steps are slippery",
    "Call on arrival, dog in the yard",
    "Leave with the concierge if nobody answers",
];

pub const LANGUAGES: &[(&str, u32)] = &[("fr", 60), ("it", 15), ("en", 10), ("es", 6), ("ar", 5), ("pt", 4)];
