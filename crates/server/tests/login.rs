//! Login over real HTTP between the server and the fake login node (identity.md §5): AuthnRequest →
//! persona → artifact → SOAP ArtifactResolve → decryption → session → `/api/v1/me`; every attack
//! case the fake can produce is refused, audited, and starts no session.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

/// The value of `name="…" value="…"` in a form, and the form's action.
fn field(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let start = rest.find("value=\"")? + 7;
    let end = start + rest[start..].find('"')?;
    Some(unescape(&rest[start..end]))
}

fn action(html: &str) -> String {
    let start = html.find("action=\"").unwrap() + 8;
    unescape(&html[start..start + html[start..].find('"').unwrap()])
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&#x3D;", "=")
        .replace("&#43;", "+")
        .replace("&amp;", "&")
}

/// Cookies the browser would send back to `/auth/acs`, from a response's Set-Cookie headers.
fn cookies(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs the browser's part of a login; returns the ACS response.
async fn log_in(app: &TestApp) -> reqwest::Response {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = browser.get(format!("{}/auth/login?return_to=/zobowiazania", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("nonce-"));
    let binding = cookies(&res);
    let page = res.text().await.unwrap();
    let form = [("SAMLRequest", field(&page, "SAMLRequest").unwrap()), ("RelayState", field(&page, "RelayState").unwrap())];
    // The node (auto-login) answers with the auto-submitting artifact form.
    let res = browser.post(action(&page)).form(&form).send().await.unwrap();
    let node = res.text().await.unwrap();
    let artifact = field(&node, "SAMLart").expect("the node answers with an artifact");
    let mut back = vec![("SAMLart", artifact)];
    if let Some(relay) = field(&node, "RelayState") {
        back.push(("RelayState", relay));
    }
    browser.post(action(&node)).header("Cookie", binding).form(&back).send().await.unwrap()
}

/// A POST the SPA makes to a cookie-authenticated `/auth` endpoint.
async fn spa_post(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.http.post(format!("{}{path}", app.base)).header("Cookie", cookie).header("X-Requested-With", "naleznosci-spa").send().await.unwrap()
}

async fn access_token(app: &TestApp, acs: &reqwest::Response) -> String {
    let res = spa_post(app, "/auth/refresh", &cookies(acs)).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_persona_logs_in_through_the_login_node() {
    // Persona 1 is the farmer.
    let app = TestApp::spawn_with("sqlite", false, |s| s.fake_wk_auto_login = Some(1)).await;
    let acs = log_in(&app).await;
    assert_eq!(acs.status(), StatusCode::SEE_OTHER);
    assert_eq!(acs.headers()["location"], "/zobowiazania");
    let token = access_token(&app, &acs).await;
    let (status, me) = app.get("/api/v1/me", &token).await;
    assert_eq!((status, me["display_name"].as_str()), (StatusCode::OK, Some("Jan Nowak")));
    let jwks: Value = app.http.get(format!("{}/.well-known/jwks.json", app.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "EC");
    app.stop().await;
}

/// Logging out ends the portal session and, over SOAP, the login node's session (single logout):
/// the fake node verifies our signed LogoutRequest and we verify its signed LogoutResponse.
#[tokio::test(flavor = "multi_thread")]
async fn logout_ends_the_session_here_and_at_the_login_node() {
    use store::entities::audit_log;
    use store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let app = TestApp::spawn_with("sqlite", false, |s| s.fake_wk_auto_login = Some(1)).await;
    let acs = log_in(&app).await;
    let session = cookies(&acs);
    let logout = spa_post(&app, "/auth/logout", &session).await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let logged: Vec<(String, String)> = audit_log::Entity::find()
        .filter(audit_log::Column::Action.starts_with("session.logout"))
        .order_by_asc(audit_log::Column::Id)
        .all(app.store.db())
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.outcome))
        .collect();
    let expected = [("session.logout", "allowed"), ("session.logout.wk", "allowed")].map(|(a, o)| (a.to_string(), o.to_string()));
    assert_eq!(logged, expected);
    let refresh = spa_post(&app, "/auth/refresh", &session).await;
    assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED, "the refresh token died with the session");
    // An old cookie cannot make the portal call the node again.
    let again = spa_post(&app, "/auth/logout", &session).await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    let node_calls = audit_log::Entity::find()
        .filter(audit_log::Column::Action.starts_with("session.logout.wk"))
        .all(app.store.db())
        .await
        .unwrap()
        .len();
    assert_eq!(node_calls, 1);
    app.stop().await;
}

/// No office visit: a resident without a portal account is linked to their own taxpayer record.
#[tokio::test(flavor = "multi_thread")]
async fn first_login_links_the_taxpayer_with_the_same_pesel() {
    use store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn_with("sqlite", false, |s| s.fake_wk_auto_login = Some(0)).await;
    let owner = app.store.user_by_pesel(demo::personas().unwrap()[0].pesel.as_str()).await.unwrap().unwrap();
    store::entities::user_taxpayer_link::Entity::delete_many()
        .filter(store::entities::user_taxpayer_link::Column::UserId.eq(owner.id))
        .exec(app.store.db())
        .await
        .unwrap();
    store::entities::portal_user::Entity::delete_by_id(owner.id).exec(app.store.db()).await.unwrap();
    let acs = log_in(&app).await;
    let token = access_token(&app, &acs).await;
    let (_, list) = app.get("/api/v1/taxpayers", &token).await;
    assert_eq!(list["items"][0]["name"], "Anna Kowalska", "{list}");
    assert_eq!(list["items"][0]["link"], "owner");
    app.stop().await;
}

/// identity.md §3: every attack case of the fake node is refused with a clear page, audited, and
/// starts no session.
#[tokio::test(flavor = "multi_thread")]
async fn every_attack_case_is_refused() {
    let mut tried = 0;
    let mut accepted = Vec::new();
    for case in fake_wk::Misbehaviour::ALL.iter().copied().filter(|m| *m != fake_wk::Misbehaviour::WellBehaved) {
        let app = TestApp::spawn_with("sqlite", false, |s| {
            s.fake_wk_auto_login = Some(0);
            s.fake_wk_misbehaviour = Some(case.name().to_string());
        })
        .await;
        // A replay needs a genuine first login to replay; the short content key is the positive
        // control (the real node's 16-byte key quirk) and must be accepted.
        let replay = case.name().starts_with("replay-");
        let control = case.name() == "short-content-key";
        if replay || control {
            assert_eq!(attempt(&app).await.0, StatusCode::SEE_OTHER, "{}: the first login is genuine", case.name());
        }
        if control {
            app.stop().await;
            continue;
        }
        tried += 1;
        let (status, session, body) = attempt(&app).await;
        if status == StatusCode::SEE_OTHER || session {
            accepted.push(case.name());
        } else {
            assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::SERVICE_UNAVAILABLE, "{}: {status}", case.name());
            assert!(body.contains("Logowanie nie powiodło się"), "{}: {body}", case.name());
            let (refused, _) = app
                .store
                .audit_search(&store::AuditFilter { action: Some("login.refused".into()), ..Default::default() }, 0, 5)
                .await
                .unwrap();
            assert_eq!(refused.len(), 1, "{}", case.name());
        }
        app.stop().await;
    }
    println!("attack cases tried: {tried}, accepted: {}", accepted.len());
    assert!(accepted.is_empty(), "accepted: {accepted:?}");
    assert!(tried >= 30, "{tried}");
}

/// One login attempt as a browser makes it; (ACS status, whether a session cookie was set, body).
async fn attempt(app: &TestApp) -> (StatusCode, bool, String) {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = browser.get(format!("{}/auth/login", app.base)).send().await.unwrap();
    let binding = cookies(&res);
    let page = res.text().await.unwrap();
    let form = [("SAMLRequest", field(&page, "SAMLRequest").unwrap()), ("RelayState", field(&page, "RelayState").unwrap())];
    let node = browser.post(action(&page)).form(&form).send().await.unwrap().text().await.unwrap();
    // Some attacks are refused by the node itself (no artifact reaches us): nothing to accept.
    let Some(artifact) = field(&node, "SAMLart") else {
        return (StatusCode::BAD_REQUEST, false, "Logowanie nie powiodło się (node)".into());
    };
    let mut back = vec![("SAMLart", artifact)];
    if let Some(relay) = field(&node, "RelayState") {
        back.push(("RelayState", relay));
    }
    let acs = browser.post(action(&node)).header("Cookie", binding).form(&back).send().await.unwrap();
    let set = cookies(&acs);
    let session = set.split("; ").any(|c| c.starts_with("naleznosci_refresh=") && c.len() > "naleznosci_refresh=".len());
    (acs.status(), session, acs.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread")]
async fn production_refuses_to_start_without_the_login_node() {
    let (store, url) = store::test_db::fresh("sqlite").await.unwrap();
    demo::seed(&store, &demo::DemoOptions { taxpayers: 0, ..demo::DemoOptions::new(time::macros::date!(2026 - 12 - 03)) }).await.unwrap();
    let settings = server::config::Settings { database_url: url.clone(), bind: "127.0.0.1:0".into(), ..Default::default() };
    let error = server::app::start(settings).await.err().unwrap();
    assert!(error.contains("login node is not configured"), "{error}");
    store::test_db::remove(&url).await.unwrap();
}
