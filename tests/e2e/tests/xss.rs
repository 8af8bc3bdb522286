//! User text is shown as text, never run as HTML: a household named like an HTML payload and a
//! need note with a script tag appear literally in the list and the panel, and nothing runs.

use aidmap::household::HouseholdInput;
use aidmap::need::NeedInput;
use aidmap::vocab::{Category, Urgency};
use aidmap::Store;
use aidmap_e2e::App;

const NAME: &str = r#"<img src=x onerror="window.__xss=1">"#;
const NOTE: &str = "<script>window.__xss=2</script>";

#[tokio::test(flavor = "multi_thread")]
async fn html_in_user_text_is_shown_as_text() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().join("xss.aidmap");
    let mut store = Store::create(&path, "<b>Op</b>", "e2e").unwrap();
    // An operator profile name is user text too: it shows in the audit log viewer.
    store.set_operator(NAME).unwrap();
    let mut input = HouseholdInput::at(NAME, 43.73, 7.42);
    input.access_notes = "<b>bold</b> <a href=javascript:alert(1)>x</a>".into();
    input.address = "<iframe src=about:blank></iframe>".into();
    let h = store.create_household(&input).unwrap();
    let mut need = NeedInput::new(Category::Water, 6.0, "L", Urgency::High);
    need.notes = NOTE.into();
    store.add_need(&h.id, &need).unwrap();
    drop(store);
    aidmap::recent::push(data.path(), &path, "xss").unwrap();

    let app = App::launch(data.path()).await;
    let row = app.wait_css("[data-testid=household-list] [data-row]").await;
    let shown =
        app.wait_js("row name", "document.querySelector('[data-testid=household-list] .name')?.textContent").await;
    assert_eq!(shown, NAME);
    row.click().await.unwrap();
    app.wait_css("[data-testid=household-panel]").await;
    let title =
        app.wait_js("panel title", "document.querySelector('[data-testid=household-panel] h2')?.textContent").await;
    assert_eq!(title, NAME);
    let note = app.wait_js("need note", "document.querySelector('[data-testid=need] .notes')?.textContent").await;
    assert_eq!(note, NOTE);
    let op = app.wait_js("op name", "document.querySelector('[data-testid=operation-name]')?.textContent").await;
    assert_eq!(op, "<b>Op</b>");
    app.wait_css("[data-testid=settings]").await.click().await.unwrap();
    app.wait_css("[data-testid=open-audit]").await.click().await.unwrap();
    app.wait_css("[data-testid=audit-row]").await;
    let operators = app
        .wait_js(
            "audit operators",
            "[...document.querySelectorAll('[data-testid=audit-row] td:nth-child(2)')].map(td => td.textContent)",
        )
        .await;
    assert_eq!(operators, serde_json::json!([NAME, NAME]), "the operator name is shown as text");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let injected = app
        .client
        .execute(
            "return { xss: window.__xss ?? null,
                      imgs: document.querySelectorAll('img[src=x]').length,
                      iframes: document.querySelectorAll('iframe').length,
                      bolds: document.querySelectorAll('main b, header b').length,
                      scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length }",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(injected, serde_json::json!({"xss": null, "imgs": 0, "iframes": 0, "bolds": 0, "scripts": 0}));
    app.screenshot("xss-as-text").await;
    app.client
        .execute("document.querySelector('[data-testid=audit-dialog] button.primary').click(); return 1", vec![])
        .await
        .unwrap();

    // Navigation away from the app is blocked.
    let before = app.client.execute("return location.href", vec![]).await.unwrap();
    let _ = app.client.execute("location.href = 'https://example.org/'; return 1", vec![]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let after = app.client.execute("return location.href", vec![]).await.unwrap();
    assert_eq!(after, before, "navigated away");
    assert!(
        app.client.execute("return !!document.querySelector('[data-testid=household-list]')", vec![]).await.unwrap()
            == true
    );
    app.quit().await;
}
