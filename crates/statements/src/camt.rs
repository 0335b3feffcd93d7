//! camt.053 (ISO 20022 `BkToCstmrStmt`), any version: 001.02 as in the sample and the later ones
//! (001.08 …), whose elements this reader uses differ only in the namespace and in two places handled
//! here (`Sts/Cd` for `Sts`; `Dbtr/Pty/Nm` for `Dbtr/Nm`). payments.md §4.3–4.4.
//!
//! Elements are matched by local name, so a missing or unexpected namespace prefix does not matter;
//! a namespace, when present, must be a camt.053 one.

use std::str::FromStr;

use domain::Amount;
use domain::nrb::Nrb;
use roxmltree::{Document, Node, ParsingOptions};
use rust_decimal::Decimal;
use time::Date;

use crate::accounts;
use crate::error::StatementError;
use crate::model::{Balance, BalanceKind, Direction, SourceFormat, Statement, StatementLine, StatementParts};

const CAMT053: &str = "urn:iso:std:iso:20022:tech:xsd:camt.053.";

/// Parses a camt.053 document: the namespace (if any) and the statements.
pub(crate) fn parse(text: &str) -> Result<(Option<String>, Vec<Statement>), StatementError> {
    // DTDs are refused (roxmltree's default): a bank statement has none, and entities could expand.
    let doc = Document::parse_with_options(text, ParsingOptions { allow_dtd: false, ..ParsingOptions::default() })
        .map_err(|e| StatementError::Xml(e.to_string()))?;
    let root = doc.root_element();
    let namespace = root.tag_name().namespace().map(str::to_owned);
    if let Some(ns) = &namespace
        && !ns.starts_with(CAMT053)
    {
        return Err(StatementError::UnknownFormat(format!("XML namespace {ns:?} is not camt.053 (a bank-to-customer statement)")));
    }
    let reader = Reader { doc: &doc };
    if root.tag_name().name() != "Document" {
        return Err(reader.error(root, "Document", "the root element is not Document"));
    }
    let body = child(root, "BkToCstmrStmt").ok_or_else(|| reader.error(root, "Document", "no BkToCstmrStmt element"))?;
    let mut statements = Vec::new();
    for (index, stmt) in children(body, "Stmt").enumerate() {
        statements.push(reader.statement(stmt, &format!("Stmt[{}]", index + 1))?);
    }
    if statements.is_empty() {
        return Err(reader.error(body, "BkToCstmrStmt", "no Stmt element"));
    }
    Ok((namespace, statements))
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The element at a path of local names.
fn at<'a, 'i>(node: Node<'a, 'i>, path: &[&str]) -> Option<Node<'a, 'i>> {
    path.iter().try_fold(node, |n, name| child(n, name))
}

/// Trimmed, non-empty text at a path.
fn text_at(node: Node<'_, '_>, path: &[&str]) -> Option<String> {
    at(node, path).and_then(|n| n.text()).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// A party's name: `Nm` (001.02) or `Pty/Nm` (001.08 and later).
fn party_name(party: Node<'_, '_>) -> Option<String> {
    text_at(party, &["Nm"]).or_else(|| text_at(party, &["Pty", "Nm"]))
}

/// An account's identifier: `Id/IBAN`, else `Id/Othr/Id`.
fn account_id(account: Node<'_, '_>) -> Option<String> {
    text_at(account, &["Id", "IBAN"]).or_else(|| text_at(account, &["Id", "Othr", "Id"]))
}

struct Reader<'d, 'i> {
    doc: &'d Document<'i>,
}

/// Money, dates and parties of one transaction inside an entry.
struct Transaction {
    line: usize,
    amount: Option<Amount>,
    customer_reference: Option<String>,
    bank_reference: Option<String>,
    transaction_code: Option<String>,
    debtor: Option<String>,
    debtor_account: Option<String>,
    creditor: Option<String>,
    creditor_account: Option<String>,
    title: Option<String>,
    information: Option<String>,
}

impl Reader<'_, '_> {
    fn error(&self, node: Node<'_, '_>, path: &str, problem: &str) -> StatementError {
        let pos = self.doc.text_pos_at(node.range().start);
        StatementError::Camt { line: pos.row, path: path.to_owned(), problem: problem.to_owned() }
    }

    fn line_of(&self, node: Node<'_, '_>) -> usize {
        usize::try_from(self.doc.text_pos_at(node.range().start).row).unwrap_or(usize::MAX)
    }

    fn required(&self, node: Node<'_, '_>, path: &str, sub: &[&str]) -> Result<String, StatementError> {
        text_at(node, sub).ok_or_else(|| self.error(node, &format!("{path}/{}", sub.join("/")), "missing"))
    }

    fn amount(&self, node: Node<'_, '_>, path: &str) -> Result<(Amount, Option<String>), StatementError> {
        let amt = child(node, "Amt").ok_or_else(|| self.error(node, &format!("{path}/Amt"), "missing"))?;
        let text = amt.text().map(str::trim).unwrap_or_default();
        let bad = |why: &str| self.error(amt, &format!("{path}/Amt"), &format!("{why}: {text:?}"));
        let value = Decimal::from_str_exact(text).map_err(|_| bad("not a decimal amount"))?;
        let amount = Amount::new(value).map_err(|e| bad(&e.to_string()))?;
        Ok((amount, amt.attribute("Ccy").map(str::to_owned)))
    }

    fn direction(&self, node: Node<'_, '_>, path: &str) -> Result<Direction, StatementError> {
        match text_at(node, &["CdtDbtInd"]).as_deref() {
            Some("CRDT") => Ok(Direction::Credit),
            Some("DBIT") => Ok(Direction::Debit),
            Some(other) => Err(self.error(node, &format!("{path}/CdtDbtInd"), &format!("expected CRDT or DBIT, found {other:?}"))),
            None => Err(self.error(node, &format!("{path}/CdtDbtInd"), "missing")),
        }
    }

    /// `Dt` or `DtTm` under `node/name`; the date part of a date-time.
    fn date(&self, node: Node<'_, '_>, path: &str, name: &str) -> Result<Option<Date>, StatementError> {
        let Some(holder) = child(node, name) else { return Ok(None) };
        let text = text_at(holder, &["Dt"]).or_else(|| text_at(holder, &["DtTm"]));
        let Some(text) = text else {
            return Err(self.error(holder, &format!("{path}/{name}"), "neither Dt nor DtTm"));
        };
        parse_date(&text).map(Some).ok_or_else(|| self.error(holder, &format!("{path}/{name}"), &format!("invalid date {text:?}")))
    }

    fn statement(&self, stmt: Node<'_, '_>, path: &str) -> Result<Statement, StatementError> {
        let reference = self.required(stmt, path, &["Id"])?;
        let number = text_at(stmt, &["LglSeqNb"]).or_else(|| text_at(stmt, &["ElctrncSeqNb"])).unwrap_or_else(|| reference.clone());
        let acct = child(stmt, "Acct").ok_or_else(|| self.error(stmt, &format!("{path}/Acct"), "missing"))?;
        let account_raw = account_id(acct).ok_or_else(|| self.error(acct, &format!("{path}/Acct/Id"), "no IBAN or Othr/Id"))?;
        let (account, account_nrb) = accounts::normalize(&account_raw);

        let (mut opening, mut closing, mut available) = (None, None, None);
        let mut interim = Vec::new();
        for (i, bal) in children(stmt, "Bal").enumerate() {
            let bal_path = format!("{path}/Bal[{}]", i + 1);
            let code = text_at(bal, &["Tp", "CdOrPrtry", "Cd"]).or_else(|| text_at(bal, &["Tp", "CdOrPrtry", "Prtry"]));
            let (amount, currency) = self.amount(bal, &bal_path)?;
            let direction = self.direction(bal, &bal_path)?;
            let date = self.date(bal, &bal_path, "Dt")?.ok_or_else(|| self.error(bal, &format!("{bal_path}/Dt"), "missing"))?;
            let make = |kind| Balance {
                kind,
                date,
                currency: currency.clone().unwrap_or_default(),
                amount: if amount.is_zero() { Decimal::new(0, 2) } else { direction.signed(amount) },
            };
            match code.as_deref() {
                // PRCD (previously closed booked) opens a statement at banks that do not send OPBD.
                Some("OPBD") => opening = Some((bal, make(BalanceKind::Final))),
                Some("PRCD") if opening.is_none() => opening = Some((bal, make(BalanceKind::Final))),
                Some("CLBD") => closing = Some((bal, make(BalanceKind::Final))),
                Some("CLAV") => available = Some(make(BalanceKind::Final)),
                Some("ITBD") => interim.push((bal, make(BalanceKind::Intermediate))),
                _ => {}
            }
        }
        // A statement split over several messages opens and closes with interim booked balances.
        if opening.is_none() && interim.len() >= 2 {
            opening = Some(interim.remove(0));
        }
        if closing.is_none() {
            closing = interim.pop();
        }
        let (opening_node, opening) = opening.ok_or_else(|| self.error(stmt, &format!("{path}/Bal"), "no opening balance (OPBD)"))?;
        let (closing_node, closing) = closing.ok_or_else(|| self.error(stmt, &format!("{path}/Bal"), "no closing balance (CLBD)"))?;

        let currency = text_at(acct, &["Ccy"]).unwrap_or_else(|| opening.currency.clone());
        for (node, balance) in [(opening_node, &opening), (closing_node, &closing)] {
            if !balance.currency.is_empty() && balance.currency != currency {
                return Err(self.error(
                    node,
                    &format!("{path}/Bal/Amt"),
                    &format!("balance in {} in a {currency} statement", balance.currency),
                ));
            }
        }
        let fix = |mut b: Balance| {
            b.currency.clone_from(&currency);
            b
        };
        let (opening, closing, available) = (fix(opening), fix(closing), available.map(fix));

        let mut lines = Vec::new();
        for (i, ntry) in children(stmt, "Ntry").enumerate() {
            self.entry(ntry, &format!("{path}/Ntry[{}]", i + 1), &currency, account_nrb.as_ref(), &mut lines)?;
        }
        Ok(Statement::assemble(StatementParts {
            format: SourceFormat::Camt053,
            reference,
            account,
            account_nrb,
            number,
            currency,
            opening,
            closing,
            available,
            lines,
            information: text_at(stmt, &["AddtlStmtInf"]),
            source_line: self.line_of(stmt),
        }))
    }

    fn entry(
        &self,
        ntry: Node<'_, '_>,
        path: &str,
        currency: &str,
        own: Option<&Nrb>,
        lines: &mut Vec<StatementLine>,
    ) -> Result<(), StatementError> {
        let (amount, ccy) = self.amount(ntry, path)?;
        if ccy.as_deref().is_some_and(|c| c != currency) {
            return Err(self.error(
                ntry,
                &format!("{path}/Amt"),
                &format!("entry in {} in a {currency} statement", ccy.unwrap_or_default()),
            ));
        }
        let direction = self.direction(ntry, path)?;
        let reversal = match text_at(ntry, &["RvslInd"]).as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => return Err(self.error(ntry, &format!("{path}/RvslInd"), &format!("not a boolean: {other:?}"))),
        };
        // camt.053 books entries; a pending or informational one would not add up with the balances.
        let status = text_at(ntry, &["Sts", "Cd"]).or_else(|| text_at(ntry, &["Sts"]));
        if let Some(status) = status
            && status != "BOOK"
        {
            return Err(self.error(
                ntry,
                &format!("{path}/Sts"),
                &format!("entry status {status:?}: a statement carries booked (BOOK) entries only"),
            ));
        }
        let booking_date = self.date(ntry, path, "BookgDt")?;
        let value_date = self
            .date(ntry, path, "ValDt")?
            .or(booking_date)
            .ok_or_else(|| self.error(ntry, &format!("{path}/ValDt"), "neither ValDt nor BookgDt"))?;
        let bank_reference = text_at(ntry, &["AcctSvcrRef"]);
        let code = bank_transaction_code(ntry);
        let information = text_at(ntry, &["AddtlNtryInf"]);

        let tx_nodes: Vec<Node<'_, '_>> = children(ntry, "NtryDtls").flat_map(|d| children(d, "TxDtls")).collect();
        let mut transactions = Vec::with_capacity(tx_nodes.len().max(1));
        for (i, tx) in tx_nodes.iter().enumerate() {
            transactions.push(self.transaction(*tx, &format!("{path}/NtryDtls/TxDtls[{}]", i + 1))?);
        }
        if transactions.len() > 1 {
            // A batch entry: one line per transaction, which must each carry an amount adding up to the entry.
            let mut sum = Decimal::ZERO;
            for (tx, node) in transactions.iter().zip(&tx_nodes) {
                let Some(tx_amount) = tx.amount else {
                    return Err(self.error(*node, &format!("{path}/NtryDtls/TxDtls"), "batch entry without an amount per transaction"));
                };
                sum += tx_amount.decimal();
            }
            if sum != amount.decimal() {
                return Err(self.error(ntry, path, &format!("the transactions add up to {sum}, the entry says {amount}")));
            }
        }
        if transactions.is_empty() {
            transactions.push(Transaction {
                line: self.line_of(ntry),
                amount: None,
                customer_reference: None,
                bank_reference: None,
                transaction_code: None,
                debtor: None,
                debtor_account: None,
                creditor: None,
                creditor_account: None,
                title: None,
                information: None,
            });
        }
        let single = transactions.len() == 1;
        let incoming = (direction == Direction::Credit) != reversal;
        for tx in transactions {
            let (name, account) = if incoming { (tx.debtor, tx.debtor_account) } else { (tx.creditor, tx.creditor_account.clone()) };
            let (counterparty_account, counterparty_nrb) = match account {
                Some(raw) => {
                    let (raw, nrb) = accounts::counterparty(&raw);
                    (Some(raw), nrb)
                }
                None => (None, None),
            };
            // ISO 20022: the account the payer addressed is the creditor account (payments.md §4.3).
            let virtual_account = if incoming {
                tx.creditor_account.as_deref().and_then(|raw| accounts::counterparty(raw).1).filter(|nrb| Some(nrb) != own)
            } else {
                None
            };
            let raw_details = information.clone().or(tx.information);
            let mut others: Vec<Nrb> = Vec::new();
            for text in tx.title.iter().chain(&raw_details) {
                accounts::nrbs_in_text(text, &mut others);
            }
            others.retain(|nrb| Some(nrb) != virtual_account.as_ref() && Some(nrb) != counterparty_nrb.as_ref());
            lines.push(StatementLine {
                index: 0,
                source_line: if single { self.line_of(ntry) } else { tx.line },
                value_date,
                booking_date,
                direction,
                reversal,
                amount: if single { amount } else { tx.amount.unwrap_or(amount) },
                transaction_code: code.clone().or(tx.transaction_code),
                details_code: None,
                description: None,
                customer_reference: tx.customer_reference,
                bank_reference: tx.bank_reference.or_else(|| bank_reference.clone()),
                bank_transaction_id: None,
                counterparty_name: name,
                counterparty_account,
                counterparty_nrb,
                title: tx.title,
                virtual_account,
                other_accounts: others,
                iph_id: None,
                supplementary_details: None,
                raw_details,
                occurrence: 0,
            });
        }
        Ok(())
    }

    fn transaction(&self, tx: Node<'_, '_>, path: &str) -> Result<Transaction, StatementError> {
        // The transaction's own amount: AmtDtls/TxAmt/Amt (001.02), or Amt (001.08 and later).
        let amount_node = at(tx, &["AmtDtls", "TxAmt"]).filter(|n| child(*n, "Amt").is_some()).or_else(|| child(tx, "Amt").map(|_| tx));
        let amount = match amount_node {
            Some(node) => Some(self.amount(node, path)?.0),
            None => None,
        };
        let parties = child(tx, "RltdPties");
        let party = |name: &str| parties.and_then(|p| child(p, name)).and_then(party_name);
        let party_account = |name: &str| parties.and_then(|p| child(p, name)).and_then(account_id);
        let remittance = child(tx, "RmtInf");
        let unstructured: Vec<String> = remittance
            .map(|r| children(r, "Ustrd").filter_map(|u| u.text()).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect())
            .unwrap_or_default();
        let title = if unstructured.is_empty() {
            remittance.and_then(|r| children(r, "Strd").find_map(|s| text_at(s, &["CdtrRefInf", "Ref"])))
        } else {
            Some(unstructured.join(" "))
        };
        Ok(Transaction {
            line: self.line_of(tx),
            amount,
            customer_reference: text_at(tx, &["Refs", "EndToEndId"]).filter(|r| r != "NOTPROVIDED"),
            bank_reference: text_at(tx, &["Refs", "AcctSvcrRef"]),
            transaction_code: bank_transaction_code(tx),
            debtor: party("Dbtr"),
            debtor_account: party_account("DbtrAcct"),
            creditor: party("Cdtr"),
            creditor_account: party_account("CdtrAcct"),
            title,
            information: text_at(tx, &["AddtlTxInf"]),
        })
    }
}

/// `BkTxCd`: the ISO domain/family/sub-family codes joined by `/`, else the proprietary code.
fn bank_transaction_code(node: Node<'_, '_>) -> Option<String> {
    let code = child(node, "BkTxCd")?;
    if let Some(domain) = child(code, "Domn") {
        let parts: Vec<String> = [text_at(domain, &["Cd"]), text_at(domain, &["Fmly", "Cd"]), text_at(domain, &["Fmly", "SubFmlyCd"])]
            .into_iter()
            .flatten()
            .collect();
        if !parts.is_empty() {
            return Some(parts.join("/"));
        }
    }
    text_at(code, &["Prtry", "Cd"])
}

/// `YYYY-MM-DD`, or the date part of an ISO date-time.
fn parse_date(text: &str) -> Option<Date> {
    let date = text.get(..10)?;
    let shape_ok = date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shape_ok {
        return None;
    }
    let year = i32::from_str(&date[..4]).ok()?;
    let month = u8::from_str(&date[5..7]).ok()?;
    let day = u8::from_str(&date[8..10]).ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}
