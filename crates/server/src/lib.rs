//! The e-Należności server: the REST API (actix-web, OpenAPI via utoipa), and the command line.

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod login;
pub mod login_state;
pub mod openapi;
pub mod payflow;
pub mod pdf;
pub mod reconcile;
pub mod routes;
pub mod views;
