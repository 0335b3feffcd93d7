//! Fixed legal wording by obligation kind: the subject of a decision and its statutory basis.
//!
//! Short citations as decisions print them; the acts are cited by date and title without the
//! consolidated-text reference (Dz.U. year/position), which changes yearly. Council resolutions
//! setting the rates come from the decision data (`Decision::resolutions`).

use domain::obligation::ObligationKind;

const ORDYNACJA: &str = "ustawy z dnia 29 sierpnia 1997 r. – Ordynacja podatkowa";
const UPOL: &str = "ustawy z dnia 12 stycznia 1991 r. o podatkach i opłatach lokalnych";
const ROLNY: &str = "ustawy z dnia 15 listopada 1984 r. o podatku rolnym";
const LESNY: &str = "ustawy z dnia 30 października 2002 r. o podatku leśnym";
const UCPG: &str = "ustawy z dnia 13 września 1996 r. o utrzymaniu czystości i porządku w gminach";

/// What the decision sets, in the genitive: "podatku od nieruchomości", "opłaty od posiadania psów".
pub fn subject_genitive(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::PropertyTax => "podatku od nieruchomości",
        ObligationKind::AgriculturalTax => "podatku rolnego",
        ObligationKind::ForestTax => "podatku leśnego",
        ObligationKind::CombinedObligation => "łącznego zobowiązania pieniężnego",
        ObligationKind::WasteFee => "opłaty za gospodarowanie odpadami komunalnymi",
        ObligationKind::DogFee => "opłaty od posiadania psów",
    }
}

/// The line under the title: "w sprawie wymiaru podatku od nieruchomości na rok 2026". Taxes are
/// assessed (wymiar, art. 21 § 1 pkt 2 OP); a fee is determined (określenie wysokości).
pub fn decision_subject(kind: ObligationKind, year: i32) -> String {
    let subject = subject_genitive(kind);
    if kind.is_tax() {
        format!("w sprawie wymiaru {subject} na rok {year}")
    } else {
        format!("w sprawie określenia wysokości {subject} na rok {year}")
    }
}

/// The operative verb: a tax is "ustala", a fee "określa".
pub(crate) fn operative_verb(kind: ObligationKind) -> &'static str {
    if kind.is_tax() { "ustala" } else { "określa" }
}

/// The statutory basis of the decision by kind, in the genitive after "Na podstawie".
pub fn legal_basis_pl(kind: ObligationKind) -> String {
    match kind {
        ObligationKind::PropertyTax => {
            format!("art. 21 § 1 pkt 2 i art. 207 {ORDYNACJA} oraz art. 2, art. 4, art. 5 i art. 6 {UPOL}")
        }
        ObligationKind::AgriculturalTax => {
            format!("art. 21 § 1 pkt 2 i art. 207 {ORDYNACJA} oraz art. 1, art. 3, art. 4 i art. 6a {ROLNY}")
        }
        ObligationKind::ForestTax => format!("art. 21 § 1 pkt 2 i art. 207 {ORDYNACJA} oraz art. 1, art. 4 i art. 6 {LESNY}"),
        ObligationKind::CombinedObligation => {
            format!("art. 21 § 1 pkt 2 i art. 207 {ORDYNACJA} oraz art. 6c {UPOL}, przepisów {ROLNY} i przepisów {LESNY}")
        }
        ObligationKind::WasteFee => format!("art. 6o ust. 1 {UCPG} oraz art. 21 § 3 i art. 207 {ORDYNACJA}"),
        ObligationKind::DogFee => format!("art. 21 § 1 pkt 2 i art. 207 {ORDYNACJA} oraz art. 18a {UPOL}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_subject_and_basis() {
        for kind in ObligationKind::ALL {
            assert!(decision_subject(kind, 2026).ends_with("na rok 2026"), "{kind}");
            assert!(legal_basis_pl(kind).contains("art. 207"), "{kind}");
        }
        assert_eq!(decision_subject(ObligationKind::PropertyTax, 2026), "w sprawie wymiaru podatku od nieruchomości na rok 2026");
        assert_eq!(
            decision_subject(ObligationKind::WasteFee, 2026),
            "w sprawie określenia wysokości opłaty za gospodarowanie odpadami komunalnymi na rok 2026"
        );
        assert!(legal_basis_pl(ObligationKind::CombinedObligation).contains("art. 6c"));
        assert!(legal_basis_pl(ObligationKind::DogFee).contains("art. 18a"));
    }
}
