//! Scheduled backups: while an operation is open, a background task writes a backup into the
//! folder its settings name every N minutes and keeps the newest ones (`aidmap::backup`). The
//! UI hears about each one through the `backup` event.

use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

#[derive(Clone, Serialize)]
pub struct BackupEvent {
    pub file: Option<String>,
    pub error: Option<aidmap::ErrorReport>,
}

/// How often the task looks at the clock and the settings, and how long a "minute" of the
/// schedule is. Both can be shortened for the end-to-end test (`AIDMAP_BACKUP_TICK_MS`,
/// `AIDMAP_BACKUP_MINUTE_MS`, read only in builds with the `e2e` feature); nothing else changes.
fn timing() -> (Duration, Duration) {
    let ms = |var: &str, default: u64| {
        let set = std::env::var(var).ok().filter(|_| cfg!(feature = "e2e"));
        Duration::from_millis(set.and_then(|v| v.parse().ok()).unwrap_or(default))
    };
    (ms("AIDMAP_BACKUP_TICK_MS", 30_000), ms("AIDMAP_BACKUP_MINUTE_MS", 60_000))
}

pub fn start(app: AppHandle) {
    let (tick_every, minute) = timing();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(tick_every).await;
            let app = app.clone();
            // The backup itself is blocking file work: keep it off the async workers.
            let _ = tauri::async_runtime::spawn_blocking(move || tick(&app, minute)).await;
        }
    });
}

fn tick(app: &AppHandle, minute: Duration) {
    let state = app.state::<AppState>();
    let result = state.with_store(|store| {
        let settings = store.settings()?.backup;
        let Some(folder) = settings.folder else { return Ok(None) };
        let key = store.path().to_path_buf();
        let mut last = state.last_backup.lock().map_err(|_| aidmap::Error::Internal("lock poisoned".into()))?;
        let due = match last.as_ref() {
            Some((path, at)) if *path == key => at.elapsed() >= minute * settings.every_minutes,
            // First tick for this operation: start counting from now.
            _ => {
                *last = Some((key, Instant::now()));
                return Ok(None);
            }
        };
        if !due {
            return Ok(None);
        }
        *last = Some((key, Instant::now()));
        drop(last);
        let now = store.now();
        aidmap::backup::scheduled(store, std::path::Path::new(&folder), settings.keep, now).map(Some)
    });
    let event = match result {
        Ok(Some(file)) => BackupEvent { file: Some(file.display().to_string()), error: None },
        Ok(None) | Err(aidmap::Error::NoOperation) => return,
        Err(e) => BackupEvent { file: None, error: Some(aidmap::ErrorReport::from(&e)) },
    };
    let _ = app.emit("backup", event);
}
