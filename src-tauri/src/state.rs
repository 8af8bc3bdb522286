//! What the app holds between commands: the open operation and where this installation keeps
//! its files.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

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
}

impl AppState {
    /// Runs `f` on the open operation (errors with `NoOperation` when none is open).
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> aidmap::Result<T>) -> aidmap::Result<T> {
        let mut guard = self.store.lock().map_err(|_| Error::Internal("state lock poisoned".into()))?;
        f(guard.as_mut().ok_or(Error::NoOperation)?)
    }

    /// Closes the open operation (its key is wiped when the store drops).
    pub fn close(&self) -> aidmap::Result<()> {
        let mut guard = self.store.lock().map_err(|_| Error::Internal("state lock poisoned".into()))?;
        *guard = None;
        Ok(())
    }

    pub fn demo_path(&self) -> PathBuf {
        self.data_dir.join("demo.aidmap")
    }
}
