//! The resident's journey in a real browser: log in through the login node imitation, the
//! dashboard's totals as the API computes them, an overdue obligation's interest as the domain
//! engine computes it, the decision PDF, the transfer details with a ZBP QR code that decodes to the
//! API's payload, and an online payment through the PayByNet simulator booked with the right split.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "a test fails by panicking")]

mod common;

use api_types::{ObligationDetail, ObligationStatus, PaymentView, TransferDetails};
use common::{amount_in, api, assert_pdf_says, first_taxpayer, login, obligations, persona, print_axe, today};
use domain::Amount;
use domain::calendar::Calendar;
use domain::interest::{InterestRules, late_interest};
use domain::rates::{RateKind, RateTable};
use e2e::browser::js_string;
use e2e::{Demo, Session};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_journey() {
    let started = std::time::Instant::now();
    let demo = Demo::start(&[]).await;
    let s = Session::launch("resident_journey").await;
    // The debtor: arrears since 2023 with interest across rate changes.
    let (_, debtor) = persona("debtor");
    let token = demo.token(debtor.pesel.as_str()).await;
    let taxpayer = first_taxpayer(&demo, &token).await;
    let tid = taxpayer.id;

    // 1. Login through the login node imitation.
    login(&s, &demo, "debtor").await;

    // 2. The dashboard: every figure equals what the API returns for this person.
    s.wait_for_element("section.taxpayer dl.totals").await;
    s.check("dashboard").await;
    let page = obligations(&demo, &token, tid).await;
    let shown: Value = s
        .eval(
            "[...document.querySelectorAll('section.taxpayer')].map(s => ({ \
               name: s.querySelector('h2').innerText, \
               totals: [...s.querySelectorAll('dl.totals > div')].map(d => d.querySelector('dd').innerText), \
               rows: [...s.querySelectorAll('tbody tr')].map(r => ({ href: r.querySelector('a').getAttribute('href'), \
                   cells: [...r.querySelectorAll('td')].map(c => c.innerText) })) }))",
        )
        .await;
    let cards = shown.as_array().expect("taxpayer cards");
    assert_eq!(cards.len(), 1, "one taxpayer card: {shown}");
    let card = &cards[0];
    assert_eq!(card["name"], taxpayer.name.as_str());
    let totals: Vec<String> = card["totals"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let t = &page.totals;
    assert_eq!(amount_in(&totals[0]), t.to_pay_today.to_string(), "to pay today");
    assert_eq!(amount_in(&totals[1]), t.overdue.to_string(), "overdue");
    assert_eq!(amount_in(&totals[2]), t.interest_today.to_string(), "interest today");
    let mut next = 3;
    if !t.reminder_costs.is_zero() {
        assert_eq!(amount_in(&totals[3]), t.reminder_costs.to_string(), "reminder costs");
        next = 4;
    }
    match t.next_due_date {
        Some(day) => assert!(totals[next].contains(&format!("{:02}.{:02}.{}", day.day(), u8::from(day.month()), day.year()))),
        None => assert_eq!(totals[next], "brak"),
    }
    let rows = card["rows"].as_array().unwrap();
    assert_eq!(rows.len(), page.items.len(), "one row per obligation");
    for o in &page.items {
        let row = rows.iter().find(|r| r["href"].as_str().is_some_and(|h| h.ends_with(&o.id.to_string()))).expect("a row per obligation");
        let cells: Vec<&str> = row["cells"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert!(cells[0].contains(&o.decision_number), "decision number of {}", o.title);
        assert_eq!(amount_in(cells[1]), o.amount.to_string(), "amount of {}", o.title);
        assert_eq!(amount_in(cells[2]), o.paid.to_string(), "paid of {}", o.title);
        assert_eq!(amount_in(cells[3]), o.totals.to_pay_today.to_string(), "to pay today of {}", o.title);
    }
    eprintln!("[e2e] dashboard: {} obligations, totals {t:?} — as the API says", page.items.len());

    // 3. An overdue obligation whose installments have had no payment: today's interest of each
    //    installment is exactly what the domain engine computes for it.
    let mut overdue = None;
    for o in page.items.iter().filter(|o| o.status == ObligationStatus::Overdue && o.paid.is_zero() && !o.totals.interest_today.is_zero()) {
        let detail: ObligationDetail = api(&demo, &format!("/api/v1/obligations/{}", o.id), &token).await;
        if detail.installments.len() > 1 {
            overdue = Some(detail);
            break;
        }
    }
    let detail = overdue.expect("an overdue obligation with several installments and interest");
    let oid = detail.obligation.id;
    s.click(&format!("a[href='/taxpayers/{tid}/obligations/{oid}']")).await;
    s.wait_for_spa().await;
    s.wait_for_element("section[aria-labelledby=schedule-h] tbody tr").await;
    assert_eq!(s.text("main h1").await, detail.obligation.title);
    s.check("overdue-obligation").await;
    let rates = RateTable::shipped();
    let calendar = Calendar::statutory();
    let rules = InterestRules::new(&rates, &calendar);
    let interest_cells: Vec<String> =
        s.eval("[...document.querySelectorAll('section[aria-labelledby=schedule-h] tbody tr')].map(r => r.querySelectorAll('td')[4].innerText)").await;
    assert_eq!(interest_cells.len(), detail.installments.len());
    let mut sum = Amount::ZERO;
    for (i, cell) in detail.installments.iter().zip(&interest_cells) {
        let engine = late_interest(&rules, i.amount, i.due_date, today(), RateKind::Standard, true).expect("interest computes");
        assert_eq!(i.interest_owed, engine.interest, "the API's interest on installment {} equals the engine's", i.number);
        assert_eq!(amount_in(cell), engine.interest.to_string(), "the page's interest on installment {} equals the engine's", i.number);
        eprintln!(
            "[e2e] installment {} of {}: {} zł due {} → interest on {} = {} zł (engine), page shows {cell:?}",
            i.number,
            detail.obligation.decision_number,
            i.amount,
            i.due_date,
            e2e::TODAY,
            engine.interest
        );
        sum = sum + engine.interest;
    }
    assert!(!sum.is_zero(), "some interest is charged");
    assert_eq!(sum, detail.obligation.totals.interest_today);
    // The explanation period by period is there for every installment with interest.
    let explained: usize = s.eval("document.querySelectorAll('section[aria-labelledby=interest-h] article.explain').length").await;
    assert_eq!(explained, detail.installments.iter().filter(|i| i.interest.is_some()).count());

    // 4. The decision PDF, downloaded with the button as a person does.
    s.click("section[aria-labelledby=docs-h] button").await;
    s.wait_for_element("section[aria-labelledby=docs-h] a[href^='blob:']").await;
    s.check("decision-pdf-ready").await;
    let file_name = detail.documents[0].file_name.clone();
    let pdf = s.download("section[aria-labelledby=docs-h] a[href^='blob:']", &file_name).await;
    assert_pdf_says(&pdf, &detail.obligation.decision_number, &s.screenshots().join("decision.pdf"));
    eprintln!("[e2e] decision PDF: {} bytes, says {}", pdf.len(), detail.obligation.decision_number);

    // 5. Transfer details with the ZBP QR code for this obligation.
    s.click(&format!("a[href='/taxpayers/{tid}/transfer?obligation={oid}']")).await;
    s.wait_for_spa().await;
    // The server draws the code; the page shows it from a blob URL once it has loaded.
    s.wait_for("(() => { const i = document.querySelector('img.qr'); return !!i && i.complete && i.naturalWidth > 0; })()", "the QR image")
        .await;
    s.check("transfer-details-qr").await;
    let transfer: TransferDetails = api(&demo, &format!("/api/v1/taxpayers/{tid}/transfer-details?obligation={oid}"), &token).await;
    let payload = transfer.qr_payload.clone().expect("a QR payload for one obligation");
    assert_eq!(s.text(".transfer .account").await, transfer.account, "the virtual account shown");
    let png = s.element_png("img.qr", "qr-code").await;
    let decoded = decode_qr(&png);
    assert_eq!(decoded, payload, "the QR code on the page decodes to the API's ZBP payload");
    let zbp = domain::zbp_qr::ZbpQr::parse(&decoded).expect("a ZBP payload");
    eprintln!("[e2e] QR decodes to {decoded:?} ({zbp:?})");

    // 6. Pay one installment online through the simulator: the earliest arrear of its kind (so
    //    that art. 62 § 1 sends the money to it), paid with its interest.
    let (pay_obligation, installment) = earliest_single_arrear(&demo, &token, &page).await;
    let (principal, interest) = (installment.principal_outstanding, installment.interest_owed);
    assert!(!interest.is_zero(), "the chosen installment carries interest");
    s.click("nav.breadcrumb a").await;
    s.wait_for_spa().await;
    s.click(&format!("a[href='/taxpayers/{tid}/obligations/{}']", pay_obligation.obligation.id)).await;
    s.wait_for_spa().await;
    s.wait_for_element("section[aria-labelledby=schedule-h]").await;
    s.click(&format!("a[href='/taxpayers/{tid}/pay?obligation={}']", pay_obligation.obligation.id)).await;
    s.wait_for_spa().await;
    s.wait_for(&format!("document.getElementById('inst-{}')?.checked", installment.id), "the installment to be preselected").await;
    s.wait_for("document.querySelector('.pay-action button') && !document.querySelector('.pay-action button').disabled", "the pay button")
        .await;
    s.check("pay-online").await;
    s.click(".pay-action button").await;
    // The simulator: choose a bank, then confirm in the "bank".
    s.wait_for_element("input[name=bank]").await;
    s.check("simulator-choose-bank").await;
    let shown_amount = s.body_text().await;
    assert!(
        shown_amount.contains(&(principal + interest).to_string().replace('.', ",")),
        "the gateway asks for principal + interest:\n{shown_amount}"
    );
    s.click("label[for=bank-1]").await;
    s.click("form[method=get] button[type=submit]").await;
    s.wait_for_element("button[value=confirm]").await;
    s.check("simulator-authorise").await;
    s.click("button[value=confirm]").await;
    // Back at the portal: the payment's page follows it until it is booked.
    s.wait_for("location.pathname.startsWith('/platnosci/')", "the return to the portal").await;
    s.wait_for_spa().await;
    s.wait_for_element(".badge.payment-booked").await;
    s.check("payment-booked").await;
    let pid: String = s.eval("location.pathname.split('/')[2]").await;
    let payment: PaymentView = api(&demo, &format!("/api/v1/payments/{pid}"), &token).await;
    assert_eq!(payment.status, "booked");
    assert_eq!(payment.amount, principal + interest);
    assert_eq!(amount_in(&s.text(".big-amount").await), payment.amount.to_string());
    // The receipt.
    s.click("main .card button").await;
    s.wait_for_element("main .card a[href^='blob:']").await;
    let receipt = s.download("main .card a[href^='blob:']", &format!("potwierdzenie-{pid}.pdf")).await;
    assert_pdf_says(&receipt, &format!("{}", payment.amount).replace('.', ","), &s.screenshots().join("receipt.pdf"));
    s.check("receipt-ready").await;
    // Booked with the right split: the installment's principal and interest, nothing else.
    let to_installment: Vec<_> = payment.allocations.iter().filter(|a| a.installment_id == Some(installment.id)).collect();
    assert_eq!(to_installment.len(), 1, "{:?}", payment.allocations);
    assert_eq!((to_installment[0].principal, to_installment[0].interest), (principal, interest), "principal/interest split");
    assert!(payment.overpayment.is_zero());
    // The obligation page: the installment is paid and the payment shows the split.
    s.click("nav.breadcrumb a").await;
    s.wait_for_spa().await;
    s.click(&format!("a[href='/taxpayers/{tid}/obligations/{}']", pay_obligation.obligation.id)).await;
    s.wait_for_spa().await;
    s.wait_for_element("section[aria-labelledby=paid-h] tbody tr").await;
    let after: ObligationDetail = api(&demo, &format!("/api/v1/obligations/{}", pay_obligation.obligation.id), &token).await;
    let paid = after.installments.iter().find(|i| i.id == installment.id).unwrap();
    assert_eq!(paid.status, ObligationStatus::Paid);
    assert_eq!((paid.principal_paid, paid.interest_paid), (paid.amount, interest));
    let row: String = s
        .eval(&format!(
            "[...document.querySelectorAll('section[aria-labelledby=schedule-h] tbody tr')].find(r => r.querySelector('th').innerText.trim() === {}).innerText",
            js_string(&installment.number.to_string())
        ))
        .await;
    assert!(row.contains("Zapłacone"), "the installment is shown paid: {row:?}");
    let split = format!(
        "rata {}: należność {}\u{a0}zł, odsetki {}\u{a0}zł",
        installment.number,
        principal.to_string().replace('.', ","),
        interest.to_string().replace('.', ",")
    );
    s.wait_for_text(&split).await;
    s.check("installment-paid").await;
    eprintln!("[e2e] paid {} zł online: {split}", payment.amount);

    print_axe(&s);
    s.close().await;
    demo.stop();
    eprintln!("[e2e] resident_journey took {:.1} s", started.elapsed().as_secs_f64());
}

/// The earliest unpaid installment of an obligation kind that has one installment owing, with
/// interest: a payment indicating it goes to it alone (art. 62 § 1).
async fn earliest_single_arrear(
    demo: &Demo,
    token: &str,
    page: &api_types::ObligationsPage,
) -> (ObligationDetail, api_types::InstallmentView) {
    let mut by_kind: Vec<(String, Vec<(ObligationDetail, api_types::InstallmentView)>)> = Vec::new();
    for o in page.items.iter().filter(|o| o.status != ObligationStatus::Paid) {
        let detail: ObligationDetail = api(demo, &format!("/api/v1/obligations/{}", o.id), token).await;
        for i in detail.installments.iter().filter(|i| i.status == ObligationStatus::Overdue) {
            match by_kind.iter_mut().find(|(k, _)| *k == o.kind) {
                Some((_, list)) => list.push((detail.clone(), i.clone())),
                None => by_kind.push((o.kind.clone(), vec![(detail.clone(), i.clone())])),
            }
        }
    }
    for (_, mut list) in by_kind {
        list.sort_by_key(|(_, i)| i.effective_due_date);
        let (detail, first) = list.remove(0);
        if !first.interest_owed.is_zero() && first.principal_paid.is_zero() {
            return (detail, first);
        }
    }
    panic!("no overdue installment with interest that is the earliest of its kind");
}

/// Decodes the QR code in a PNG (scaled up, on a quiet zone, so that the finder patterns are clear).
fn decode_qr(png: &[u8]) -> String {
    let image = image::load_from_memory(png).expect("a PNG").to_luma8();
    let (w, h) = image.dimensions();
    let margin = 32;
    let scale = 3;
    let mut canvas = image::GrayImage::from_pixel(w * scale + 2 * margin, h * scale + 2 * margin, image::Luma([255]));
    for (x, y, p) in image.enumerate_pixels() {
        for dx in 0..scale {
            for dy in 0..scale {
                canvas.put_pixel(margin + x * scale + dx, margin + y * scale + dy, *p);
            }
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare(canvas);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the screenshot");
    let (_, content) = grids[0].decode().expect("the QR code decodes");
    content
}
