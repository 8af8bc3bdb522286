//! The demo's region pack in the real app: address search as you type flies the map to the
//! result, and a new household is located from its address.

use aidmap_e2e::fantoccini::Locator;
use aidmap_e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn address_search_and_locate_from_address() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path()).await;
    app.wait_css("[data-testid=demo-badge]").await;
    assert!(data.path().join("demo.region").exists(), "the demo gets its Monaco region pack");

    // Search with a typo and no accents.
    let search = app.wait_css("[data-testid=address-search] input").await;
    search.send_keys("avenue princese grace").await.unwrap();
    let first = app.wait_css("[data-testid=address-result]").await;
    let label = first.text().await.unwrap();
    assert!(label.contains("Princesse Grace"), "{label}");
    app.screenshot("address-search").await;
    let before = app.wait_js("centre", "document.querySelector('[data-testid=map]').dataset.center").await;
    first.click().await.unwrap();
    app.wait_js("map moved", &format!("document.querySelector('[data-testid=map]').dataset.center !== {before}")).await;
    app.wait_js("results closed", "!document.querySelector('[data-testid=address-results]')").await;

    // A new household placed by its address.
    app.wait_css("[data-testid=new-household]").await.click().await.unwrap();
    let form = app.wait_css("[data-testid=household-form]").await;
    form.find(Locator::Css("input[name=address]")).await.unwrap().send_keys("Boulevard de Belgique").await.unwrap();
    let lat_before = form.find(Locator::Css("input[name=lat]")).await.unwrap().prop("value").await.unwrap();
    app.wait_css("[data-testid=locate]").await.click().await.unwrap();
    let located = app.wait_css("[data-testid=located]").await.text().await.unwrap();
    assert!(located.contains("Boulevard de Belgique"), "{located}");
    let lat_after = form.find(Locator::Css("input[name=lat]")).await.unwrap().prop("value").await.unwrap();
    assert_ne!(lat_before, lat_after, "the pin moved to the address");
    app.screenshot("located-from-address").await;
    app.quit().await;
}
