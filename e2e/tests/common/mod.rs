//! What the journeys share: personas, logging in through the login node imitation, typed API reads.
#![allow(dead_code, reason = "each test binary uses a part of the helpers")]

use e2e::{Demo, Session};
use serde::de::DeserializeOwned;

pub fn today() -> time::Date {
    time::Date::parse(e2e::TODAY, time::macros::format_description!("[year]-[month]-[day]")).expect("TODAY is a date")
}

/// The demo persona with this key (`owner`, `farmer`, `company`, `debtor`, `clerk`, `admin`) and
/// its position in the login node's picker.
pub fn persona(key: &str) -> (usize, demo::Persona) {
    let personas = demo::personas().expect("demo personas");
    personas.into_iter().enumerate().find(|(_, p)| p.key == key).unwrap_or_else(|| panic!("no persona {key}"))
}

/// Logs in as a person does: the portal's login button, the login node's persona picker (click the
/// persona, then "log in"), back to the portal. Screens and axe-checks each page on the way.
pub async fn login(s: &Session, demo: &Demo, key: &str) {
    let (index, p) = persona(key);
    s.goto(&format!("{}/", demo.base)).await;
    s.wait_for_spa().await;
    s.wait_for_element(".login-button").await;
    s.check("login-page").await;
    s.click(".login-button").await;
    s.wait_for_element("input[name=persona]").await;
    s.check("login-node-persona-picker").await;
    s.click(&format!("label[for=osoba-{index}]")).await;
    s.wait_for(&format!("document.getElementById('osoba-{index}').checked"), "the persona to be chosen").await;
    s.click("button[value=login]").await;
    // The node posts the artifact back; the portal starts the session and opens the SPA.
    s.wait_for(
        &format!("location.origin === {} && location.pathname.indexOf('/fake-wk') !== 0", e2e::browser::js_string(&demo.base)),
        "the way back to the portal",
    )
    .await;
    s.wait_for_spa().await;
    s.wait_for_text(&p.name).await;
}

/// An API read with a persona's token, typed with the `api-types` contract.
pub async fn api<T: DeserializeOwned>(demo: &Demo, path: &str, token: &str) -> T {
    let value = demo.get(path, token).await;
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("GET {path}: {e}: {value}"))
}

/// The amount in an element's text (as the SPA formats it) as the API's decimal string.
pub fn amount_in(text: &str) -> String {
    e2e::shown_amount(text).unwrap_or_else(|| panic!("no amount in {text:?}"))
}

/// The text of a PDF (poppler's `pdftotext`), or `None` where it is not installed.
pub fn pdf_text(bytes: &[u8], keep_as: &std::path::Path) -> Option<String> {
    std::fs::write(keep_as, bytes).expect("PDF written");
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(keep_as).arg("-").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Checks that the bytes are a valid PDF that says `needle`.
pub fn assert_pdf_says(bytes: &[u8], needle: &str, keep_as: &std::path::Path) {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF ({} bytes)", bytes.len());
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    assert!(tail.windows(5).any(|w| w == b"%%EOF"), "the PDF has no %%EOF trailer");
    match pdf_text(bytes, keep_as) {
        Some(text) => assert!(text.contains(needle), "the PDF does not say {needle:?}:\n{text}"),
        None => {
            eprintln!("[e2e] pdftotext is not installed: looking for {needle:?} in the raw PDF");
            assert!(bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "the PDF does not contain {needle:?}");
        }
    }
}

/// The taxpayer (first linked) of a persona's token.
pub async fn first_taxpayer(demo: &Demo, token: &str) -> api_types::TaxpayerSummary {
    let list: api_types::TaxpayerList = api(demo, "/api/v1/taxpayers", token).await;
    list.items.into_iter().next().expect("the persona has a taxpayer")
}

pub async fn obligations(demo: &Demo, token: &str, tid: uuid::Uuid) -> api_types::ObligationsPage {
    api(demo, &format!("/api/v1/taxpayers/{tid}/obligations?per_page=200"), token).await
}

/// Prints the accessibility results of a session (the report's table).
pub fn print_axe(s: &Session) {
    if let Ok(results) = s.axe_results.lock() {
        for r in results.iter() {
            eprintln!("[e2e] axe | {:<32} | {:>2} violations | {:>3} rules passed | {}", r.page, r.violations.len(), r.passes, r.url);
        }
    }
}
