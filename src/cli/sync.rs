//! `aidmap sync …` and `aidmap households set`: replicas exchanging changes through a folder.

use std::io::Write;

use aidmap::sync::exchange::{self, FileOutcome};
use aidmap::sync::status;
use aidmap::vocab::HouseholdStatus;
use aidmap::{Error, OpenMode};

use super::args::SyncAction;
use super::Ctx;

pub(crate) fn run(ctx: &Ctx, action: SyncAction, out: &mut impl Write) -> Result<(), Error> {
    match action {
        SyncAction::Export { db, to } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let now = store.now();
            let report = exchange::export_to(&mut store, &to, now)?;
            if report.files.is_empty() {
                writeln!(out, "nothing new for {}", to.display())?;
            }
            for file in &report.files {
                writeln!(out, "wrote {file}")?;
            }
            writeln!(out, "{} changes in {} files", report.changes, report.files.len())?;
        }
        SyncAction::Import { db, from, accept_new_peers, json } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            let now = store.now();
            let report = exchange::import_from(&mut store, &from, accept_new_peers, now)?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &report).map_err(|e| Error::Internal(e.to_string()))?;
                writeln!(out)?;
            } else {
                for file in &report.files {
                    match file {
                        FileOutcome::Applied { file, changes, conflicts, .. } => {
                            writeln!(out, "applied {file}: {changes} changes, {conflicts} conflicts to review")?
                        }
                        FileOutcome::AlreadyKnown { file } => writeln!(out, "already known {file}")?,
                        FileOutcome::Held { file, replica, fingerprint, .. } => writeln!(
                            out,
                            "held {file}: replica {replica} is not accepted yet (key {fingerprint}); \
                             aidmap sync accept --peer {replica}"
                        )?,
                        FileOutcome::Refused { file, reason } => writeln!(out, "refused {file}: {reason}")?,
                    }
                }
                writeln!(
                    out,
                    "{} applied ({} changes), {} already known, {} held, {} refused",
                    report.applied, report.changes, report.already_known, report.held, report.refused
                )?;
            }
        }
        SyncAction::Status { db, json } => {
            let store = ctx.open(&db, OpenMode::ReadOnly)?;
            let s = status::status(store.conn())?;
            if json {
                serde_json::to_writer_pretty(&mut *out, &s).map_err(|e| Error::Internal(e.to_string()))?;
                writeln!(out)?;
                return Ok(());
            }
            match &s.replica {
                Some(me) => writeln!(
                    out,
                    "this replica: {} {:?} (key {}), {} changes",
                    me.id, me.name, me.fingerprint, me.changes
                )?,
                None => writeln!(out, "this replica: none yet (made on the first change)")?,
            }
            for p in &s.peers {
                writeln!(
                    out,
                    "peer {} {:?}: {} (key {}), {} of its changes here, {} of ours pending, last contact {}",
                    p.id,
                    p.name,
                    p.status,
                    p.fingerprint,
                    p.changes,
                    p.pending,
                    p.last_contact.as_deref().unwrap_or("never")
                )?;
            }
            for c in &s.conflicts {
                writeln!(
                    out,
                    "conflict {} {} {}: {} (by {} on {}) over {} (by {} on {})",
                    c.entity,
                    c.record,
                    c.field,
                    c.winner.value,
                    c.winner.operator,
                    c.winner.replica,
                    c.other.value,
                    c.other.operator,
                    c.other.replica
                )?;
            }
            for t in &s.to_count {
                writeln!(out, "count stock: {} at {} is {} after merging", t.item, t.site, t.quantity)?;
            }
            for a in &s.adjusted_shifts {
                writeln!(
                    out,
                    "shift {} ({}) kept {} to {}: changed apart to {} to {}",
                    a.shift_id, a.volunteer, a.starts_at, a.ends_at, a.merged_starts_at, a.merged_ends_at
                )?;
            }
            for r in &s.renamed {
                writeln!(out, "item {} shown as \"{}\": another hub's item is \"{}\"", r.item_id, r.shown, r.wanted)?;
            }
        }
        SyncAction::Accept { db, peer } => {
            let mut store = ctx.open(&db, OpenMode::Auto)?;
            exchange::accept(&mut store, &peer)?;
            writeln!(out, "accepted {peer}")?;
        }
    }
    Ok(())
}

/// `households set --id ID FIELD=VALUE…`: the household saved as the form would save it.
pub(crate) fn set_household(
    ctx: &Ctx,
    db: &std::path::Path,
    id: &str,
    fields: &[String],
    out: &mut impl Write,
) -> Result<(), Error> {
    let mut store = ctx.open(db, OpenMode::Auto)?;
    let mut input = store.household(id)?.household.to_input();
    let bad = |field: &str| {
        Error::Validation(vec![aidmap::error::FieldError {
            field: field.into(),
            rule: aidmap::error::Rule::OutOfRange,
        }])
    };
    for pair in fields {
        let (field, value) = pair.split_once('=').ok_or_else(|| bad("FIELD=VALUE"))?;
        let number = || value.trim().parse::<u32>().map_err(|_| bad(field));
        match field {
            "name" => input.name = value.into(),
            "address" => input.address = value.into(),
            "landmark" => input.landmark = value.into(),
            "notes" => input.notes = value.into(),
            "access_notes" => input.access_notes = value.into(),
            "adults" => input.adults = number()?,
            "children" => input.children = number()?,
            "seniors" => input.seniors = number()?,
            "status" => input.status = HouseholdStatus::parse(value).ok_or_else(|| bad(field))?,
            "phones" => {
                input.phones = value.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
            }
            other => return Err(bad(other)),
        }
    }
    store.update_household(id, &input)?;
    writeln!(out, "saved {id}")?;
    Ok(())
}
