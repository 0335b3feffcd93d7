//! The bad paths, each with the misbehaviour switched on at start-up: a payment notification with a
//! tampered hash, a login response signed with the wrong key, a broken statement file. Each ends in
//! a clear message in the browser and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a test fails by panicking")]

mod common;

use api_types::{AuditPage, ObligationsPage, PaymentList, PaymentView, StatementImportPage, UnmatchedPage};
use common::{api, first_taxpayer, login, obligations, persona, print_axe};
use e2e::browser::js_string;
use e2e::{Demo, Session};
use serde_json::Value;

async fn audit(demo: &Demo, action: &str) -> AuditPage {
    let (_, admin) = persona("admin");
    let token = demo.token(admin.pesel.as_str()).await;
    api(demo, &format!("/api/v1/admin/audit-log?action={action}&per_page=50"), &token).await
}

/// PayByNet's notification arrives with a corrupted hash (`--simulator-tamper-hash`): the portal
/// refuses it; the resident sees the payment still waiting for confirmation; nothing is booked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_payment_notification_books_nothing() {
    let demo = Demo::start(&["--simulator-tamper-hash"]).await;
    let s = Session::launch("tampered_payment_notification").await;
    let (_, debtor) = persona("debtor");
    let token = demo.token(debtor.pesel.as_str()).await;
    let tid = first_taxpayer(&demo, &token).await.id;
    let before: ObligationsPage = obligations(&demo, &token, tid).await;
    let payments_before: PaymentList = api(&demo, &format!("/api/v1/taxpayers/{tid}/payments"), &token).await;

    login(&s, &demo, "debtor").await;
    s.click(&format!("a[href='/taxpayers/{tid}/pay']")).await;
    s.wait_for_spa().await;
    s.wait_for("document.querySelector('.pay-action button') && !document.querySelector('.pay-action button').disabled", "the pay button")
        .await;
    s.check("pay-everything-overdue").await;
    s.click(".pay-action button").await;
    s.wait_for_element("input[name=bank]").await;
    s.click("label[for=bank-2]").await;
    s.click("form[method=get] button[type=submit]").await;
    s.wait_for_element("button[value=confirm]").await;
    s.shot("simulator-authorise").await;
    s.click("button[value=confirm]").await;
    s.wait_for("location.pathname.startsWith('/platnosci/')", "the return to the portal").await;
    s.wait_for_spa().await;
    s.wait_for_element(".badge.payment-pending").await;
    s.wait_for_text("Czekamy na potwierdzenie od operatora płatności").await;
    s.check("payment-still-pending").await;
    // The page asks again every 3 s: after two more rounds it is still not booked.
    tokio::time::sleep(std::time::Duration::from_secs(7)).await;
    assert!(s.eval::<bool>("!!document.querySelector('.badge.payment-pending') && !document.querySelector('.badge.payment-booked')").await);
    assert!(!s.body_text().await.contains("Potwierdzenie wpłaty (PDF)"), "no receipt for a payment that is not booked");
    s.shot("payment-still-pending-later").await;

    let pid: String = s.eval("location.pathname.split('/')[2]").await;
    let payment: PaymentView = api(&demo, &format!("/api/v1/payments/{pid}"), &token).await;
    assert_eq!(payment.status, "pending", "the tampered notification did not book the payment");
    assert!(payment.allocations.is_empty());
    let after: ObligationsPage = obligations(&demo, &token, tid).await;
    assert_eq!(after.totals, before.totals, "the debts are unchanged");
    let payments_after: PaymentList = api(&demo, &format!("/api/v1/taxpayers/{tid}/payments"), &token).await;
    assert_eq!(
        payments_after.items.iter().filter(|p| p.status == "booked").count(),
        payments_before.items.iter().filter(|p| p.status == "booked").count(),
        "no payment was booked"
    );
    let refused = audit(&demo, "payment.notification_refused").await;
    assert!(refused.total_items >= 1, "the refused notification is audited");
    assert_eq!(audit(&demo, "payment.booked").await.total_items, 0, "nothing was booked");
    eprintln!("[e2e] tampered notification: refused {} time(s), payment {pid} still pending, totals unchanged", refused.total_items);

    print_axe(&s);
    s.close().await;
    demo.stop();
}

/// The login node signs its response with a key the portal does not trust (`--fake-wk-misbehaviour
/// wrong-key`): a plain error page, no session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_login_response_starts_no_session() {
    let demo = Demo::start(&["--fake-wk-misbehaviour", "wrong-key"]).await;
    let s = Session::launch("forged_login_response").await;
    let (index, _) = persona("owner");
    s.goto(&format!("{}/", demo.base)).await;
    s.wait_for_spa().await;
    s.click(".login-button").await;
    s.wait_for_element("input[name=persona]").await;
    s.shot("login-node-persona-picker").await;
    s.click(&format!("label[for=osoba-{index}]")).await;
    s.click("button[value=login]").await;
    s.wait_for("location.pathname === '/auth/acs' && document.querySelector('h1')", "the portal's answer").await;
    s.check("login-refused").await;
    assert_eq!(s.text("h1").await, "Logowanie nie powiodło się");
    let text = s.body_text().await;
    assert!(text.contains("Odpowiedź z Węzła Krajowego została odrzucona"), "{text}");
    // No session: the refresh cookie was never set, the SPA shows the login page again.
    let refresh: Value =
        s.eval("fetch('/auth/refresh', { method: 'POST', headers: { 'X-Requested-With': 'naleznosci-spa' } }).then(r => r.status)").await;
    assert_eq!(refresh, Value::from(401), "no session after a forged login response");
    s.click_text("a", "Strona główna").await;
    s.wait_for_spa().await;
    s.wait_for_element(".login-button").await;
    s.check("still-logged-out").await;
    let refused = audit(&demo, "login.refused").await;
    assert_eq!(refused.total_items, 1, "the refused login is audited");
    assert_eq!(refused.items[0].outcome, "denied");
    assert_eq!(audit(&demo, "login").await.total_items, 0, "nobody logged in");
    eprintln!("[e2e] forged login response: refused and audited ({} {})", refused.items[0].action, refused.items[0].outcome);

    print_axe(&s);
    s.close().await;
    demo.stop();
}

/// A statement file cut off in the middle: the clerk's upload screen says it cannot be read (and
/// where), and nothing is imported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_statement_file_imports_nothing() {
    let demo = Demo::start(&[]).await;
    let s = Session::launch("broken_statement_file").await;
    let (_, clerk) = persona("clerk");
    let clerk_token = demo.token(clerk.pesel.as_str()).await;
    let (_, farmer) = persona("farmer");
    let farmer_token = demo.token(farmer.pesel.as_str()).await;
    let farmer_tid = first_taxpayer(&demo, &farmer_token).await.id;
    let farmer_before: PaymentList = api(&demo, &format!("/api/v1/taxpayers/{farmer_tid}/payments"), &farmer_token).await;
    // The demo's own statement, cut off in the middle as an interrupted download would be.
    let whole = std::fs::read(demo.demo_statement()).expect("the demo wrote its statement");
    let broken = demo.dir.path().join("wyciag-uciety.sta");
    std::fs::write(&broken, &whole[..whole.len() / 2]).unwrap();

    login(&s, &demo, "clerk").await;
    s.goto(&format!("{}/admin/statements", demo.base)).await;
    s.wait_for_spa().await;
    s.choose_file("#statement-file", &broken).await;
    s.click("form button[type=submit]").await;
    s.wait_for_element("#import-error").await;
    s.check("broken-statement-refused").await;
    let error = s.text("#import-error").await;
    assert!(error.contains("Tego pliku nie da się odczytać jako wyciągu bankowego. Nic nie zaimportowano."), "{error}");
    assert!(error.contains("line"), "the detail names the line: {error}");
    assert!(s.eval::<bool>("!document.getElementById('sum-matched')").await, "no summary");
    assert_eq!(s.text("#upload-status").await, "Importu nie wykonano.");
    // Nothing imported, nothing queued, nothing booked.
    let imports: StatementImportPage = api(&demo, "/api/v1/admin/statements", &clerk_token).await;
    assert_eq!(imports.total_items, 0);
    let queue: UnmatchedPage = api(&demo, "/api/v1/admin/unmatched", &clerk_token).await;
    assert_eq!(queue.total_items, 0);
    let farmer_after: PaymentList = api(&demo, &format!("/api/v1/taxpayers/{farmer_tid}/payments"), &farmer_token).await;
    assert_eq!(farmer_after.items.len(), farmer_before.items.len());
    s.wait_for(&format!("document.body.innerText.includes({})", js_string("Nie zaimportowano jeszcze żadnego wyciągu.")), "the empty list")
        .await;
    eprintln!("[e2e] broken statement: {error:?}");

    print_axe(&s);
    s.close().await;
    demo.stop();
}
