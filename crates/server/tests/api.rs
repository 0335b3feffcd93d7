//! Black-box API tests: the real server on port 0 with a database of its own, seeded with a small
//! demo, on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

mod common;

use common::{TODAY, TestApp, each_backend};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;

#[tokio::test(flavor = "multi_thread")]
async fn health_metrics_docs_and_headers() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, false).await;
        let res = app.http.get(format!("{}/health", app.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        for header in ["content-security-policy", "x-content-type-options", "referrer-policy"] {
            assert!(res.headers().contains_key(header), "{backend}: {header}");
        }
        assert_eq!(res.json::<Value>().await.unwrap()["database"], "ok");
        let metrics = app.http.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(metrics.contains("naleznosci_http_requests_total"), "{metrics}");
        let spec = app.http.get(format!("{}/api-docs/openapi.json", app.base)).send().await.unwrap().json::<Value>().await.unwrap();
        assert_eq!(spec["openapi"], "3.1.0");
        let ui = app.http.get(format!("{}/swagger-ui/", app.base)).send().await.unwrap();
        assert_eq!(ui.status(), StatusCode::OK);
        // The development token endpoint does not exist without --dev-token.
        let res = app.http.post(format!("{}/api/v1/dev/token", app.base)).json(&json!({ "pesel": "78041212049" })).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{backend}");
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resident_sees_own_obligations_with_consistent_totals() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let token = app.token("farmer").await;
        let (status, me) = app.get("/api/v1/me", &token).await;
        assert_eq!((status, me["display_name"].as_str()), (StatusCode::OK, Some("Jan Nowak")));
        let (taxpayer, _) = app.taxpayer_of(&token).await;
        let (status, page) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/obligations?per_page=200"), &token).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["as_of"], TODAY);
        let sum = |field: &str| -> rust_decimal::Decimal {
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["totals"][field].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
                .sum()
        };
        for field in ["due", "overdue", "interest_today", "to_pay_today"] {
            assert_eq!(sum(field).to_string(), page["totals"][field].as_str().unwrap(), "{backend}: {field}");
        }
        // The 2026 combined obligation: installment 2 was paid 63 days late without interest, so the
        // art. 55 § 2 split took part of it for interest.
        let combined = page["items"].as_array().unwrap().iter().find(|o| o["kind"] == "combined_obligation" && o["year"] == 2026).unwrap();
        let (status, detail) = app.get(&format!("/api/v1/obligations/{}", combined["id"].as_str().unwrap()), &token).await;
        assert_eq!(status, StatusCode::OK);
        let second = &detail["installments"][1];
        assert_ne!(second["interest_paid"], "0.00", "{detail}");
        assert_eq!(detail["basis_items"][0]["category"], "Grunty pozostałe");
        // A year filter and a status filter.
        let (_, only_2023) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/obligations?year=2023"), &token).await;
        assert!(only_2023["items"].as_array().unwrap().iter().all(|o| o["year"] == 2023));
        // Transfer details with the ZBP QR payload for the obligation.
        let (status, transfer) = app
            .get(&format!("/api/v1/taxpayers/{taxpayer}/transfer-details?obligation={}", combined["id"].as_str().unwrap()), &token)
            .await;
        assert_eq!(status, StatusCode::OK, "{transfer}");
        let payload = transfer["qr_payload"].as_str().unwrap();
        assert!(domain::zbp_qr::ZbpQr::parse(payload).is_ok(), "{payload}");
        // The image a banking app scans decodes to exactly that payload.
        let png = app
            .http
            .get(format!(
                "{}/api/v1/taxpayers/{taxpayer}/transfer-details/qr?obligation={}&format=png",
                app.base,
                combined["id"].as_str().unwrap()
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let mut prepared = rqrr::PreparedImage::prepare(image::load_from_memory(&png).unwrap().to_luma8());
        let grids = prepared.detect_grids();
        assert_eq!(grids[0].decode().unwrap().1, payload);
        assert!(transfer["iban"].as_str().unwrap().starts_with("PL"));
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn quote_the_amount_for_a_day_and_a_partial_payment() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let token = app.token("debtor").await;
        let (taxpayer, _) = app.taxpayer_of(&token).await;
        let (status, quote) = app.post(&format!("/api/v1/taxpayers/{taxpayer}/payment-quote"), &token, json!({})).await;
        assert_eq!(status, StatusCode::OK, "{quote}");
        assert_eq!(quote["day"], TODAY);
        assert_ne!(quote["interest_today"], "0.00", "the debtor owes interest: {quote}");
        // Paying exactly what is overdue clears the arrears.
        let (status, after) =
            app.post(&format!("/api/v1/taxpayers/{taxpayer}/payment-quote"), &token, json!({ "amount": quote["to_pay_overdue"] })).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(after["remaining_overdue"], "0.00", "{after}");
        let lines: rust_decimal::Decimal = after["lines"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|l| {
                ["principal", "interest", "reminder_costs"].map(|k| l[k].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
            })
            .sum();
        assert_eq!(lines.to_string(), quote["to_pay_overdue"].as_str().unwrap(), "the lines add up to the payment");
        app.stop().await;
    })
    .await;
}

/// Every resident endpoint refuses another resident's data with 404 (as if missing) and audits it.
#[tokio::test(flavor = "multi_thread")]
async fn residents_cannot_see_each_other() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let owner = app.token("owner").await;
        let farmer = app.token("farmer").await;
        let (taxpayer, obligation) = app.taxpayer_of(&farmer).await;
        let (_, detail) = app.get(&format!("/api/v1/obligations/{obligation}"), &farmer).await;
        let documents = detail["documents"].as_array().cloned().unwrap_or_default();
        let document = documents.first().and_then(|d| d["id"].as_str()).unwrap_or("00000000-0000-4000-8000-000000000000").to_string();
        let paths = [
            format!("/api/v1/taxpayers/{taxpayer}/obligations"),
            format!("/api/v1/obligations/{obligation}"),
            format!("/api/v1/obligations/{obligation}/documents/{document}"),
            format!("/api/v1/taxpayers/{taxpayer}/payments"),
            format!("/api/v1/taxpayers/{taxpayer}/transfer-details"),
        ];
        for path in &paths {
            let (status, body) = app.get(path, &owner).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{backend} {path}: {body}");
            assert_eq!(body["code"], "not_found");
            // A missing one looks the same.
            let missing = path
                .replace(&taxpayer, "00000000-0000-4000-8000-000000000001")
                .replace(&obligation, "00000000-0000-4000-8000-000000000002");
            let (status, _) = app.get(&missing, &owner).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        }
        let (status, _) = app.post(&format!("/api/v1/taxpayers/{taxpayer}/payment-quote"), &owner, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Each attempt is in the audit log as denied.
        let (denied, _) =
            app.store.audit_search(&store::AuditFilter { outcome: Some("denied".into()), ..Default::default() }, 0, 100).await.unwrap();
        assert!(denied.len() > paths.len(), "{backend}: {} denied entries", denied.len());
        // Without a token: 401 with a problem body.
        let res = app.http.get(format!("{}{}", app.base, paths[0])).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gets_problem_details() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let token = app.token("owner").await;
        let (taxpayer, _) = app.taxpayer_of(&token).await;
        let cases = [
            ("GET", "/api/v1/obligations/not-a-uuid".to_string(), Value::Null, "path"),
            ("GET", format!("/api/v1/taxpayers/{taxpayer}/obligations?as_of=2026-02-30"), Value::Null, "as_of"),
            ("GET", format!("/api/v1/taxpayers/{taxpayer}/obligations?status=late"), Value::Null, "status"),
            ("GET", format!("/api/v1/taxpayers/{taxpayer}/obligations?bogus=1"), Value::Null, "bogus"),
            ("POST", format!("/api/v1/taxpayers/{taxpayer}/payment-quote"), json!({ "amount": "-5.00" }), "body"),
            ("POST", format!("/api/v1/taxpayers/{taxpayer}/payment-quote"), json!({ "amount": "5.001" }), "body"),
            ("POST", format!("/api/v1/taxpayers/{taxpayer}/payment-quote"), json!({ "amount": "0" }), "amount"),
            ("POST", format!("/api/v1/taxpayers/{taxpayer}/payment-quote"), json!({ "surprise": true }), "surprise"),
            (
                "POST",
                "/api/v1/calculator/interest".to_string(),
                json!({ "principal": "100", "due": "2025-13-01", "paid": "2025-12-31" }),
                "body",
            ),
        ];
        for (method, path, body, field) in cases {
            let (status, problem) = if method == "GET" { app.get(&path, &token).await } else { app.post(&path, &token, body).await };
            assert_eq!(status, StatusCode::BAD_REQUEST, "{backend} {path}: {problem}");
            assert_eq!(problem["status"], 400);
            assert_eq!(problem["code"], "validation_failed", "{path}: {problem}");
            assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
        }
        // Not JSON at all.
        let res = app
            .http
            .post(format!("{}/api/v1/calculator/interest", app.base))
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn public_calculator_matches_the_cli_contract() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, false).await;
        let res = app
            .http
            .post(format!("{}/api/v1/calculator/interest", app.base))
            .json(&json!({ "principal": "1000.00", "due": "2025-03-15", "paid": "2025-12-31" }))
            .send()
            .await
            .unwrap();
        let v: Value = res.json().await.unwrap();
        assert_eq!(
            (v["interest"].as_str(), v["exact"].as_str(), v["effective_due"].as_str()),
            (Some("102.00"), Some("101.8630"), Some("2025-03-17")),
            "{v}"
        );
        assert_eq!(v["periods"].as_array().unwrap().len(), 7);
        let due = app
            .http
            .get(format!("{}/api/v1/calendar/due-date?date=2025-12-24", app.base))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        assert_eq!(due["effective_due_date"], "2025-12-29");
        assert_eq!(due["holidays"].as_array().unwrap().len(), 3);
        let rates = app.http.get(format!("{}/api/v1/interest-rates", app.base)).send().await.unwrap().json::<Value>().await.unwrap();
        assert_eq!(rates["verified_up_to"], "2026-10-08");
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn administration_is_role_checked_and_audited() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let resident = app.token("owner").await;
        let clerk = app.token("clerk").await;
        let admin = app.token("admin").await;
        let (status, _) = app.get("/api/v1/admin/users", &resident).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, users) = app.get("/api/v1/admin/users", &clerk).await;
        assert_eq!(status, StatusCode::OK);
        let owner = users["items"].as_array().unwrap().iter().find(|u| u["display_name"] == "Anna Kowalska").unwrap().clone();
        // A clerk links the owner as a proxy of the farmer's taxpayer; the owner then sees it.
        let farmer = app.token("farmer").await;
        let (farmer_taxpayer, _) = app.taxpayer_of(&farmer).await;
        let (status, link) = app.post(&format!("/api/v1/admin/users/{}/links", owner["id"].as_str().unwrap()), &clerk, json!({ "taxpayer_id": farmer_taxpayer, "kind": "proxy" })).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        let (_, list) = app.get("/api/v1/taxpayers", &resident).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 2);
        // Only an administrator grants roles or changes the rate table.
        let res = app.http.put(format!("{}/api/v1/admin/users/{}/roles", app.base, owner["id"].as_str().unwrap())).bearer_auth(&clerk).json(&json!({ "roles": ["resident", "clerk"] })).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (status, rates) = app
            .post("/api/v1/admin/interest-rates", &admin, json!({ "effective_from": "2026-11-05", "lombard": "4.00", "standard": "10", "reduced": "5", "increased": "15", "source": "test" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{rates}");
        let (status, broken) = app.post("/api/v1/admin/interest-rates", &admin, json!({ "effective_from": "2015-01-01", "standard": "8", "reduced": "4", "increased": "12", "source": "typo" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "{broken}");
        let (status, audit) = app.get("/api/v1/admin/audit-log?action=admin.links.add", &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(audit["total_items"], 1, "{audit}");
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_clients_use_client_credentials_and_scopes() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let secret = "s3cret-for-tests-only";
        app.store.insert_api_client("bip-app", "BIP", &hex::encode(sha2::Sha256::digest(secret)), "obligations:read").await.unwrap();
        let token = |secret: &'static str| {
            let app = &app;
            async move {
                app.http
                    .post(format!("{}/api/v1/oauth/token", app.base))
                    .form(&[("grant_type", "client_credentials"), ("client_id", "bip-app"), ("client_secret", secret)])
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(token("wrong").await.status(), StatusCode::UNAUTHORIZED);
        let res = token(secret).await;
        assert_eq!(res.status(), StatusCode::OK);
        let access = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
        let farmer = app.token("farmer").await;
        let (taxpayer, _) = app.taxpayer_of(&farmer).await;
        let (status, _) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/obligations"), &access).await;
        assert_eq!(status, StatusCode::OK);
        // payments:read was not granted.
        let (status, _) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/payments"), &access).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (entries, _) =
            app.store.audit_search(&store::AuditFilter { actor_id: Some("bip-app".into()), ..Default::default() }, 0, 100).await.unwrap();
        assert!(entries.iter().any(|e| e.action == "obligations.list" && e.outcome == "allowed"));
        assert!(entries.iter().any(|e| e.action == "payments.list" && e.outcome == "denied"));
        app.stop().await;
    })
    .await;
}

/// `api-spec/openapi.json` is the document the code generates; regenerate with
/// `cargo run -p server --bin naleznosci -- openapi > api-spec/openapi.json`.
#[test]
fn openapi_document_has_not_drifted() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../api-spec/openapi.json")).unwrap_or_default();
    let generated = server::openapi::document();
    assert!(
        committed == generated,
        "api-spec/openapi.json differs from the code; regenerate it with `cargo run -p server --bin naleznosci -- openapi > api-spec/openapi.json`"
    );
}

/// identity.md §4: the refresh cookie rotates on every use; a reused one ends the whole family.
#[tokio::test(flavor = "multi_thread")]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let app = TestApp::spawn("sqlite", true).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let pesel = demo::personas().unwrap().into_iter().find(|p| p.key == "owner").unwrap().pesel;
    let res = http.get(format!("{}/auth/dev-login?pesel={}&return_to=//evil.example", app.base, pesel.as_str())).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/", "no open redirect");
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict") && set_cookie.contains("Path=/auth"), "{set_cookie}");
    let first = set_cookie.split(';').next().unwrap().to_string();
    let refresh = |cookie: String, csrf: bool| {
        let http = http.clone();
        let url = format!("{}/auth/refresh", app.base);
        async move {
            let mut req = http.post(url).header("Cookie", cookie);
            if csrf {
                req = req.header("X-Requested-With", "naleznosci-spa");
            }
            req.send().await.unwrap()
        }
    };
    // Without the custom header the cookie alone does nothing.
    assert_eq!(refresh(first.clone(), false).await.status(), StatusCode::FORBIDDEN);
    let res = refresh(first.clone(), true).await;
    assert_eq!(res.status(), StatusCode::OK);
    let second = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let access = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    let (status, me) = app.get("/api/v1/me", &access).await;
    assert_eq!((status, me["display_name"].as_str()), (StatusCode::OK, Some("Anna Kowalska")));
    // Replaying the first cookie is reuse: 401, and the newer cookie dies with its family.
    assert_eq!(refresh(first, true).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refresh(second, true).await.status(), StatusCode::UNAUTHORIZED);
    let (reuse, _) = app
        .store
        .audit_search(&store::AuditFilter { action: Some("session.refresh_reuse".into()), ..Default::default() }, 0, 10)
        .await
        .unwrap();
    assert_eq!(reuse.len(), 1);
    // Logout revokes a fresh session too.
    let res = http.get(format!("{}/auth/dev-login?pesel={}", app.base, pesel.as_str())).send().await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let res = http
        .post(format!("{}/auth/logout", app.base))
        .header("Cookie", cookie.clone())
        .header("X-Requested-With", "naleznosci-spa")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(refresh(cookie, true).await.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

/// The decision PDF: rendered from the obligation's data on first download, kept, and the same
/// bytes (and hash) every time after.
#[tokio::test(flavor = "multi_thread")]
async fn decision_pdf_is_rendered_once_and_kept() {
    let app = TestApp::spawn("sqlite", true).await;
    let token = app.token("owner").await;
    let (_, obligation) = app.taxpayer_of(&token).await;
    let (_, detail) = app.get(&format!("/api/v1/obligations/{obligation}"), &token).await;
    let document = detail["documents"][0]["id"].as_str().unwrap().to_string();
    let url = format!("{}/api/v1/obligations/{obligation}/documents/{document}", app.base);
    let first = app.http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["content-type"], "application/pdf");
    let first = first.bytes().await.unwrap();
    assert!(first.starts_with(b"%PDF-"));
    let second = app.http.get(&url).bearer_auth(&token).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(first, second);
    let (_, detail) = app.get(&format!("/api/v1/obligations/{obligation}"), &token).await;
    assert_eq!(detail["documents"][0]["sha256"].as_str().unwrap().len(), 64);
    if let Ok(out) = std::process::Command::new("pdftotext")
        .args(["-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&first)?;
            child.wait_with_output()
        })
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(detail["obligation"]["decision_number"].as_str().unwrap()), "{text}");
        assert!(text.contains("Kowalska"), "{text}");
    }
    app.stop().await;
}

/// The two bundles of the web app: `/admin` and everything under it get the staff page, every
/// other browser path the residents' page; files are served as they are; API paths never fall back.
#[tokio::test]
async fn browser_paths_get_the_page_of_their_bundle() {
    let spa = tempfile::tempdir().unwrap();
    std::fs::write(spa.path().join("index.html"), "<!-- residents -->").unwrap();
    std::fs::write(spa.path().join("admin.html"), "<!-- staff -->").unwrap();
    std::fs::write(spa.path().join("app.js"), "// residents' module").unwrap();
    let dir = spa.path().to_path_buf();
    let app = TestApp::spawn_with("sqlite", false, move |s| s.spa_dir = Some(dir)).await;
    for (path, body) in [
        ("/", "<!-- residents -->"),
        ("/taxpayers/1/pay", "<!-- residents -->"),
        ("/administracja", "<!-- residents -->"),
        ("/admin", "<!-- staff -->"),
        ("/admin/users", "<!-- staff -->"),
        ("/admin/sync", "<!-- staff -->"),
        ("/app.js", "// residents' module"),
    ] {
        let res = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.text().await.unwrap(), body, "{path}");
    }
    let res = app.http.get(format!("{}/api/v1/admin/nothing", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    app.stop().await;
}
