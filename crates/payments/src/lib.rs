//! Payments: the gateway interface, the KIR PayByNet adapter, a local PayByNet simulator and the
//! transfer details (virtual account + ZBP QR code) printed for a taxpayer.
//!
//! Layout (payments.md §1.8, "Design consequence"):
//!
//! - [`gateway`]: what every online gateway does — start a payment, verify a notification, answer
//!   it, query a status — with statuses mapped into one [`PaymentStatus`]. The flow (the server)
//!   talks to `dyn PaymentGateway` only, so another gateway is one more implementation.
//! - [`paybynet`]: KIR PayByNet per payments.md §1 (`hashtrans`, SHA-1 with the password tag, the
//!   notification hash checked in constant time, SOAP status polling).
//! - [`simulator`]: an imitation of PayByNet for the demo and end-to-end tests, mounted into an
//!   actix-web app; never part of a production configuration.
//! - [`transfer`]: the ZBP QR code (payments.md §3) for a transfer to a virtual account, as SVG and PNG.
//!
//! Architecture invariant: no database and no booking here. A verified notification says what the
//! gateway claims; recording it idempotently, comparing the amount with the stored one, allocation
//! and receipts belong to the server, on top of this API.

mod actix;
pub mod gateway;
mod html;
pub mod paybynet;
mod secret;
pub mod simulator;
pub mod transfer;

pub use gateway::{
    BrowserStep, GatewayError, GatewayFuture, GatewayId, GatewayNotification, NotificationError, NotificationReply, PaymentGateway,
    PaymentId, PaymentRequest, PaymentStatus, RawNotification, Refusal, ReturnUrls, StartedPayment, StatusQuery, StatusReport, Transition,
};
pub use secret::Secret;
