//! Syncthing as the transport between laptops and hubs: Aidmap starts its own `syncthing`
//! process for an operation (its own home directory, so it never touches a Syncthing the user
//! runs), and talks to it only through its REST API — the user never edits its XML.
//!
//! Defaults are LAN only: global discovery, relays, NAT traversal, usage reporting, crash
//! reports and upgrades are off; local discovery stays on so laptops on one hub's network find
//! each other. `Options::relays` turns relays on for hubs in different towns.
//!
//! The process is stopped through the API when the value is dropped (killed if it does not
//! stop), so an Aidmap crash or a test failure leaves no stray Syncthing behind for long.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;

use crate::error::{Error, Result};

/// How this Syncthing listens and what it may use beyond the LAN.
#[derive(Debug, Clone)]
pub struct Options {
    /// The `syncthing` binary (`/usr/bin/syncthing` from the Debian package).
    pub binary: PathBuf,
    /// Its home: keys, config and database. One per operation replica.
    pub home: PathBuf,
    /// The REST API's port on 127.0.0.1.
    pub api_port: u16,
    /// The API key Aidmap uses (random per start).
    pub api_key: String,
    /// Where it accepts other devices' connections, e.g. `tcp://0.0.0.0:22000`.
    pub listen: String,
    /// Relays for hubs that cannot reach each other directly (off: LAN only).
    pub relays: bool,
}

/// A running Syncthing.
pub struct Syncthing {
    child: Option<Child>,
    base: String,
    api_key: String,
    agent: ureq::Agent,
}

/// A folder's state as Syncthing reports it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderStatus {
    pub state: String,
    pub need_files: u64,
    pub global_files: u64,
    pub local_files: u64,
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Syncthing(format!("{what}: {e}"))
}

impl Syncthing {
    /// Starts Syncthing with `options` (making its keys and config on first use) and waits
    /// until its API answers, then applies the LAN-only options.
    pub fn start(options: &Options) -> Result<Syncthing> {
        std::fs::create_dir_all(&options.home)?;
        let mut command = Command::new(&options.binary);
        // Syncthing belongs to this process: it must not outlive it, even when it is killed
        // (a left-over one holds its home's lock, and the next start would fail).
        #[cfg(target_os = "linux")]
        unsafe {
            use std::os::unix::process::CommandExt;
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .arg("serve")
            .arg(format!("--home={}", options.home.display()))
            .arg("--no-browser")
            .arg("--no-restart")
            .arg("--no-upgrade")
            .arg("--no-default-folder")
            .arg("--skip-port-probing")
            .arg(format!("--gui-address=127.0.0.1:{}", options.api_port))
            .arg(format!("--gui-apikey={}", options.api_key))
            .arg(format!("--logfile={}", options.home.join("syncthing.log").display()))
            .env("STNOUPGRADE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| failed("could not start syncthing (is the syncthing package installed?)", e))?;
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build();
        let mut st = Syncthing {
            child: Some(child),
            base: format!("http://127.0.0.1:{}", options.api_port),
            api_key: options.api_key.clone(),
            agent,
        };
        st.wait_ready(Duration::from_secs(30))?;
        st.patch(
            "/rest/config/options",
            json!({
                "listenAddresses": [options.listen],
                "globalAnnounceEnabled": options.relays,
                "localAnnounceEnabled": true,
                "relaysEnabled": options.relays,
                "natEnabled": false,
                "urAccepted": -1,
                "crashReportingEnabled": false,
                "autoUpgradeIntervalH": 0,
                "startBrowser": false,
            }),
        )?;
        Ok(st)
    }

    fn wait_ready(&mut self, limit: Duration) -> Result<()> {
        let until = Instant::now() + limit;
        loop {
            if self.get::<serde_json::Value>("/rest/system/ping").is_ok() {
                return Ok(());
            }
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                return Err(Error::Syncthing(format!("syncthing exited at start ({status})")));
            }
            if Instant::now() > until {
                return Err(Error::Syncthing("syncthing did not answer within 30 s".into()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.agent
            .get(&format!("{}{path}", self.base))
            .set("X-API-Key", &self.api_key)
            .call()
            .map_err(|e| failed(path, e))?
            .into_json()
            .map_err(|e| failed(path, e))
    }

    fn send(&self, method: &str, path: &str, body: serde_json::Value) -> Result<()> {
        self.agent
            .request(method, &format!("{}{path}", self.base))
            .set("X-API-Key", &self.api_key)
            .send_json(body)
            .map_err(|e| failed(path, e))?;
        Ok(())
    }

    fn patch(&self, path: &str, body: serde_json::Value) -> Result<()> {
        self.send("PATCH", path, body)
    }

    /// This device's ID, as other devices add it (also shown as text and QR code).
    pub fn device_id(&self) -> Result<String> {
        #[derive(Deserialize)]
        struct Status {
            #[serde(rename = "myID")]
            my_id: String,
        }
        Ok(self.get::<Status>("/rest/system/status")?.my_id)
    }

    /// Adds (or updates) another device by its ID; `addresses` empty means "dynamic" (found
    /// by local discovery).
    pub fn add_device(&self, id: &str, name: &str, addresses: &[String]) -> Result<()> {
        let addresses: Vec<String> = if addresses.is_empty() { vec!["dynamic".into()] } else { addresses.to_vec() };
        self.send(
            "PUT",
            &format!("/rest/config/devices/{id}"),
            json!({ "deviceID": id, "name": name, "addresses": addresses, "autoAcceptFolders": false }),
        )
    }

    /// Shares the folder `path` as `folder_id` with `devices`; changes are picked up by the file
    /// watcher within a second.
    pub fn share_folder(&self, folder_id: &str, label: &str, path: &Path, devices: &[String]) -> Result<()> {
        std::fs::create_dir_all(path)?;
        // Bundles being written (`*.partial`) are never carried half-written.
        let ignore = path.join(".stignore");
        if !ignore.exists() {
            std::fs::write(&ignore, super::folder::STIGNORE)?;
        }
        let devices: Vec<serde_json::Value> = devices.iter().map(|d| json!({ "deviceID": d })).collect();
        self.send(
            "PUT",
            &format!("/rest/config/folders/{folder_id}"),
            json!({
                "id": folder_id,
                "label": label,
                "path": path.display().to_string(),
                "type": "sendreceive",
                "devices": devices,
                "fsWatcherEnabled": true,
                "fsWatcherDelayS": 1,
                "rescanIntervalS": 60,
            }),
        )
    }

    /// The folder's state ("idle", "syncing", "scanning", …) and how many files it still needs.
    pub fn folder_status(&self, folder_id: &str) -> Result<FolderStatus> {
        self.get(&format!("/rest/db/status?folder={folder_id}"))
    }

    /// The devices configured (this one included), as (id, name).
    pub fn devices(&self) -> Result<Vec<(String, String)>> {
        #[derive(Deserialize)]
        struct Device {
            #[serde(rename = "deviceID")]
            id: String,
            #[serde(default)]
            name: String,
        }
        Ok(self.get::<Vec<Device>>("/rest/config/devices")?.into_iter().map(|d| (d.id, d.name)).collect())
    }

    /// Whether the device `id` is connected now.
    pub fn connected(&self, id: &str) -> Result<bool> {
        let c: serde_json::Value = self.get("/rest/system/connections")?;
        Ok(c["connections"][id]["connected"].as_bool().unwrap_or(false))
    }

    /// Asks Syncthing to stop and waits for it (kills it after 10 s).
    pub fn stop(mut self) -> Result<()> {
        self.shutdown();
        Ok(())
    }

    fn shutdown(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let _ = self.send("POST", "/rest/system/shutdown", json!({}));
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Syncthing {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A free TCP port on 127.0.0.1 (for Syncthing's API and listen ports).
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
