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

use crate::config::{DEFAULT_DATABASE_URL, Mode, Settings};

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
    /// Serves the REST API (and Swagger UI) on an existing database.
    Serve(ServeArgs),
    /// Creates the demo municipality (unless the database has one) and, with --serve, serves it.
    Demo(DemoArgs),
    /// Prints the OpenAPI document (the content of api-spec/openapi.json).
    Openapi,
    /// Administration from the command line (the first administrator).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Imports a bank statement file (MT940 or camt.053): matches every credit and books it.
    ImportStatement(crate::reconcile::cli::ImportStatementArgs),
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Grants a role to the person with this PESEL (creating their portal account if needed).
    Grant {
        #[arg(long)]
        pesel: String,
        /// clerk or admin (resident is always kept).
        #[arg(long, default_value = "admin")]
        role: String,
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Registers a third-party application for client credentials; prints its secret once.
    Client {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: Option<String>,
        /// Space-separated scopes, e.g. "obligations:read payments:read".
        #[arg(long)]
        scopes: String,
        #[arg(long)]
        database_url: Option<String>,
    },
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    /// Database URL (default: $DATABASE_URL, else the embedded SQLite file ./data/naleznosci.db).
    #[arg(long)]
    database_url: Option<String>,
    /// Mount POST /api/v1/dev/token (development only).
    #[arg(long)]
    dev_token: bool,
    /// Demo mode: a fixed --today is honoured.
    #[arg(long)]
    demo: bool,
    /// The demo's "today" (YYYY-MM-DD); ignored outside demo mode.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<Date>,
    /// The URL browsers use to reach the server (default: http://BIND).
    #[arg(long)]
    public_url: Option<String>,
}

#[derive(Debug, Args)]
struct DemoArgs {
    #[arg(long)]
    database_url: Option<String>,
    /// The seed of the deterministic generator.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// How many taxpayers besides the personas (6000 by default; 1000000 for the benchmark dataset).
    #[arg(long, default_value_t = 6_000)]
    scale: usize,
    /// The demo's "today" (YYYY-MM-DD); default: today in Warsaw.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<Date>,
    /// The first and last year of obligations.
    #[arg(long, default_value_t = 2023)]
    first_year: i32,
    #[arg(long, default_value_t = 2026)]
    last_year: i32,
    /// Delete the SQLite file first (only for sqlite URLs).
    #[arg(long)]
    reset: bool,
    /// Serve the demo afterwards (as `serve --demo`).
    #[arg(long)]
    serve: bool,
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    #[arg(long)]
    dev_token: bool,
    /// PayByNet simulator misbehaviour: send every notification this many extra times.
    #[arg(long, default_value_t = 0)]
    simulator_duplicates: u8,
    /// PayByNet simulator misbehaviour: send a stale "pending" after the final status.
    #[arg(long)]
    simulator_out_of_order: bool,
    /// PayByNet simulator misbehaviour: send notifications this late, after the browser returns.
    #[arg(long)]
    simulator_delay_ms: Option<u64>,
    /// PayByNet simulator misbehaviour: corrupt the hash of every notification.
    #[arg(long)]
    simulator_tamper_hash: bool,
    /// Login node misbehaviour: the fake Węzeł Krajowy commits this attack case on every login
    /// (`cargo run -p fake-wk -- --list-misbehaviours`, e.g. wrong-key).
    #[arg(long, value_name = "NAME")]
    fake_wk_misbehaviour: Option<String>,
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
        Command::Openapi => Ok(crate::openapi::document().trim_end().to_string()),
        Command::Serve(args) => block_on(serve(args)),
        Command::Demo(args) => block_on(demo(args, out)),
        Command::ImportStatement(args) => return crate::reconcile::cli::import_statement(args, out),
        Command::Admin(AdminCommand::Grant { pesel, role, database_url }) => block_on(grant(pesel, role, database_url)),
        Command::Admin(AdminCommand::Client { id, name, scopes, database_url }) => {
            block_on(register_client(id, name, scopes, database_url))
        }
    };
    match result.and_then(|text| if text.is_empty() { Ok(()) } else { writeln!(out, "{text}").map_err(|e| e.to_string()) }) {
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

fn block_on<F: std::future::Future<Output = Output>>(future: F) -> Output {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(future)
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("NALEZNOSCI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Grants a staff role by PESEL; audited as done from the command line.
async fn grant(pesel: String, role: String, database_url: Option<String>) -> Output {
    let pesel: domain::identifiers::Pesel = pesel.parse().map_err(|e| format!("--pesel: {e}"))?;
    if !matches!(role.as_str(), "clerk" | "admin") {
        return Err(format!("--role: unknown role {role:?} (clerk, admin)"));
    }
    let url = database_url
        .or_else(|| std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    let store = store::Store::connect(&url).await.map_err(|e| format!("database: {e}"))?;
    let user = match store.user_by_pesel(pesel.as_str()).await.map_err(|e| e.to_string())? {
        Some(user) => user,
        None => store
            .insert_user(store::entities::portal_user::Model {
                id: uuid::Uuid::new_v4(),
                pesel: Some(pesel.as_str().to_string()),
                display_name: "(pierwsze logowanie)".into(),
                roles: "resident".into(),
                created_at: time::OffsetDateTime::now_utc(),
                last_login_at: None,
            })
            .await
            .map_err(|e| e.to_string())?,
    };
    let mut roles: Vec<String> = user.roles.split(',').filter(|r| !r.is_empty()).map(str::to_string).collect();
    for r in ["resident", role.as_str()].into_iter().chain((role == "admin").then_some("clerk")) {
        if !roles.iter().any(|x| x == r) {
            roles.push(r.to_string());
        }
    }
    roles.sort();
    store.set_roles(user.id, &roles).await.map_err(|e| e.to_string())?;
    store
        .audit(store::AuditEntry {
            actor_kind: "system",
            actor_id: Some("command-line".into()),
            action: "admin.roles.set".into(),
            subject_kind: Some("user"),
            subject_id: Some(user.id.to_string()),
            taxpayer_id: None,
            outcome: "allowed",
            details: Some(serde_json::json!({ "roles": roles })),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(format!("user {} now has roles: {}", user.id, roles.join(", ")))
}

const SCOPES: [&str; 3] = ["obligations:read", "payments:read", "payments:write"];

/// Registers an API client: a random secret, stored only as its SHA-256, printed once.
async fn register_client(id: String, name: Option<String>, scopes: String, database_url: Option<String>) -> Output {
    use sha2::Digest;
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("--id: letters, digits, '-' and '_', at most 64".into());
    }
    if let Some(bad) = scopes.split_whitespace().find(|s| !SCOPES.contains(s)) {
        return Err(format!("--scopes: unknown scope {bad:?} ({})", SCOPES.join(", ")));
    }
    let url = database_url
        .or_else(|| std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    let store = store::Store::connect(&url).await.map_err(|e| format!("database: {e}"))?;
    let secret = uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string();
    let hash = hex::encode(sha2::Sha256::digest(secret.as_bytes()));
    store.insert_api_client(&id, name.as_deref().unwrap_or(&id), &hash, &scopes).await.map_err(|e| format!("--id: {e}"))?;
    Ok(format!("client_id={id}\nclient_secret={secret}"))
}

async fn serve(args: ServeArgs) -> Output {
    init_logging();
    let mut settings = Settings::default();
    if let Some(url) = args.database_url {
        settings.database_url = url;
    }
    settings.bind = args.bind;
    settings.dev_token = args.dev_token;
    settings.mode = if args.demo { Mode::Demo } else { Mode::Production };
    settings.today = args.today;
    settings.public_url = args.public_url.unwrap_or_default();
    run_until_stopped(settings).await
}

async fn run_until_stopped(settings: Settings) -> Output {
    let running = crate::app::start(settings).await?;
    let base = format!("http://{}", running.addr);
    eprintln!(
        "e-Należności listening on {base}\n  Portal:     {base}/\n  API:        {base}/api/v1\n  Swagger UI: {base}/swagger-ui/\n  Health:     {base}/health\n(Ctrl-C stops)"
    );
    // Ctrl-C (SIGINT) from a terminal, SIGTERM from a service manager or a container runtime.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).map_err(|e| format!("signal: {e}"))?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result.map_err(|e| format!("signal: {e}"))?,
        _ = terminate.recv() => {}
    }
    running.handle.stop(true).await;
    Ok("stopped".into())
}

async fn demo(args: DemoArgs, out: &mut impl Write) -> Output {
    init_logging();
    let url = args
        .database_url
        .clone()
        .or_else(|| std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    if args.reset
        && let Some(path) = url.strip_prefix("sqlite://").and_then(|r| r.split('?').next())
    {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let today = args.today.unwrap_or_else(|| domain::calendar::warsaw_date(time::OffsetDateTime::now_utc()));
    let store = store::Store::connect(&url).await.map_err(|e| format!("database: {e}"))?;
    let fresh_demo = !demo::is_seeded(&store).await.map_err(|e| e.to_string())?;
    if !fresh_demo {
        let _ = writeln!(out, "The database already holds the demo municipality; keeping it (use --reset to start over).");
    } else {
        let mut options = demo::DemoOptions::new(today);
        options.seed = args.seed;
        options.taxpayers = args.scale;
        options.first_year = args.first_year;
        options.last_year = args.last_year;
        let started = std::time::Instant::now();
        let summary = demo::seed(&store, &options).await.map_err(|e| format!("demo: {e}"))?;
        let _ = writeln!(
            out,
            "Demo municipality created in {} s: {} taxpayers, {} obligations, {} installments, {} payments, {} reminder costs (today = {today}).",
            started.elapsed().as_secs(),
            summary.taxpayers,
            summary.obligations,
            summary.installments,
            summary.payments,
            summary.reminder_costs
        );
    }
    crate::reconcile::cli::demo_statement(&store, &url, today, fresh_demo, out).await?;
    let _ = writeln!(out, "Personas (log in as):");
    for p in demo::personas().map_err(|e| e.to_string())? {
        let _ = writeln!(out, "  {:<8} {:<20} PESEL {}  {}", p.key, p.name, p.pesel, p.description);
    }
    let _ = out.flush();
    if !args.serve {
        return Ok(String::new());
    }
    let mut settings = Settings {
        database_url: url,
        bind: args.bind.clone(),
        mode: Mode::Demo,
        dev_token: args.dev_token,
        today: Some(today),
        simulator: payments::simulator::Misbehaviour {
            duplicate_notifications: args.simulator_duplicates,
            out_of_order: args.simulator_out_of_order,
            notification_delay: args.simulator_delay_ms.map(std::time::Duration::from_millis),
            tamper_hash: args.simulator_tamper_hash,
        },
        fake_wk_misbehaviour: args.fake_wk_misbehaviour.clone(),
        ..Settings::default()
    };
    settings.public_url = format!("http://{}", settings.bind);
    drop(store);
    run_until_stopped(settings).await
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
