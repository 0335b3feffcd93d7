//! Account numbers as statements write them: the statement's own account, counterparty accounts
//! (full, IBAN, or PKO's split `~30` + `~31`), and NRBs buried in free text (payments.md §4.3).

use domain::nrb::{Nrb, check_digits};

/// The statement's own account, normalized: `PL` + 26 digits when it is a valid NRB, otherwise as
/// written without spaces and without the leading `/` PKO puts before it (`:25:/PL…`).
pub(crate) fn normalize(raw: &str) -> (String, Option<Nrb>) {
    let compact: String = raw.trim().trim_start_matches('/').chars().filter(|c| !c.is_whitespace()).collect();
    match compact.parse::<Nrb>() {
        Ok(nrb) => (nrb.iban(), Some(nrb)),
        Err(_) => (compact.to_ascii_uppercase(), None),
    }
}

/// Whether a subfield holds an account number rather than text: 26 digits (NRB), or an IBAN
/// (2 letters, 2 digits, 10–30 letters or digits), spaces ignored.
pub(crate) fn looks_like_account(text: &str) -> bool {
    let mut len = 0;
    let (mut all_digits, mut iban_shape) = (true, true);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        all_digits &= c.is_ascii_digit();
        iban_shape &= match len {
            0 | 1 => c.is_ascii_uppercase(),
            2 | 3 => c.is_ascii_digit(),
            _ => c.is_ascii_alphanumeric(),
        };
        len += 1;
    }
    (len == 26 && all_digits) || ((14..=34).contains(&len) && iban_shape)
}

/// An account as written, without spaces; plus the NRB when it is one.
pub(crate) fn counterparty(raw: &str) -> (String, Option<Nrb>) {
    let compact: String =
        if raw.contains(char::is_whitespace) { raw.chars().filter(|c| !c.is_whitespace()).collect() } else { raw.to_owned() };
    let nrb = compact.parse::<Nrb>().ok();
    (compact, nrb)
}

/// PKO BP writes only digits 11–26 of the counterparty NRB in `~31`, with the 8-digit settlement
/// number in `~30` (payments.md §4.2); the two check digits are recomputed (payments.md §2.3).
pub(crate) fn rebuild(settlement: &str, rest: &str) -> Option<Nrb> {
    let (settlement, rest) = (settlement.trim(), rest.trim());
    if settlement.len() != 8 || rest.len() != 16 || !settlement.bytes().chain(rest.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let bban = format!("{settlement}{rest}");
    format!("{}{bban}", check_digits(&bban)).parse().ok()
}

/// Every valid NRB in a text: runs of 26 digits, optionally written in groups separated by single
/// spaces and preceded by `PL` (payments.md §4.3: "extract every 26-digit/PL+26 run").
pub(crate) fn nrbs_in_text(text: &str, out: &mut Vec<Nrb>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A run: digit groups separated by exactly one space.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut start = i;
        loop {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((start, i));
            if i + 1 < bytes.len() && bytes[i] == b' ' && bytes[i + 1].is_ascii_digit() {
                i += 1;
                start = i;
            } else {
                break;
            }
        }
        // Any consecutive groups holding exactly 26 digits (most runs are too short to hold one).
        let total: usize = groups.iter().map(|(from, to)| to - from).sum();
        if total < 26 {
            continue;
        }
        for first in 0..groups.len() {
            let mut digits = [0u8; 26];
            let mut len = 0;
            for &(from, to) in &groups[first..] {
                let group = &bytes[from..to];
                if len + group.len() > 26 {
                    len = 27;
                    break;
                }
                digits[len..len + group.len()].copy_from_slice(group);
                len += group.len();
                if len == 26 {
                    break;
                }
            }
            if len == 26
                && let Ok(text) = std::str::from_utf8(&digits)
                && let Ok(nrb) = text.parse::<Nrb>()
                && !out.contains(&nrb)
            {
                out.push(nrb);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_own_accounts() {
        assert_eq!(normalize("/PL61102055611000990102003344").0, "PL61102055611000990102003344");
        assert_eq!(normalize("61 1020 5561 1000 9901 0200 3344").0, "PL61102055611000990102003344");
        assert_eq!(normalize("nl13test0123456789"), ("NL13TEST0123456789".to_owned(), None));
    }

    #[test]
    fn rebuilds_pko_split_account() {
        let nrb = rebuild("10205561", "9000990000000140").unwrap();
        assert_eq!(nrb.iban(), "PL81102055619000990000000140");
        assert_eq!(rebuild("1020556", "9000990000000140"), None);
        assert_eq!(rebuild("10205561", "900099000000014x"), None);
    }

    #[test]
    fn finds_nrbs_in_text() {
        let mut found = Vec::new();
        nrbs_in_text("WPLATA NA PL39109010141234567800004711 OD 61 1090 1014 0000 0712 1981 2874, 2021 12345", &mut found);
        let ibans: Vec<String> = found.iter().map(Nrb::iban).collect();
        assert_eq!(ibans, ["PL39109010141234567800004711", "PL61109010140000071219812874"]);
        // A date glued in front with one space, and a wrong check digit.
        let mut found = Vec::new();
        nrbs_in_text("2021 61 1090 1014 0000 0712 1981 2874 / 62109010140000071219812874", &mut found);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn tells_accounts_from_text() {
        assert!(looks_like_account("38109011020000990999874157"));
        assert!(looks_like_account("PL81102055619000990000000140"));
        assert!(looks_like_account("FR1420041010050500013M02606"));
        assert!(looks_like_account("NO9386011117947"));
        assert!(!looks_like_account(" TESTÓW"));
        assert!(!looks_like_account("ELEKTRONIKA SP. Z. O.O. PODZESPOŁY"));
    }
}
