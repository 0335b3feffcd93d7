//! The black-box harness: the real server on port 0 with a fresh database seeded with a small demo.
#![allow(dead_code, reason = "each test binary uses a part of the harness")]

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::config::{Mode, Settings};

pub const TODAY: &str = "2026-12-03";

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub store: store::Store,
    pub handle: actix_web::dev::ServerHandle,
    pub url: String,
}

impl TestApp {
    pub async fn spawn(backend: &str, dev_token: bool) -> TestApp {
        Self::spawn_with(backend, dev_token, |_| {}).await
    }

    /// With the settings adjusted (e.g. the payment simulator's misbehaviour).
    pub async fn spawn_with(backend: &str, dev_token: bool, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let (store, url) = store::test_db::fresh(backend).await.expect("fresh database");
        let today = time::Date::parse(TODAY, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
        let mut options = demo::DemoOptions::new(today);
        options.taxpayers = 20;
        demo::seed(&store, &options).await.expect("demo");
        let mut settings = Settings {
            bind: "127.0.0.1:0".into(),
            database_url: url.clone(),
            mode: Mode::Demo,
            dev_token,
            today: Some(today),
            rate_limit_per_minute: 1000,
            ..Settings::default()
        };
        adjust(&mut settings);
        let running = server::app::start(settings).await.expect("server starts");
        TestApp { base: format!("http://{}", running.addr), http: reqwest::Client::new(), store, handle: running.handle, url }
    }

    pub async fn token(&self, persona: &str) -> String {
        let pesel = demo::personas().unwrap().into_iter().find(|p| p.key == persona).unwrap().pesel;
        let res = self.http.post(format!("{}/api/v1/dev/token", self.base)).json(&json!({ "pesel": pesel.as_str() })).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string()
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let res = self.http.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let res = self.http.post(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// The first taxpayer of a persona, and that taxpayer's first obligation.
    pub async fn taxpayer_of(&self, token: &str) -> (String, String) {
        let (_, list) = self.get("/api/v1/taxpayers", token).await;
        let taxpayer = list["items"][0]["id"].as_str().unwrap().to_string();
        let (_, obligations) = self.get(&format!("/api/v1/taxpayers/{taxpayer}/obligations"), token).await;
        (taxpayer, obligations["items"][0]["id"].as_str().unwrap().to_string())
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
        let _ = self.store.db().clone().close().await;
        store::test_db::remove(&self.url).await.expect("test database removed");
    }
}

pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in store::test_db::backends() {
        test(backend.to_string()).await;
    }
}
