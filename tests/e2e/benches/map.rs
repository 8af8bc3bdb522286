//! The map at scale, in the real window: for demo operations of 300, 10,000 and 100,000
//! households, the time from launching the app on the operation to its households on the map,
//! then frames per second (requestAnimationFrame callbacks counted) while the map is dragged
//! for a few seconds and while it is zoomed in and out with the wheel. Prints the figures; it
//! asserts nothing about speed (the target, 30 fps at 100,000 households with software
//! rendering at 1280×800, is read from the output).
//!
//!   xvfb-run -a -s "-screen 0 1280x800x24" cargo bench -p aidmap-e2e --bench map
//!
//! Needs the app built (`make app-e2e`) and tauri-driver, like the end-to-end tests.
//! `AIDMAP_BENCH_SIZES=300,10000` runs only some sizes.

use std::time::{Duration, Instant};

use aidmap::demo::{self, DemoOptions};
use aidmap_e2e::App;

/// Counts animation frames for `seconds` while `step(i)` runs each frame (a drag or the wheel).
fn measure(step: &str, seconds: f64) -> String {
    format!(
        "const done = arguments[arguments.length - 1];
         const c = document.querySelector('[data-testid=map] canvas');
         const r = c.getBoundingClientRect();
         const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
         const mouse = (type, x, y) => c.dispatchEvent(new MouseEvent(type, {{ clientX: x, clientY: y, bubbles: true, button: 0, buttons: 1 }}));
         const wheel = (dy) => c.dispatchEvent(new WheelEvent('wheel', {{ clientX: cx, clientY: cy, deltaY: dy, deltaMode: 0, bubbles: true, cancelable: true }}));
         let frames = 0, i = 0;
         const t0 = performance.now();
         const longest = [0];
         let last = t0;
         const tick = (now) => {{
           frames++; i++;
           longest[0] = Math.max(longest[0], now - last); last = now;
           {step}
           if (now - t0 < {ms}) requestAnimationFrame(tick);
           else {{ mouse('mouseup', cx, cy); done(JSON.stringify({{ fps: frames * 1000 / (now - t0), worst_ms: longest[0] }})); }}
         }};
         mouse('mousedown', cx, cy);
         requestAnimationFrame(tick);",
        ms = seconds * 1000.0
    )
}

/// Nothing moves: how often the page gets frames at all.
const IDLE: &str = "if (i === 1) mouse('mouseup', cx, cy);";
/// A drag back and forth: 6 px a frame, turning every second (60 frames).
const DRAG: &str = "const dx = (Math.floor(i / 60) % 2 === 0 ? 6 : -6); mouse('mousemove', cx + ((i % 60) - 30) * dx / 6 * 6, cy + ((i % 60) - 30) * 2);";
/// The wheel: in for 40 frames, out for 40.
const WHEEL: &str = "if (i === 1) mouse('mouseup', cx, cy); wheel(Math.floor(i / 40) % 2 === 0 ? -40 : 40);";

#[tokio::main]
async fn main() {
    let sizes: Vec<u32> = std::env::var("AIDMAP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![300, 10_000, 100_000]);
    println!("map at scale (1280x800, software rendering under Xvfb; no basemap: households, clusters, sites)");
    println!(
        "{:>10}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}",
        "households", "write s", "shown s", "idle fps", "drag fps", "worst ms", "zoom fps"
    );
    let sizes_first = sizes.first().copied().unwrap_or(0);
    for n in sizes {
        let data = tempfile::tempdir().unwrap();
        let path = data.path().join(format!("demo-{n}.aidmap"));
        let started = Instant::now();
        let date = chrono::Local::now().date_naive();
        demo::write(&path, &DemoOptions { households: n, seed: 7, date }, "0193a5b0-0000-7000-8000-0000000bench")
            .unwrap();
        let written = started.elapsed();
        aidmap::recent::push(data.path(), &path, "Bench").unwrap();

        // Households shown: the map's count says how many pins it holds, and its layers are on.
        let active = {
            let store = aidmap::Store::open(&path, "bench").unwrap();
            store.count_households(Some(aidmap::vocab::HouseholdStatus::Active)).unwrap()
        };
        let launched = Instant::now();
        let app = App::launch(data.path()).await;
        let expected = format!("{active}");
        app.wait_js_for(
            "households shown",
            &format!(
                "(document.querySelector('[data-testid=map-count]')?.textContent ?? '').replace(/[^0-9]/g, '') === '{expected}' && document.querySelector('[data-testid=map]').dataset.lasso === 'off'"
            ),
            Duration::from_secs(300),
        )
        .await;
        let shown = launched.elapsed();
        tokio::time::sleep(Duration::from_secs(2)).await;
        if n == sizes_first {
            let gl = app
                .client
                .execute(
                    "const g = document.createElement('canvas').getContext('webgl'); const d = g && g.getExtension('WEBGL_debug_renderer_info');
                     return `${d ? g.getParameter(d.UNMASKED_RENDERER_WEBGL) : 'unknown'}, devicePixelRatio ${window.devicePixelRatio}`;",
                    vec![],
                )
                .await
                .unwrap();
            println!("(WebGL renderer: {})", gl.as_str().unwrap_or("?"));
        }
        let idle: serde_json::Value = serde_json::from_str(
            app.client.execute_async(&measure(IDLE, 2.0), vec![]).await.unwrap().as_str().unwrap(),
        )
        .unwrap();
        let drag: serde_json::Value = serde_json::from_str(
            app.client.execute_async(&measure(DRAG, 5.0), vec![]).await.unwrap().as_str().unwrap(),
        )
        .unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let zoom: serde_json::Value = serde_json::from_str(
            app.client.execute_async(&measure(WHEEL, 4.0), vec![]).await.unwrap().as_str().unwrap(),
        )
        .unwrap();
        app.screenshot(&format!("bench-map-{n}")).await;
        println!(
            "{:>10}  {:>8.1}  {:>8.1}  {:>8.1}  {:>8.1}  {:>8.0}  {:>8.1}",
            n,
            written.as_secs_f64(),
            shown.as_secs_f64(),
            idle["fps"].as_f64().unwrap_or(0.0),
            drag["fps"].as_f64().unwrap_or(0.0),
            drag["worst_ms"].as_f64().unwrap_or(0.0),
            zoom["fps"].as_f64().unwrap_or(0.0)
        );
        app.quit().await;
    }
}
