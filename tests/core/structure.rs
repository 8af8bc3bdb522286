//! The code's structure, pinned: the desktop commands are named alike in the four places that
//! list them, and the core's top-level modules depend on each other without cycles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// Every `"name"` string between `start` and the first `end` after it.
fn quoted(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} not found")) + start.len();
    let body = &text[from..from + text[from..].find(end).unwrap()];
    body.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

/// The app's commands: `src-tauri/build.rs` (the manifest), the capability that grants them,
/// `generate_handler!` in `src-tauri/src/lib.rs` and the UI's `api.ts`. A command missing from
/// one of them fails only at run time (an "not allowed" or "not found" error in the window), so
/// the four must name the same set.
#[test]
fn the_four_command_lists_agree() {
    let manifest = quoted(&read("src-tauri/build.rs"), "const COMMANDS: &[&str] = &[", "];");
    let granted: BTreeSet<String> = quoted(&read("src-tauri/capabilities/main.json"), "\"permissions\"", "]")
        .into_iter()
        .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
        .collect();
    let lib = read("src-tauri/src/lib.rs");
    let from = lib.find("generate_handler![").unwrap() + "generate_handler![".len();
    let handled: BTreeSet<String> = lib[from..from + lib[from..].find("])").unwrap()]
        .split(',')
        .map(|s| s.trim().rsplit("::").next().unwrap().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let api = read("ui/src/lib/api.ts");
    let called: BTreeSet<String> = api
        .split("call<")
        .skip(1)
        .chain(api.split("call(").skip(1))
        .filter_map(|rest| {
            let open = rest.find("(\"").map(|i| i + 2).or_else(|| rest.starts_with('"').then_some(1))?;
            let name = &rest[open..];
            Some(name[..name.find('"')?].to_string())
        })
        .collect();
    assert!(manifest.len() > 80, "{} commands in build.rs", manifest.len());
    for (list, names) in [("the capability", &granted), ("generate_handler!", &handled), ("api.ts", &called)] {
        let missing: Vec<_> = manifest.difference(names).collect();
        let extra: Vec<_> = names.difference(&manifest).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{list}: missing {missing:?}, not in build.rs {extra:?}");
    }
}

/// The library's modules as the cycle check sees them: every top-level module, except that
/// `records` counts as its submodules (`records::household`, …), which the crate root
/// re-exports under their short names. Each node's edges: the nodes its files name with
/// `crate::…`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let declared = |file: &Path| -> Vec<String> {
        std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
            .map(|l| l.trim_end_matches(';').to_string())
            .collect()
    };
    // (node, its files' root: `name.rs` and/or the folder `name/`)
    let mut nodes: Vec<(String, std::path::PathBuf)> = Vec::new();
    for m in declared(&root.join("lib.rs")) {
        if m == "records" {
            for r in declared(&root.join("records/mod.rs")) {
                nodes.push((format!("records::{r}"), root.join("records").join(&r)));
            }
        } else {
            nodes.push((m.clone(), root.join(&m)));
        }
    }
    let node_of = |path: &str| -> Option<String> {
        let mut parts = path.split("::");
        let first = parts.next()?;
        let name = if first == "records" { format!("records::{}", parts.next()?) } else { first.to_string() };
        let records = format!("records::{name}");
        nodes.iter().find(|(n, _)| *n == name || *n == records).map(|(n, _)| n.clone())
    };
    let mut graph = BTreeMap::new();
    for (node, base) in &nodes {
        let mut text = String::new();
        let file = base.with_extension("rs");
        if file.exists() {
            text.push_str(&std::fs::read_to_string(file).unwrap());
        }
        let mut stack = vec![base.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "rs") {
                    text.push_str(&std::fs::read_to_string(p).unwrap());
                }
            }
        }
        let deps: BTreeSet<String> = text
            .split("crate::")
            .skip(1)
            .filter_map(|rest| {
                let path: String =
                    rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
                node_of(&path)
            })
            .filter(|d| d != node)
            .collect();
        graph.insert(node.clone(), deps);
    }
    graph
}

/// A cycle in `graph` as a path, if there is one (depth-first search).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in g.get(node).into_iter().flatten() {
            if let Some(c) = visit(g, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(graph, n, &mut Vec::new(), &mut done))
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let g: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
            .collect();
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    let mut acyclic = g.clone();
    acyclic.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&acyclic), None);
}

/// Modules depend inward: leaves (errors, time, text, vocabulary, files) ← the store layer ←
/// domain records ← the work built on them (planning, sheets, imports, exports, demo). A
/// `use crate::…` that closes a loop fails here, naming it.
#[test]
fn top_level_modules_have_no_cycles() {
    let graph = module_graph();
    assert!(graph.len() > 30, "{} modules", graph.len());
    assert!(graph["records::household"].contains("records::need"), "the graph sees records' edges");
    assert!(graph["api"].contains("store"), "and the top-level ones'");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("a module cycle: {}", cycle.join(" → "));
    }
}

/// Every `.rs` file under `dir` (relative to the crate), with its text.
fn sources(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The one write path, by its text: only the store opens transactions on the operation (region
/// packs are files of their own), only `store::record_change` appends to the audit log, and
/// every function that takes a `Stamp` (a writer) takes a `&Transaction`, never a bare
/// `&Connection` (so it cannot run outside a transaction the store opened).
#[test]
fn the_write_path_is_the_only_one() {
    let mut offences = Vec::new();
    for (path, text) in sources("src").into_iter().chain(sources("src-tauri/src")) {
        let in_store = path.starts_with("src/store/");
        if !in_store && !path.starts_with("src/region/") {
            for opener in ["transaction_with_behavior(", "unchecked_transaction(", ".transaction()", "\"BEGIN"] {
                if text.contains(opener) {
                    offences.push(format!("{path} opens a transaction ({opener})"));
                }
            }
        }
        if path != "src/store/change.rs" && path != "src/audit.rs" && text.contains("audit::append(") {
            offences.push(format!("{path} appends to the audit log itself"));
        }
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for sig in flat.split(" fn ").skip(1) {
            let params = &sig[..sig.find(')').unwrap_or(sig.len())];
            if params.contains("&Stamp") && params.contains("&Connection") {
                let name = &sig[..sig.find(['(', '<']).unwrap_or(0)];
                offences.push(format!("{path}: writer {name} takes a &Connection"));
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

/// The same path, at run time (debug builds, as tests run): the store's connection refuses a
/// write outside `Store::write`, and `Store::write` refuses to commit rows changed without a
/// recorded change; a write that records its change commits.
#[test]
fn writes_outside_the_path_are_refused() {
    use crate::util::*;
    let dir = tempdir();
    let mut store = new_store(dir.path());
    let id = store.create_household(&alice()).unwrap().id;
    let outside_write = store.conn().execute("UPDATE household SET name = 'X' WHERE id = ?1", [&id]);
    assert!(outside_write.is_err(), "a write outside Store::write went through");
    let unrecorded = store.write(|tx, _| Ok(tx.execute("UPDATE household SET name = 'X' WHERE id = ?1", [&id])?));
    assert!(matches!(unrecorded, Err(aidmap::Error::Internal(_))), "{unrecorded:?}");
    assert_eq!(store.household(&id).unwrap().household.name, alice().name, "rolled back");
    let recorded = store.write(|tx, stamp| {
        tx.execute("UPDATE household SET name = 'X' WHERE id = ?1", [&id])?;
        aidmap::store::record_change(tx, stamp, aidmap::audit::AuditAction::Update, "household", &[&id], "name")
    });
    assert!(recorded.is_ok(), "{recorded:?}");
    assert_eq!(store.household(&id).unwrap().household.name, "X");
}

/// A passphrase change swaps the store's connection for the re-keyed file's: the new one
/// refuses writes outside the path too.
#[test]
fn the_write_guard_survives_a_passphrase_change() {
    use crate::util::*;
    let dir = tempdir();
    let path = dir.path().join("hub.aidmap");
    let mut store = aidmap::Store::create_encrypted(&path, "Hub", "test", Some("blue river 42 lanterns")).unwrap();
    store.change_passphrase("blue river 42 lanterns", "green field 17 kettles").unwrap();
    assert!(store.conn().execute("DELETE FROM setting", []).is_err(), "a write outside Store::write went through");
    store.create_household(&alice()).unwrap();
}
