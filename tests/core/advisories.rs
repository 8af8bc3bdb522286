//! Known-vulnerable dependencies: `.advisories.json` against Cargo.lock and ui/package-lock.json.

use std::path::Path;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn version(v: &str) -> Vec<u64> {
    v.split(['.', '-', '+']).take(3).map(|p| p.parse().unwrap_or(0)).collect()
}

/// (name, version) of every package in a Cargo.lock.
fn cargo_packages(lock: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            out.push((n, v.trim_matches('"').to_string()));
        }
    }
    out
}

/// (name, version) of every package in an npm lockfile (v2/v3 `packages` map).
fn npm_packages(lock: &Value) -> Vec<(String, String)> {
    let Some(packages) = lock["packages"].as_object() else { return vec![] };
    packages
        .iter()
        .filter_map(|(path, p)| {
            let name = path.rsplit("node_modules/").next()?.to_string();
            Some((name, p["version"].as_str()?.to_string()))
        })
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

fn matches(advisories: &Value, ecosystem: &str, packages: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for a in advisories["advisories"].as_array().unwrap().iter().filter(|a| a["ecosystem"] == ecosystem) {
        let (pkg, below) = (a["package"].as_str().unwrap(), a["below"].as_str().unwrap());
        for (name, v) in packages.iter().filter(|(n, _)| n == pkg) {
            if version(v) < version(below) {
                found.push(format!("{ecosystem} {name} {v} < {below}: {}", a["id"].as_str().unwrap_or("")));
            }
        }
    }
    found
}

fn advisories() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(".advisories.json")).unwrap()).unwrap()
}

#[test]
fn no_locked_dependency_has_a_known_advisory() {
    let adv = advisories();
    let cargo = cargo_packages(&std::fs::read_to_string(root().join("Cargo.lock")).unwrap());
    assert!(cargo.iter().any(|(n, _)| n == "tauri"), "Cargo.lock parsed");
    let npm_lock: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("ui/package-lock.json")).unwrap()).unwrap();
    let npm = npm_packages(&npm_lock);
    assert!(npm.iter().any(|(n, _)| n == "@tauri-apps/api"), "package-lock.json parsed");
    let mut found = matches(&adv, "crates", &cargo);
    found.extend(matches(&adv, "npm", &npm));
    assert!(found.is_empty(), "vulnerable dependencies:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_a_vulnerable_version() {
    let adv = advisories();
    let lock =
        "[[package]]\nname = \"tauri\"\nversion = \"2.10.3\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n";
    assert_eq!(matches(&adv, "crates", &cargo_packages(lock)).len(), 1);
    let npm: Value = serde_json::json!({"packages": {"": {"version": "0.1.0"},
        "node_modules/@tauri-apps/plugin-shell": {"version": "2.2.0"}}});
    assert_eq!(matches(&adv, "npm", &npm_packages(&npm)).len(), 1);
    assert!(version("2.11.1") < version("2.12.0") && version("2.9.9") < version("2.11.1"));
}
