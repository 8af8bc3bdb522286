//! The planning board in the real app, on the demo: plan tomorrow, move a stop to another run,
//! undo and redo it, lock it and a whole run, re-optimise the rest, dispatch, record outcomes,
//! and see the need statuses and the depot stock change; write the drivers' route sheets.

use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

async fn set_value(app: &App, css: &str, value: &str) {
    let js = format!(
        "const e = document.querySelector('{css}'); e.value = '{value}'; e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}})); return true;"
    );
    app.client.execute(&js, vec![]).await.expect("set value");
}

async fn click(app: &App, css: &str) {
    let e = app.wait_css(css).await;
    app.client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); return true;",
            vec![serde_json::to_value(&e).unwrap()],
        )
        .await
        .unwrap();
    e.click().await.unwrap();
}

async fn js_click(app: &App, css: &str) {
    app.wait_css(css).await;
    let js = format!("document.querySelector(\"{css}\").click(); return true;");
    app.client.execute(&js, vec![]).await.expect("click");
}

/// The stop ids of each run card, in order.
async fn runs(app: &App) -> Vec<Vec<String>> {
    let v = app
        .wait_js(
            "run cards",
            "[...document.querySelectorAll('[data-testid=plan-run-card]')].map(c => [...c.querySelectorAll('[data-testid=plan-stop]')].map(s => s.dataset.stopId))",
        )
        .await;
    serde_json::from_value(v).unwrap()
}

async fn choose(app: &App, css: &str, value: &str) {
    let js = format!(
        "const e = document.querySelector(\"{css}\"); e.scrollIntoView({{block: 'center'}}); e.value = '{value}'; e.dispatchEvent(new Event('change', {{bubbles: true}})); return true;"
    );
    app.client.execute(&js, vec![]).await.expect("choose");
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_edit_reoptimise_dispatch_and_record_outcomes() {
    let data = tempfile::tempdir().unwrap();
    let sheets_dir = data.path().join("sheets");
    // The folder picker is answered twice: phone pages, then PDFs.
    let picks = format!("{0}\n{0}", sheets_dir.display());
    let app = App::launch_with(data.path(), &[("AIDMAP_E2E_PICK_FILES", picks.as_str())]).await;
    app.wait_css("[data-testid=demo-badge]").await;
    click(&app, "[data-testid=open-planning]").await;
    app.wait_css("[data-testid=planning-board]").await;
    app.wait_css("[data-testid=plan-setup]").await;
    // The demo's shifts are on the days after today: plan tomorrow, two seconds of search.
    let tomorrow = app
        .wait_js(
            "tomorrow",
            "(() => { const d = new Date(); d.setDate(d.getDate() + 1); return `${d.getFullYear()}-${String(d.getMonth()+1).padStart(2,'0')}-${String(d.getDate()).padStart(2,'0')}`; })()",
        )
        .await;
    set_value(&app, "[data-testid=plan-day]", tomorrow.as_str().unwrap()).await;
    set_value(&app, "[data-testid=plan-seconds]", "2").await;
    app.wait_plan_counted().await;
    app.screenshot("plan-setup").await;
    click(&app, "[data-testid=plan-run]").await;
    app.wait_css("[data-testid=plan-progress]").await;
    app.wait_css_for("[data-testid=plan-review]", std::time::Duration::from_secs(120)).await;
    app.wait_js("two runs with stops", "[...document.querySelectorAll('[data-testid=plan-run-card]')].filter(c => c.querySelector('[data-testid=plan-stop]')).length >= 2").await;
    app.wait_css("[data-testid=plan-feasible]").await;
    app.screenshot("plan-review").await;

    // Drag the second stop of the first busy run above its first stop. WebKitWebDriver cannot
    // perform a native HTML5 drag, so the drag events are dispatched in the page (the real
    // board's handlers, the real backend); then undo it.
    let initial = runs(&app).await;
    let busy: Vec<usize> = (0..initial.len()).filter(|&i| initial[i].len() >= 2).collect();
    // Two runs loading at one depot where there are (the stop later locked onto run b then
    // keeps its stock, so the plan can be dispatched whatever the search found).
    let sites: Vec<String> = serde_json::from_value(
        app.wait_js("depots", "[...document.querySelectorAll('[data-testid=plan-run-card]')].map(c => c.dataset.site)")
            .await,
    )
    .unwrap();
    let same =
        busy.iter().flat_map(|&x| busy.iter().map(move |&y| (x, y))).find(|&(x, y)| x != y && sites[x] == sites[y]);
    let (a, b) = same.unwrap_or((busy[0], busy[1]));
    let (first_stop, second_stop) = (initial[a][0].clone(), initial[a][1].clone());
    let drag = format!(
        "(() => {{ const src = document.querySelector(\"[data-stop-id='{second_stop}']\");
           const dst = document.querySelector(\"[data-stop-id='{first_stop}']\");
           const dt = new DataTransfer();
           const box = dst.getBoundingClientRect();
           const at = {{bubbles: true, cancelable: true, dataTransfer: dt, clientX: box.left + 10, clientY: box.top + 2}};
           src.dispatchEvent(new DragEvent('dragstart', at));
           dst.dispatchEvent(new DragEvent('dragover', at));
           dst.dispatchEvent(new DragEvent('drop', at));
           src.dispatchEvent(new DragEvent('dragend', at));
           return true; }})()"
    );
    app.client.execute(&drag, vec![]).await.expect("drag");
    app.wait_js(
        "dragged above",
        &format!("document.querySelectorAll('[data-testid=plan-run-card]')[{a}].querySelector('[data-testid=plan-stop]').dataset.stopId === '{second_stop}'"),
    )
    .await;
    let dragged = runs(&app).await;
    assert_eq!(&dragged[a][..2], &[second_stop.clone(), first_stop.clone()]);
    click(&app, "[data-testid=plan-undo]").await;
    app.wait_js(
        "drag undone",
        &format!("document.querySelectorAll('[data-testid=plan-run-card]')[{a}].querySelector('[data-testid=plan-stop]').dataset.stopId === '{first_stop}'"),
    )
    .await;

    // Move the first stop of the first busy run to the end of another busy run.
    let before = runs(&app).await;
    assert_eq!(before, initial);
    let stop = before[a][0].clone();
    let target_run = app
        .wait_js("run ids", &format!("document.querySelectorAll('[data-testid=plan-run-card]')[{b}].dataset.runId"))
        .await;
    choose(&app, &format!("[data-stop-id='{stop}'] [data-testid=stop-move-run]"), target_run.as_str().unwrap()).await;
    app.wait_js(
        "the stop in the other run",
        &format!("!!document.querySelectorAll('[data-testid=plan-run-card]')[{b}].querySelector(\"[data-stop-id='{stop}']\")"),
    )
    .await;
    let moved = runs(&app).await;
    assert_eq!(moved[b].last(), Some(&stop));
    assert!(!moved[a].contains(&stop));

    // Undo puts it back, redo moves it again.
    click(&app, "[data-testid=plan-undo]").await;
    app.wait_js(
        "undone",
        &format!("!!document.querySelectorAll('[data-testid=plan-run-card]')[{a}].querySelector(\"[data-stop-id='{stop}']\")"),
    )
    .await;
    assert_eq!(runs(&app).await, before);
    click(&app, "[data-testid=plan-redo]").await;
    app.wait_js(
        "redone",
        &format!("!!document.querySelectorAll('[data-testid=plan-run-card]')[{b}].querySelector(\"[data-stop-id='{stop}']\")"),
    )
    .await;

    // Lock the moved stop and run a, then re-optimise the rest.
    click(&app, &format!("[data-stop-id='{stop}'] [data-testid=stop-lock]")).await;
    app.wait_js(
        "stop locked",
        &format!("document.querySelector(\"[data-stop-id='{stop}']\").dataset.locked === 'true'"),
    )
    .await;
    let run_a = app
        .wait_js("run a", &format!("document.querySelectorAll('[data-testid=plan-run-card]')[{a}].dataset.runId"))
        .await;
    let run_a = run_a.as_str().unwrap().to_string();
    click(&app, &format!("[data-run-id='{run_a}'] [data-testid=run-lock]")).await;
    app.wait_js(
        "run locked",
        &format!("document.querySelector(\"[data-run-id='{run_a}']\").dataset.locked === 'true'"),
    )
    .await;
    let locked_stops = runs(&app).await[a].clone();
    app.screenshot("plan-locked").await;
    // A long search, cancelled once it has a solution: the best so far is kept.
    click(&app, "[data-testid=plan-tab-setup]").await;
    set_value(&app, "[data-testid=plan-seconds]", "60").await;
    click(&app, "[data-testid=plan-tab-review]").await;
    let started = std::time::Instant::now();
    click(&app, "[data-testid=plan-reoptimise]").await;
    app.wait_css("[data-testid=plan-progress]").await;
    // data-best is empty until the search has a solution (the progress text shows "0 s" at once).
    app.wait_js("a best cost", "!!document.querySelector('[data-testid=plan-progress]')?.dataset.best").await;
    app.screenshot("plan-searching").await;
    // The progress line re-renders every tick, so WebDriver's click can miss the button: click in the page.
    app.client
        .execute("document.querySelector('[data-testid=plan-cancel]').click(); return true;", vec![])
        .await
        .unwrap();
    app.wait_js("search done", "!document.querySelector('[data-testid=plan-progress]')").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(40), "cancel ended the 60 s search early");
    let after = runs(&app).await;
    assert_eq!(after[a], locked_stops, "the locked run is as it was");
    assert!(after[b].contains(&stop), "the locked stop stayed on its run");

    // Dispatch: the depot of run b issues stock; record two outcomes.
    let depot = app
        .wait_js("depot", &format!("document.querySelectorAll('[data-testid=plan-run-card]')[{b}].dataset.site"))
        .await;
    click(&app, "[data-testid=plan-dispatch]").await;
    app.wait_css("[data-testid=dispatch-question]").await;
    app.screenshot("plan-dispatch").await;
    click(&app, "[data-testid=confirm-dispatch]").await;
    app.wait_js("dispatched", "document.querySelector('[data-testid=plan-status]').dataset.status === 'dispatched'")
        .await;
    let served = runs(&app).await;
    let first = served[b][0].clone();
    let second = served[b][1].clone();
    choose(&app, &format!("[data-stop-id='{first}'] [data-testid=stop-outcome]"), "delivered").await;
    app.wait_js(
        "outcome saved",
        &format!("document.querySelector(\"[data-stop-id='{first}']\").dataset.outcome === 'delivered'"),
    )
    .await;
    choose(&app, &format!("[data-stop-id='{second}'] [data-testid=stop-outcome]"), "nobody_home").await;
    app.wait_js(
        "outcome saved",
        &format!("document.querySelector(\"[data-stop-id='{second}']\").dataset.outcome === 'nobody_home'"),
    )
    .await;
    app.screenshot("plan-outcomes").await;

    // Route sheets of every run as phone pages, into the folder the picker answers.
    click(&app, "[data-testid=plan-sheets]").await;
    app.wait_css("[data-testid=sheets-dialog]").await;
    // No phone numbers on these sheets: the choice is kept for the operation.
    app.wait_css("[data-testid=sheets-fields]").await;
    // The preview shows one stop as it goes out: it follows each choice.
    app.wait_css("[data-testid=sheets-preview] [data-line=address]").await;
    // Script clicks in this dialog: it lays out again each time the preview arrives.
    js_click(&app, "[data-testid=sheets-phone]").await;
    app.wait_js("phone off", "!document.querySelector('[data-testid=sheets-phone]').checked").await;
    app.wait_js("no phone in the preview", "!document.querySelector('[data-testid=sheets-preview] [data-line=phone]')")
        .await;
    // Sheets in Spanish for these drivers.
    choose(&app, "[data-testid=sheets-language]", "es").await;
    app.wait_js(
        "Spanish preview",
        "document.querySelector('[data-testid=sheets-preview] [data-line=title]')?.textContent.trim().startsWith('Ruta ')",
    )
    .await;
    js_click(&app, "[data-testid=sheets-format][value=html]").await;
    app.screenshot("plan-sheets").await;
    app.save_route_sheets().await;
    let pages: Vec<_> = std::fs::read_dir(&sheets_dir).unwrap().flatten().map(|e| e.path()).collect();
    let with_stops = served.iter().filter(|r| !r.is_empty()).count();
    assert_eq!(pages.len(), with_stops, "one page per run");
    assert!(pages.iter().all(|p| p.extension().is_some_and(|e| e == "html")));
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        assert!(html.contains("geo:") && !html.contains("tel:"), "phones switched off");
        assert!(html.contains("<html lang=\"es\"") && html.contains("nadie en casa"), "in Spanish");
    }
    click(&app, "[data-testid=sheets-done]").await;

    // "Print all runs": one PDF per run and one with every run, into the same folder.
    click(&app, "[data-testid=plan-sheets]").await;
    app.wait_css("[data-testid=sheets-dialog]").await;
    js_click(&app, "[data-testid=sheets-format][value=pdf]").await;
    app.save_route_sheets().await;
    let pdfs: Vec<_> = std::fs::read_dir(&sheets_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), with_stops + usize::from(with_stops > 1), "a PDF per run and the combined one");
    let all = pdfs.iter().find(|p| p.to_string_lossy().ends_with("all-runs.pdf")).or(pdfs.first()).unwrap();
    let text = std::process::Command::new("pdftotext").arg(all).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Ruta ") && text.contains("entregado"), "the printed sheets are in Spanish");
    click(&app, "[data-testid=sheets-done]").await;
    let label =
        app.wait_js("label", &format!("document.querySelector(\"[data-stop-id='{first}']\").dataset.label")).await;
    let household = app
        .wait_js("household", &format!("document.querySelector(\"[data-stop-id='{first}']\").dataset.household"))
        .await;
    let household = household.as_str().unwrap().to_string();

    // Back on the main screen: the delivered household's need, the depot's issued stock.
    click(&app, "[data-testid=close-planning]").await;
    app.wait_css("[data-testid=search]").await.send_keys(label.as_str().unwrap()).await.unwrap();
    let row = format!("[data-testid=household-list] [data-row][data-id='{household}']");
    app.wait_js("found", &format!("!!document.querySelector(\"{row}\")")).await;
    click(&app, &row).await;
    let shown = format!(
        "document.querySelector('[data-testid=household-panel]')?.getAttribute('aria-label') === {}",
        serde_json::to_string(label.as_str().unwrap()).unwrap()
    );
    app.wait_js("its panel", &shown).await;
    app.wait_css("[data-testid=need][data-status=delivered]").await;
    click(&app, "[data-testid=tab-sites]").await;
    let depot_name = serde_json::to_string(depot.as_str().unwrap()).unwrap();
    app.wait_js(
        "the depot listed",
        &format!(
            "[...document.querySelectorAll('[data-testid=site-row]')].some(r => r.innerText.includes({depot_name}))"
        ),
    )
    .await;
    let rows = app.client.find_all(Locator::Css("[data-testid=site-row]")).await.unwrap();
    let mut found = false;
    for r in rows {
        if r.text().await.unwrap().contains(depot.as_str().unwrap()) {
            r.click().await.unwrap();
            found = true;
            break;
        }
    }
    assert!(found, "the run's depot in the sites list");
    app.wait_js(
        "issued and returned",
        "(() => { const h = document.querySelector('[data-testid=stock-history]')?.innerText ?? ''; return h.includes('supply runs of') && h.includes('returned from'); })()",
    )
    .await;
    app.screenshot("plan-depot-stock").await;
    app.quit().await;
}
