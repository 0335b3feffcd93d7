//! The JSON contract of `/api/v1`: request and response types shared by the server and the SPA,
//! so the two cannot drift apart. Conventions (ARCHITECTURE-TARGET.md): snake_case fields, amounts
//! as decimal strings ("1234.56"), dates ISO 8601 (`YYYY-MM-DD`), timestamps RFC 3339 in UTC.

pub mod iso_date;

use std::collections::BTreeMap;

use domain::Amount;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

/// RFC 9457 problem details with a stable snake_case `code` the SPA translates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `not_found`, `validation_failed`.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field validation messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Clerk,
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Clerk => "clerk",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        [Role::Resident, Role::Clerk, Role::Admin].into_iter().find(|r| r.code() == code)
    }
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub display_name: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Owner,
    CoOwner,
    Proxy,
    Representative,
}

impl LinkKind {
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::Owner => "owner",
            LinkKind::CoOwner => "co_owner",
            LinkKind::Proxy => "proxy",
            LinkKind::Representative => "representative",
        }
    }

    pub fn parse(code: &str) -> Option<LinkKind> {
        [LinkKind::Owner, LinkKind::CoOwner, LinkKind::Proxy, LinkKind::Representative].into_iter().find(|k| k.code() == code)
    }
}

/// A taxpayer the user may act for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaxpayerSummary {
    pub id: Uuid,
    /// `natural` or `legal`.
    pub kind: String,
    pub name: String,
    /// How the user is linked to the taxpayer.
    pub link: LinkKind,
    /// The identifier with most digits hidden, e.g. `PESEL •••••••1234` or `NIP 123-456-32-18`.
    pub identifier: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TaxpayerList {
    pub items: Vec<TaxpayerSummary>,
}

/// Money totals for one obligation or a whole taxpayer on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Totals {
    /// Unpaid principal not yet past its due date.
    #[schema(value_type = String, example = "308.50")]
    pub due: Amount,
    /// Unpaid principal past its (shifted) due date.
    #[schema(value_type = String)]
    pub overdue: Amount,
    /// Late-payment interest owed if paid on the day (rounded, threshold applied).
    #[schema(value_type = String)]
    pub interest_today: Amount,
    /// Koszty upomnienia owed.
    #[schema(value_type = String)]
    pub reminder_costs: Amount,
    /// What clears the arrears on the day: overdue + interest + reminder costs.
    #[schema(value_type = String)]
    pub to_pay_today: Amount,
    #[serde(default, with = "crate::iso_date::option")]
    pub next_due_date: Option<Date>,
    #[schema(value_type = Option<String>)]
    pub next_due_amount: Option<Amount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObligationStatus {
    Paid,
    Open,
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ObligationSummary {
    pub id: Uuid,
    /// `property_tax`, `agricultural_tax`, `forest_tax`, `combined_obligation`, `waste_fee`, `dog_fee`.
    pub kind: String,
    pub year: i32,
    pub title: String,
    pub decision_number: String,
    #[serde(with = "crate::iso_date")]
    pub decision_date: Date,
    #[schema(value_type = String)]
    pub amount: Amount,
    #[schema(value_type = String)]
    pub paid: Amount,
    pub status: ObligationStatus,
    pub totals: Totals,
    /// When the data was last synchronised from the domain system.
    #[serde(with = "time::serde::rfc3339")]
    pub data_as_of: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ObligationsPage {
    pub taxpayer_id: Uuid,
    #[serde(with = "crate::iso_date")]
    pub as_of: Date,
    pub items: Vec<ObligationSummary>,
    /// Totals over all the taxpayer's obligations (not only this page).
    pub totals: Totals,
    pub page: u32,
    pub per_page: u32,
    pub total_items: u64,
    /// `rounded` or `exact`: how the interest threshold was applied.
    pub threshold_mode: String,
    pub warnings: Vec<String>,
}

/// What was taxed, at which rate (podstawa opodatkowania).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BasisItem {
    pub category: String,
    /// Exact decimal, e.g. "120.50".
    pub quantity: String,
    pub unit: String,
    /// Exact decimal zł per unit, e.g. "0.85".
    pub rate: String,
    #[schema(value_type = String)]
    pub amount: Amount,
    /// The council resolution that set the rate.
    pub resolution: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InstallmentView {
    pub id: Uuid,
    pub number: i32,
    #[serde(with = "crate::iso_date")]
    pub due_date: Date,
    #[serde(with = "crate::iso_date")]
    pub effective_due_date: Date,
    #[schema(value_type = String)]
    pub amount: Amount,
    #[schema(value_type = String)]
    pub principal_paid: Amount,
    #[schema(value_type = String)]
    pub principal_outstanding: Amount,
    #[schema(value_type = String)]
    pub interest_paid: Amount,
    /// Interest owed if paid on the day: carried from partial payments + accruing.
    #[schema(value_type = String)]
    pub interest_owed: Amount,
    pub status: ObligationStatus,
    /// How today's accruing interest was computed, when there is any delay.
    pub interest: Option<InterestResult>,
}

/// One stretch of the delay at a constant rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InterestPeriod {
    #[serde(with = "crate::iso_date")]
    pub from: Date,
    #[serde(with = "crate::iso_date")]
    pub to: Date,
    pub days: i64,
    /// Annual rate in percent, e.g. "14.5".
    pub rate: String,
    /// Exact amount, 4 decimal places.
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Threshold {
    #[schema(value_type = String)]
    pub amount: Amount,
    /// `rounded` or `exact`.
    pub mode: String,
}

/// Late interest with its explanation; the same contract as `naleznosci interest --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InterestResult {
    /// Charged amount, full złoty ("0.00" when not charged).
    #[schema(value_type = String, example = "102.00")]
    pub interest: Amount,
    /// The rounded amount before the threshold test.
    #[schema(value_type = String)]
    pub computed: Amount,
    /// The unrounded sum, 4 decimal places.
    #[schema(example = "101.8630")]
    pub exact: String,
    pub charged: bool,
    /// The due date after art. 12 § 5 OP shifting.
    #[serde(with = "crate::iso_date")]
    pub effective_due: Date,
    pub threshold: Threshold,
    pub periods: Vec<InterestPeriod>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DocumentInfo {
    pub id: Uuid,
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AllocationView {
    pub installment_id: Option<Uuid>,
    pub obligation_id: Option<Uuid>,
    #[schema(value_type = String)]
    pub principal: Amount,
    #[schema(value_type = String)]
    pub interest: Amount,
    #[schema(value_type = String)]
    pub reminder_costs: Amount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentView {
    pub id: Uuid,
    /// `online`, `transfer`, `cash`, `domain_system`.
    pub source: String,
    /// `pending`, `booked`, `rejected`, `expired`.
    pub status: String,
    #[serde(default, with = "crate::iso_date::option")]
    pub payment_date: Option<Date>,
    #[serde(default, with = "crate::iso_date::option")]
    pub booking_date: Option<Date>,
    #[schema(value_type = String)]
    pub amount: Amount,
    pub reference: Option<String>,
    /// The gateway's transaction id for online payments.
    pub gateway_transaction_id: Option<String>,
    pub allocations: Vec<AllocationView>,
    #[schema(value_type = String)]
    pub overpayment: Amount,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The allocation shown is the portal's own, waiting for the domain system that keeps the
    /// taxpayer's books to book the payment (then its allocation is shown). Always false in
    /// standalone mode and for payments booked in the domain system.
    #[serde(default)]
    pub provisional: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentList {
    pub items: Vec<PaymentView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ObligationDetail {
    pub obligation: ObligationSummary,
    #[serde(with = "crate::iso_date")]
    pub as_of: Date,
    pub basis_items: Vec<BasisItem>,
    pub installments: Vec<InstallmentView>,
    /// Payments that reached this obligation, with the part that did.
    pub payments: Vec<PaymentView>,
    pub documents: Vec<DocumentInfo>,
    pub threshold_mode: String,
    pub warnings: Vec<String>,
}

/// `POST /taxpayers/{id}/payment-quote`: the amount for a day, or the effect of an amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentQuoteRequest {
    /// The payment day; today (Warsaw) when absent.
    #[serde(default, with = "crate::iso_date::option")]
    pub day: Option<Date>,
    /// An amount to see how it would be allocated.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub amount: Option<Amount>,
    /// The obligation the payment would indicate (art. 62 § 1).
    #[serde(default)]
    pub obligation_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuotedLine {
    /// `reminder_cost` or `installment`.
    pub to: String,
    pub installment_id: Option<Uuid>,
    pub obligation_id: Option<Uuid>,
    #[schema(value_type = String)]
    pub principal: Amount,
    #[schema(value_type = String)]
    pub interest: Amount,
    #[schema(value_type = String)]
    pub reminder_costs: Amount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentQuote {
    #[serde(with = "crate::iso_date")]
    pub day: Date,
    /// Clears everything overdue with interest and reminder costs.
    #[schema(value_type = String)]
    pub to_pay_overdue: Amount,
    /// Clears everything, installments not yet due included.
    #[schema(value_type = String)]
    pub to_pay_all: Amount,
    #[schema(value_type = String)]
    pub interest_today: Amount,
    /// With `amount`: where it would go.
    pub lines: Vec<QuotedLine>,
    #[schema(value_type = Option<String>)]
    pub overpayment: Option<Amount>,
    /// With `amount`: what would stay owed after it (overdue part, everything).
    #[schema(value_type = Option<String>)]
    pub remaining_overdue: Option<Amount>,
    #[schema(value_type = Option<String>)]
    pub remaining_all: Option<Amount>,
    pub warnings: Vec<String>,
}

/// Where and how to pay by transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TransferDetails {
    pub recipient_name: String,
    pub recipient_address: String,
    pub recipient_nip: String,
    /// The taxpayer's virtual account, grouped in fours.
    pub account: String,
    pub iban: String,
    pub title: Option<String>,
    #[schema(value_type = Option<String>)]
    pub amount: Option<Amount>,
    /// The ZBP 2D code payload (scan it with a banking app).
    pub qr_payload: Option<String>,
}

/// `POST /calculator/interest`: the same contract as `naleznosci interest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestRequest {
    #[schema(value_type = String, example = "1000.00")]
    pub principal: Amount,
    #[serde(with = "crate::iso_date")]
    pub due: Date,
    #[serde(with = "crate::iso_date")]
    pub paid: Date,
    /// `standard` (default), `reduced`, `increased`.
    #[serde(default)]
    pub rate: Option<String>,
    /// `rounded` (default) or `exact`.
    #[serde(default)]
    pub threshold_mode: Option<String>,
    /// Take the due date as given (no art. 12 § 5 shift).
    #[serde(default)]
    pub no_shift: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InterestRateRow {
    #[serde(with = "crate::iso_date")]
    pub effective_from: Date,
    pub lombard: Option<String>,
    pub standard: String,
    pub reduced: String,
    pub increased: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ThresholdRow {
    #[serde(with = "crate::iso_date")]
    pub effective_from: Date,
    #[schema(value_type = String)]
    pub amount: Amount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InterestRates {
    /// The day up to which the rates were checked against the NBP decisions.
    #[serde(with = "crate::iso_date")]
    pub verified_up_to: Date,
    pub rates: Vec<InterestRateRow>,
    pub thresholds: Vec<ThresholdRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DueDate {
    #[serde(with = "crate::iso_date")]
    pub date: Date,
    /// After art. 12 § 5 OP: the next day that is not a Saturday, Sunday or holiday.
    #[serde(with = "crate::iso_date")]
    pub effective_due_date: Date,
    pub is_working_day: bool,
    /// The holidays skipped on the way, with their Polish names.
    pub holidays: Vec<Holiday>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Holiday {
    #[serde(with = "crate::iso_date")]
    pub date: Date,
    pub name: String,
}

/// OAuth 2 token response (client credentials, and the development token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    pub expires_in: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// `POST /dev/token` (development only): a token for a user found by PESEL, or for a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevTokenRequest {
    pub pesel: String,
}

// ---- administration ----

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LinkView {
    pub id: Uuid,
    pub taxpayer_id: Uuid,
    pub taxpayer_name: String,
    pub kind: LinkKind,
    #[serde(with = "crate::iso_date")]
    pub valid_from: Date,
    #[serde(default, with = "crate::iso_date::option")]
    pub valid_to: Option<Date>,
    pub granted_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub links: Vec<LinkView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub page: u32,
    pub per_page: u32,
    pub total_items: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoles {
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLink {
    pub taxpayer_id: Uuid,
    pub kind: LinkKind,
    #[serde(default, with = "crate::iso_date::option")]
    pub valid_from: Option<Date>,
    #[serde(default, with = "crate::iso_date::option")]
    pub valid_to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndLink {
    #[serde(with = "crate::iso_date")]
    pub valid_to: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRateRow {
    #[serde(with = "crate::iso_date")]
    pub effective_from: Date,
    pub lombard: Option<String>,
    pub standard: String,
    pub reduced: String,
    pub increased: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifiedUpTo {
    #[serde(with = "crate::iso_date")]
    pub verified_up_to: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    pub name: String,
    pub nip: String,
    pub address: String,
    pub bank_account: String,
    pub virtual_account_prefix: String,
    /// `rounded` or `exact`.
    pub threshold_mode: String,
    #[serde(with = "crate::iso_date")]
    pub rates_verified_up_to: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    #[serde(default)]
    pub threshold_mode: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub taxpayer_id: Option<Uuid>,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    pub page: u32,
    pub per_page: u32,
    pub total_items: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    pub database: String,
}

// ---- online payments ----

/// `POST /taxpayers/{id}/payments`: what to pay for; the server computes the amount for today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartPayment {
    /// Installments to pay (principal outstanding + interest owed today).
    #[serde(default)]
    pub installment_ids: Vec<Uuid>,
    /// Everything overdue with interest and reminder costs (or, when nothing is overdue, the next
    /// installments due).
    #[serde(default)]
    pub everything_due: bool,
}

/// The form the browser posts to the gateway (PayByNet: one field, `hashtrans`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GatewayForm {
    pub action: String,
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FormField {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentStarted {
    pub payment: PaymentView,
    /// Post this form to go to the gateway; absent when the payment is no longer pending.
    pub gateway_form: Option<GatewayForm>,
}

/// One line of a receipt: which installment got how much principal and interest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReceiptLine {
    pub obligation_id: Option<Uuid>,
    pub description: String,
    #[schema(value_type = String)]
    pub principal: Amount,
    #[schema(value_type = String)]
    pub interest: Amount,
}

/// Potwierdzenie wpłaty: the booked payment and where it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    pub payment: PaymentView,
    pub taxpayer_name: String,
    pub lines: Vec<ReceiptLine>,
    #[schema(value_type = String)]
    pub reminder_costs: Amount,
    #[schema(value_type = String)]
    pub overpayment: Amount,
    /// The PDF version of this receipt.
    pub pdf_url: String,
}

// ---- bank statements (issue 6) ----

/// How sure reconciliation is that a suggested taxpayer paid an unmatched line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The title names one of the taxpayer's decisions, their PESEL or NIP, or an online payment of theirs.
    High,
    /// The payer's name is the taxpayer's, or the payer's account paid for the taxpayer before.
    Medium,
    /// Several taxpayers fit equally.
    Low,
}

/// A taxpayer (and perhaps an obligation) a clerk may assign an unmatched line to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Suggestion {
    pub taxpayer_id: Uuid,
    pub taxpayer_name: String,
    /// The obligation the title names, if any.
    pub obligation_id: Option<Uuid>,
    pub confidence: Confidence,
    /// Why, in words (e.g. "decision FN.3120.12.2026 in the title").
    pub reason: String,
}

/// A statement whose balances do not add up (opening + credits − debits ≠ closing): it may be an
/// excerpt or a corrupted file, so it is booked only when a clerk confirms it. Balances are signed
/// decimal strings (negative = debit balance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnbalancedStatement {
    pub account: String,
    pub number: String,
    pub opening: String,
    pub closing: String,
    pub computed_closing: String,
    /// Stated closing − computed closing.
    pub difference: String,
}

/// What importing one statement file did (or, for a dry run or a refused file, would do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatementImportSummary {
    /// The import's id; absent when nothing was recorded (dry run, refused file).
    pub import_id: Option<Uuid>,
    /// `imported`; `imported_unbalanced` (a statement did not balance and the clerk confirmed it);
    /// `dry_run` (nothing booked); `unbalanced` (refused: nothing booked — resend with
    /// `accept_unbalanced` to book it anyway).
    pub status: String,
    /// Whether anything was written.
    pub booked: bool,
    pub file_name: String,
    /// `mt940` or `camt053`.
    pub format: String,
    pub encoding: String,
    /// Whether the encoding was detected rather than named.
    pub encoding_detected: bool,
    pub statements: u32,
    /// Every line of every statement in the file.
    pub lines: u32,
    /// Incoming payments (credits other than reversals) in the file, duplicates included.
    pub credits: u32,
    /// Debits and reversals: recorded, never booked.
    pub debits: u32,
    /// New credits booked to the taxpayer of their virtual account.
    pub matched: u32,
    /// New credits put in the clerk's queue.
    pub unmatched: u32,
    /// New credits that are the bank's settlement of an online payment (not booked again).
    pub settled_online: u32,
    /// Lines skipped because they were imported before (same line identity).
    pub duplicates: u32,
    /// The sum of the new credits.
    #[schema(value_type = String)]
    pub total_credited: Amount,
    /// What was booked as payments: matched credits, and online payments still pending that a
    /// credit settled.
    #[schema(value_type = String)]
    pub total_booked: Amount,
    /// The part of the booked money that became overpayments (nadpłaty).
    #[schema(value_type = String)]
    pub overpayments: Amount,
    pub unbalanced_statements: Vec<UnbalancedStatement>,
    /// The parser's warnings (broken balance chain, suspicious decoding).
    pub warnings: Vec<String>,
}

/// What became of one credit of an imported file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreditOutcome {
    /// The stored line; absent for duplicates and when nothing was recorded.
    pub line_id: Option<Uuid>,
    /// The line's stable identity (account | statement | bank reference | value date | D/C | amount | occurrence).
    pub line_key: String,
    pub statement_account: String,
    pub statement_number: String,
    #[serde(with = "crate::iso_date")]
    pub value_date: Date,
    #[serde(default, with = "crate::iso_date::option")]
    pub booking_date: Option<Date>,
    #[schema(value_type = String)]
    pub amount: Amount,
    pub currency: String,
    pub counterparty_name: Option<String>,
    pub title: Option<String>,
    pub bank_reference: Option<String>,
    /// The virtual account on the line (26 digits), issued or not.
    pub virtual_account: Option<String>,
    /// `matched`, `settled_online`, `unmatched` or `duplicate`.
    pub outcome: String,
    pub taxpayer_id: Option<Uuid>,
    /// The payment booked (`matched`) or settled (`settled_online`).
    pub payment_id: Option<Uuid>,
    /// The part of a matched credit that became an overpayment.
    #[schema(value_type = String)]
    pub overpayment: Amount,
    /// Why the line is unmatched, or what a settlement did.
    pub reason: Option<String>,
    pub confidence: Option<Confidence>,
    pub suggestions: Vec<Suggestion>,
}

/// The summary and every credit's outcome (`naleznosci import-statement --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatementImportResult {
    pub summary: StatementImportSummary,
    pub credits: Vec<CreditOutcome>,
}

/// One imported file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatementImportView {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub imported_at: OffsetDateTime,
    pub imported_by: String,
    pub file_name: String,
    pub file_sha256: String,
    pub format: String,
    pub encoding: String,
    /// `imported` or `imported_unbalanced`.
    pub status: String,
    pub statements: u32,
    pub lines: u32,
    pub credits: u32,
    pub debits: u32,
    pub matched: u32,
    pub unmatched: u32,
    pub settled_online: u32,
    pub duplicates: u32,
    #[schema(value_type = String)]
    pub total_credited: Amount,
    #[schema(value_type = String)]
    pub total_booked: Amount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatementImportPage {
    pub items: Vec<StatementImportView>,
    pub page: u32,
    pub per_page: u32,
    pub total_items: u64,
}

/// A credit nobody could match, waiting for a clerk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnmatchedLine {
    pub id: Uuid,
    pub import_id: Uuid,
    pub statement_account: String,
    pub statement_number: String,
    #[serde(with = "crate::iso_date")]
    pub value_date: Date,
    #[serde(default, with = "crate::iso_date::option")]
    pub booking_date: Option<Date>,
    #[schema(value_type = String)]
    pub amount: Amount,
    pub currency: String,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub title: Option<String>,
    pub bank_reference: Option<String>,
    pub virtual_account: Option<String>,
    pub reason: Option<String>,
    /// The best suggestion's confidence.
    pub confidence: Option<Confidence>,
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnmatchedPage {
    pub items: Vec<UnmatchedLine>,
    pub page: u32,
    pub per_page: u32,
    pub total_items: u64,
}

/// `POST /admin/unmatched/{line_id}/assign`: whose payment it is, and optionally which obligation
/// the payer indicated (art. 62 § 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignLine {
    pub taxpayer_id: Uuid,
    #[serde(default)]
    pub obligation_id: Option<Uuid>,
}

/// The line booked by a clerk, and the payment it became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssignedLine {
    pub line_id: Uuid,
    pub taxpayer_id: Uuid,
    pub payment: PaymentView,
}

// ---- The integration with the domain systems (`GET /admin/sync-status`) ----

/// The integration as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SyncStatus {
    /// `connected` when a domain system owns the bookings (the portal's allocations are
    /// provisional until it books a payment); `standalone` otherwise (the portal's own
    /// allocation is final).
    pub mode: String,
    pub sources: Vec<SourceStatus>,
    /// The background jobs (import and export per source), on whichever replica they run.
    pub jobs: Vec<JobStatus>,
}

/// One connected domain system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SourceStatus {
    pub name: String,
    /// `mssql` or `file`.
    pub kind: String,
    pub owns_bookings: bool,
    pub export_payments: bool,
    pub enabled: bool,
    /// The contract version the source reported at its last import.
    pub contract_version: Option<String>,
    /// The last run of every view, and of `export` and `acknowledgements`.
    pub entities: Vec<EntityStatus>,
    /// Payments in the export ledger by state: `pending`, `written`, `accepted`, `rejected`, `booked`.
    pub exports: BTreeMap<String, i64>,
    /// Rows waiting for a correction in the domain system.
    pub rejected_rows: u64,
    /// The most recent of them (at most 20).
    pub recent_rejections: Vec<RejectedRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EntityStatus {
    pub entity: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_run_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_success_at: Option<OffsetDateTime>,
    /// Rows read in the last run.
    pub rows_read: i64,
    /// Rows inserted, corrected or deleted in the last run.
    pub rows_changed: i64,
    /// Rows rejected (or payments refused) in the last run, plus one when the run failed.
    pub errors: i64,
    pub last_error: Option<String>,
    pub total_rows_read: i64,
    pub total_rows_changed: i64,
    /// The row_version read up to.
    pub watermark: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RejectedRow {
    pub entity: String,
    pub source_id: String,
    pub source_version: i64,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct JobStatus {
    pub key: String,
    pub kind: String,
    /// `queued`, `running`, `done`, `failed`.
    pub state: String,
    pub attempts: i32,
    pub runs: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub next_run_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_finished_at: Option<OffsetDateTime>,
    pub last_error: Option<String>,
    /// The worker holding it while it runs.
    pub locked_by: Option<String>,
}
