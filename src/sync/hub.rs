//! The operation's hub link over Syncthing: Aidmap starts one `syncthing` for the operation
//! (its own home in this laptop's config folder, the operation's sync folder shared, LAN only
//! unless relays are chosen), adds peers by device ID, and every `tick` writes this replica's
//! new changes into the folder and applies what arrived. Talks to Syncthing only through its
//! REST API (`syncthing`); never asks anyone to edit its configuration.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::Serialize;
use ts_rs::TS;

use super::exchange::{self, SyncImport};
use super::folder;
use super::syncthing::{free_port, Options, Syncthing};
use crate::error::{Error, Result};
use crate::store::Store;

/// Another laptop Syncthing knows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HubDevice {
    pub id: String,
    pub name: String,
    pub connected: bool,
}

/// What the Hub network panel shows of the Syncthing link.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HubLink {
    /// This laptop's device ID, for the other laptop to add.
    pub device_id: String,
    /// The device ID as a QR code (SVG).
    pub qr_svg: String,
    /// The operation's sync folder.
    pub folder: String,
    /// Where this Syncthing listens (other laptops may add it with this address).
    pub listen: String,
    pub relays: bool,
    pub devices: Vec<HubDevice>,
}

/// What the Hub network panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HubView {
    pub status: super::status::SyncStatus,
    /// The Syncthing link, while it runs for this operation.
    pub link: Option<HubLink>,
    /// Whether the `syncthing` program is installed on this laptop.
    pub syncthing_installed: bool,
    /// The operation's sync folder (beside the operation file).
    pub default_folder: String,
}

pub fn view(store: &Store, link: Option<HubLink>) -> Result<HubView> {
    Ok(HubView {
        status: super::status::status(store.conn())?,
        link,
        syncthing_installed: find_binary().is_some(),
        default_folder: default_folder(store.path()).display().to_string(),
    })
}

/// What arrived through Syncthing (the `hub_changes` event): the notice the UI shows ("12
/// changes from Hub Nord") and the cue to reload what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HubChanges {
    pub report: SyncImport,
    /// The names (or ids) of the replicas the changes came from.
    pub from: Vec<String>,
}

pub fn changes(store: &Store, report: SyncImport) -> Result<HubChanges> {
    let peers = super::status::status(store.conn())?.peers;
    let mut from: Vec<String> = report
        .files
        .iter()
        .filter_map(|f| match f {
            exchange::FileOutcome::Applied { from, .. } => Some(
                peers
                    .iter()
                    .find(|p| &p.id == from)
                    .map(|p| p.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or(from.clone()),
            ),
            _ => None,
        })
        .collect();
    from.sort();
    from.dedup();
    Ok(HubChanges { report, from })
}

pub struct HubOptions {
    pub binary: PathBuf,
    /// Syncthing's home (keys, config, database) for this operation on this laptop.
    pub home: PathBuf,
    pub folder: PathBuf,
    pub relays: bool,
    /// The address Syncthing listens on; `None`: every interface, on a free port.
    pub listen: Option<String>,
}

pub struct Hub {
    syncthing: Syncthing,
    folder: PathBuf,
    folder_id: String,
    device_id: String,
    listen: String,
    relays: bool,
    /// This replica's last change number already written into the folder.
    exported: u64,
}

/// The `syncthing` program on PATH, if installed.
pub fn find_binary() -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("syncthing"))
        .find(|p| p.is_file())
}

/// The sync folder beside an operation file: `Flood.aidmap` → `Flood.aidmap-sync/`.
pub fn default_folder(operation: &Path) -> PathBuf {
    crate::files::sibling(operation, "-sync")
}

impl Hub {
    pub fn start(options: &HubOptions, operation_id: &str) -> Result<Hub> {
        let mut key = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut key);
        let api_key: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let listen = options.listen.clone().unwrap_or(format!("tcp://0.0.0.0:{}", free_port()?));
        let syncthing = Syncthing::start(&Options {
            binary: options.binary.clone(),
            home: options.home.clone(),
            api_port: free_port()?,
            api_key,
            listen: listen.clone(),
            relays: options.relays,
        })?;
        let device_id = syncthing.device_id()?;
        let folder_id =
            format!("aidmap-{}", operation_id.chars().filter(char::is_ascii_alphanumeric).collect::<String>());
        let mut hub = Hub {
            syncthing,
            folder: options.folder.clone(),
            folder_id,
            device_id,
            listen,
            relays: options.relays,
            exported: 0,
        };
        hub.share()?;
        Ok(hub)
    }

    fn share(&mut self) -> Result<()> {
        let devices: Vec<String> = self.syncthing.devices()?.into_iter().map(|(id, _)| id).collect();
        self.syncthing.share_folder(&self.folder_id, "Aidmap changes", &self.folder, &devices)
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Adds another laptop by its device ID (and, when it cannot be found on the network by
    /// itself, its address such as `tcp://192.168.1.20:22000`) and shares the folder with it.
    pub fn add_device(&mut self, id: &str, name: &str, address: Option<&str>) -> Result<()> {
        let id = id.trim().to_uppercase();
        let valid =
            id.len() == 63 && id.split('-').all(|g| g.len() == 7 && g.chars().all(|c| c.is_ascii_alphanumeric()));
        if !valid {
            return Err(Error::Validation(vec![crate::error::FieldError {
                field: "device_id".into(),
                rule: crate::error::Rule::InvalidCharacters,
            }]));
        }
        let addresses: Vec<String> =
            address.map(str::trim).filter(|a| !a.is_empty()).map(String::from).into_iter().collect();
        self.syncthing.add_device(&id, name.trim(), &addresses)?;
        self.share()
    }

    pub fn link(&self) -> Result<HubLink> {
        let qr = qrcode::QrCode::new(self.device_id.as_bytes()).map_err(|e| Error::Internal(e.to_string()))?;
        let qr_svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).build();
        let mut devices = Vec::new();
        for (id, name) in self.syncthing.devices()? {
            if id != self.device_id {
                let connected = self.syncthing.connected(&id).unwrap_or(false);
                devices.push(HubDevice { id, name, connected });
            }
        }
        Ok(HubLink {
            device_id: self.device_id.clone(),
            qr_svg,
            folder: self.folder.display().to_string(),
            listen: self.listen.clone(),
            relays: self.relays,
            devices,
        })
    }

    /// Writes this replica's new changes into the folder and applies what arrived there.
    /// Returns the import when it applied or held anything.
    pub fn tick(&mut self, store: &mut Store, now: DateTime<Utc>) -> Result<Option<SyncImport>> {
        if store.read_only() {
            return Ok(None);
        }
        let mine: u64 = store.conn().query_row(
            "SELECT COALESCE(MAX(last_seq), 0) FROM sync_replica WHERE status = 'self'",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        if mine > self.exported || self.exported == 0 {
            exchange::export_to(store, &self.folder, now)?;
            self.exported = mine.max(1);
        }
        let (bundles, _) = folder::list(&self.folder)?;
        let applied = |replica: &str| -> u64 {
            store
                .conn()
                .query_row("SELECT last_seq FROM sync_replica WHERE id = ?1 AND status <> 'held'", [replica], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as u64)
                .unwrap_or(0)
        };
        let me: String = store
            .conn()
            .query_row("SELECT id FROM sync_replica WHERE status = 'self'", [], |r| r.get(0))
            .unwrap_or_default();
        let held: Vec<String> = {
            let mut stmt = store.conn().prepare("SELECT id FROM sync_replica WHERE status = 'held'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let waiting: Vec<_> =
            folder::to_apply(&bundles, &me, applied).into_iter().filter(|b| !held.contains(&b.replica)).collect();
        if waiting.is_empty() {
            return Ok(None);
        }
        let report = exchange::import_from(store, &self.folder, false, now)?;
        Ok((report.applied > 0 || report.held > 0).then_some(report))
    }

    pub fn stop(self) -> Result<()> {
        self.syncthing.stop()
    }
}
