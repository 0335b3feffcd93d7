//! The simulator's pages: Polish, server-rendered, accessible (one `<h1>`, labelled controls,
//! fieldsets with legends, real buttons), every value escaped.

use domain::Amount;
use domain::nrb::Nrb;

use super::{Delivery, DeliveryOutcome, SimulatedBank, SimulatorConfig};
use crate::html::{escape, page};
use crate::paybynet::Recipient;

/// Shown on every page: nobody should mistake this for a bank.
const BANNER: &str = "SYMULATOR PayByNet — środowisko testowe. To nie jest bank i żadne pieniądze nie są przesyłane.";

/// What the pages show about one transaction.
pub(super) struct TransactionView<'a> {
    pub id_trans: &'a str,
    pub amount: Amount,
    pub recipient: &'a Recipient,
    pub account: &'a Nrb,
    pub date_valid: &'a str,
}

/// "1234,56 zł": Polish decimal comma.
pub(super) fn zloty(amount: Amount) -> String {
    format!("{} zł", amount.to_string().replace('.', ","))
}

fn details(view: &TransactionView<'_>) -> String {
    let r = view.recipient;
    format!(
        "<dl>\n<dt>Odbiorca</dt><dd>{name}<br>{street}<br>{postal} {city}<br>{country}</dd>\n\
         <dt>Rachunek odbiorcy</dt><dd>{account}</dd>\n<dt>Kwota</dt><dd>{amount}</dd>\n\
         <dt>Identyfikator transakcji</dt><dd>{id}</dd>\n<dt>Ważne do</dt><dd>{valid}</dd>\n</dl>",
        name = escape(r.name()),
        street = escape(r.street()),
        postal = escape(r.postal_code()),
        city = escape(r.city()),
        country = escape(r.country()),
        account = escape(&view.account.formatted()),
        amount = escape(&zloty(view.amount)),
        id = escape(view.id_trans),
        valid = escape(view.date_valid),
    )
}

/// Step 1: choose a bank (a GET form, so the bank page has its own address), or cancel.
/// `problem` is shown first, as an alert, when the previous choice was not valid.
pub(super) fn choose_bank(view: &TransactionView<'_>, banks: &[SimulatedBank], problem: Option<&str>) -> String {
    let alert = problem.map(|p| format!("<div class=\"error\" role=\"alert\"><p>{}</p></div>\n", escape(p))).unwrap_or_default();
    let options: String = banks
        .iter()
        .map(|bank| {
            format!(
                "<div><input type=\"radio\" id=\"bank-{id}\" name=\"bank\" value=\"{id}\" required> <label for=\"bank-{id}\">{name}</label></div>\n",
                id = escape(&bank.id),
                name = escape(&bank.name)
            )
        })
        .collect();
    let id = escape(view.id_trans);
    let body = format!(
        "<h1>Płatność PayByNet: wybierz bank</h1>\n{alert}{details}\n\
         <form method=\"get\" action=\"{id}/bank\">\n<fieldset>\n<legend>Bank, w którym masz konto</legend>\n{options}</fieldset>\n\
         <button type=\"submit\">Dalej</button>\n</form>\n\
         <form method=\"post\" action=\"{id}/decision\">\n<input type=\"hidden\" name=\"decision\" value=\"reject\">\n\
         <button type=\"submit\">Anuluj płatność</button>\n</form>",
        details = details(view),
    );
    page("Wybierz bank — symulator PayByNet", Some(BANNER), &body)
}

/// Step 2: the "bank" asks to confirm or reject the transfer.
pub(super) fn authorise(view: &TransactionView<'_>, bank: &SimulatedBank) -> String {
    let body = format!(
        "<h1>{bank}: autoryzacja przelewu</h1>\n\
         <p>Symulowana bankowość elektroniczna. Zatwierdź przelew, aby symulator wysłał do portalu powiadomienie \
         o płatności zatwierdzonej, albo go odrzuć.</p>\n{details}\n\
         <form method=\"post\" action=\"decision\">\n<input type=\"hidden\" name=\"bank\" value=\"{bank_id}\">\n\
         <fieldset>\n<legend>Decyzja</legend>\n\
         <button type=\"submit\" name=\"decision\" value=\"confirm\">Zatwierdź płatność</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"reject\">Odrzuć płatność</button>\n</fieldset>\n</form>\n\
         <p><a href=\"../{id}\">Wybierz inny bank</a></p>",
        bank = escape(&bank.name),
        bank_id = escape(&bank.id),
        details = details(view),
        id = escape(view.id_trans),
    );
    page("Autoryzacja przelewu — symulator PayByNet", Some(BANNER), &body)
}

/// A refused request or an impossible step. `back` is the merchant's return address when known.
pub(super) fn error(heading: &str, reason: &str, back: Option<&str>) -> String {
    let back = back.map(|url| format!("<p><a href=\"{}\">Wróć do serwisu sprzedawcy</a></p>\n", escape(url))).unwrap_or_default();
    let body = format!(
        "<h1>{heading}</h1>\n<div class=\"error\" role=\"alert\"><p>{reason}</p></div>\n{back}\
         <p>Symulator sprawdza żądanie tak, jak robi to bramka; sprawdź konfigurację portalu.</p>",
        heading = escape(heading),
        reason = escape(reason),
    );
    page(&format!("{heading} — symulator PayByNet"), Some(BANNER), &body)
}

/// The simulator's start page: its settings (never the password) and the notifications it sent.
pub(super) fn index(config: &SimulatorConfig, deliveries: &[Delivery]) -> String {
    let m = &config.misbehaviour;
    let yes_no = |on: bool| if on { "tak" } else { "nie" };
    let delay = m.notification_delay.map_or_else(|| "brak".to_owned(), |d| format!("{} ms", d.as_millis()));
    let rows: String = deliveries
        .iter()
        .rev()
        .take(50)
        .map(|d| {
            let outcome = match &d.outcome {
                DeliveryOutcome::Answered { http_status, body } => format!("HTTP {http_status}: {body}"),
                DeliveryOutcome::Failed(reason) => format!("błąd: {reason}"),
            };
            format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", escape(&d.id_trans), escape(&d.body), escape(&outcome))
        })
        .collect();
    let body = format!(
        "<h1>Symulator PayByNet</h1>\n\
         <p>Imitacja bramki KIR PayByNet do pokazów i testów end-to-end. Formularz przyjmuje pole <code>hashtrans</code> \
         pod adresem <code>PayByNet/trans.do</code>, status odpowiada pod <code>axis/services/PBNTransactionsGetStatus</code>.</p>\n\
         <h2>Ustawienia</h2>\n<dl>\n<dt>Identyfikator sprzedawcy (id_client)</dt><dd>{merchant}</dd>\n\
         <dt>Adres powiadomień portalu</dt><dd>{notify}</dd>\n\
         <dt>Powtórzone powiadomienia (dodatkowe kopie)</dt><dd>{duplicates}</dd>\n\
         <dt>Powiadomienia w złej kolejności</dt><dd>{out_of_order}</dd>\n\
         <dt>Opóźnienie powiadomień</dt><dd>{delay}</dd>\n<dt>Zepsuty skrót (hash)</dt><dd>{tamper}</dd>\n</dl>\n\
         <h2>Wysłane powiadomienia</h2>\n\
         <table>\n<caption>Ostatnie powiadomienia, najnowsze pierwsze</caption>\n\
         <thead><tr><th scope=\"col\">Transakcja</th><th scope=\"col\">Treść</th><th scope=\"col\">Odpowiedź portalu</th></tr></thead>\n\
         <tbody>\n{rows}</tbody>\n</table>",
        merchant = escape(&config.merchant_id),
        notify = escape(&config.notify_url),
        duplicates = m.duplicate_notifications,
        out_of_order = yes_no(m.out_of_order),
        delay = escape(&delay),
        tamper = yes_no(m.tamper_hash),
    );
    page("Symulator PayByNet", Some(BANNER), &body)
}
