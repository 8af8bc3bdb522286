//! What the app holds between commands: the open operation and where this installation keeps
//! its files.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use aidmap::region::RegionPack;
use aidmap::{Error, Store};

pub struct AppState {
    pub store: Mutex<Option<Store>>,
    pub installation_id: String,
    /// Installation id and the recent list.
    pub config_dir: PathBuf,
    /// The demo operation file lives here.
    pub data_dir: PathBuf,
    /// The last scheduled backup: which operation, when.
    pub last_backup: Mutex<Option<(PathBuf, Instant)>>,
    /// The open operation's region pack, when it has one.
    pub region: Mutex<Option<RegionPack>>,
    /// Why the operation's region pack could not be opened (damaged), to tell the user.
    pub region_damaged: Mutex<Option<String>>,
    /// Set to cancel a region import under way.
    pub region_cancel: AtomicBool,
    /// Bumped whenever the region pack changes (the tile server reloads its archive).
    pub region_generation: AtomicU64,
    /// Set to stop a planning search under way (it keeps the best plan so far).
    pub plan_cancel: AtomicBool,
    /// The Syncthing link of the open operation, while it runs (`hub`).
    pub hub: Mutex<Option<aidmap::sync::hub::Hub>>,
    /// Files the end-to-end tests pick instead of the native dialog (`e2e_pick_file`).
    pub e2e_picks: Mutex<Vec<String>>,
}

impl AppState {
    /// Runs `f` on the open operation (errors with `NoOperation` when none is open).
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> aidmap::Result<T>) -> aidmap::Result<T> {
        let mut guard = self.store.lock().map_err(|_| Error::Internal("state lock poisoned".into()))?;
        f(guard.as_mut().ok_or(Error::NoOperation)?)
    }

    /// Closes the open operation (its key is wiped when the store drops) and its region.
    pub fn close(&self) -> aidmap::Result<()> {
        if let Some(hub) = self.hub.lock().map_err(|_| Error::Internal("state lock poisoned".into()))?.take() {
            let _ = hub.stop();
        }
        let mut guard = self.store.lock().map_err(|_| Error::Internal("state lock poisoned".into()))?;
        *guard = None;
        self.set_region(None)
    }

    pub fn with_region<T>(&self, f: impl FnOnce(Option<&RegionPack>) -> T) -> aidmap::Result<T> {
        let guard = self.region.lock().map_err(|_| Error::Internal("state lock poisoned".into()))?;
        Ok(f(guard.as_ref()))
    }

    pub fn set_region(&self, pack: Option<RegionPack>) -> aidmap::Result<()> {
        if pack.is_some() {
            *self.region_damaged.lock().map_err(|_| Error::Internal("state lock poisoned".into()))? = None;
        }
        *self.region.lock().map_err(|_| Error::Internal("state lock poisoned".into()))? = pack;
        self.region_generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    pub fn demo_path(&self) -> PathBuf {
        self.data_dir.join("demo.aidmap")
    }
}
