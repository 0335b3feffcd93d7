//! Public endpoints: no login, rate limited.

use actix_web::{HttpRequest, get, post, web};
use api_types as api;
use domain::calendar::holidays;
use domain::interest::{ThresholdMode, late_interest};
use domain::rates::RateKind;
use serde::Deserialize;

use crate::app::AppState;
use crate::error::ApiError;
use crate::routes::client_ip;
use crate::views::interest_result;

/// Late-payment interest on one arrear: the same contract as `naleznosci interest --json`.
/// `threshold_mode` defaults to the municipality's setting.
#[utoipa::path(post, path = "/api/v1/calculator/interest", tag = "public", request_body = api::InterestRequest,
    responses((status = 200, body = api::InterestResult), (status = 400, body = api::Problem), (status = 429, body = api::Problem)))]
#[post("/calculator/interest")]
pub async fn interest(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<api::InterestRequest>,
) -> Result<web::Json<api::InterestResult>, ApiError> {
    state.limiter.check(client_ip(&req), "calculator")?;
    let body = body.into_inner();
    let kind = match body.rate.as_deref() {
        None => RateKind::Standard,
        Some(r) => r.parse().map_err(|e: String| ApiError::field("rate", "invalid", e))?,
    };
    let mode = match body.threshold_mode.as_deref() {
        None => state.cached().municipality.threshold_mode,
        Some(m) => m.parse::<ThresholdMode>().map_err(|e| ApiError::field("threshold_mode", "invalid", e))?,
    };
    let result = state.with_rules(|rules| {
        let rules = rules.with_threshold_mode(mode);
        late_interest(&rules, body.principal, body.due, body.paid, kind, !body.no_shift)
    });
    let result = result.map_err(|e| ApiError::BadRequest { code: "interest_not_computable", detail: e.to_string() })?;
    Ok(web::Json(interest_result(&result)))
}

/// The interest-rate and threshold tables with the date they are verified up to.
#[utoipa::path(get, path = "/api/v1/interest-rates", tag = "public", responses((status = 200, body = api::InterestRates)))]
#[get("/interest-rates")]
pub async fn interest_rates(state: web::Data<AppState>) -> web::Json<api::InterestRates> {
    web::Json(rate_tables(&state))
}

pub fn rate_tables(state: &AppState) -> api::InterestRates {
    let cached = state.cached();
    api::InterestRates {
        verified_up_to: cached.rates.verified_up_to,
        rates: cached
            .rates
            .rates()
            .iter()
            .map(|r| api::InterestRateRow {
                effective_from: r.from,
                lombard: r.lombard.map(|d| d.to_string()),
                standard: r.standard.to_string(),
                reduced: r.reduced.to_string(),
                increased: r.increased.map(|d| d.to_string()),
                source: r.source.clone(),
            })
            .collect(),
        thresholds: cached.rates.thresholds().iter().map(|t| api::ThresholdRow { effective_from: t.from, amount: t.amount }).collect(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DueDateQuery {
    /// A due date (YYYY-MM-DD).
    #[param(value_type = String, format = Date)]
    pub date: String,
}

/// The due date after art. 12 § 5 OP shifting, with the holidays it skipped.
#[utoipa::path(get, path = "/api/v1/calendar/due-date", tag = "public", params(DueDateQuery),
    responses((status = 200, body = api::DueDate), (status = 400, body = api::Problem)))]
#[get("/calendar/due-date")]
pub async fn due_date(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<DueDateQuery>,
) -> Result<web::Json<api::DueDate>, ApiError> {
    state.limiter.check(client_ip(&req), "calculator")?;
    let date =
        crate::routes::date_param("date", Some(&query.date))?.ok_or_else(|| ApiError::field("date", "required", "date is required"))?;
    let effective = state.calendar.effective_due_date(date);
    let mut skipped = Vec::new();
    for year in date.year()..=effective.year() {
        for (day, name) in holidays(year) {
            if day >= date && day < effective {
                skipped.push(api::Holiday { date: day, name: name.to_string() });
            }
        }
    }
    Ok(web::Json(api::DueDate {
        date,
        effective_due_date: effective,
        is_working_day: state.calendar.is_working_day(date),
        holidays: skipped,
    }))
}
