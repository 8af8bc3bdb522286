//! Stock at sites, changed only through recorded movements — received, transferred, issued,
//! counted — so every level is the sum of its history and never silently overwritten. Issuing
//! or moving more than a site holds is refused; only a count can correct a level downwards
//! without goods leaving.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::AuditAction;
use crate::clock::Stamp;
use crate::error::{Error, FieldError, Result, Rule};
use crate::item::Item;
use crate::validate::{opt, Checker, MAX_SHORT};
use crate::vocab::{Category, MovementKind};

/// A change the user records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum StockChange {
    /// Goods arrived (a donation, a delivery); `expiry` of the batch, `YYYY-MM-DD`.
    Receive { site_id: String, item_id: String, quantity: f64, expiry: Option<String>, reason: String },
    /// Goods moved from one site to another: two movements sharing a transfer id.
    Transfer { from_site_id: String, to_site_id: String, item_id: String, quantity: f64, reason: String },
    /// Goods left on a run (the planner issues them when a run is dispatched).
    Issue { site_id: String, item_id: String, quantity: f64, reason: String },
    /// A stock-take: the quantity found; the movement is the difference to the recorded level.
    Count { site_id: String, item_id: String, counted: f64, reason: String },
    /// Packers made up `kits` kits from their components: the components are issued and the
    /// kits received, as movements sharing one id (refused whole if a component is short).
    PackKits { site_id: String, kit_id: String, kits: f64, reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Movement {
    pub id: String,
    pub at: String,
    pub kind: MovementKind,
    pub site_id: String,
    pub item_id: String,
    pub item_name: String,
    /// The signed change to the level.
    pub quantity: f64,
    pub counted: Option<f64>,
    pub expiry: Option<String>,
    pub reason: String,
    pub transfer_id: Option<String>,
    pub recorded_by: String,
}

/// One item's level at a site.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StockRow {
    pub item: Item,
    pub quantity: f64,
    /// At or below the item's low threshold.
    pub low: bool,
    /// The earliest expiry among batches received here (a hint; batches are not tracked out).
    pub next_expiry: Option<String>,
    /// Held for draft supply-run plans loading here (still on hand until dispatched).
    #[serde(default, skip_serializing_if = "is_zero")]
    #[ts(optional = nullable)]
    pub reserved: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// Open needs of one category against stock across active sites, item by item: each item the
/// needs ask for (named or by default), in its own units, against what the sites hold of it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Shortage {
    pub category: Category,
    pub open_needs: u32,
    pub households: u32,
    /// Open needs with no item yet, or whose unit does not convert to theirs: not counted
    /// below (they wait in the catalogue's "to match" queue).
    pub waiting: u32,
    pub items: Vec<ItemShortage>,
    /// Some item is asked for more than the sites hold (substitutes aside).
    pub short: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ItemShortage {
    pub item_id: String,
    pub item_name: String,
    pub unit: String,
    /// The open needs' quantities in this item's units.
    pub requested: f64,
    pub on_hand: f64,
}

fn positive(c: &mut Checker, field: &str, q: f64) {
    if !q.is_finite() {
        c.fail(field, Rule::NotANumber);
    } else if q <= 0.0 {
        c.fail(field, Rule::MustBePositive);
    } else if q > 1e9 {
        c.fail(field, Rule::OutOfRange);
    }
}

impl StockChange {
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker::default();
        match self {
            StockChange::Receive { quantity, expiry, reason, .. } => {
                positive(&mut c, "quantity", *quantity);
                c.date("expiry", opt(expiry).as_deref());
                c.max_len("reason", reason, MAX_SHORT);
            }
            StockChange::Transfer { from_site_id, to_site_id, quantity, reason, .. } => {
                positive(&mut c, "quantity", *quantity);
                if from_site_id == to_site_id {
                    c.fail("to_site_id", Rule::NotAllowed);
                }
                c.max_len("reason", reason, MAX_SHORT);
            }
            StockChange::Issue { quantity, reason, .. } => {
                positive(&mut c, "quantity", *quantity);
                c.max_len("reason", reason, MAX_SHORT);
            }
            StockChange::Count { counted, reason, .. } => {
                c.range("counted", *counted, 0.0, 1e9);
                c.max_len("reason", reason, MAX_SHORT);
            }
            StockChange::PackKits { kits, reason, .. } => {
                positive(&mut c, "kits", *kits);
                if kits.fract() != 0.0 {
                    c.fail("kits", Rule::NotAllowed);
                }
                c.max_len("reason", reason, MAX_SHORT);
            }
        }
        c.finish()
    }
}

/// The recorded level of an item at a site (0 when it never had any).
pub fn level(conn: &Connection, site_id: &str, item_id: &str) -> Result<f64> {
    Ok(conn
        .query_row(
            "SELECT quantity FROM stock_level WHERE site_id = ?1 AND item_id = ?2",
            params![site_id, item_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0.0))
}

struct NewMovement<'a> {
    kind: MovementKind,
    site_id: &'a str,
    item_id: &'a str,
    quantity: f64,
    counted: Option<f64>,
    expiry: Option<String>,
    reason: &'a str,
    transfer_id: Option<&'a str>,
}

fn record(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    m: NewMovement<'_>,
    new_id: &mut dyn FnMut() -> String,
) -> Result<String> {
    let id = new_id();
    conn.prepare_cached(
        "INSERT INTO stock_movement (id, at, kind, site_id, item_id, quantity, counted, expiry, reason,
                                     transfer_id, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        stamp.now,
        m.kind,
        m.site_id,
        m.item_id,
        m.quantity,
        m.counted,
        m.expiry,
        m.reason.trim(),
        m.transfer_id,
        stamp.operator
    ])?;
    Ok(id)
}

fn too_much(field: &str) -> Error {
    Error::Validation(vec![FieldError { field: field.into(), rule: Rule::OutOfRange }])
}

/// Records a change; returns its movements (two for a transfer).
pub fn apply(conn: &Transaction<'_>, stamp: &Stamp, change: &StockChange) -> Result<Vec<Movement>> {
    let movements = apply_with_ids(conn, stamp, change, &mut crate::ids::new_id)?;
    let (ids, detail) = match change {
        StockChange::Receive { site_id, item_id, quantity, .. } => {
            (vec![site_id, item_id], format!("received {quantity}"))
        }
        StockChange::Transfer { from_site_id, to_site_id, item_id, quantity, .. } => {
            (vec![from_site_id, to_site_id, item_id], format!("transferred {quantity}"))
        }
        StockChange::Issue { site_id, item_id, quantity, .. } => (vec![site_id, item_id], format!("issued {quantity}")),
        StockChange::Count { site_id, item_id, counted, .. } => {
            (vec![site_id, item_id], format!("counted {counted} ({:+})", movements[0].quantity))
        }
        StockChange::PackKits { site_id, kit_id, kits, .. } => (vec![site_id, kit_id], format!("packed {kits} kits")),
    };
    let ids: Vec<&str> = ids.iter().map(|s| s.as_str()).collect();
    crate::store::record_change(conn, stamp, AuditAction::Update, "stock", &ids, &detail)?;
    Ok(movements)
}

/// `apply` with the movement ids from `new_id` and without the audit entry: for bulk writers
/// (the demo makes its ids from its seed, and records one entry with counts).
pub fn apply_with_ids(
    conn: &Transaction<'_>,
    stamp: &Stamp,
    change: &StockChange,
    new_id: &mut dyn FnMut() -> String,
) -> Result<Vec<Movement>> {
    change.validate()?;
    let exists = |site: &str, item: &str| -> Result<()> {
        crate::site::get(conn, site)?;
        crate::item::get(conn, item)?;
        Ok(())
    };
    let ids = match change {
        StockChange::Receive { site_id, item_id, quantity, expiry, reason } => {
            exists(site_id, item_id)?;
            let m = NewMovement {
                kind: MovementKind::Received,
                site_id,
                item_id,
                quantity: *quantity,
                counted: None,
                expiry: opt(expiry),
                reason,
                transfer_id: None,
            };
            vec![record(conn, stamp, m, new_id)?]
        }
        StockChange::Transfer { from_site_id, to_site_id, item_id, quantity, reason } => {
            exists(from_site_id, item_id)?;
            crate::site::get(conn, to_site_id)?;
            if *quantity > level(conn, from_site_id, item_id)? {
                return Err(too_much("quantity"));
            }
            let transfer = new_id();
            let leg = |kind, site_id, quantity| NewMovement {
                kind,
                site_id,
                item_id,
                quantity,
                counted: None,
                expiry: None,
                reason,
                transfer_id: Some(&transfer),
            };
            let out = record(conn, stamp, leg(MovementKind::TransferOut, from_site_id, -quantity), new_id)?;
            let into = record(conn, stamp, leg(MovementKind::TransferIn, to_site_id, *quantity), new_id)?;
            vec![out, into]
        }
        StockChange::Issue { site_id, item_id, quantity, reason } => {
            exists(site_id, item_id)?;
            // (A sum of fractional loads may differ from the level in its last bits.)
            if *quantity > level(conn, site_id, item_id)? + 1e-9 {
                return Err(too_much("quantity"));
            }
            let m = NewMovement {
                kind: MovementKind::Issued,
                site_id,
                item_id,
                quantity: -quantity,
                counted: None,
                expiry: None,
                reason,
                transfer_id: None,
            };
            vec![record(conn, stamp, m, new_id)?]
        }
        StockChange::Count { site_id, item_id, counted, reason } => {
            exists(site_id, item_id)?;
            let delta = counted - level(conn, site_id, item_id)?;
            let m = NewMovement {
                kind: MovementKind::Counted,
                site_id,
                item_id,
                quantity: delta,
                counted: Some(*counted),
                expiry: None,
                reason,
                transfer_id: None,
            };
            vec![record(conn, stamp, m, new_id)?]
        }
        StockChange::PackKits { site_id, kit_id, kits, reason } => {
            exists(site_id, kit_id)?;
            let parts = crate::catalogue::rules(conn)?.kits.into_iter().find(|(k, _)| k == kit_id).map(|(_, c)| c);
            let parts = parts.filter(|p| !p.is_empty()).ok_or_else(|| too_much("kit_id"))?;
            for p in &parts {
                if p.quantity * kits > level(conn, site_id, &p.item_id)? + 1e-9 {
                    return Err(too_much("kits"));
                }
            }
            let batch = new_id();
            let leg = |kind, item_id, quantity| NewMovement {
                kind,
                site_id,
                item_id,
                quantity,
                counted: None,
                expiry: None,
                reason,
                transfer_id: Some(&batch),
            };
            let mut ids = Vec::new();
            for p in &parts {
                ids.push(record(conn, stamp, leg(MovementKind::Issued, &p.item_id, -p.quantity * kits), new_id)?);
            }
            ids.push(record(conn, stamp, leg(MovementKind::Received, kit_id, *kits), new_id)?);
            ids
        }
    };
    ids.iter().map(|id| movement(conn, id)).collect()
}

const MOVEMENT: &str = "SELECT m.id, m.at, m.kind, m.site_id, m.item_id, i.name, m.quantity, m.counted, m.expiry,
                               m.reason, m.transfer_id, m.recorded_by
                        FROM stock_movement m JOIN item i ON i.id = m.item_id";

fn movement_row(r: &Row<'_>) -> rusqlite::Result<Movement> {
    Ok(Movement {
        id: r.get(0)?,
        at: r.get(1)?,
        kind: r.get(2)?,
        site_id: r.get(3)?,
        item_id: r.get(4)?,
        item_name: r.get(5)?,
        quantity: r.get(6)?,
        counted: r.get(7)?,
        expiry: r.get(8)?,
        reason: r.get(9)?,
        transfer_id: r.get(10)?,
        recorded_by: r.get(11)?,
    })
}

fn movement(conn: &Connection, id: &str) -> Result<Movement> {
    Ok(conn.query_row(&format!("{MOVEMENT} WHERE m.id = ?1"), [id], movement_row)?)
}

/// A site's movements, newest first.
pub fn history(conn: &Connection, site_id: &str, limit: u32) -> Result<Vec<Movement>> {
    let mut stmt = conn.prepare_cached(&format!("{MOVEMENT} WHERE m.site_id = ?1 ORDER BY m.seq DESC LIMIT ?2"))?;
    let rows = stmt.query_map(params![site_id, limit], movement_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A site's stock: every item it has held, with its level.
pub fn levels(conn: &Connection, site_id: &str) -> Result<Vec<StockRow>> {
    let items = crate::item::list(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT l.item_id, l.quantity,
                (SELECT min(expiry) FROM stock_movement m
                  WHERE m.site_id = l.site_id AND m.item_id = l.item_id AND m.expiry IS NOT NULL)
         FROM stock_level l WHERE l.site_id = ?1",
    )?;
    let found: Vec<(String, f64, Option<String>)> =
        stmt.query_map([site_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    let reserved = reserved_at(conn, site_id)?;
    Ok(items
        .into_iter()
        .filter_map(|item| {
            let (_, quantity, next_expiry) = found.iter().find(|f| f.0 == item.id)?.clone();
            let low = item.low_threshold.is_some_and(|t| quantity <= t);
            let reserved = reserved.get(&item.id).copied().unwrap_or(0.0);
            Some(StockRow { item, quantity, low, next_expiry, reserved })
        })
        .collect())
}

/// A site with its stock (`aidmap sites list` JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteStock {
    #[serde(flatten)]
    pub site: crate::site::Site,
    pub stock: Vec<StockRow>,
}

pub fn sites_with_stock(conn: &Connection) -> Result<Vec<SiteStock>> {
    crate::site::list(conn)?.into_iter().map(|site| Ok(SiteStock { stock: levels(conn, &site.id)?, site })).collect()
}

/// The sum of every movement of an item at a site: what the level must always equal.
pub fn sum_of_movements(conn: &Connection, site_id: &str, item_id: &str) -> Result<f64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(quantity), 0) FROM stock_movement WHERE site_id = ?1 AND item_id = ?2",
        params![site_id, item_id],
        |r| r.get(0),
    )?)
}

/// What is short: open needs by category against stock on hand across active sites.
pub fn shortages(conn: &Connection) -> Result<Vec<Shortage>> {
    let needs: Vec<crate::need::Need> = crate::need::list(conn, Some(crate::vocab::NeedStatus::Open))?;
    let active: std::collections::HashSet<String> =
        crate::query::all(conn, "SELECT id FROM household WHERE status = 'active' AND purged_at IS NULL", [], |r| {
            r.get(0)
        })?
        .into_iter()
        .collect();
    let held: std::collections::HashMap<String, f64> = crate::query::all(
        conn,
        "SELECT l.item_id, sum(l.quantity) FROM stock_level l JOIN site s ON s.id = l.site_id
         WHERE s.active = 1 GROUP BY l.item_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?
    .into_iter()
    .collect();
    let items = crate::item::list(conn)?;
    let mut out = Vec::new();
    for &category in Category::ALL {
        let of: Vec<&crate::need::Need> =
            needs.iter().filter(|n| n.category == category && active.contains(&n.household_id)).collect();
        let households = of.iter().map(|n| n.household_id.as_str()).collect::<std::collections::HashSet<_>>().len();
        let mut rows: Vec<ItemShortage> = Vec::new();
        let mut waiting = 0;
        for n in &of {
            let (Some(item), Some(q)) = (n.item_id.as_deref(), n.item_quantity) else {
                waiting += 1;
                continue;
            };
            match rows.iter_mut().find(|r| r.item_id == item) {
                Some(r) => r.requested += q,
                None => rows.push(ItemShortage {
                    item_id: item.to_string(),
                    item_name: n.item_name.clone().unwrap_or_default(),
                    unit: n.item_unit.clone().unwrap_or_default(),
                    requested: q,
                    on_hand: held.get(item).copied().unwrap_or(0.0),
                }),
            }
        }
        rows.sort_by(|a, b| a.item_name.cmp(&b.item_name));
        let stocked = items.iter().any(|i| i.category == category && held.get(&i.id).is_some_and(|q| *q > 0.0));
        if !of.is_empty() || stocked {
            let short = rows.iter().any(|r| r.on_hand + 1e-9 < r.requested);
            out.push(Shortage {
                category,
                open_needs: of.len() as u32,
                households: households as u32,
                waiting,
                items: rows,
                short,
            });
        }
    }
    Ok(out)
}

// Reservations: stock that saved draft plans will take (their stored loads, per site and
// item). Drafts hold it until dispatched (then it is issued) or discarded.

/// Stock reserved by drafts other than `except`: per (site, item), the quantity their runs take.
pub fn reserved(conn: &Connection, except: Option<&str>) -> Result<std::collections::HashMap<(String, String), f64>> {
    let mut stmt = conn.prepare(
        "SELECT r.site_id, n.item_id, sum(n.quantity)
         FROM plan_need n JOIN plan p ON p.id = n.plan_id JOIN plan_stop s ON s.id = n.stop_id
              JOIN plan_run r ON r.id = s.run_id
         WHERE p.status = 'draft' AND p.id IS NOT ?1 AND n.item_id IS NOT NULL
         GROUP BY r.site_id, n.item_id",
    )?;
    let rows = stmt.query_map([except], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stock drafts reserve at one site, per item.
pub fn reserved_at(conn: &Connection, site_id: &str) -> Result<std::collections::HashMap<String, f64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.item_id, sum(n.quantity)
         FROM plan_need n JOIN plan p ON p.id = n.plan_id JOIN plan_stop s ON s.id = n.stop_id
              JOIN plan_run r ON r.id = s.run_id
         WHERE p.status = 'draft' AND r.site_id = ?1 AND n.item_id IS NOT NULL
         GROUP BY n.item_id",
    )?;
    let rows = stmt.query_map([site_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
