//! Bank-statement import end to end (issue 6): generated statements uploaded through the admin API
//! and imported with the real `naleznosci import-statement` binary, on SQLite always and on
//! PostgreSQL when TEST_DATABASE_URL is set — booking by virtual account with the ledger's allocation,
//! re-imported and overlapping files, online payments settled by the bank, unbalanced and broken
//! files, dry runs, the clerk's queue, and a process killed mid-import.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: a failed unwrap is a failed test")]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use common::TestApp;
use domain::Amount;
use domain::calendar::Calendar;
use domain::interest::InterestRules;
use domain::nrb::Nrb;
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use statements::generate::{self, Dialect, EntrySpec, StatementSpec};
use store::entities::{allocation, obligation, payment};
use store::sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use store::statements::{statement_file, statement_import, statement_line};
use store::{Store, Uuid};
use time::Date;
use time::macros::date;

const VALUE_DATE: Date = date!(2026 - 12 - 01);
const BOOKING_DATE: Date = date!(2026 - 12 - 02);

fn own_account() -> Nrb {
    demo::MUNICIPALITY_ACCOUNT.parse().unwrap()
}

fn payer_account() -> Nrb {
    "PL81102055619000990000000140".parse().unwrap()
}

fn zl(grosze: i64) -> Amount {
    Amount::from_grosze(grosze).unwrap()
}

/// A credit to `virtual_account` (or to the main account), with a fixed bank reference so that the
/// same statement written in another dialect or format has the same line identities.
fn credit(grosze: i64, reference: &str, title: &str, name: &str, virtual_account: Option<Nrb>) -> EntrySpec {
    let mut entry = EntrySpec::credit(zl(grosze), VALUE_DATE, title).with_counterparty(name, Some(payer_account()));
    entry.booking_date = Some(BOOKING_DATE);
    entry.virtual_account = virtual_account;
    entry.bank_reference = Some(reference.to_string());
    entry
}

fn statement(number: &str, entries: Vec<EntrySpec>) -> StatementSpec {
    StatementSpec { number: number.to_string(), entries, ..StatementSpec::new(own_account(), Decimal::new(1_000_000, 2), VALUE_DATE) }
}

/// A persona's taxpayer id, virtual account, and obligations.
struct Persona {
    taxpayer: Uuid,
    account: Nrb,
    obligations: Vec<obligation::Model>,
}

async fn persona(app: &TestApp, key: &str) -> Persona {
    let pesel = demo::personas().unwrap().into_iter().find(|p| p.key == key).unwrap().pesel;
    let taxpayer = match app.store.taxpayer_by_pesel(pesel.as_str()).await.unwrap() {
        Some(t) => t.id,
        // The company persona represents the legal person.
        None => panic!("no taxpayer for {key}"),
    };
    let account = app.store.virtual_account_of(taxpayer).await.unwrap().unwrap().nrb.parse().unwrap();
    let obligations = app.store.books(taxpayer).await.unwrap().obligations;
    Persona { taxpayer, account, obligations }
}

async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>, query: &str) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!("{}/api/v1/admin/statements?{query}", app.base))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Everything an import can change, as comparable text: payments (keyed by idempotency key, else id),
/// their allocations, statement lines and imports.
async fn ledger_dump(store: &Store) -> BTreeMap<String, String> {
    let db = store.db();
    let payments = payment::Entity::find().all(db).await.unwrap();
    let key_of: BTreeMap<Uuid, String> =
        payments.iter().map(|p| (p.id, p.idempotency_key.clone().unwrap_or_else(|| p.id.to_string()))).collect();
    let mut dump = BTreeMap::new();
    for p in &payments {
        dump.insert(
            format!("payment {}", key_of[&p.id]),
            format!(
                "{} {} {} {:?} {:?} {} {:?} {:?} {:?}",
                p.taxpayer_id,
                p.source,
                p.status,
                p.payment_date,
                p.booking_date,
                p.amount_grosze,
                p.reference,
                p.indicated_obligation_id,
                p.gateway_transaction_id
            ),
        );
    }
    for a in allocation::Entity::find().all(db).await.unwrap() {
        dump.insert(
            format!("allocation {} {}", key_of[&a.payment_id], a.position),
            format!(
                "{:?} {:?} {} {} {} {}",
                a.installment_id, a.reminder_cost_id, a.principal_grosze, a.interest_grosze, a.reminder_costs_grosze, a.overpayment_grosze
            ),
        );
    }
    for l in statement_line::Entity::find().all(db).await.unwrap() {
        dump.insert(
            format!("line {}", l.line_key),
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?}",
                l.position,
                l.outcome,
                l.taxpayer_id,
                l.payment_id.map(|p| key_of[&p].clone()),
                l.reason,
                l.confidence,
                l.suggestions
            ),
        );
    }
    dump.insert("imports".into(), statement_import::Entity::find().count(db).await.unwrap().to_string());
    dump.insert("files".into(), statement_file::Entity::find().count(db).await.unwrap().to_string());
    dump
}

/// The allocation stored for a payment is the one `payflow::allocation_rows` gives (the online
/// payments' booking path), row by row.
async fn assert_allocation_is_the_ledgers(store: &Store, payment: &payment::Model) {
    let books = store.books(payment.taxpayer_id).await.unwrap();
    let municipality = store.municipality().await.unwrap();
    let rates = store.rate_table().await.unwrap();
    let calendar = Calendar::statutory();
    let rules = InterestRules::new(&rates, &calendar).with_threshold_mode(municipality.threshold_mode);
    let expected = server::payflow::allocation_rows(&books, payment.id, payment.payment_date.unwrap(), &rules).unwrap();
    let stored = store.allocations_of(payment.id).await.unwrap();
    let strip = |rows: &[allocation::Model]| -> Vec<_> {
        rows.iter()
            .map(|a| {
                (
                    a.position,
                    a.installment_id,
                    a.reminder_cost_id,
                    a.principal_grosze,
                    a.interest_grosze,
                    a.reminder_costs_grosze,
                    a.overpayment_grosze,
                )
            })
            .collect()
    };
    assert_eq!(strip(&stored), strip(&expected), "payment {}", payment.id);
    let total: i64 = stored.iter().map(|a| a.principal_grosze + a.interest_grosze + a.reminder_costs_grosze + a.overpayment_grosze).sum();
    assert_eq!(total, payment.amount_grosze, "the allocation takes the whole payment");
}

async fn payment_by_key(store: &Store, line_key: &str) -> Option<payment::Model> {
    store.payment_by_idempotency_key(&format!("stmt:{line_key}")).await.unwrap()
}

fn key(number: &str, reference: &str, grosze: i64) -> String {
    format!("{}|{number}|{reference}|{VALUE_DATE}|C|{}|0", own_account().iban(), zl(grosze))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_books_matched_credits_with_the_ledgers_allocation() {
    common::each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let clerk = app.token("clerk").await;
        let farmer = persona(&app, "farmer").await;
        let owner = persona(&app, "owner").await;
        let combined = farmer.obligations.iter().find(|o| o.kind == "combined_obligation" && o.year == 2026).unwrap();
        let layout = app.store.municipality().await.unwrap().virtual_accounts;
        let mut debit = EntrySpec::debit(zl(500), VALUE_DATE, "Opłata za prowadzenie rachunku");
        debit.bank_reference = Some("FEE1".into());
        let spec = statement(
            "101",
            vec![
                credit(
                    50_000,
                    "R1",
                    &format!("Łączne zobowiązanie 2026 decyzja {}", combined.decision_number),
                    "JAN NOWAK",
                    Some(farmer.account.clone()),
                ),
                credit(5_000_000, "R2", "Podatek od nieruchomości", "Anna Kowalska", Some(owner.account.clone())),
                credit(1_000, "R3", "Wpłata", "Ktoś Obcy", Some(layout.build(987_654).unwrap())),
                debit,
            ],
        );
        let bytes = generate::mt940(Dialect::PkoBp, &[spec]).unwrap();
        let (status, summary) = upload(&app, &clerk, bytes, "file_name=pko-101.sta").await;
        assert_eq!(status, StatusCode::OK, "{backend}: {summary}");
        assert_eq!(summary["status"], "imported");
        assert_eq!((summary["lines"].as_u64(), summary["credits"].as_u64(), summary["debits"].as_u64()), (Some(4), Some(3), Some(1)));
        assert_eq!(
            (summary["matched"].as_u64(), summary["unmatched"].as_u64(), summary["duplicates"].as_u64()),
            (Some(2), Some(1), Some(0))
        );
        assert_eq!(summary["total_credited"], "50510.00");
        assert_eq!(summary["total_booked"], "50500.00");

        // The farmer's transfer: dated by the statement, indicating the decision in the title.
        let paid = payment_by_key(&app.store, &key("101", "R1", 50_000)).await.expect("booked");
        assert_eq!((paid.source.as_str(), paid.status.as_str()), ("transfer", "booked"));
        assert_eq!((paid.payment_date, paid.booking_date), (Some(VALUE_DATE), Some(BOOKING_DATE)), "tax-rules.md §8.6");
        assert_eq!(paid.reference.as_deref(), Some("R1"));
        assert_eq!(paid.indicated_obligation_id, Some(combined.id), "art. 62 § 1: the decision in the title");
        assert_eq!(paid.taxpayer_id, farmer.taxpayer);
        assert_allocation_is_the_ledgers(&app.store, &paid).await;

        // The owner paid far more than she owes: the rest is her overpayment.
        let over = payment_by_key(&app.store, &key("101", "R2", 5_000_000)).await.expect("booked");
        assert_allocation_is_the_ledgers(&app.store, &over).await;
        let overpayment_of = |rows: Vec<allocation::Model>| rows.last().unwrap().overpayment_grosze;
        let overpayment = overpayment_of(app.store.allocations_of(over.id).await.unwrap());
        assert!(overpayment > 4_000_000, "{overpayment}");
        let total = overpayment + overpayment_of(app.store.allocations_of(paid.id).await.unwrap());
        assert_eq!(summary["overpayments"], Amount::from_grosze(total).unwrap().to_string());

        // The resident sees the transfer.
        let resident = app.token("farmer").await;
        let (_, payments) = app.get(&format!("/api/v1/taxpayers/{}/payments", farmer.taxpayer), &resident).await;
        let seen = payments["items"].as_array().unwrap().iter().find(|p| p["id"] == paid.id.to_string()).expect("listed");
        assert_eq!((seen["source"].as_str(), seen["payment_date"].as_str()), (Some("transfer"), Some("2026-12-01")));

        // The credit to a virtual account nobody has is in the queue; the import is listed.
        let (status, queue) = app.get("/api/v1/admin/unmatched", &clerk).await;
        assert_eq!(status, StatusCode::OK, "{queue}");
        assert_eq!(queue["total_items"], 1);
        assert!(queue["items"][0]["reason"].as_str().unwrap().contains("not issued"), "{queue}");
        let (status, imports) = app.get("/api/v1/admin/statements", &clerk).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(imports["items"][0]["file_name"], "pko-101.sta");
        assert_eq!(imports["items"][0]["matched"], 2);
        // Residents may not import.
        let (status, _) = upload(&app, &resident, b":20:X".to_vec(), "").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/admin/unmatched", &resident).await.0, StatusCode::FORBIDDEN);
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_or_an_overlapping_file_books_nothing_twice() {
    common::each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let clerk = app.token("clerk").await;
        let farmer = persona(&app, "farmer").await;
        let debtor = persona(&app, "debtor").await;
        // Two identical legitimate payments in one statement are two lines (occurrence 0 and 1).
        let day1 = statement(
            "7",
            vec![
                credit(10_000, "A1", "Raty", "Jan Nowak", Some(farmer.account.clone())),
                credit(10_000, "A1", "Raty", "Jan Nowak", Some(farmer.account.clone())),
                credit(20_000, "A2", "Podatek", "Tomasz Wiśniewski", Some(debtor.account.clone())),
            ],
        );
        let first = generate::mt940(Dialect::Mbank, std::slice::from_ref(&day1)).unwrap();
        let (status, summary) = upload(&app, &clerk, first.clone(), "").await;
        assert_eq!((status, summary["matched"].as_u64()), (StatusCode::OK, Some(3)), "{backend}: {summary}");
        let after_first = ledger_dump(&app.store).await;

        // The same file again: every line is a duplicate, nothing is booked.
        let (status, again) = upload(&app, &clerk, first, "").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (again["duplicates"].as_u64(), again["matched"].as_u64(), again["total_booked"].as_str()),
            (Some(3), Some(0), Some("0.00"))
        );
        let mut expected = after_first.clone();
        expected.insert("imports".into(), "2".into());
        expected.insert("files".into(), "2".into());
        assert_eq!(ledger_dump(&app.store).await, expected, "{backend}: nothing new but the import record and its file");

        // The same statement re-sent as camt.053 together with the next day's: only the new one books.
        let mut day2 = statement("8", vec![credit(30_000, "B1", "Podatek", "Jan Nowak", Some(farmer.account.clone()))]);
        day2.opening_balance = day1.closing_balance();
        let overlapping = generate::camt053(8, &[day1, day2]).unwrap();
        let (status, summary) = upload(&app, &clerk, overlapping, "format=camt053").await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_eq!((summary["duplicates"].as_u64(), summary["matched"].as_u64()), (Some(3), Some(1)), "{backend}: {summary}");
        let transfers = payment::Entity::find().filter(payment::Column::IdempotencyKey.like("stmt:%")).count(app.store.db()).await.unwrap();
        assert_eq!(transfers, 4, "{backend}");
        app.stop().await;
    })
    .await;
}

/// An online payment of everything the resident owes today (as in tests/payments.rs).
async fn start_online_payment(app: &TestApp, token: &str, key: &str) -> Value {
    let (taxpayer, _) = app.taxpayer_of(token).await;
    let res = app
        .http
        .post(format!("{}/api/v1/taxpayers/{taxpayer}/payments", app.base))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&json!({ "everything_due": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

async fn confirm_at_the_bank(app: &TestApp, started: &Value) {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let form = &started["gateway_form"];
    let fields: Vec<(String, String)> = form["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap().into(), f["value"].as_str().unwrap().into()))
        .collect();
    browser.post(form["action"].as_str().unwrap()).form(&fields).send().await.unwrap();
    let id_trans = started["payment"]["gateway_transaction_id"].as_str().unwrap();
    browser
        .post(format!("{}/simulator/paybynet/PayByNet/transactions/{id_trans}/decision", app.base))
        .form(&[("decision", "confirm")])
        .send()
        .await
        .unwrap();
}

fn grosze_of(amount: &Value) -> i64 {
    let d: Decimal = amount.as_str().unwrap().parse().unwrap();
    (d * Decimal::from(100)).try_into().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_online_payment_settled_by_the_bank_is_not_booked_twice() {
    common::each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let clerk = app.token("clerk").await;
        let resident = app.token("farmer").await;
        let farmer = persona(&app, "farmer").await;

        // 1. Booked by the gateway's notification; the bank's settlement only links to it.
        let booked = start_online_payment(&app, &resident, "stmt-online-1").await;
        confirm_at_the_bank(&app, &booked).await;
        let id = booked["payment"]["id"].as_str().unwrap().parse::<Uuid>().unwrap();
        assert_eq!(app.store.payment(id).await.unwrap().unwrap().status, "booked");
        let id_trans = booked["payment"]["gateway_transaction_id"].as_str().unwrap().to_string();
        let amount = grosze_of(&booked["payment"]["amount"]);
        let before = ledger_dump(&app.store).await;
        let settlement = statement("20", vec![credit(amount, "S1", &format!("e-Należności {id_trans}"), "KIR PAYBYNET", None)]);
        let (status, summary) = upload(&app, &clerk, generate::mt940(Dialect::Bph, &[settlement]).unwrap(), "").await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_eq!(
            (summary["settled_online"].as_u64(), summary["matched"].as_u64(), summary["total_booked"].as_str()),
            (Some(1), Some(0), Some("0.00")),
            "{backend}: {summary}"
        );
        let after = ledger_dump(&app.store).await;
        let new_payments: Vec<_> = after.keys().filter(|k| k.starts_with("payment ") && !before.contains_key(*k)).collect();
        assert!(new_payments.is_empty(), "{backend}: no money booked again: {new_payments:?}");
        let line =
            statement_line::Entity::find().filter(statement_line::Column::PaymentId.eq(id)).one(app.store.db()).await.unwrap().unwrap();
        assert_eq!(line.outcome, "settled_online");

        // 2. A settlement naming the same payment again is money paid twice: the clerk decides.
        let twice = statement("21", vec![credit(amount, "S2", &format!("e-Należności {id_trans}"), "KIR PAYBYNET", None)]);
        let (_, summary) = upload(&app, &clerk, generate::mt940(Dialect::Bph, &[twice]).unwrap(), "").await;
        assert_eq!((summary["settled_online"].as_u64(), summary["unmatched"].as_u64()), (Some(0), Some(1)), "{summary}");
        let (_, queue) = app.get("/api/v1/admin/unmatched", &clerk).await;
        let queued = &queue["items"][0];
        assert!(queued["reason"].as_str().unwrap().contains("already settled"), "{queued}");
        assert_eq!(queued["suggestions"][0]["taxpayer_id"], farmer.taxpayer.to_string());
        assert_eq!(queued["confidence"], "high");

        // 3. A payment whose notification never came: the statement books it, once; the late
        //    notification then changes nothing.
        let debtor = app.token("debtor").await;
        let pending = start_online_payment(&app, &debtor, "stmt-online-2").await;
        let pending_id = pending["payment"]["id"].as_str().unwrap().parse::<Uuid>().unwrap();
        let id_trans = pending["payment"]["gateway_transaction_id"].as_str().unwrap().to_string();
        let amount = grosze_of(&pending["payment"]["amount"]);
        let settlement = statement("22", vec![credit(amount, "S3", &format!("Płatność e-Należności {id_trans}"), "KIR PAYBYNET", None)]);
        let (_, summary) = upload(&app, &clerk, generate::mt940(Dialect::Swift, &[settlement]).unwrap(), "").await;
        assert_eq!(summary["settled_online"], 1, "{backend}: {summary}");
        let now_booked = app.store.payment(pending_id).await.unwrap().unwrap();
        assert_eq!((now_booked.status.as_str(), now_booked.payment_date), ("booked", Some(VALUE_DATE)));
        assert_allocation_is_the_ledgers(&app.store, &now_booked).await;
        let allocations = app.store.allocations_of(pending_id).await.unwrap().len();
        confirm_at_the_bank(&app, &pending).await;
        assert_eq!(
            app.store.allocations_of(pending_id).await.unwrap().len(),
            allocations,
            "{backend}: the notification books nothing more"
        );
        app.stop().await;
    })
    .await;
}

/// Corrupts the closing balance of an mBank statement (adds 1 zł).
fn unbalance(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let start = text.find(":62F:").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let field = &text[start..end];
    let comma = field.rfind(',').unwrap();
    let whole_start = field[..comma].rfind(|c: char| !c.is_ascii_digit()).unwrap() + 1;
    let whole: u64 = field[whole_start..comma].parse().unwrap();
    let changed = format!("{}{}{}", &field[..whole_start], whole + 1, &field[comma..]);
    text.replacen(field, &changed, 1).into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unbalanced_statement_is_booked_only_when_confirmed() {
    common::each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let clerk = app.token("clerk").await;
        let farmer = persona(&app, "farmer").await;
        let spec = statement("30", vec![credit(12_345, "U1", "Podatek", "Jan Nowak", Some(farmer.account.clone()))]);
        let bytes = unbalance(&generate::mt940(Dialect::Mbank, &[spec]).unwrap());
        let before = ledger_dump(&app.store).await;
        let (status, summary) = upload(&app, &clerk, bytes.clone(), "").await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {summary}");
        assert_eq!((summary["status"].as_str(), summary["booked"].as_bool()), (Some("unbalanced"), Some(false)));
        assert_eq!(summary["unbalanced_statements"][0]["difference"], "1.00");
        assert_eq!(summary["matched"], 1, "the report says what it would do");
        assert_eq!(ledger_dump(&app.store).await, before, "{backend}: nothing booked");
        let (status, summary) = upload(&app, &clerk, bytes, "accept_unbalanced=true").await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_eq!((summary["status"].as_str(), summary["matched"].as_u64()), (Some("imported_unbalanced"), Some(1)));
        assert!(payment_by_key(&app.store, &key("30", "U1", 12_345)).await.is_some());
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_file_or_a_dry_run_changes_nothing() {
    common::each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let clerk = app.token("clerk").await;
        let farmer = persona(&app, "farmer").await;
        let spec = statement("40", vec![credit(7_000, "D1", "Podatek", "Jan Nowak", Some(farmer.account.clone()))]);
        let good = generate::mt940(Dialect::PkoBp, &[spec]).unwrap();
        let before = ledger_dump(&app.store).await;

        // Cut off before the closing balance; an amount without its decimal comma.
        let text = String::from_utf8_lossy(&good).into_owned();
        let truncated = text.as_bytes()[..text.find(":62F:").unwrap()].to_vec();
        let (status, problem) = upload(&app, &clerk, truncated, "encoding=iso-8859-2").await;
        assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_statement")), "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("line"), "{problem}");
        let bad_amount = text.replacen("C70,00", "C7000", 1).into_bytes();
        let (status, problem) = upload(&app, &clerk, bad_amount, "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains(":61:"), "{problem}");
        let (status, problem) = upload(&app, &clerk, Vec::new(), "").await;
        assert_eq!((status, problem["detail"].as_str()), (StatusCode::BAD_REQUEST, Some("the file is empty")));
        let (status, problem) = upload(&app, &clerk, good.clone(), "format=mt942").await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("format")));
        assert_eq!(ledger_dump(&app.store).await, before, "{backend}: a refused file changes nothing");

        // A dry run reports exactly what the import then does, and books nothing.
        let (status, dry) = upload(&app, &clerk, good.clone(), "dry_run=true").await;
        assert_eq!(status, StatusCode::OK, "{dry}");
        assert_eq!((dry["status"].as_str(), dry["booked"].as_bool(), dry["import_id"].is_null()), (Some("dry_run"), Some(false), true));
        assert_eq!(ledger_dump(&app.store).await, before, "{backend}: a dry run changes nothing");
        let (_, real) = upload(&app, &clerk, good.clone(), "").await;
        // The file is kept as imported (payments.md §6), with its hash and size on the import.
        let import_id: Uuid = real["import_id"].as_str().unwrap().parse().unwrap();
        let import = statement_import::Entity::find_by_id(import_id).one(app.store.db()).await.unwrap().unwrap();
        let file = statement_file::Entity::find_by_id(import_id).one(app.store.db()).await.unwrap().unwrap();
        assert_eq!(file.content, good, "{backend}");
        assert_eq!(import.file_sha256, hex::encode(Sha256::digest(&good)), "{backend}");
        assert_eq!((import.file_size, import.status.as_str(), import.matched), (i64::try_from(good.len()).unwrap(), "imported", 1));
        for field in ["lines", "credits", "matched", "unmatched", "duplicates", "total_credited", "total_booked", "overpayments"] {
            assert_eq!(dry[field], real[field], "{backend}: {field}");
        }
        assert_eq!(real["matched"], 1);
        app.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_assigns_an_unmatched_credit_and_the_resident_sees_it() {
    common::each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let clerk = app.token("clerk").await;
        let owner = persona(&app, "owner").await;
        let property = owner.obligations.iter().find(|o| o.kind == "property_tax" && o.year == 2026).unwrap();
        // Paid to the main account, not the virtual one: her name and her decision in the title.
        let spec = statement(
            "50",
            vec![credit(
                21_000,
                "Q1",
                &format!("Podatek od nieruchomości {}", property.decision_number),
                "KOWALSKA ANNA UL. LIPOWA 3",
                None,
            )],
        );
        let (status, summary) = upload(&app, &clerk, generate::mt940(Dialect::PkoBp, &[spec]).unwrap(), "").await;
        assert_eq!((status, summary["unmatched"].as_u64()), (StatusCode::OK, Some(1)), "{summary}");
        let (_, queue) = app.get("/api/v1/admin/unmatched", &clerk).await;
        let line = &queue["items"][0];
        assert_eq!(line["confidence"], "high", "{line}");
        let best = &line["suggestions"][0];
        assert_eq!(
            (best["taxpayer_id"].as_str(), best["obligation_id"].as_str()),
            (Some(owner.taxpayer.to_string().as_str()), Some(property.id.to_string().as_str())),
            "{line}"
        );
        assert_eq!(best["taxpayer_name"], "Anna Kowalska");
        assert!(best["reason"].as_str().unwrap().contains(&property.decision_number), "{best}");
        assert!(best["reason"].as_str().unwrap().contains("name"), "the name matches too: {best}");
        let line_id = line["id"].as_str().unwrap().to_string();

        let resident = app.token("owner").await;
        let body = json!({ "taxpayer_id": owner.taxpayer, "obligation_id": property.id });
        let (status, _) = app.post(&format!("/api/v1/admin/unmatched/{line_id}/assign"), &resident, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let farmer = persona(&app, "farmer").await;
        let wrong = json!({ "taxpayer_id": farmer.taxpayer, "obligation_id": property.id });
        let (status, problem) = app.post(&format!("/api/v1/admin/unmatched/{line_id}/assign"), &clerk, wrong).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("obligation_id")));

        let (status, assigned) = app.post(&format!("/api/v1/admin/unmatched/{line_id}/assign"), &clerk, body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {assigned}");
        assert_eq!(
            (assigned["payment"]["source"].as_str(), assigned["payment"]["payment_date"].as_str()),
            (Some("transfer"), Some("2026-12-01"))
        );
        assert_eq!(assigned["payment"]["amount"], "210.00");
        let (status, _) = app.post(&format!("/api/v1/admin/unmatched/{line_id}/assign"), &clerk, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "assigned once");
        let payment_id = assigned["payment"]["id"].as_str().unwrap();
        let stored = app.store.payment(payment_id.parse().unwrap()).await.unwrap().unwrap();
        assert_eq!(stored.indicated_obligation_id, Some(property.id));
        assert_allocation_is_the_ledgers(&app.store, &stored).await;

        let (_, payments) = app.get(&format!("/api/v1/taxpayers/{}/payments", owner.taxpayer), &resident).await;
        assert!(payments["items"].as_array().unwrap().iter().any(|p| p["id"] == payment_id), "{backend}: the resident sees it");
        let (_, queue) = app.get("/api/v1/admin/unmatched", &clerk).await;
        assert_eq!(queue["total_items"], 0);
        let (audit, _) = app
            .store
            .audit_search(
                &store::AuditFilter {
                    action: Some("statements.unmatched.assign".into()),
                    outcome: Some("allowed".into()),
                    ..Default::default()
                },
                0,
                10,
            )
            .await
            .unwrap();
        assert_eq!((audit.len(), audit[0].taxpayer_id), (1, Some(owner.taxpayer)));
        app.stop().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The real binary: the CLI contract, and killing it mid-import.

fn naleznosci() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_naleznosci"));
    command.env_remove("DATABASE_URL").env("NALEZNOSCI_LOG", "error");
    command
}

/// A seeded SQLite database file, checkpointed and closed (so that it can be copied), and its path.
async fn seeded_sqlite(taxpayers: usize) -> (String, std::path::PathBuf) {
    let (store, url) = store::test_db::fresh("sqlite").await.unwrap();
    let mut options = demo::DemoOptions::new(date!(2026 - 12 - 03));
    options.taxpayers = taxpayers;
    demo::seed(&store, &options).await.unwrap();
    store.db().execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
    store.db().clone().close().await.unwrap();
    let path = url.strip_prefix("sqlite://").unwrap().split('?').next().unwrap().into();
    (url, path)
}

fn copy_database(from: &std::path::Path, name: &str) -> (String, std::path::PathBuf) {
    let to = from.with_file_name(format!("{}-{name}.db", from.file_stem().unwrap().to_string_lossy()));
    std::fs::copy(from, &to).unwrap();
    (format!("sqlite://{}?mode=rwc", to.display()), to)
}

fn remove_database(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// `lines` credits spread over the virtual accounts of taxpayers 1..=`taxpayers`, amounts varied,
/// a few to accounts nobody has, one debit in twenty.
fn large_statement(taxpayers: u64, lines: usize) -> Vec<u8> {
    let layout = domain::nrb::VirtualAccountLayout::new(demo::VIRTUAL_PREFIX, domain::nrb::IdentifierCheck::None).unwrap();
    let entries = (0..lines)
        .map(|i| {
            let n = i as u64;
            let day = VALUE_DATE - time::Duration::days(i64::try_from(n % 20).unwrap());
            let amount = zl(1_000 + i64::try_from((n * 7_919) % 90_000).unwrap());
            if n % 20 == 19 {
                return EntrySpec::debit(amount, day, "Zwrot nadpłaty");
            }
            let target = if n.is_multiple_of(97) { 50_000 + n } else { 1 + n % taxpayers };
            let mut entry = EntrySpec::credit(amount, day, &format!("Podatki i opłaty lokalne wpłata {n}"))
                .with_counterparty("Jan Kowalski ul. Długa 1 00-001 Łódź", Some(payer_account()));
            entry.virtual_account = Some(layout.build(target).unwrap());
            entry
        })
        .collect();
    generate::mt940(Dialect::Mbank, &[statement("900", entries)]).unwrap()
}

/// Statement lines, transfers booked from statements, allocations — read in one statement, so from
/// one snapshot (three queries could straddle the import's commit and look half-booked).
async fn counts(url: &str) -> (u64, u64, u64) {
    use store::sea_orm::{ConnectionTrait, Statement};
    let store = Store::connect(url).await.unwrap();
    let db = store.db();
    let sql = "SELECT (SELECT COUNT(*) FROM statement_line) AS lines, \
               (SELECT COUNT(*) FROM payment WHERE idempotency_key LIKE 'stmt:%') AS transfers, \
               (SELECT COUNT(*) FROM allocation) AS allocations";
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    let count = |column: &str| u64::try_from(row.try_get::<i64>("", column).unwrap()).unwrap();
    let counted = (count("lines"), count("transfers"), count("allocations"));
    db.clone().close().await.unwrap();
    counted
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_imports_and_a_killed_import_leaves_nothing_half_booked() {
    let (_, seeded) = seeded_sqlite(120).await;
    let dir = seeded.parent().unwrap().to_path_buf();
    let file = dir.join(format!("{}-large.sta", seeded.file_stem().unwrap().to_string_lossy()));
    let lines = 20_000;
    std::fs::write(&file, large_statement(120, lines)).unwrap();

    // The clean run, with --json.
    let (clean_url, clean_path) = copy_database(&seeded, "clean");
    let empty = counts(&clean_url).await.2;
    let started = Instant::now();
    let out = naleznosci().args(["import-statement", file.to_str().unwrap(), "--json", "--database-url", &clean_url]).output().unwrap();
    let clean_time = started.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let summary = &result["summary"];
    assert_eq!(summary["lines"], lines);
    let credits = summary["credits"].as_u64().unwrap();
    assert_eq!(result["credits"].as_array().unwrap().len() as u64, credits);
    assert_eq!(summary["matched"].as_u64().unwrap() + summary["unmatched"].as_u64().unwrap(), credits, "{summary}");
    assert!(summary["unmatched"].as_u64().unwrap() > 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("writing rows"), "progress on stderr");
    let full = counts(&clean_url).await;
    assert_eq!(full.0, lines as u64);
    assert_eq!(full.1, summary["matched"].as_u64().unwrap());
    eprintln!("clean import of {lines} lines: {clean_time:?}");

    // The crash runs: killed after 50 ms, when allocating, mid-write, and when committing.
    let (crash_url, crash_path) = copy_database(&seeded, "crash");
    let half_booked = |c: (u64, u64, u64)| !(c == full || (c.0 == 0 && c.1 == 0 && c.2 == empty));
    for kill_at in ["50ms", "allocating", "writing rows: ", "committing"] {
        let mut child = naleznosci()
            .args(["import-statement", file.to_str().unwrap(), "--database-url", &crash_url])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        if kill_at == "50ms" {
            std::thread::sleep(StdDuration::from_millis(50));
        } else {
            for line in BufReader::new(stderr).lines() {
                let line = line.unwrap();
                // Mid-write: once some rows are written (past the first progress report).
                if line.contains(kill_at) && !(kill_at.starts_with("writing") && line.contains(" 0/")) {
                    break;
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let state = counts(&crash_url).await;
        assert!(!half_booked(state), "killed at {kill_at}: {state:?} (full {full:?})");
        eprintln!("killed at {kill_at}: {}", if state == full { "complete" } else { "nothing" });
    }

    // The full import, watched by a reader that must never see a part of it.
    let watcher = {
        let url = crash_url.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            let stop = Instant::now() + StdDuration::from_secs(600);
            while Instant::now() < stop {
                let c = counts(&url).await;
                seen.push(c);
                if c.0 == full.0 {
                    break;
                }
                tokio::time::sleep(StdDuration::from_millis(20)).await;
            }
            seen
        })
    };
    let out = naleznosci().args(["import-statement", file.to_str().unwrap(), "--database-url", &crash_url]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen = watcher.await.unwrap();
    assert!(seen.iter().all(|c| !half_booked(*c)), "a reader saw a half-booked import: {seen:?}");

    // The same ledger as the clean run (the import records aside: a complete killed run adds one).
    let strip = |mut d: BTreeMap<String, String>| {
        d.remove("imports");
        d
    };
    let clean = Store::connect(&clean_url).await.unwrap();
    let crashed = Store::connect(&crash_url).await.unwrap();
    let (a, b) = (strip(ledger_dump(&clean).await), strip(ledger_dump(&crashed).await));
    assert_eq!(a.len(), b.len());
    for (k, v) in &a {
        assert_eq!(Some(v), b.get(k), "{k}");
    }
    clean.db().clone().close().await.unwrap();
    crashed.db().clone().close().await.unwrap();

    // Bad input: one line naming the problem, exit code 2; an unbalanced file: exit 3, nothing booked.
    let out = naleznosci().args(["import-statement", "/nonexistent.sta", "--database-url", &clean_url]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let broken = dir.join(format!("{}-broken.sta", seeded.file_stem().unwrap().to_string_lossy()));
    std::fs::write(&broken, b":20:X\n:25:PL61109010140000071219812874\n:28C:1\n:60F:C250102PLN0,00\n:61:2501020102C12,5NTRFNONREF//B1\n")
        .unwrap();
    let out = naleznosci().args(["import-statement", broken.to_str().unwrap(), "--database-url", &clean_url]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.lines().last().unwrap().starts_with("naleznosci: ") && err.contains("line 5"), "{err}");
    let farmer_account =
        domain::nrb::VirtualAccountLayout::new(demo::VIRTUAL_PREFIX, domain::nrb::IdentifierCheck::None).unwrap().build(2).unwrap();
    let spec = statement("901", vec![credit(4_200, "C1", "Podatek", "Jan Nowak", Some(farmer_account))]);
    std::fs::write(&broken, unbalance(&generate::mt940(Dialect::Mbank, &[spec]).unwrap())).unwrap();
    let before = counts(&clean_url).await;
    let out = naleznosci().args(["import-statement", broken.to_str().unwrap(), "--database-url", &clean_url]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--accept-unbalanced"));
    assert_eq!(counts(&clean_url).await, before);
    let out = naleznosci()
        .args(["import-statement", broken.to_str().unwrap(), "--accept-unbalanced", "--dry-run", "--database-url", &clean_url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Dry run"), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(counts(&clean_url).await, before);

    for path in [&seeded, &clean_path, &crash_path] {
        remove_database(path);
    }
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&broken);
}
