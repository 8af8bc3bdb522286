//! The `tiles://localhost/{z}/{x}/{y}.mvt` scheme: basemap tiles from the open region pack, for
//! MapLibre. Nothing leaves the machine; a pack without a basemap answers 404 for every tile.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use aidmap::region::pmtiles_archive::Basemap;
use tauri::http::{Request, Response};
use tauri::{Manager, UriSchemeContext, UriSchemeResponder, Wry};

use crate::state::AppState;

/// The reader of the current pack's archive, rebuilt when the region changes.
#[derive(Default)]
pub struct TileCache(tokio::sync::Mutex<Option<(u64, Option<Arc<Basemap>>)>>);

fn parse(path: &str) -> Option<(u8, u32, u32)> {
    let mut it = path.trim_start_matches('/').trim_end_matches(".mvt").split('/');
    let (z, x, y) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?);
    it.next().is_none().then_some((z, x, y))
}

fn respond(status: u16, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header("Content-Type", "application/vnd.mapbox-vector-tile")
        .header("Access-Control-Allow-Origin", "*")
        .body(body)
        .unwrap_or_else(|_| Response::new(Vec::new()))
}

pub fn handle(ctx: UriSchemeContext<'_, Wry>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = ctx.app_handle().clone();
    let path = request.uri().path().to_string();
    tauri::async_runtime::spawn(async move {
        let Some((z, x, y)) = parse(&path) else { return responder.respond(respond(400, vec![])) };
        let state = app.state::<AppState>();
        let cache = app.state::<TileCache>();
        let generation = state.region_generation.load(Ordering::SeqCst);
        let basemap = {
            let mut guard = cache.0.lock().await;
            match guard.as_ref() {
                Some((g, b)) if *g == generation => b.clone(),
                _ => {
                    let bytes = state.with_region(|r| r.and_then(|p| p.basemap().ok().flatten())).ok().flatten();
                    let b = match bytes {
                        Some(bytes) => Basemap::from_bytes(bytes).await.ok().map(Arc::new),
                        None => None,
                    };
                    *guard = Some((generation, b.clone()));
                    b
                }
            }
        };
        let tile = match basemap {
            Some(b) => b.tile(z, x, y).await.ok().flatten(),
            None => None,
        };
        responder.respond(match tile {
            Some(t) => respond(200, t),
            None => respond(404, vec![]),
        });
    });
}
