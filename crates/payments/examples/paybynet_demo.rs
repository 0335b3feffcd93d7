//! A one-process demo of the PayByNet flow: a minimal "portal" and the simulator on one server.
//!
//! `cargo run -p payments --example paybynet_demo` then open <http://127.0.0.1:8090/pay>
//! (another port: `PORT=9000`). Notifications the portal receives are printed.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use payments::paybynet::{PayByNet, PayByNetConfig, PayByNetEndpoints, Recipient};
use payments::simulator::{Simulator, SimulatorConfig};
use payments::{NotificationReply, PaymentGateway, PaymentId, PaymentRequest, RawNotification, Refusal, ReturnUrls, Secret};
use time::OffsetDateTime;

const MERCHANT: &str = "1234563218";
const PASSWORD: &str = "TajneHaslo123";

struct Portal {
    gateway: PayByNet,
    base: String,
    next_id: AtomicU64,
}

async fn pay(portal: web::Data<Portal>) -> HttpResponse {
    let now = OffsetDateTime::now_utc();
    let request = PaymentRequest {
        payment_id: PaymentId::new(portal.next_id.fetch_add(1, Ordering::Relaxed)),
        amount: "123.45".parse().unwrap_or_default(),
        description: "Podatek od nieruchomości 2025".into(),
        payer_email: None,
        recipient_account: None,
        return_urls: ReturnUrls { success: format!("{}/ok", portal.base), failure: format!("{}/err", portal.base) },
        bank_hint: None,
        requested_at: now,
        valid_until: now + time::Duration::hours(1),
    };
    match portal.gateway.start(&request).await {
        Ok(started) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(started.next.auto_submit_page()),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

async fn notify(portal: web::Data<Portal>, request: HttpRequest, body: web::Bytes) -> NotificationReply {
    match portal.gateway.verify_notification(&RawNotification::from_request(&request, &body)) {
        Ok(notification) => {
            println!("notification: {notification:?}");
            portal.gateway.acknowledge(&notification).await.unwrap_or_else(|_| portal.gateway.refuse(Refusal::TemporaryFailure))
        }
        Err(error) => {
            println!("refused notification: {error}");
            portal.gateway.refuse(Refusal::Invalid(&error))
        }
    }
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8090);
    let base = format!("http://127.0.0.1:{port}");
    let recipient = Recipient::new("Gmina Przykładowo", "00-001", "Przykładowo", "Rynek 1", "Polska")?;
    let config = PayByNetConfig::new(
        MERCHANT,
        Secret::new(PASSWORD),
        PayByNetEndpoints::under(&format!("{base}/simulator/paybynet")),
        "39109010141234567800004711".parse()?,
        recipient,
    )?;
    let portal = web::Data::from(Arc::new(Portal { gateway: PayByNet::new(config)?, base: base.clone(), next_id: AtomicU64::new(1) }));
    let simulator = Simulator::new(SimulatorConfig::new(MERCHANT, Secret::new(PASSWORD), &format!("{base}/notify")))?;
    println!("open {base}/pay (simulator: {base}/simulator/paybynet/)");
    HttpServer::new(move || {
        App::new()
            .app_data(portal.clone())
            .route("/pay", web::get().to(pay))
            .route("/notify", web::post().to(notify))
            .route("/ok", web::get().to(|| async { "Powrót z płatności: sukces (stan płatności zna tylko powiadomienie)" }))
            .route("/err", web::get().to(|| async { "Powrót z płatności: porażka" }))
            .service(simulator.scope("/simulator/paybynet"))
    })
    .bind(("127.0.0.1", port))?
    .run()
    .await?;
    Ok(())
}
