//! The command-line contract (documented in the README; scripts and tests depend on it):
//! `interest`, `schedule`, `quote`, `nrb validate`, `nrb virtual`. Bad input prints one line naming
//! the field to stderr and exits with code 2.

use std::ffi::OsString;
use std::io::{Read, Write};

use clap::{Args, Parser, Subcommand};
use domain::Amount;
use domain::calendar::Calendar;
use domain::interest::{InterestRules, LateInterest, ThresholdMode, four_places, late_interest};
use domain::ledger::{Ledger, Quote};
use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use domain::obligation::{ObligationKind, PersonKind};
use domain::rates::{RateKind, RateTable};
use domain::schedule::{FeeSchedule, ScheduledInstallment, fee_schedule, tax_schedule};
use serde_json::{Value, json};
use time::Date;

/// Exit code for bad input: the same as clap's usage errors.
const BAD_INPUT: i32 = 2;

#[derive(Debug, Parser)]
#[command(name = "naleznosci", version, about = "e-Należności: municipal receivables under Polish tax law")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Late-payment interest on one arrear (art. 53–56, 63 OP).
    Interest(InterestArgs),
    /// The installment schedule of an annual tax or fee.
    Schedule(ScheduleArgs),
    /// The state of a ledger (JSON on standard input) on a day, and what a payment would do.
    Quote(QuoteArgs),
    /// Bank account numbers: validation and virtual accounts.
    #[command(subcommand)]
    Nrb(NrbCommand),
}

#[derive(Debug, Args)]
struct InterestArgs {
    /// The unpaid amount, e.g. 1000.00.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true, value_parser = parse_amount)]
    principal: Amount,
    /// The due date as in the decision (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    due: Date,
    /// The payment day (YYYY-MM-DD), counted in.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    paid: Date,
    #[arg(long, value_name = "KIND", default_value = "standard", value_parser = |s: &str| s.parse::<RateKind>())]
    rate: RateKind,
    #[arg(long, value_name = "MODE", default_value = "rounded", value_parser = |s: &str| s.parse::<ThresholdMode>())]
    threshold_mode: ThresholdMode,
    /// Take the due date as given, without the art. 12 § 5 shift.
    #[arg(long)]
    no_shift: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ScheduleArgs {
    /// property, agricultural, forest, combined, waste or dog.
    #[arg(long, value_parser = |s: &str| s.parse::<ObligationKind>())]
    kind: ObligationKind,
    /// natural or legal (taxes only).
    #[arg(long, default_value = "natural", value_parser = |s: &str| s.parse::<PersonKind>())]
    person: PersonKind,
    #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2100))]
    year: i32,
    /// The annual amount.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true, value_parser = parse_amount)]
    annual: Amount,
    /// The day the decision was delivered, if late (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    delivered: Option<Date>,
    /// Fees only: monthly, monthly-in-arrears, quarterly or quarter-end (default: monthly for the
    /// waste fee, once by 15 March for the dog fee).
    #[arg(long, value_parser = parse_frequency)]
    frequency: Option<FeeSchedule>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct QuoteArgs {
    /// The day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    day: Date,
    /// An amount paid on that day, to see how it would be allocated.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true, value_parser = parse_amount)]
    pay: Option<Amount>,
    /// The obligation the payment indicates.
    #[arg(long, requires = "pay")]
    obligation: Option<String>,
    #[arg(long, value_name = "MODE", default_value = "rounded", value_parser = |s: &str| s.parse::<ThresholdMode>())]
    threshold_mode: ThresholdMode,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum NrbCommand {
    /// Checks an NRB or Polish IBAN (mod 97 and the settlement-number check digit).
    Validate {
        nrb: String,
        #[arg(long)]
        json: bool,
    },
    /// Builds a virtual account number from the bank-assigned prefix and an identifier.
    Virtual {
        /// Settlement number (8 digits) followed by the bank-assigned payee code.
        #[arg(long)]
        prefix: String,
        #[arg(long, value_name = "NUMBER")]
        id: u64,
        /// The identifier's last digit is a Luhn check digit.
        #[arg(long)]
        luhn: bool,
        #[arg(long)]
        json: bool,
    },
}

/// Runs the CLI and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>, stdin: &mut impl Read, out: &mut impl Write) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = write!(out, "{e}");
            return 0;
        }
        Err(e) => {
            let rendered = e.to_string();
            eprintln!("naleznosci: {}", rendered.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: "));
            return BAD_INPUT;
        }
    };
    let result = match cli.command {
        Command::Interest(args) => interest(&args),
        Command::Schedule(args) => schedule(&args),
        Command::Quote(args) => quote(&args, stdin),
        Command::Nrb(command) => nrb(&command),
    };
    match result.and_then(|text| writeln!(out, "{text}").map_err(|e| e.to_string())) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("naleznosci: {message}");
            BAD_INPUT
        }
    }
}

type Output = Result<String, String>;

fn interest(args: &InterestArgs) -> Output {
    let rates = RateTable::shipped();
    let calendar = Calendar::statutory();
    let rules = InterestRules::new(&rates, &calendar).with_threshold_mode(args.threshold_mode);
    let result = late_interest(&rules, args.principal, args.due, args.paid, args.rate, !args.no_shift).map_err(|e| e.to_string())?;
    if args.json {
        return Ok(interest_json(&result).to_string());
    }
    let mut text = format!(
        "Odsetki za zwłokę / late interest: {} zł{}\n",
        result.interest,
        if result.charged {
            String::new()
        } else {
            format!(" (not charged: {} ≤ {} threshold, {} mode)", result.computed, result.threshold, result.threshold_mode)
        }
    );
    text +=
        &format!("effective due date {}; exact {}; rounded {}\n", result.effective_due_date, four_places(result.exact()), result.computed);
    text += &format!("{:<12} {:<12} {:>6} {:>8} {:>14}\n", "from", "to", "days", "rate %", "amount");
    for p in &result.periods {
        text += &format!(
            "{:<12} {:<12} {:>6} {:>8} {:>14}\n",
            p.from.to_string(),
            p.to.to_string(),
            p.days,
            p.rate().to_string(),
            four_places(p.amount()).to_string()
        );
    }
    for w in &result.warnings {
        text += &format!("warning: {w}\n");
    }
    Ok(text.trim_end().to_string())
}

/// The JSON contract of `interest --json` (README, "CLI").
pub fn interest_json(result: &LateInterest) -> Value {
    json!({
        "interest": result.interest,
        "computed": result.computed,
        "exact": four_places(result.exact()).to_string(),
        "charged": result.charged,
        "effective_due": result.effective_due_date.to_string(),
        "threshold": { "amount": result.threshold, "mode": result.threshold_mode },
        "periods": result.periods.iter().map(|p| json!({
            "from": p.from.to_string(),
            "to": p.to.to_string(),
            "days": p.days,
            "rate": p.rate().to_string(),
            "amount": four_places(p.amount()).to_string(),
        })).collect::<Vec<_>>(),
        "warnings": result.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

fn schedule(args: &ScheduleArgs) -> Output {
    let calendar = Calendar::statutory();
    let installments = if args.kind.is_tax() {
        if args.frequency.is_some() {
            return Err(format!("--frequency: {} has a statutory schedule", args.kind));
        }
        tax_schedule(&calendar, args.kind, args.person, args.year, args.annual, args.delivered)
    } else {
        let default = if args.kind == ObligationKind::DogFee { FeeSchedule::dog_fee_default() } else { FeeSchedule::waste_fee_default() };
        fee_schedule(&calendar, args.kind, args.year, args.annual, args.frequency.as_ref().unwrap_or(&default), args.delivered)
    }
    .map_err(|e| e.to_string())?;
    if args.json {
        return Ok(json!({ "kind": args.kind, "year": args.year, "installments": installments }).to_string());
    }
    Ok(schedule_table(&installments))
}

fn schedule_table(installments: &[ScheduledInstallment]) -> String {
    let mut text = format!("{:>3}  {:<10}  {:<10}  {:>12}\n", "no", "due", "effective", "amount");
    for i in installments {
        text += &format!(
            "{:>3}  {:<10}  {:<10}  {:>12}\n",
            i.number,
            i.due_date.to_string(),
            i.effective_due_date.to_string(),
            i.amount.to_string()
        );
    }
    text.trim_end().to_string()
}

fn quote(args: &QuoteArgs, stdin: &mut impl Read) -> Output {
    let mut input = String::new();
    stdin.read_to_string(&mut input).map_err(|e| format!("ledger: cannot read standard input: {e}"))?;
    let ledger: Ledger = serde_json::from_str(&input).map_err(|e| format!("ledger: {e}"))?;
    let rates = RateTable::shipped();
    let calendar = Calendar::statutory();
    let rules = InterestRules::new(&rates, &calendar).with_threshold_mode(args.threshold_mode);
    let quote = ledger.quote(&rules, args.day, args.pay.map(|a| (a, args.obligation.clone()))).map_err(|e| format!("ledger: {e}"))?;
    if args.json {
        return serde_json::to_string(&quote).map_err(|e| e.to_string());
    }
    Ok(quote_text(&quote))
}

fn quote_text(quote: &Quote) -> String {
    let s = &quote.state;
    let mut text = format!("State on {}\n", s.day);
    text += &format!(
        "{:<16} {:<10} {:>10} {:>10} {:>10} {:>9}  {}\n",
        "installment", "effective", "amount", "paid", "owed", "interest", "status"
    );
    for i in &s.installments {
        text += &format!(
            "{:<16} {:<10} {:>10} {:>10} {:>10} {:>9}  {:?}\n",
            i.id,
            i.effective_due_date.to_string(),
            i.amount.to_string(),
            i.principal_paid.to_string(),
            i.principal_outstanding.to_string(),
            i.interest_owed.to_string(),
            i.status
        );
    }
    let t = &s.totals;
    text += &format!(
        "reminder costs {}; to pay for overdue {}; to pay for everything {}; overpayment {}\n",
        t.reminder_costs_owed, t.to_pay_overdue, t.to_pay_all, t.overpayment
    );
    if let Some(payment) = &quote.payment {
        text += &format!("Payment of {} on {}:\n", payment.amount, payment.date);
        for line in &payment.lines {
            match line {
                domain::ledger::AllocationLine::ReminderCost { index, amount } => text += &format!("  reminder cost #{index}: {amount}\n"),
                domain::ledger::AllocationLine::Installment { id, principal, interest } => {
                    text += &format!("  {id}: principal {principal}, interest {interest}\n")
                }
            }
        }
        text += &format!("  overpayment {}\n", payment.overpayment);
    }
    if let Some(after) = &quote.after_payment {
        text += &format!("Still owed after it: {} overdue, {} in all\n", after.totals.to_pay_overdue, after.totals.to_pay_all);
    }
    for w in &s.warnings {
        text += &format!("warning: {w}\n");
    }
    text.trim_end().to_string()
}

fn nrb(command: &NrbCommand) -> Output {
    let (nrb, json) = match command {
        NrbCommand::Validate { nrb, json } => (nrb.parse::<Nrb>().map_err(|e| format!("NRB: {e}"))?, *json),
        NrbCommand::Virtual { prefix, id, luhn, json } => {
            let check = if *luhn { IdentifierCheck::Luhn } else { IdentifierCheck::None };
            let layout = VirtualAccountLayout::new(prefix, check).map_err(|e| format!("--prefix: {e}"))?;
            (layout.build(*id).map_err(|e| format!("--id: {e}"))?, *json)
        }
    };
    if json {
        return Ok(
            json!({ "nrb": nrb.digits(), "iban": nrb.iban(), "formatted": nrb.formatted(), "settlement_number": nrb.settlement_number() })
                .to_string(),
        );
    }
    Ok(format!("{}\n{}", nrb.formatted(), nrb.iban()))
}

fn parse_amount(s: &str) -> Result<Amount, String> {
    s.parse::<Amount>().map_err(|e| e.to_string())
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| "expected a date as YYYY-MM-DD".to_string())
}

fn parse_frequency(s: &str) -> Result<FeeSchedule, String> {
    match s {
        "monthly" => Ok(FeeSchedule::Monthly { day: 15, in_arrears: false }),
        "monthly-in-arrears" => Ok(FeeSchedule::Monthly { day: 15, in_arrears: true }),
        "quarterly" => Ok(FeeSchedule::QuarterlyTaxDates),
        "quarter-end" => Ok(FeeSchedule::QuarterEnd),
        other => Err(format!("unknown frequency {other:?} (monthly, monthly-in-arrears, quarterly, quarter-end)")),
    }
}
