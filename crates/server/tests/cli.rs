//! The `naleznosci` command line as scripts use it: the real binary, its stdout, stderr and exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn naleznosci(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_naleznosci"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("stdin is written");
    child.wait_with_output().expect("the binary ends")
}

fn json_of(args: &[&str]) -> Value {
    let out = naleznosci(args, "");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn interest_json_contract() {
    let v = json_of(&["interest", "--principal", "1000.00", "--due", "2025-03-15", "--paid", "2025-12-31", "--json"]);
    assert_eq!(v["interest"], "102.00");
    assert_eq!(v["computed"], "102.00");
    assert_eq!(v["exact"], "101.8630");
    assert_eq!(v["charged"], true);
    assert_eq!(v["effective_due"], "2025-03-17");
    assert_eq!(v["threshold"], json!({ "amount": "8.70", "mode": "rounded" }));
    assert_eq!(v["periods"][0], json!({ "from": "2025-03-18", "to": "2025-05-07", "days": 51, "rate": "14.5", "amount": "20.2603" }));
    assert_eq!(v["periods"].as_array().map(Vec::len), Some(7));
    assert_eq!(v["warnings"], json!([]));
}

/// tax-rules.md §5 through the CLI: (principal, due, paid, extra flags) → (interest, computed, exact).
/// (principal, due, paid, extra flags, interest, computed, exact)
type Example = (&'static str, &'static str, &'static str, &'static [&'static str], &'static str, &'static str, &'static str);

#[test]
fn worked_examples_through_the_cli() {
    let cases: [Example; 9] = [
        ("1000", "2025-05-03", "2025-05-31", &[], "10.00", "10.00", "9.6712"), // E6 corrected
        ("10000", "2026-01-20", "2026-04-20", &[], "265.00", "265.00", "264.7945"), // E7
        ("250", "2025-03-15", "2025-03-18", &[], "0.00", "0.00", "0.0993"),    // D1
        ("1000", "2021-03-15", "2021-04-23", &["--threshold-mode", "exact"], "0.00", "9.00", "8.5479"), // D3a exact
        ("1000", "2021-03-15", "2021-04-23", &["--threshold-mode", "rounded"], "9.00", "9.00", "8.5479"), // D3a rounded
        ("34675", "2022-03-14", "2022-03-15", &[], "10.00", "10.00", "9.5000"), // D4a
        ("34674", "2022-03-14", "2022-03-15", &[], "9.00", "9.00", "9.4997"),  // D4b
        ("5000", "2025-12-24", "2026-01-30", &[], "48.00", "48.00", "48.2192"), // D7
        ("1000", "2026-01-31", "2026-03-10", &[], "11.00", "11.00", "10.7671"), // D10
    ];
    for (principal, due, paid, extra, interest, computed, exact) in cases {
        let mut args = vec!["interest", "--principal", principal, "--due", due, "--paid", paid, "--json"];
        args.extend_from_slice(extra);
        let v = json_of(&args);
        assert_eq!(
            (v["interest"].as_str(), v["computed"].as_str(), v["exact"].as_str()),
            (Some(interest), Some(computed), Some(exact)),
            "{args:?}"
        );
        assert_eq!(v["charged"], interest != "0.00", "{args:?}");
    }
    // D8: paid on the effective due date.
    let v = json_of(&["interest", "--principal", "5000", "--due", "2025-03-15", "--paid", "2025-03-17", "--json"]);
    assert_eq!((v["interest"].as_str(), v["periods"].as_array().map(Vec::len)), (Some("0.00"), Some(0)));
}

#[test]
fn interest_options() {
    let literal = json_of(&["interest", "--principal", "1000", "--due", "2025-05-03", "--paid", "2025-05-31", "--no-shift", "--json"]);
    assert_eq!((literal["effective_due"].as_str(), literal["exact"].as_str()), (Some("2025-05-03"), Some("10.4658")));
    let reduced =
        json_of(&["interest", "--principal", "10000", "--due", "2025-03-17", "--paid", "2025-05-07", "--rate", "reduced", "--json"]);
    assert_eq!((reduced["periods"][0]["rate"].as_str(), reduced["exact"].as_str()), (Some("7.25"), Some("101.3014")));
    let later = json_of(&["interest", "--principal", "1000", "--due", "2026-03-15", "--paid", "2026-11-30", "--json"]);
    assert!(later["warnings"][0].as_str().is_some_and(|w| w.contains("2026-10-08")));
    let text = naleznosci(&["interest", "--principal", "1000", "--due", "2025-03-15", "--paid", "2025-12-31"], "");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("102.00") && text.contains("2025-12-04   2025-12-31"), "{text}");
}

#[test]
fn schedule_json() {
    let v = json_of(&["schedule", "--kind", "property", "--person", "natural", "--year", "2026", "--annual", "1234.00", "--json"]);
    let installments = v["installments"].as_array().expect("installments");
    assert_eq!(installments.len(), 4);
    assert_eq!(installments[0], json!({ "number": 1, "due_date": "2026-03-15", "effective_due_date": "2026-03-16", "amount": "308.50" }));
    let v = json_of(&["schedule", "--kind", "property", "--year", "2026", "--annual", "80", "--delivered", "2026-03-10", "--json"]);
    assert_eq!(
        v["installments"],
        json!([{ "number": 1, "due_date": "2026-03-24", "effective_due_date": "2026-03-24", "amount": "80.00" }])
    );
    let v = json_of(&["schedule", "--kind", "waste", "--year", "2026", "--annual", "370.20", "--frequency", "quarterly", "--json"]);
    assert_eq!(v["installments"][3]["amount"], "92.55");
    let v = json_of(&["schedule", "--kind", "property", "--person", "legal", "--year", "2026", "--annual", "1200", "--json"]);
    assert_eq!((v["installments"][0]["due_date"].as_str(), v["installments"].as_array().map(Vec::len)), (Some("2026-01-31"), Some(12)));
}

#[test]
fn quote_on_the_example_ledger() {
    let ledger = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ledger.json")).expect("example ledger");
    let out = naleznosci(&["quote", "--day", "2025-12-31", "--pay", "500.00", "--json"], &ledger);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["state"]["totals"]["reminder_costs_owed"], "16.00");
    assert_eq!(v["payment"]["lines"][0], json!({ "to": "reminder_cost", "index": 0, "amount": "16.00" }));
    let lines = v["payment"]["lines"].as_array().expect("lines");
    let total: rust_decimal::Decimal = lines
        .iter()
        .map(|l| {
            ["amount", "principal", "interest"]
                .iter()
                .filter_map(|k| l[k].as_str())
                .map(|s| s.parse::<rust_decimal::Decimal>().expect("decimal"))
                .sum::<rust_decimal::Decimal>()
        })
        .sum();
    assert_eq!(total.to_string(), "500.00");
    let before: rust_decimal::Decimal = v["state"]["totals"]["to_pay_all"].as_str().and_then(|s| s.parse().ok()).expect("total");
    let after: rust_decimal::Decimal = v["after_payment"]["totals"]["to_pay_all"].as_str().and_then(|s| s.parse().ok()).expect("total");
    assert_eq!(before - after, rust_decimal::Decimal::new(50000, 2));
}

#[test]
fn nrb_commands() {
    let v = json_of(&["nrb", "validate", "61 1090 1014 0000 0712 1981 2874", "--json"]);
    assert_eq!(v["iban"], "PL61109010140000071219812874");
    let v = json_of(&["nrb", "virtual", "--prefix", "1090101412345678", "--id", "4711", "--json"]);
    assert_eq!(v["iban"], "PL39109010141234567800004711");
    let v = json_of(&["nrb", "virtual", "--prefix", "10901014123456780", "--id", "4711", "--luhn", "--json"]);
    assert_eq!(v["iban"], "PL38109010141234567800047118");
}

/// Bad input: one line on stderr naming the field, exit code 2, nothing on stdout.
#[test]
fn bad_input_is_one_line_naming_the_field() {
    let cases: [(&[&str], &str, &str); 9] = [
        (&["interest", "--principal", "1000", "--due", "2025-02-30", "--paid", "2025-12-31"], "", "--due"),
        (&["interest", "--principal", "-5", "--due", "2025-03-15", "--paid", "2025-12-31"], "", "--principal"),
        (&["interest", "--principal", "10.001", "--due", "2025-03-15", "--paid", "2025-12-31"], "", "--principal"),
        (&["interest", "--principal", "1", "--due", "2025-03-15", "--paid", "2025-12-31", "--bogus"], "", "--bogus"),
        (&["interest", "--principal", "1", "--due", "2025-03-15", "--paid", "2025-12-31", "--rate", "low"], "", "--rate"),
        (&["nrb", "validate", "61109010140000071219812875"], "", "NRB"),
        (&["schedule", "--kind", "castle", "--year", "2026", "--annual", "1"], "", "--kind"),
        (&["quote", "--day", "2025-12-31"], "{ not json", "ledger"),
        (
            &["quote", "--day", "2025-12-31"],
            r#"{"installments": [{"id": "a", "obligation": "o", "due_date": "2025-03-15", "amount": "-1"}]}"#,
            "ledger",
        ),
    ];
    for (args, stdin, field) in cases {
        let out = naleznosci(args, stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(field), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The first administrator is granted from the command line; the grant is audited.
#[test]
fn admin_grant_from_the_command_line() {
    let db = std::env::temp_dir().join(format!("naleznosci-cli-{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let out = naleznosci(&["admin", "grant", "--pesel", "44051401359", "--role", "admin", "--database-url", &url], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("admin, clerk, resident"));
    let bad = naleznosci(&["admin", "grant", "--pesel", "44051401358", "--database-url", &url], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--pesel"));
    let _ = std::fs::remove_file(&db);
}
