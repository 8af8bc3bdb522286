//! The catalogue's rules beyond single items: which item a need that names only its category is
//! loaded as (the category's default), how a quantity asked in the item's contents unit ("18 L")
//! becomes item units (12 bottles of 1.5 L, rounded up), which items may stand in for which
//! (substitution groups, never for a medical item), and what a kit holds.
//!
//! Nothing here guesses: a unit that is neither the item's unit nor its contents unit does not
//! convert, and a need without an item is not planned.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Error, FieldError, Result, Rule};
use crate::item::Item;
use crate::vocab::Category;

/// Where a need's item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ItemSource {
    /// The need names its item.
    Named,
    /// The need names only its category; the category's default applies.
    Default,
    /// No item yet: the need waits in the "to match" queue and is never planned.
    #[default]
    None,
}

impl ItemSource {
    pub fn key(self) -> &'static str {
        match self {
            ItemSource::Named => "named",
            ItemSource::Default => "default",
            ItemSource::None => "none",
        }
    }
}

/// Categories whose needs must name their item (no default may be set).
pub fn needs_named_item(c: Category) -> bool {
    c == Category::Medicine
}

pub use crate::vocab::unit_key;

/// A quantity asked in `unit` as units of `item`: the item's own unit one for one, its contents
/// unit divided by the contents and rounded up ("18 L" of 1.5 L bottles = 12). `None`: the unit
/// is neither, so it does not convert. The second value is the contents asked, when converted.
pub fn to_item_units(quantity: f64, unit: &str, item: &Item) -> Option<(f64, Option<f64>)> {
    to_units(quantity, unit, &item.unit, item.contents())
}

/// `to_item_units` from the item's unit and contents.
pub fn to_units(
    quantity: f64,
    unit: &str,
    item_unit: &str,
    contents: Option<(f64, &str)>,
) -> Option<(f64, Option<f64>)> {
    let key = unit_key(unit);
    if key.is_empty() || key == unit_key(item_unit) {
        return Some((quantity, None));
    }
    let (amount, contents) = contents.filter(|(a, _)| *a > 0.0)?;
    if key == unit_key(contents) {
        // Rounded up: 18 L of 1.5 L bottles is 12; 19 L is 13. The epsilon keeps 0.3 / 0.1 at 3.
        let units = (quantity / amount - 1e-9).ceil().max(1.0);
        return Some((units, Some(quantity)));
    }
    None
}

/// How substitutes are counted: one for one, or by contents (litres for litres).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SubstitutionBasis {
    Unit,
    Contents,
}

impl SubstitutionBasis {
    pub fn key(self) -> &'static str {
        match self {
            SubstitutionBasis::Unit => "unit",
            SubstitutionBasis::Contents => "contents",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "unit" => Some(Self::Unit),
            "contents" => Some(Self::Contents),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubstitutionGroup {
    /// Empty for a new group.
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub basis: SubstitutionBasis,
    /// Items in order of preference.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KitComponent {
    pub item_id: String,
    pub quantity: f64,
}

/// The catalogue's rules as one value: defaults per category, substitution groups, kits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogueRules {
    /// (category, item id).
    pub defaults: Vec<(Category, String)>,
    pub groups: Vec<SubstitutionGroup>,
    /// (kit item id, its components).
    pub kits: Vec<(String, Vec<KitComponent>)>,
}

fn refused(field: &str, rule: Rule) -> Error {
    Error::Validation(vec![FieldError { field: field.into(), rule }])
}

pub fn rules(conn: &Connection) -> Result<CatalogueRules> {
    let defaults =
        crate::query::all(conn, "SELECT category, item_id FROM category_default ORDER BY category", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let mut groups: Vec<SubstitutionGroup> = crate::query::all(
        conn,
        "SELECT id, name, basis FROM substitution_group ORDER BY name COLLATE NOCASE, id",
        [],
        |r| {
            let basis: String = r.get(2)?;
            Ok(SubstitutionGroup {
                id: r.get(0)?,
                name: r.get(1)?,
                basis: SubstitutionBasis::parse(&basis).unwrap_or(SubstitutionBasis::Unit),
                items: vec![],
            })
        },
    )?;
    let members: Vec<(String, String)> = crate::query::all(
        conn,
        "SELECT group_id, item_id FROM substitution_member ORDER BY group_id, position, item_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (g, item) in members {
        if let Some(group) = groups.iter_mut().find(|x| x.id == g) {
            group.items.push(item);
        }
    }
    let parts: Vec<(String, String, f64)> = crate::query::all(
        conn,
        "SELECT kit_id, component_id, quantity FROM kit_component ORDER BY kit_id, component_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut kits: Vec<(String, Vec<KitComponent>)> = Vec::new();
    for (kit, item_id, quantity) in parts {
        match kits.last_mut() {
            Some((k, list)) if *k == kit => list.push(KitComponent { item_id, quantity }),
            _ => kits.push((kit, vec![KitComponent { item_id, quantity }])),
        }
    }
    Ok(CatalogueRules { defaults, groups, kits })
}

/// Sets (or clears) a category's default item. Medicine gets none: its needs name their item.
pub fn set_default(conn: &Transaction<'_>, stamp: &Stamp, category: Category, item_id: Option<&str>) -> Result<()> {
    match item_id {
        Some(id) => {
            let item = crate::item::get(conn, id)?;
            if needs_named_item(category) || item.category != category || item.medical {
                return Err(refused("item_id", Rule::NotAllowed));
            }
            conn.execute(
                "INSERT INTO category_default (category, item_id, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (category) DO UPDATE SET item_id = excluded.item_id, updated_at = excluded.updated_at,
                     updated_by = excluded.updated_by",
                params![category, id, stamp.now, stamp.by],
            )?;
        }
        None => {
            conn.execute("DELETE FROM category_default WHERE category = ?1", [category])?;
        }
    }
    crate::store::record_change(conn, stamp, AuditAction::Update, "category_default", &[category.key()], "")
}

/// Creates or replaces a substitution group; returns its id. Medical items cannot be members.
pub fn save_group(conn: &Transaction<'_>, stamp: &Stamp, group: &SubstitutionGroup) -> Result<String> {
    let mut c = crate::validate::Checker::default();
    c.required("name", &group.name);
    c.max_len("name", &group.name, crate::validate::MAX_SHORT);
    c.finish()?;
    if group.items.len() < 2 {
        return Err(refused("items", Rule::TooShort));
    }
    let mut seen = std::collections::HashSet::new();
    for id in &group.items {
        let item = crate::item::get(conn, id)?;
        if item.medical || !seen.insert(id) {
            return Err(refused("items", Rule::NotAllowed));
        }
        if group.basis == SubstitutionBasis::Contents && item.contents().is_none() {
            return Err(refused("basis", Rule::NotAllowed));
        }
    }
    let (id, action) = if group.id.is_empty() {
        (crate::ids::new_id(), AuditAction::Create)
    } else {
        let exists: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM substitution_group WHERE id = ?1)", [&group.id], |r| {
                r.get(0)
            })?;
        if !exists {
            return Err(Error::NotFound("substitution_group"));
        }
        (group.id.clone(), AuditAction::Update)
    };
    conn.execute(
        "INSERT INTO substitution_group (id, name, basis, created_at, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, basis = excluded.basis,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        params![id, group.name.trim(), group.basis.key(), stamp.now, stamp.by],
    )?;
    conn.execute("DELETE FROM substitution_member WHERE group_id = ?1", [&id])?;
    for (pos, item) in group.items.iter().enumerate() {
        conn.execute(
            "INSERT INTO substitution_member (group_id, item_id, position) VALUES (?1, ?2, ?3)",
            params![id, item, pos as i64],
        )?;
    }
    crate::store::record_change(conn, stamp, action, "substitution_group", &[&id], "")?;
    Ok(id)
}

pub fn delete_group(conn: &Transaction<'_>, stamp: &Stamp, id: &str) -> Result<()> {
    conn.execute("DELETE FROM substitution_member WHERE group_id = ?1", [id])?;
    if conn.execute("DELETE FROM substitution_group WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound("substitution_group"));
    }
    crate::store::record_change(conn, stamp, AuditAction::Delete, "substitution_group", &[id], "")
}

/// Sets what one kit holds (empty: the item is not a kit).
pub fn set_kit(conn: &Transaction<'_>, stamp: &Stamp, kit_id: &str, components: &[KitComponent]) -> Result<()> {
    crate::item::get(conn, kit_id)?;
    for c in components {
        crate::item::get(conn, &c.item_id)?;
        if c.item_id == kit_id {
            return Err(refused("components", Rule::NotAllowed));
        }
        if !c.quantity.is_finite() || c.quantity <= 0.0 {
            return Err(refused("quantity", Rule::MustBePositive));
        }
    }
    conn.execute("DELETE FROM kit_component WHERE kit_id = ?1", [kit_id])?;
    for c in components {
        conn.execute(
            "INSERT INTO kit_component (kit_id, component_id, quantity) VALUES (?1, ?2, ?3)
             ON CONFLICT (kit_id, component_id) DO UPDATE SET quantity = quantity + excluded.quantity",
            params![kit_id, c.item_id, c.quantity],
        )?;
    }
    crate::store::record_change(conn, stamp, AuditAction::Update, "item", &[kit_id], "kit components")
}

/// The catalogue read once, for planning and views: items by id, defaults, substitutes.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub items: Vec<Item>,
    by_id: HashMap<String, usize>,
    pub rules: CatalogueRules,
}

/// What a need is loaded as: an item and a quantity in its units, and the item it stands in for.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub item: String,
    pub quantity: f64,
    pub substitute_for: Option<String>,
}

impl Catalogue {
    pub fn read(conn: &Connection) -> Result<Catalogue> {
        Ok(Catalogue::new(crate::item::list(conn)?, rules(conn)?))
    }

    pub fn new(items: Vec<Item>, rules: CatalogueRules) -> Catalogue {
        let by_id = items.iter().enumerate().map(|(i, x)| (x.id.clone(), i)).collect();
        Catalogue { items, by_id, rules }
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }

    pub fn kit(&self, id: &str) -> Option<&[KitComponent]> {
        self.rules.kits.iter().find(|(k, _)| k == id).map(|(_, c)| c.as_slice()).filter(|c| !c.is_empty())
    }

    /// The items that may stand in for `item` (in group order), with the quantity of each that
    /// replaces `quantity` of it. None for a medical item, and none that do not convert.
    pub fn substitutes(&self, item: &str, quantity: f64) -> Vec<(String, f64)> {
        let Some(own) = self.item(item) else { return vec![] };
        if own.medical {
            return vec![];
        }
        let mut out: Vec<(String, f64)> = Vec::new();
        for g in self.rules.groups.iter().filter(|g| g.items.iter().any(|i| i == item)) {
            for other in g.items.iter().filter(|i| *i != item) {
                let Some(sub) = self.item(other).filter(|s| !s.medical) else { continue };
                let q = match g.basis {
                    SubstitutionBasis::Unit => Some(quantity),
                    SubstitutionBasis::Contents => match (own.contents(), sub.contents()) {
                        (Some((a, ua)), Some((b, ub))) if unit_key(ua) == unit_key(ub) => {
                            Some((quantity * a / b - 1e-9).ceil().max(1.0))
                        }
                        _ => None,
                    },
                };
                if let Some(q) = q {
                    if !out.iter().any(|(i, _)| i == other) {
                        out.push((other.clone(), q));
                    }
                }
            }
        }
        out
    }

    /// What a need for `quantity` of `item` is loaded as at a depot whose stock is `on_hand`
    /// (item id → quantity available): the item itself when the depot has enough, else the first
    /// substitute it has enough of, else the item itself when the depot has some of it (short),
    /// else the first substitute it has some of. None: the depot has neither.
    pub fn choose(&self, item: &str, quantity: f64, on_hand: &dyn Fn(&str) -> f64) -> Option<Choice> {
        let own = Choice { item: item.to_string(), quantity, substitute_for: None };
        if on_hand(item) + 1e-9 >= quantity {
            return Some(own);
        }
        let subs = self.substitutes(item, quantity);
        let as_choice =
            |(i, q): &(String, f64)| Choice { item: i.clone(), quantity: *q, substitute_for: Some(item.to_string()) };
        if let Some(s) = subs.iter().find(|(i, q)| on_hand(i) + 1e-9 >= *q) {
            return Some(as_choice(s));
        }
        if on_hand(item) > 0.0 {
            return Some(own);
        }
        subs.iter().find(|(i, _)| on_hand(i) > 0.0).map(as_choice)
    }
}

/// The need's item and quantity in item units, from the stored named item or the category
/// default: what `need::from_row` fills in.
pub fn default_of(conn: &Connection, category: Category) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT item_id FROM category_default WHERE category = ?1", [category], |r| r.get(0))
        .optional()?)
}
