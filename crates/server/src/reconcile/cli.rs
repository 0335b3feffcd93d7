//! `naleznosci import-statement FILE [--format auto|mt940|camt053] [--encoding ENC] [--dry-run]
//! [--accept-unbalanced] [--json] [--database-url URL]`: the command-line face of [`super::import`].
//!
//! Exit codes: 0 imported (or dry run); 2 bad input — an unreadable or malformed file, an unknown
//! option value — or a database problem, one line on stderr naming it; 3 a statement does not
//! balance and `--accept-unbalanced` was not given: the summary is printed and nothing is booked.
//! Progress goes to stderr (a live line on a terminal, a line per step otherwise).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Instant;

use api_types as api;
use clap::Args;
use domain::calendar::Calendar;
use domain::interest::InterestRules;

use super::{ImportError, ImportRequest, UNBALANCED};
use crate::config::DEFAULT_DATABASE_URL;
use crate::routes::statements::{parse_encoding, parse_format};

const BAD_INPUT: i32 = 2;
/// A statement does not balance; nothing was booked.
pub const NEEDS_CONFIRMATION: i32 = 3;

#[derive(Debug, Args)]
pub struct ImportStatementArgs {
    /// The statement file as the bank sent it.
    pub file: std::path::PathBuf,
    /// auto (XML is camt.053, anything else MT940), mt940 or camt053.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// utf-8, cp852, iso-8859-2 or windows-1250 (default: detected; naming it is safer).
    #[arg(long)]
    pub encoding: Option<String>,
    /// Match and allocate, print what would happen, book nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Book statements whose balances do not add up (the clerk confirms the file).
    #[arg(long)]
    pub accept_unbalanced: bool,
    /// Print the summary and every credit's outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Database URL (default: $DATABASE_URL, else the embedded SQLite file ./data/naleznosci.db).
    #[arg(long)]
    pub database_url: Option<String>,
}

/// Runs the command; returns the exit code.
pub fn import_statement(args: ImportStatementArgs, out: &mut impl Write) -> i32 {
    let fail = |message: String| {
        eprintln!("naleznosci: {message}");
        BAD_INPUT
    };
    let format = match parse_format(Some(&args.format)) {
        Ok(f) => f,
        Err(e) => return fail(format!("--format: {e}")),
    };
    let encoding = match parse_encoding(args.encoding.as_deref()) {
        Ok(e) => e,
        Err(e) => return fail(format!("--encoding: {e}")),
    };
    let file = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(format!("{file}: cannot read the file: {e}")),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot start the runtime: {e}")),
    };
    let login = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "unknown".into());
    let request = ImportRequest {
        bytes,
        file_name: args.file.file_name().map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned()),
        format,
        encoding,
        dry_run: args.dry_run,
        accept_unbalanced: args.accept_unbalanced,
        imported_by: format!("command-line:{login}"),
        outcomes: args.json,
    };
    let url = args
        .database_url
        .clone()
        .or_else(|| std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    let meter = Meter::new();
    let result = runtime.block_on(async {
        let store = store::Store::connect(&url).await.map_err(|e| format!("database: {e}"))?;
        let municipality = store.municipality().await.map_err(|e| match e {
            store::StoreError::NotFound => "no municipality is configured in this database: run `naleznosci demo` first".to_string(),
            other => format!("database: {other}"),
        })?;
        let rates = store.rate_table().await.map_err(|e| format!("database: {e}"))?;
        let calendar = Calendar::statutory();
        let rules = InterestRules::new(&rates, &calendar).with_threshold_mode(municipality.threshold_mode);
        let progress = |phase: &str, done: usize, total: usize| meter.report(phase, done, total);
        let result = super::import(&store, &rules, &municipality.virtual_accounts, request, &progress).await.map_err(|e| match e {
            ImportError::Parse(e) => format!("{file}: {e}"),
            ImportError::Store(e) => format!("database: {e}"),
        })?;
        if result.summary.booked {
            let s = &result.summary;
            store
                .audit(store::AuditEntry {
                    actor_kind: "system",
                    actor_id: Some(format!("command-line:{login}")),
                    action: "statements.import".into(),
                    subject_kind: Some("statement_import"),
                    subject_id: s.import_id.map(|id| id.to_string()),
                    taxpayer_id: None,
                    outcome: "allowed",
                    details: Some(serde_json::json!({
                        "file_name": s.file_name, "status": s.status, "lines": s.lines, "credits": s.credits,
                        "matched": s.matched, "unmatched": s.unmatched, "settled_online": s.settled_online,
                        "duplicates": s.duplicates, "total_credited": s.total_credited,
                    })),
                })
                .await
                .map_err(|e| format!("database: {e}"))?;
        }
        let _ = store.db().clone().close().await;
        Ok::<_, String>(result)
    });
    meter.finish();
    let result = match result {
        Ok(r) => r,
        Err(message) => return fail(message),
    };
    let text = if args.json { serde_json::to_string(&result).unwrap_or_default() } else { summary_text(&result.summary) };
    if let Err(e) = writeln!(out, "{text}") {
        return fail(format!("cannot write the summary: {e}"));
    }
    if result.summary.status == UNBALANCED { NEEDS_CONFIRMATION } else { 0 }
}

/// The human summary.
pub fn summary_text(s: &api::StatementImportSummary) -> String {
    let verb = match s.status.as_str() {
        "dry_run" => "Dry run (nothing booked) of",
        UNBALANCED => "NOT imported (a statement does not balance; nothing booked):",
        _ => "Imported",
    };
    let detected = if s.encoding_detected { " detected" } else { "" };
    let mut text =
        format!("{verb} {} ({}, {}{detected}): {} statement(s), {} lines\n", s.file_name, s.format, s.encoding, s.statements, s.lines);
    let mut row = |label: &str, value: String| text.push_str(&format!("  {label:<34} {value:>12}\n"));
    row("credits", s.credits.to_string());
    row("matched by virtual account (booked)", s.matched.to_string());
    row("settled online payments", s.settled_online.to_string());
    row("unmatched (clerk's queue)", s.unmatched.to_string());
    row("duplicates skipped", s.duplicates.to_string());
    row("debits and reversals (not booked)", s.debits.to_string());
    row("total credited (new credits)", format!("{} zł", s.total_credited));
    row("booked as payments", format!("{} zł", s.total_booked));
    row("of which overpayments", format!("{} zł", s.overpayments));
    for u in &s.unbalanced_statements {
        text.push_str(&format!(
            "unbalanced: statement {} of {}: opening {} + entries = {}, but the closing balance is {} (difference {})\n",
            u.number, u.account, u.opening, u.computed_closing, u.closing, u.difference
        ));
    }
    if s.status == UNBALANCED {
        text.push_str("Check the file; to book it anyway, run again with --accept-unbalanced.\n");
    }
    for w in &s.warnings {
        text.push_str(&format!("warning: {w}\n"));
    }
    if let Some(id) = s.import_id {
        text.push_str(&format!("import {id} ({})\n", s.status));
    }
    text.trim_end().to_string()
}

/// Progress on stderr: a live line on a terminal; otherwise a line when a step starts and ends, and
/// at most one every 10 % in between.
struct Meter {
    tty: bool,
    started: Instant,
    last: Mutex<(String, usize)>,
}

impl Meter {
    fn new() -> Self {
        Meter { tty: std::io::stderr().is_terminal(), started: Instant::now(), last: Mutex::new((String::new(), 0)) }
    }

    fn report(&self, phase: &str, done: usize, total: usize) {
        let Ok(mut last) = self.last.lock() else { return };
        let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        let changed = last.0 != phase;
        let step = if self.tty { 1 } else { 10 };
        if !changed && percent < last.1 + step && done != total {
            return;
        }
        let label = match phase {
            "parse" => "reading the file",
            "match" => "matching lines",
            "book" => "allocating payments (taxpayers)",
            "write" => "writing rows",
            "commit" => "committing",
            other => other,
        };
        let elapsed = self.started.elapsed().as_secs_f32();
        let mut err = std::io::stderr().lock();
        if self.tty {
            if changed && !last.0.is_empty() {
                let _ = writeln!(err);
            }
            let _ = write!(err, "\r\x1b[K[{elapsed:6.1} s] {label}: {done}/{total} ({percent} %)");
        } else {
            let _ = writeln!(err, "[{elapsed:6.1} s] {label}: {done}/{total} ({percent} %)");
        }
        let _ = err.flush();
        *last = (phase.to_string(), percent);
    }

    fn finish(&self) {
        if self.tty && self.last.lock().is_ok_and(|l| !l.0.is_empty()) {
            eprintln!();
        }
    }
}

/// Where the demo's statement goes: next to the SQLite database (`data/demo-statement.sta` for the
/// default one), else `data/demo-statement.sta`.
pub fn demo_statement_path(database_url: &str) -> std::path::PathBuf {
    let folder = database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
        .filter(|path| !path.is_empty() && !path.contains(":memory:"))
        .and_then(|path| std::path::Path::new(path).parent().map(std::path::Path::to_path_buf))
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or_else(|| "data".into());
    folder.join("demo-statement.sta")
}

/// `naleznosci demo`: writes the demo's bank statement for the clerk to import (not booked) when the
/// demo was just created or the file is missing — never over a file that may have been imported —
/// and prints its path.
pub async fn demo_statement(
    store: &store::Store,
    database_url: &str,
    today: time::Date,
    fresh: bool,
    out: &mut impl Write,
) -> Result<(), String> {
    let path = demo_statement_path(database_url);
    if fresh || !path.exists() {
        let statement = demo::statement::statement(store, today).await.map_err(|e| format!("demo statement: {e}"))?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &statement.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let shown = path.display();
    let _ = writeln!(
        out,
        "Bank statement for the clerk to import (mBank MT940, not booked yet): {shown}\n  naleznosci import-statement {shown}   (or upload it in the clerk's panel)"
    );
    Ok(())
}
