//! The demo's bank statement: one day's mBank MT940 statement of the municipality's account, as
//! the bank would send it, for the clerk to import (`naleznosci import-statement`, or the admin
//! API). It is generated from the database, so its credits fit what the demo taxpayers owe:
//!
//! - transfers to the virtual accounts of the farmer (half of his arrears: the art. 55 § 2 split),
//!   the company (its overdue installment) and the debtor (a part payment), each naming the decision
//!   in the title (art. 62 § 1);
//! - transfers to the virtual accounts of taxpayers 5–12: their arrears, or — when they owe nothing —
//!   a round sum that becomes an overpayment (nadpłata);
//! - ONE transfer that matches nothing: paid to the municipality's main account (no virtual account)
//!   by someone who is not a taxpayer, for the owner persona's tax (her decision number in the title),
//!   so it lands in the clerk's queue with a suggestion;
//! - the bank's account fee (a debit).
//!
//! Nothing of it is booked at seeding.

use domain::Amount;
use domain::calendar::Calendar;
use domain::interest::InterestRules;
use domain::ledger::InstallmentStatus;
use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use rust_decimal::Decimal;
use statements::generate::{self, Dialect, EntrySpec, StatementSpec};
use store::Store;
use store::entities::virtual_account;
use store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use time::Date;

use crate::{DemoError, MUNICIPALITY_ACCOUNT, VIRTUAL_PREFIX};

/// The generated file and what it holds.
#[derive(Debug, Clone)]
pub struct DemoStatement {
    /// The MT940 file (mBank dialect, ISO-8859-2).
    pub bytes: Vec<u8>,
    pub day: Date,
    /// Credits to issued virtual accounts (booked on import).
    pub to_virtual_accounts: usize,
    /// Credits that match nothing (the clerk's queue): one.
    pub unmatched: usize,
}

/// Who pays what in the statement.
struct Credit {
    amount: Amount,
    name: String,
    title: String,
    virtual_account: Option<Nrb>,
}

/// The payers' own accounts: a deterministic account at another bank per payer.
fn payer_account(n: u64) -> Result<Nrb, DemoError> {
    let layout = VirtualAccountLayout::new("10205561", IdentifierCheck::None).map_err(|e| DemoError::Rule(e.to_string()))?;
    layout.build(9_000_000_000 + n).map_err(|e| DemoError::Rule(e.to_string()))
}

fn rule(e: impl std::fmt::Display) -> DemoError {
    DemoError::Rule(e.to_string())
}

/// Generates the demo statement for `day` from the seeded database.
pub async fn statement(store: &Store, day: Date) -> Result<DemoStatement, DemoError> {
    let layout = VirtualAccountLayout::new(VIRTUAL_PREFIX, IdentifierCheck::None).map_err(rule)?;
    let rates = store.rate_table().await?;
    let calendar = Calendar::statutory();
    let rules = InterestRules::new(&rates, &calendar);
    let accounts = virtual_account::Entity::find()
        .filter(virtual_account::Column::Identifier.between(1, 12))
        .order_by_asc(virtual_account::Column::Identifier)
        .all(store.db())
        .await?;
    let mut credits = Vec::new();
    let mut unmatched = None;
    for account in &accounts {
        let number = u64::try_from(account.identifier).map_err(rule)?;
        let books = store.books(account.taxpayer_id).await?;
        let state = books.ledger()?.state_on(&rules, day).map_err(rule)?;
        // The obligation of the first overdue installment (else of the first open one) names the decision.
        let first = |status| state.installments.iter().find(|i| i.status == status);
        let obligation = first(InstallmentStatus::Overdue)
            .or_else(|| first(InstallmentStatus::Open))
            .and_then(|i| books.obligations.iter().find(|o| o.id.to_string() == i.obligation));
        let title = match obligation {
            Some(o) => format!("{} decyzja {}", o.title, o.decision_number),
            None => "Wpłata na poczet podatków i opłat lokalnych".to_string(),
        };
        let overdue = state.totals.to_pay_overdue;
        let half = Amount::from_grosze(overdue.grosze() / 2).map_err(rule)?;
        let amount = match number {
            // The owner: paid by someone else to the main account (the unmatched line).
            1 => {
                let amount = if overdue.is_zero() { Amount::from_grosze(25_000).map_err(rule)? } else { overdue };
                unmatched = Some(Credit {
                    amount,
                    name: "Marek Zając ul. Polna 7 37-030 Dynów".into(),
                    title: format!("{title} za A. Kowalską"),
                    virtual_account: None,
                });
                continue;
            }
            2 if !half.is_zero() => half,
            4 => Amount::from_grosze(30_000).map_err(rule)?,
            _ if !overdue.is_zero() => overdue,
            _ => Amount::from_grosze(10_000 + i64::try_from(number).map_err(rule)? * 750).map_err(rule)?,
        };
        credits.push(Credit {
            amount,
            name: books.taxpayer.name.clone(),
            title,
            virtual_account: Some(layout.build(number).map_err(rule)?),
        });
    }
    let own: Nrb = MUNICIPALITY_ACCOUNT.parse().map_err(rule)?;
    let mut entries = Vec::new();
    let to_virtual_accounts = credits.len();
    for (n, credit) in credits.into_iter().chain(unmatched).enumerate() {
        let mut entry = EntrySpec::credit(credit.amount, day, &credit.title)
            .with_counterparty(&credit.name, Some(payer_account(u64::try_from(n).map_err(rule)? + 1)?));
        entry.virtual_account = credit.virtual_account;
        entries.push(entry);
    }
    entries.push(EntrySpec::debit(Amount::from_grosze(2_500).map_err(rule)?, day, "Opłata za prowadzenie rachunku"));
    let spec = StatementSpec { number: day.ordinal().to_string(), entries, ..StatementSpec::new(own, Decimal::new(125_430_017, 2), day) };
    let bytes = generate::mt940(Dialect::Mbank, std::slice::from_ref(&spec)).map_err(rule)?;
    Ok(DemoStatement { bytes, day, to_virtual_accounts, unmatched: 1 })
}
