//! Every page of the web app, opened by its address against the running demo: what it shows is
//! checked against the API for the same person, and axe-core runs on it. The journeys
//! (resident.rs, clerk.rs) cover the flows between pages; this covers the pages they pass by.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a test fails by panicking")]

mod common;

use api_types::{AuditPage, InterestRates, PaymentList, PaymentQuote, Settings, SyncStatus, UserPage};
use e2e::{Demo, Session};
use serde_json::json;

use common::{amount_in, api, first_taxpayer, login, obligations, persona, print_axe};

/// Opens a page by its address (a reload: the session survives through its refresh cookie) and
/// waits for its heading.
async fn open(s: &Session, demo: &Demo, path: &str, heading: &str) {
    s.goto(&format!("{}{path}", demo.base)).await;
    s.wait_for_spa().await;
    s.wait_for(
        &format!("(document.querySelector('main h1') || {{}}).innerText === {}", e2e::browser::js_string(heading)),
        &format!("the heading {heading:?} on {path}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_staff_page_shows_what_the_api_says() {
    let demo = Demo::start(&[]).await;
    let s = Session::launch("staff_pages").await;
    let (_, admin) = persona("admin");
    let token = demo.token(admin.pesel.as_str()).await;
    login(&s, &demo, "admin").await;

    open(&s, &demo, "/admin", "Panel urzędnika").await;
    for section in
        ["/admin/users", "/admin/rates", "/admin/settings", "/admin/audit", "/admin/statements", "/admin/unmatched", "/admin/sync"]
    {
        let link = format!("nav.sub-nav a[href='{section}']");
        assert!(s.try_eval(&format!("!!document.querySelector({})", e2e::browser::js_string(&link))).await == Some(json!(true)), "{link}");
    }
    s.check("page-admin-home").await;

    let users: UserPage = api(&demo, "/api/v1/admin/users?per_page=20", &token).await;
    open(&s, &demo, "/admin/users", "Użytkownicy").await;
    s.wait_for_text(&format!("Liczba kont: {}", users.total_items)).await;
    s.wait_for_text(&users.items[0].display_name).await;
    s.check("page-admin-users").await;

    let rates: InterestRates = api(&demo, "/api/v1/admin/interest-rates", &token).await;
    open(&s, &demo, "/admin/rates", "Stawki odsetek za zwłokę").await;
    let verified = rates.verified_up_to;
    s.wait_for_text(&format!("{:02}.{:02}.{}", verified.day(), u8::from(verified.month()), verified.year())).await;
    let rows: u64 = s.eval("document.querySelectorAll('section[aria-labelledby=rates-h] tbody tr').length").await;
    assert_eq!(rows as usize, rates.rates.len(), "one row per rate period");
    s.check("page-admin-rates").await;

    let settings: Settings = api(&demo, "/api/v1/admin/settings", &token).await;
    open(&s, &demo, "/admin/settings", "Ustawienia gminy").await;
    s.wait_for(
        &format!("[...document.querySelectorAll('input')].some(i => i.value === {})", e2e::browser::js_string(&settings.name)),
        "the municipality's name",
    )
    .await;
    s.check("page-admin-settings").await;

    let audit: AuditPage = api(&demo, "/api/v1/admin/audit-log?per_page=20", &token).await;
    open(&s, &demo, "/admin/audit", "Dziennik zdarzeń").await;
    s.wait_for("document.querySelectorAll('main tbody tr').length > 0", "audit rows").await;
    assert!(audit.total_items > 0);
    s.check("page-admin-audit").await;

    let sync: SyncStatus = api(&demo, "/api/v1/admin/sync-status", &token).await;
    assert_eq!(sync.mode, "standalone", "the demo has no domain system");
    open(&s, &demo, "/admin/sync", "Synchronizacja z systemami dziedzinowymi").await;
    s.wait_for_text("Tryb samodzielny").await;
    s.check("page-admin-sync").await;

    print_axe(&s);
    s.close().await;
    demo.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_resident_page_shows_what_the_api_says() {
    let demo = Demo::start(&[]).await;
    let s = Session::launch("resident_pages").await;
    let (_, farmer) = persona("farmer");
    let token = demo.token(farmer.pesel.as_str()).await;
    let taxpayer = first_taxpayer(&demo, &token).await;
    let tid = taxpayer.id;
    login(&s, &demo, "farmer").await;

    // Payment history: one row per payment, the farmer's late and partial payments among them.
    let payments: PaymentList = api(&demo, &format!("/api/v1/taxpayers/{tid}/payments"), &token).await;
    assert!(!payments.items.is_empty(), "the farmer has paid before");
    open(&s, &demo, &format!("/taxpayers/{tid}/payments"), "Historia wpłat").await;
    s.wait_for(&format!("document.querySelectorAll('main tbody tr').length === {}", payments.items.len()), "one row per payment").await;
    s.check("page-payments").await;

    // What if I pay on a later day: the page's figure is the API's for that day.
    let day = "2027-01-15";
    let quote: PaymentQuote =
        serde_json::from_value(demo.post(&format!("/api/v1/taxpayers/{tid}/payment-quote"), &token, &json!({ "day": day })).await)
            .expect("a quote");
    open(&s, &demo, &format!("/taxpayers/{tid}/what-if"), "Co, jeśli zapłacę…").await;
    s.eval::<bool>(&format!(
        "(() => {{ const i = document.getElementById('wi-day'); i.value = '{day}'; i.dispatchEvent(new Event('input', {{ bubbles: true }})); return true; }})()"
    ))
    .await;
    s.click("form.card button[type=submit]").await;
    s.wait_for_text("15.01.2027").await;
    s.wait_for("document.querySelectorAll('#wi-result-h ~ dl.totals dd').length >= 2", "the result").await;
    let all: String = s.eval("document.querySelectorAll('#wi-result-h ~ dl.totals dd')[1].innerText").await;
    assert_eq!(amount_in(&all), quote.to_pay_all.to_string(), "to pay everything on {day}");
    s.check("page-what-if").await;

    // Obligation detail of the first obligation: its decision number.
    let page = obligations(&demo, &token, tid).await;
    let first = &page.items[0];
    open(&s, &demo, &format!("/taxpayers/{tid}/obligations/{}", first.id), &first.title).await;
    s.wait_for_text(&first.decision_number).await;
    s.check("page-obligation").await;

    // The pages a public body must publish, filled from the municipality's settings.
    open(&s, &demo, "/deklaracja-dostepnosci", "Deklaracja dostępności").await;
    s.check("page-accessibility-statement").await;
    open(&s, &demo, "/rodo", "Ochrona danych osobowych (RODO)").await;
    s.check("page-privacy-notice").await;
    open(&s, &demo, "/nie-ma-takiej-strony", "Nie znaleziono strony").await;
    s.check("page-not-found").await;

    // The language switch: English, kept across a reload, and back to Polish.
    s.click("button.lang-switch").await;
    s.wait_for("document.documentElement.lang === 'en'", "English").await;
    open(&s, &demo, "/rodo", "Personal data protection (GDPR)").await;
    s.check("page-privacy-notice-en").await;
    s.click("button.lang-switch").await;
    s.wait_for("document.documentElement.lang === 'pl'", "Polish again").await;

    print_axe(&s);
    s.close().await;
    demo.stop();
}

/// Issue 8's budget: the residents' bundle (WASM + JS, each file compressed with brotli as a
/// browser downloads it) at most 300 KB. Measured on the built `frontend/dist`.
#[test]
fn the_residents_bundle_is_within_its_budget() {
    const BUDGET: usize = 300_000;
    let dist = e2e::server::spa_dir();
    let mut total = 0;
    for file in ["app_bg.wasm", "app.js", "app-boot.js"] {
        let path = dist.join(file);
        let out = std::process::Command::new("brotli")
            .args(["-q", "11", "-c"])
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("brotli (installed by scripts/setup.sh): {e}"));
        assert!(out.status.success(), "brotli {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        eprintln!("[e2e] bundle | {file:<12} | {:>8} bytes brotli", out.stdout.len());
        total += out.stdout.len();
    }
    eprintln!("[e2e] bundle | residents    | {total:>8} bytes brotli (budget {BUDGET})");
    assert!(total <= BUDGET, "the residents' bundle is {total} bytes with brotli, over the budget of {BUDGET}");
}
