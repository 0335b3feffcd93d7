//! The `:86:` information field in the Polish dialects (payments.md §4.2–4.3):
//!
//! - numbered subfields after a 3-digit code, with the separator telling the bank family: `~` (PKO BP,
//!   ING), `<` (MultiCash: BPH, Millennium), `^` (BNP Paribas), `?` (German MultiCash layout);
//! - mBank's unstructured text, `NNN DESCRIPTION; KEY: value; …`;
//! - anything else: free text, taken whole as the title.
//!
//! The field's lines are joined without a separator before reading: banks wrap at a fixed width inside
//! words, inside subfields and even inside a subfield marker (`?3` / `1DE…`), and a continuation line may
//! start with a subfield (payments.md §5.3, bug reports 9 and 10). The raw text, line breaks included,
//! is kept beside the result.

use std::borrow::Cow;
use std::collections::BTreeMap;

use domain::nrb::Nrb;

use crate::accounts;

/// What the `:86:` fields of one entry say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Details {
    pub details_code: Option<String>,
    pub description: Option<String>,
    pub title: Option<String>,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<String>,
    pub counterparty_nrb: Option<Nrb>,
    pub virtual_account: Option<Nrb>,
    pub other_accounts: Vec<Nrb>,
    pub iph_id: Option<String>,
    pub bank_transaction_id: Option<String>,
}

/// Reads the `:86:` fields of one entry (ING writes two: a bare `:86:020` and the structured one,
/// payments.md §4.2 and bug report 24). `incoming` says whether the payment came in (a credit or the
/// reversal of one), which decides whose account and name mBank's keys hold.
pub(crate) fn interpret(fields: &[String], incoming: bool) -> Details {
    let mut details = if let Some((text, separator)) = fields.iter().find_map(|f| structured(f).map(|sep| (f, sep))) {
        subfields(text, separator, incoming)
    } else {
        match fields.iter().find(|f| mbank_keyed(f)) {
            Some(text) => mbank(text, incoming),
            None => {
                let joined = fields.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).collect::<Vec<_>>().join(" ");
                let mut details = Details { title: non_empty(&joined), ..Details::default() };
                // payments.md §4.3 practical rule: every NRB the text mentions is a candidate.
                accounts::nrbs_in_text(&joined, &mut details.other_accounts);
                details
            }
        }
    };
    let (virtual_account, counterparty) = (details.virtual_account.as_ref(), details.counterparty_nrb.as_ref());
    details.other_accounts.retain(|nrb| Some(nrb) != virtual_account && Some(nrb) != counterparty);
    details
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn leading_digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// The subfield separator when the text is `[code]` + separator + two digits.
fn structured(text: &str) -> Option<u8> {
    let text = text.trim_start();
    let code = leading_digits(text);
    match text.as_bytes().get(code..code + 3) {
        Some(&[sep @ (b'~' | b'<' | b'^' | b'?'), d1, d2]) if code <= 4 && d1.is_ascii_digit() && d2.is_ascii_digit() => Some(sep),
        _ => None,
    }
}

/// Splits `code` + `~NN value~NN value…` into subfields by number. A subfield that appears twice is
/// concatenated in file order; subfields are read by number, not by position (BPH writes `<24` before
/// `<23`, Millennium omits empty ones).
fn split_subfields<'a>(text: &'a str, separator: u8) -> (&'a str, BTreeMap<u8, Cow<'a, str>>) {
    let text = text.trim_start();
    let bytes = text.as_bytes();
    let code = leading_digits(text);
    let mut fields: BTreeMap<u8, Cow<'a, str>> = BTreeMap::new();
    let mut current: Option<(u8, usize)> = None;
    let mut i = code;
    let close = |current: Option<(u8, usize)>, end: usize, fields: &mut BTreeMap<u8, Cow<'a, str>>| {
        if let Some((number, start)) = current {
            let value = &text[start..end];
            match fields.get_mut(&number) {
                Some(existing) => existing.to_mut().push_str(value),
                None => {
                    fields.insert(number, Cow::Borrowed(value));
                }
            }
        }
    };
    while i < bytes.len() {
        if bytes[i] == separator && i + 2 < bytes.len() && bytes[i + 1].is_ascii_digit() && bytes[i + 2].is_ascii_digit() {
            close(current, i, &mut fields);
            let number = (bytes[i + 1] - b'0') * 10 + (bytes[i + 2] - b'0');
            current = Some((number, i + 3));
            i += 3;
        } else {
            i += 1;
        }
    }
    close(current, bytes.len(), &mut fields);
    // An empty subfield holds PKO's filler byte 0xFF (payments.md §4.2), whatever it decoded to.
    fields.retain(|_, value| !is_filler(value));
    (&text[..code], fields)
}

fn is_filler(value: &str) -> bool {
    value.chars().all(|c| c.is_whitespace() || matches!(c, '\u{02D9}' | '\u{00A0}' | '\u{00FF}' | '\u{FFFD}'))
}

fn concat(fields: &BTreeMap<u8, Cow<'_, str>>, numbers: impl IntoIterator<Item = u8> + Clone) -> Option<String> {
    let size = numbers.clone().into_iter().filter_map(|n| fields.get(&n)).map(|v| v.len()).sum();
    let mut out = String::with_capacity(size);
    for number in numbers {
        if let Some(value) = fields.get(&number) {
            out.push_str(value);
        }
    }
    if out.starts_with(char::is_whitespace) || out.ends_with(char::is_whitespace) {
        non_empty(&out)
    } else {
        (!out.is_empty()).then_some(out)
    }
}

fn subfields(text: &str, separator: u8, incoming: bool) -> Details {
    let (code, fields) = split_subfields(text, separator);
    let mut details =
        Details { details_code: non_empty(code), description: fields.get(&0).and_then(|v| non_empty(v)), ..Details::default() };
    let is_account = |n: u8| fields.get(&n).is_some_and(|v| accounts::looks_like_account(v));
    // Subfields that hold the counterparty's account (or its parts), never the virtual account.
    let mut account_fields: Vec<u8> = vec![30, 31, 38];

    if separator == b'?' {
        // German layout: ?20–?29 and ?60–?63 purpose, ?30 bank, ?31 account, ?32–?33 name.
        details.title = concat(&fields, (20..=29).chain(60..=63));
        details.counterparty_name = concat(&fields, [32, 33]);
        if let Some(raw) = fields.get(&31).filter(|v| accounts::looks_like_account(v)) {
            let (raw, nrb) = accounts::counterparty(raw);
            details.counterparty_account = Some(raw);
            details.counterparty_nrb = nrb;
        }
    } else {
        // Polish layout: 20–25 title (BPH may go on into 26), 26 BPH account, 27–29 name lines
        // (ING 29 = account), 30 settlement number, 31 account (PKO: digits 11–26), 32–33 name, 38 IBAN.
        let title_fields = (20..=26).filter(|&n| n != 26 || !is_account(26));
        details.title = concat(&fields, title_fields);
        let full = [38, 29, 26, 31].into_iter().find(|&n| is_account(n));
        if let Some(n) = full {
            account_fields.push(n);
            let (raw, nrb) = accounts::counterparty(&fields[&n]);
            details.counterparty_account = Some(raw);
            details.counterparty_nrb = nrb;
        } else if let (Some(settlement), Some(rest)) = (fields.get(&30), fields.get(&31))
            && let Some(nrb) = accounts::rebuild(settlement, rest)
        {
            details.counterparty_account = Some(nrb.iban());
            details.counterparty_nrb = Some(nrb);
        }
        details.counterparty_name =
            concat(&fields, [32, 33]).or_else(|| concat(&fields, [27, 28, 29].into_iter().filter(|&n| !is_account(n))));
        if separator == b'~'
            && let Some(swrk) = fields.get(&63).and_then(|v| v.trim().strip_prefix("SWRK"))
        {
            details.bank_transaction_id = non_empty(swrk);
        }
    }

    // Every NRB outside the payer-account subfields is a candidate (payments.md §4.3); on an incoming
    // payment the first one that is not the payer's is taken for the virtual account.
    let mut found = Vec::new();
    for (number, value) in &fields {
        if !account_fields.contains(number) {
            accounts::nrbs_in_text(value, &mut found);
        }
    }
    if incoming {
        details.virtual_account = found.iter().find(|nrb| Some(*nrb) != details.counterparty_nrb.as_ref()).cloned();
    }
    details.other_accounts = found;
    details
}

/// mBank's keys (CompanyNet/BRESOK export description and the samples). A `;` followed by anything
/// else stays inside the value it interrupts, so a title may contain `;`.
const MBANK_KEYS: [&str; 13] =
    ["ID IPH", "Z RACH.", "NA RACH.", "OD", "DLA", "TYT.", "TNR", "DATA NOSTRO", "REF. KLIENTA", "REF. MT103", "WALUTA", "KWOTA", "KURS"];

/// The key that opens a `;`-separated segment, if any.
fn mbank_key(segment: &str) -> Option<(&'static str, &str)> {
    let segment = segment.trim_start();
    MBANK_KEYS.iter().find_map(|&key| segment.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')).map(|value| (key, value)))
}

/// `NN DESCRIPTION; KEY: value…` with at least one known key.
fn mbank_keyed(text: &str) -> bool {
    let trimmed = text.trim_start();
    let code = leading_digits(trimmed);
    (2..=3).contains(&code)
        && trimmed.as_bytes().get(code) == Some(&b' ')
        && trimmed.split(';').skip(1).any(|segment| mbank_key(segment).is_some())
}

fn mbank(text: &str, incoming: bool) -> Details {
    let text = text.trim_start();
    let mut segments = text.split(';');
    let head = segments.next().unwrap_or_default();
    let code = leading_digits(head);
    let mut values: Vec<(&'static str, String)> = Vec::new();
    for segment in segments {
        match mbank_key(segment) {
            Some((key, value)) => values.push((key, value.to_owned())),
            None => {
                if let Some((_, value)) = values.last_mut() {
                    value.push(';');
                    value.push_str(segment);
                }
            }
        }
    }
    let get = |key: &str| values.iter().find(|(k, _)| *k == key).and_then(|(_, v)| non_empty(v));

    let (own_side, other_side, name_key, other_name_key) =
        if incoming { ("Z RACH.", "NA RACH.", "OD", "DLA") } else { ("NA RACH.", "Z RACH.", "DLA", "OD") };
    let mut details = Details {
        details_code: non_empty(&head[..code]),
        description: non_empty(&head[code..]),
        title: get("TYT."),
        counterparty_name: get(name_key).or_else(|| get(other_name_key)),
        iph_id: get("ID IPH"),
        bank_transaction_id: get("TNR").map(|v| v.chars().filter(|c| !c.is_whitespace()).collect()),
        ..Details::default()
    };
    if let Some(raw) = get(own_side) {
        let (raw, nrb) = accounts::counterparty(&raw);
        details.counterparty_account = Some(raw);
        details.counterparty_nrb = nrb;
    }
    // The account a credit was addressed to (generator convention; see `generate`).
    if incoming {
        details.virtual_account = get(other_side).and_then(|raw| accounts::counterparty(&raw).1);
    }
    // Other NRBs the text mentions (in the title, say) are candidates too (payments.md §4.3).
    accounts::nrbs_in_text(head, &mut details.other_accounts);
    for (key, value) in &values {
        if *key != own_side && *key != other_side {
            accounts::nrbs_in_text(value, &mut details.other_accounts);
        }
    }
    details
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pko_subfields_with_fillers() {
        let text = "020~00152~20PRZELEW SRODKÓW~21\u{2D9}~22\u{2D9}~23\u{2D9}~24\u{2D9}~25\u{2D9}~3010205561~319000990000000140~32FSDFSFDSF~33\u{2D9}~38PL81102055619000990000000140~60\u{2D9}~63\u{2D9}";
        let d = interpret(&[text.to_owned()], false);
        assert_eq!(d.details_code.as_deref(), Some("020"));
        assert_eq!(d.description.as_deref(), Some("152"));
        assert_eq!(d.title.as_deref(), Some("PRZELEW SRODKÓW"));
        assert_eq!(d.counterparty_name.as_deref(), Some("FSDFSFDSF"));
        assert_eq!(d.counterparty_account.as_deref(), Some("PL81102055619000990000000140"));
        assert_eq!(d.virtual_account, None);
    }

    #[test]
    fn pko_rebuilds_split_account_without_iban() {
        let text = "020~00152~20TYTUL~3010205561~319000990000000140~32JAN";
        let d = interpret(&[text.to_owned()], true);
        assert_eq!(d.counterparty_nrb.map(|n| n.iban()).as_deref(), Some("PL81102055619000990000000140"));
    }

    #[test]
    fn marker_split_across_lines_is_joined_before_reading() {
        // `~3` / `1…`: the caller joins lines without a separator (bug report 9).
        let d = interpret(&["020~00152~20TYTUL~3010205561~3".to_owned() + "19000990000000140"], true);
        assert_eq!(d.counterparty_nrb.map(|n| n.iban()).as_deref(), Some("PL81102055619000990000000140"));
    }

    #[test]
    fn mbank_keys_and_semicolons_in_values() {
        let text = "911 TRANSAKCJA COLLECT; ID IPH: XX000000000001; Z RACH.: 16114010810000990002001001; OD: ADAM; TYT.: RATA 1; RATA 2   ; TNR: 179171073864111.010001";
        let d = interpret(&[text.to_owned()], true);
        assert_eq!(d.details_code.as_deref(), Some("911"));
        assert_eq!(d.description.as_deref(), Some("TRANSAKCJA COLLECT"));
        assert_eq!(d.iph_id.as_deref(), Some("XX000000000001"));
        assert_eq!(d.title.as_deref(), Some("RATA 1; RATA 2"));
        assert_eq!(d.counterparty_name.as_deref(), Some("ADAM"));
        assert_eq!(d.bank_transaction_id.as_deref(), Some("179171073864111.010001"));
    }

    #[test]
    fn free_text_is_the_title() {
        let d = interpret(&["ZAPLATA ZA FAKTURE 12/2024 20:44:45".to_owned()], true);
        assert_eq!(d.title.as_deref(), Some("ZAPLATA ZA FAKTURE 12/2024 20:44:45"));
        assert_eq!(d.details_code, None);
    }
}
