//! The clerk's journey in a real browser: log in, upload a generated MT940 statement whose credits
//! hit demo virtual accounts plus one that matches nothing, read the summary (matched count), find
//! the unmatched line in the queue with its suggestion, assign it; then the resident it was
//! assigned to logs in and sees the payment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a test fails by panicking")]

mod common;

use api_types::{PaymentList, StatementImportPage, TransferDetails, UnmatchedPage};
use common::{amount_in, api, first_taxpayer, login, obligations, persona, print_axe, today};
use domain::Amount;
use domain::nrb::Nrb;
use e2e::{Demo, Session};
use rust_decimal::Decimal;
use statements::generate::{self, Dialect, EntrySpec, StatementSpec};

/// A statement for today: transfers to the farmer's and the company's virtual accounts, one to the
/// municipality's main account naming the owner's decision (it matches nothing), the bank's fee.
struct Generated {
    bytes: Vec<u8>,
    credits: usize,
    to_virtual_accounts: usize,
    unmatched_amount: Amount,
    total: Amount,
    lines: usize,
}

async fn virtual_account(demo: &Demo, token: &str) -> Nrb {
    let taxpayer = first_taxpayer(demo, token).await;
    let details: TransferDetails = api(demo, &format!("/api/v1/taxpayers/{}/transfer-details", taxpayer.id), token).await;
    details.account.parse().expect("the virtual account is an NRB")
}

async fn generate_statement(demo: &Demo) -> Generated {
    let (_, farmer) = persona("farmer");
    let (_, company) = persona("company");
    let (_, owner) = persona("owner");
    let farmer_account = virtual_account(demo, &demo.token(farmer.pesel.as_str()).await).await;
    let company_account = virtual_account(demo, &demo.token(company.pesel.as_str()).await).await;
    let owner_token = demo.token(owner.pesel.as_str()).await;
    let owner_taxpayer = first_taxpayer(demo, &owner_token).await;
    let owner_obligations = obligations(demo, &owner_token, owner_taxpayer.id).await;
    let named = &owner_obligations.items[0];
    let day = today();
    let payer = |n: u64| -> Nrb {
        domain::nrb::VirtualAccountLayout::new("10205561", domain::nrb::IdentifierCheck::None).unwrap().build(9_100_000_000 + n).unwrap()
    };
    let amount = |s: &str| s.parse::<Amount>().unwrap();
    let credits = vec![
        EntrySpec::credit(amount("100.00"), day, "Podatek rolny i od nieruchomości")
            .with_counterparty("Jan Nowak", Some(payer(1)))
            .to_virtual_account(farmer_account),
        EntrySpec::credit(amount("250.00"), day, "Podatek od nieruchomości za listopad")
            .with_counterparty("Dynbud sp. z o.o.", Some(payer(2)))
            .to_virtual_account(company_account),
        // Paid to the main account by someone who is not a taxpayer: the clerk's queue.
        EntrySpec::credit(amount("123.45"), day, &format!("{} decyzja {} za A. Kowalską", named.title, named.decision_number))
            .with_counterparty("Marek Zając ul. Polna 7 37-030 Dynów", Some(payer(3))),
    ];
    let total = credits.iter().fold(Amount::ZERO, |sum, c| sum + c.amount);
    let mut entries = credits;
    entries.push(EntrySpec::debit(amount("25.00"), day, "Opłata za prowadzenie rachunku"));
    let lines = entries.len();
    let own: Nrb = demo::MUNICIPALITY_ACCOUNT.parse().unwrap();
    let spec = StatementSpec { number: "337".into(), entries, ..StatementSpec::new(own, Decimal::new(10_000_000, 2), day) };
    let bytes = generate::mt940(Dialect::Mbank, std::slice::from_ref(&spec)).expect("the statement is generated");
    Generated { bytes, credits: 3, to_virtual_accounts: 2, unmatched_amount: amount("123.45"), total, lines }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_journey() {
    let started = std::time::Instant::now();
    let demo = Demo::start(&[]).await;
    let s = Session::launch("clerk_journey").await;
    let (_, clerk) = persona("clerk");
    let (_, owner) = persona("owner");
    let clerk_token = demo.token(clerk.pesel.as_str()).await;
    let owner_token = demo.token(owner.pesel.as_str()).await;
    let owner_taxpayer = first_taxpayer(&demo, &owner_token).await;
    let payments_before: PaymentList = api(&demo, &format!("/api/v1/taxpayers/{}/payments", owner_taxpayer.id), &owner_token).await;

    let statement = generate_statement(&demo).await;
    let file = demo.dir.path().join("wyciag-mbank-2026-12-03.sta");
    std::fs::write(&file, &statement.bytes).unwrap();

    // 1. The clerk logs in and opens the bank statements.
    login(&s, &demo, "clerk").await;
    s.check("clerk-start").await;
    s.click("header a[href='/admin']").await;
    s.wait_for_spa().await;
    s.wait_for_element("nav.sub-nav a[href='/admin/statements']").await;
    s.check("admin-home").await;
    s.click("nav.sub-nav a[href='/admin/statements']").await;
    s.wait_for_spa().await;
    s.wait_for_element("#statement-file").await;
    s.check("statements").await;

    // 2. Upload the file: progress, then the summary.
    s.choose_file("#statement-file", &file).await;
    s.click("form button[type=submit]").await;
    s.wait_for_element("#sum-matched").await;
    s.wait_for_text("Gotowe.").await;
    s.check("statement-imported").await;
    let number = |id: &str| format!("document.getElementById('{id}').innerText");
    let shown = |v: String| v.trim().to_string();
    assert_eq!(shown(s.eval(&number("sum-lines")).await), statement.lines.to_string(), "lines");
    assert_eq!(shown(s.eval(&number("sum-credits")).await), statement.credits.to_string(), "credits");
    assert_eq!(shown(s.eval(&number("sum-matched")).await), statement.to_virtual_accounts.to_string(), "matched");
    assert_eq!(shown(s.eval(&number("sum-unmatched")).await), "1", "unmatched");
    assert_eq!(shown(s.eval(&number("sum-settled")).await), "0", "settled online");
    assert_eq!(shown(s.eval(&number("sum-duplicates")).await), "0", "duplicates");
    assert_eq!(amount_in(&s.eval::<String>(&number("sum-total")).await), statement.total.to_string(), "total credited");
    let imports: StatementImportPage = api(&demo, "/api/v1/admin/statements", &clerk_token).await;
    assert_eq!(imports.total_items, 1);
    assert_eq!(imports.items[0].matched as usize, statement.to_virtual_accounts);
    // The list of imported files shows it.
    s.wait_for("document.querySelectorAll('table.imports tbody tr').length === 1", "the import in the list").await;

    // 3. The unmatched line in the queue, with the owner suggested (her decision is in the title).
    s.click("a[href='/admin/unmatched']").await;
    s.wait_for_spa().await;
    s.wait_for_element("article.unmatched").await;
    s.check("unmatched-queue").await;
    let queue: UnmatchedPage = api(&demo, "/api/v1/admin/unmatched", &clerk_token).await;
    assert_eq!(queue.total_items, 1, "one line in the queue");
    let line = &queue.items[0];
    assert_eq!(line.amount, statement.unmatched_amount);
    let suggestion = line.suggestions.first().expect("a suggestion");
    assert_eq!(suggestion.taxpayer_id, owner_taxpayer.id, "the owner is suggested");
    let card = s.text("article.unmatched").await;
    assert!(card.contains("123,45"), "the line's amount: {card}");
    assert!(card.contains(&owner_taxpayer.name), "the suggestion: {card}");
    assert!(card.contains("pewność: wysoka"), "the suggestion's confidence: {card}");
    // 4. Assign it: the suggestion is preselected; book it.
    s.wait_for(&format!("document.getElementById('um-{}-s0').checked", line.id), "the suggestion preselected").await;
    s.click("article.unmatched form button[type=submit]").await;
    s.wait_for_text("zaksięgowana u podatnika").await;
    s.wait_for("!document.querySelector('article.unmatched')", "the queue to empty").await;
    s.check("unmatched-assigned").await;
    let queue: UnmatchedPage = api(&demo, "/api/v1/admin/unmatched", &clerk_token).await;
    assert_eq!(queue.total_items, 0, "the queue is empty");

    // 5. The resident sees the payment.
    s.click_text("header button", "Wyloguj").await;
    s.wait_for_element(".login-button").await;
    login(&s, &demo, "owner").await;
    s.click(&format!("a[href='/taxpayers/{}/payments']", owner_taxpayer.id)).await;
    s.wait_for_spa().await;
    s.wait_for_text("123,45").await;
    s.check("resident-payment-history").await;
    let payments: PaymentList = api(&demo, &format!("/api/v1/taxpayers/{}/payments", owner_taxpayer.id), &owner_token).await;
    assert_eq!(payments.items.len(), payments_before.items.len() + 1);
    let new = payments.items.iter().find(|p| p.amount == statement.unmatched_amount).expect("the assigned payment");
    assert_eq!((new.status.as_str(), new.source.as_str(), new.payment_date), ("booked", "transfer", Some(today())));
    let row: String =
        s.eval("[...document.querySelectorAll('main tbody tr')].map(r => r.innerText).find(t => t.includes('123,45')) || ''").await;
    assert!(row.contains("03.12.2026"), "the payment's date on the resident's page: {row:?}");
    eprintln!("[e2e] resident sees: {row:?}");

    print_axe(&s);
    s.close().await;
    demo.stop();
    eprintln!("[e2e] clerk_journey took {:.1} s", started.elapsed().as_secs_f64());
}
