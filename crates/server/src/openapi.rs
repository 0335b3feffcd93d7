//! The OpenAPI 3.1 document, generated from the handlers' annotations. `api-spec/openapi.json` is
//! this document committed; a test fails when the two differ (`naleznosci openapi` rewrites it).

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "e-Należności API",
        description = "Municipal receivables: obligations, installments, late-payment interest under the Ordynacja podatkowa, payments. Amounts are decimal strings in PLN; dates are ISO 8601 Warsaw civil dates.",
        license(name = "EUPL-1.2")
    ),
    paths(
        routes::ops::health,
        routes::ops::metrics,
        routes::resident::me,
        routes::resident::taxpayers,
        routes::resident::obligations,
        routes::resident::obligation,
        routes::resident::document,
        routes::resident::payment_quote,
        routes::resident::payment_list,
        routes::resident::transfer_details,
        routes::resident::transfer_qr,
        routes::pay::start,
        routes::pay::status,
        routes::pay::receipt,
        routes::pay::receipt_pdf,
        routes::pay::notify,
        routes::public::interest,
        routes::public::interest_rates,
        routes::public::due_date,
        routes::oauth::token,
        routes::session::refresh,
        routes::session::logout,
        crate::login::login,
        crate::login::acs,
        crate::login::jwks,
        routes::dev::token,
        routes::admin::users,
        routes::admin::set_roles,
        routes::admin::add_link,
        routes::admin::end_link,
        routes::admin::rates,
        routes::admin::add_rate,
        routes::admin::set_verified_up_to,
        routes::admin::settings,
        routes::admin::update_settings,
        routes::admin::audit_log,
        routes::sync::status,
        routes::statements::import_statement,
        routes::statements::statement_imports,
        routes::statements::unmatched_lines,
        routes::statements::assign_line,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "residents", description = "A resident's taxpayers, obligations, payments (or a municipal application's, by scope)"),
        (name = "payments", description = "Online payments: start, follow, receipts; gateway notifications"),
        (name = "public", description = "No login: the interest calculator, rates, due dates"),
        (name = "administration", description = "Clerks and administrators"),
        (name = "sessions", description = "The SPA's session: refresh cookie in, access token out"),
        (name = "clients", description = "Third-party municipal applications"),
        (name = "operations", description = "Health and metrics"),
        (name = "development", description = "Only when the server is started with --dev-token"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::builder().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document() -> String {
    let mut text = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
