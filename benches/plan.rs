//! Planning a day at the operation's design size:
//! `cargo bench -p aidmap --bench plan -- [SECONDS] [DRIVERS] [ITEMS]`.
//!
//! A plain binary (no harness). It writes a demo operation of 100,000 households, keeps 2,000
//! open needs (the rest delivered), gives the planning day DRIVERS shifts (default 200, copies
//! of the demo's drivers' shifts), then times each step the board takes: reading the operation
//! into a problem, the search (SECONDS, default 10), the stock check and save, showing the plan,
//! one hand edit (layout + view), re-optimising, and dispatching. Straight-line estimates (no
//! region pack: the demo area's pack is only the Monaco fixture, see the region bench).
//!
//! The catalogue is filled up to ITEMS items (default 300) across the categories; each depot
//! stocks about half of the added items, and a third of the open needs (not medicine) name one
//! of them, so planning must check stock item by item. (The item part is plain SQL on columns
//! every schema since 5 has, so the same bench runs against older releases for comparison; the
//! needs name items only where the schema has `need.item_id`.)

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use aidmap::demo::{self, DemoOptions};
use aidmap::plan::types::{PlanLayout, PlanRequest, RunLayout, StopLayout};
use chrono::TimeZone;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let seconds: u32 = args.first().and_then(|a| a.parse().ok()).unwrap_or(10);
    let drivers: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let catalogue: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(300);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.aidmap");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let t = Instant::now();
    let store = demo::write(&path, &DemoOptions { households: 100_000, seed: 5, date }, "bench").unwrap();
    drop(store);
    println!("demo of 100,000 households written in {:.1} s", t.elapsed().as_secs_f64());

    // 2,000 open needs; DRIVERS shifts on the planning day; plenty of stock at every depot.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE need SET status = 'delivered' WHERE status = 'open'
           AND id NOT IN (SELECT id FROM need WHERE status = 'open' ORDER BY id LIMIT 2000);",
    )
    .unwrap();
    let day = date + chrono::Days::new(1);
    let (from, until) = (format!("{day}T00:00:00"), format!("{day}T23:59:59"));
    let base: Vec<(String, String, String, Option<String>, Option<String>, Option<String>)> = {
        let mut stmt = conn
            .prepare(
                "SELECT volunteer_id, starts_at, ends_at, vehicle_id, start_site_id, end_site_id FROM shift
                 WHERE starts_at >= ?1 AND starts_at <= ?2 AND vehicle_id IS NOT NULL AND start_site_id IS NOT NULL",
            )
            .unwrap();
        stmt.query_map([&from, &until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(!base.is_empty(), "the demo has shifts on the day after its date");
    conn.execute("DELETE FROM shift WHERE starts_at >= ?1 AND starts_at <= ?2", [&from, &until]).unwrap();
    for k in 0..drivers {
        let b = &base[k % base.len()];
        conn.execute(
            "INSERT INTO shift (id, volunteer_id, starts_at, ends_at, vehicle_id, start_site_id, end_site_id,
                                created_at, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'bench', 'bench', 'bench')",
            rusqlite::params![format!("bench-shift-{k:04}"), b.0, b.1, b.2, b.3, b.4, b.5],
        )
        .unwrap();
    }
    let have: usize = conn.query_row("SELECT count(*) FROM item", [], |r| r.get::<_, i64>(0)).unwrap() as usize;
    const CATEGORIES: [&str; 8] = ["water", "food", "baby_supplies", "hygiene", "cleaning", "fuel", "shelter", "other"];
    for k in have..catalogue {
        conn.execute(
            "INSERT INTO item (id, name, category, unit, weight_kg, volume_l, cold_chain, low_threshold,
                               created_at, updated_at, updated_by)
             VALUES (?1, ?2, ?3, 'unit', ?4, ?4, 0, NULL, 'bench', 'bench', 'bench')",
            rusqlite::params![
                format!("bench-item-{k:04}"),
                format!("Bench item {k}"),
                CATEGORIES[k % 8],
                0.5 + (k % 5) as f64
            ],
        )
        .unwrap();
    }
    let named =
        conn.prepare("SELECT 1 FROM pragma_table_info('need') WHERE name = 'item_id'").unwrap().exists([]).unwrap();
    if named {
        let mut of_category: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        let mut stmt = conn.prepare("SELECT id, category FROM item WHERE id LIKE 'bench-item-%' ORDER BY id").unwrap();
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).unwrap() {
            let (id, category) = row.unwrap();
            of_category.entry(category).or_default().push(id);
        }
        drop(stmt);
        let mut stmt = conn
            .prepare("SELECT id, category FROM need WHERE status = 'open' AND category <> 'medicine' ORDER BY id")
            .unwrap();
        let open: Vec<(String, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        drop(stmt);
        for (k, (id, category)) in open.iter().enumerate().filter(|(k, _)| k % 3 == 0) {
            let Some(items) = of_category.get(category) else { continue };
            let item = &items[k / 3 % items.len()];
            conn.execute("UPDATE need SET item_id = ?2, unit = 'unit' WHERE id = ?1", [id, item]).unwrap();
        }
    }
    // Every demo item at every depot; each added item at about half of them.
    conn.execute_batch(
        "INSERT INTO stock_movement (id, at, kind, site_id, item_id, quantity, reason, recorded_by)
         SELECT 'bench-' || s.id || '-' || i.id, '2026-11-25T00:00:00.000Z', 'received', s.id, i.id, 100000, 'bench', 'bench'
         FROM site s, item i
         WHERE i.id NOT LIKE 'bench-item-%' OR (unicode(substr(s.id, -1)) + CAST(substr(i.id, 12) AS INTEGER)) % 2 = 0;",
    )
    .unwrap();
    println!(
        "catalogue: {} items{}",
        catalogue.max(have),
        if named { ", a third of the open needs name one" } else { "" }
    );
    drop(conn);

    let mut store = aidmap::Store::open(&path, "bench").unwrap();
    let start = chrono::Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN));
    let request = PlanRequest::for_day(day, start, seconds, 1);
    let cancel = AtomicBool::new(false);

    let t = Instant::now();
    let choices = store.plan_choices(&request).unwrap();
    println!(
        "choices: {} open needs at {} households, {} shifts: {:.0} ms",
        choices.needs,
        choices.households,
        choices.shifts.len(),
        ms(t)
    );

    let t = Instant::now();
    let prepared = store.prepare_plan(None, &request).unwrap();
    println!(
        "prepare: {} stops, {} runs, {} locations: {:.0} ms",
        prepared.problem.stops.len(),
        prepared.problem.vehicles.len(),
        prepared.problem.size,
        ms(t)
    );
    let t = Instant::now();
    let mut best = Vec::new();
    let mut iterations = 0;
    let solution = aidmap::plan::search(&prepared, &cancel, &mut |p| {
        iterations = p.iterations;
        best.push((p.elapsed_ms, p.best_cost))
    })
    .unwrap();
    println!(
        "search: {:.1} s, {iterations} iterations, {} stops served, {} unserved; best cost at 1 s {:?}, at the end {:?}",
        t.elapsed().as_secs_f64(),
        solution.routes.iter().map(|r| r.stops.len()).sum::<usize>(),
        solution.unserved.len(),
        best.iter().rev().find(|b| b.0 <= 1000).map(|b| b.1),
        best.last().map(|b| b.1)
    );
    let t = Instant::now();
    let id = store.save_new_plan(&prepared, &solution).unwrap();
    println!("stock check and save: {:.0} ms", ms(t));

    let t = Instant::now();
    let view = store.plan_view(None, &id).unwrap();
    println!(
        "view: {} runs, {} stops, {} needs served, {} unserved, feasible {}: {:.0} ms",
        view.info.runs,
        view.info.stops,
        view.info.needs_served,
        view.info.unserved,
        view.feasible,
        ms(t)
    );

    let mut reasons: Vec<&str> = view.unserved.iter().map(|u| u.reason.as_str()).collect();
    reasons.sort();
    let mut counted: Vec<(&str, usize)> = Vec::new();
    for r in reasons {
        match counted.last_mut() {
            Some((k, n)) if *k == r => *n += 1,
            _ => counted.push((r, 1)),
        }
    }
    println!("unserved needs by reason: {counted:?}");

    let mut layout = PlanLayout {
        runs: view
            .runs
            .iter()
            .map(|r| RunLayout {
                run_id: r.id.clone(),
                locked: false,
                stops: r.stops.iter().map(|s| StopLayout { stop_id: s.id.clone(), locked: false }).collect(),
            })
            .collect(),
        removed: vec![],
    };
    let from = layout.runs.iter().position(|r| !r.stops.is_empty()).unwrap();
    let moved = layout.runs[from].stops.remove(0);
    let to = (from + 1) % layout.runs.len();
    layout.runs[to].stops.insert(0, StopLayout { locked: true, ..moved });
    layout.runs[from].locked = true;
    let t = Instant::now();
    store.set_plan_layout(&id, &layout).unwrap();
    let edited = store.plan_view(None, &id).unwrap();
    println!("hand edit (layout + view): {:.0} ms, feasible {}", ms(t), edited.feasible);

    let t = Instant::now();
    let again = aidmap::plan::reoptimise(&mut store, None, &id, seconds, 2, None, &cancel).unwrap();
    println!(
        "re-optimise (with the search): {:.1} s, {} needs served",
        t.elapsed().as_secs_f64(),
        again.info.needs_served
    );

    let t = Instant::now();
    let assigned = store.dispatch_plan(&id).unwrap();
    println!("dispatch: {assigned} needs assigned, stock issued: {:.0} ms", ms(t));

    // Route sheets of every run: one PDF per run and the combined file, as `export sheets` writes.
    let t = Instant::now();
    let which = aidmap::sheets::files::Which::Plan(&id);
    let sheets = aidmap::sheets::files::sheets(&store, None, &which, &Default::default()).unwrap();
    let packets = ms(t);
    let out = dir.path().join("sheets");
    let format = aidmap::sheets::files::SheetFormat::Pdf { paper: aidmap::sheets::pdf::Paper::A4, combined: true };
    let t = Instant::now();
    let files = aidmap::sheets::files::export(&mut store, &sheets, format, &out).unwrap();
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    println!(
        "route sheets: {} runs, {} stops: packets {packets:.0} ms, PDFs ({} files, {:.1} MB) {:.0} ms",
        sheets.len(),
        sheets.iter().map(|s| s.stops.len()).sum::<usize>(),
        files.len(),
        bytes as f64 / 1e6,
        ms(t)
    );
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
