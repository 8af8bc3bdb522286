//! The planning board in the real app, on the demo: plan tomorrow, move a stop to another run,
//! undo and redo it, lock it and a whole run, re-optimise the rest, dispatch, record outcomes,
//! and see the need statuses and the depot stock change.

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
        .execute("arguments[0].scrollIntoView({block: 'center'}); return true;", vec![serde_json::to_value(&e).unwrap()])
        .await
        .unwrap();
    e.click().await.unwrap();
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
    let app = App::launch(data.path()).await;
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
    app.wait_js("shifts listed", "document.querySelectorAll('[data-testid=plan-shift]').length > 0").await;
    app.wait_js("needs counted", "/[1-9]/.test(document.querySelector('[data-testid=plan-counts]').innerText)").await;
    app.screenshot("plan-setup").await;
    click(&app, "[data-testid=plan-run]").await;
    app.wait_css("[data-testid=plan-progress]").await;
    app.wait_css("[data-testid=plan-review]").await;
    app.wait_js("two runs with stops", "[...document.querySelectorAll('[data-testid=plan-run-card]')].filter(c => c.querySelector('[data-testid=plan-stop]')).length >= 2").await;
    app.wait_css("[data-testid=plan-feasible]").await;
    app.screenshot("plan-review").await;

    // Move the first stop of the first busy run to the end of another busy run.
    let before = runs(&app).await;
    let busy: Vec<usize> = (0..before.len()).filter(|&i| !before[i].is_empty()).collect();
    let (a, b) = (busy[0], busy[1]);
    let stop = before[a][0].clone();
    let target_run = app
        .wait_js("run ids", &format!("document.querySelectorAll('[data-testid=plan-run-card]')[{b}].dataset.runId"))
        .await;
    choose(
        &app,
        &format!("[data-stop-id='{stop}'] [data-testid=stop-move-run]"),
        target_run.as_str().unwrap(),
    )
    .await;
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
    app.wait_js("stop locked", &format!("document.querySelector(\"[data-stop-id='{stop}']\").dataset.locked === 'true'")).await;
    let run_a = app
        .wait_js("run a", &format!("document.querySelectorAll('[data-testid=plan-run-card]')[{a}].dataset.runId"))
        .await;
    let run_a = run_a.as_str().unwrap().to_string();
    click(&app, &format!("[data-run-id='{run_a}'] [data-testid=run-lock]")).await;
    app.wait_js("run locked", &format!("document.querySelector(\"[data-run-id='{run_a}']\").dataset.locked === 'true'")).await;
    let locked_stops = runs(&app).await[a].clone();
    app.screenshot("plan-locked").await;
    click(&app, "[data-testid=plan-reoptimise]").await;
    app.wait_css("[data-testid=plan-progress]").await;
    app.wait_js("search done", "!document.querySelector('[data-testid=plan-progress]')").await;
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
    app.wait_js("dispatched", "document.querySelector('[data-testid=plan-status]').dataset.status === 'dispatched'").await;
    let served = runs(&app).await;
    let first = served[b][0].clone();
    let second = served[b][1].clone();
    choose(&app, &format!("[data-stop-id='{first}'] [data-testid=stop-outcome]"), "delivered").await;
    app.wait_js("outcome saved", &format!("document.querySelector(\"[data-stop-id='{first}']\").dataset.outcome === 'delivered'")).await;
    choose(&app, &format!("[data-stop-id='{second}'] [data-testid=stop-outcome]"), "nobody_home").await;
    app.wait_js("outcome saved", &format!("document.querySelector(\"[data-stop-id='{second}']\").dataset.outcome === 'nobody_home'")).await;
    app.screenshot("plan-outcomes").await;
    let label = app
        .wait_js("label", &format!("document.querySelector(\"[data-stop-id='{first}']\").dataset.label"))
        .await;

    // Back on the main screen: the delivered household's need, the depot's issued stock.
    click(&app, "[data-testid=close-planning]").await;
    app.wait_css("[data-testid=search]").await.send_keys(label.as_str().unwrap()).await.unwrap();
    app.wait_js("found", "document.querySelectorAll('[data-testid=household-list] [data-row]').length >= 1").await;
    app.client.find(Locator::Css("[data-testid=household-list] [data-row]")).await.unwrap().click().await.unwrap();
    app.wait_css("[data-testid=need][data-status=delivered]").await;
    click(&app, "[data-testid=tab-sites]").await;
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
        "(() => { const h = document.querySelector('[data-testid=stock-history]').innerText; return h.includes('supply runs of') && h.includes('returned from'); })()",
    )
    .await;
    app.screenshot("plan-depot-stock").await;
    app.quit().await;
}
