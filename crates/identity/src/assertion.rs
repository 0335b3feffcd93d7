//! Our own validator for the decrypted WK assertion (identity.md §2.3 #3, §5.1 step 2).
//!
//! The assertion is not signed by WK; it is trusted because it came out of the AES-GCM
//! envelope inside a verified `Response`. Checks: version, `Issuer` = login node, exactly one
//! `Subject` with a non-empty `NameID` and one bearer `SubjectConfirmation` whose data has
//! `Recipient` = our ACS, `InResponseTo` = the AuthnRequest bound to this browser and a
//! `NotOnOrAfter` in the future; exactly one `Conditions` with a valid time window and an
//! `AudienceRestriction` naming us; exactly one `AuthnStatement` with an eIDAS LoA at least the
//! required one; the four attributes present exactly once each, single-valued, text only.

use std::fmt;

use domain::identifiers::Pesel;
use roxmltree::Node;
use time::{Date, Duration, OffsetDateTime};

use crate::error::{LoginError, protocol_value};
use crate::loa::LoA;
use crate::saml::*;
use crate::xml::{self, is};

/// Longest name we accept (characters).
const MAX_NAME_CHARS: usize = 200;

/// The identity of a resident, as asserted by Węzeł Krajowy and checked by us.
///
/// `Debug` shows only the LoA: everything else is personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// PESEL (from `PersonIdentifier`).
    pub pesel: Pesel,
    /// Given name(s) (`CurrentGivenName`).
    pub first_name: String,
    /// Surname (`CurrentFamilyName`).
    pub last_name: String,
    /// Date of birth (`DateOfBirth`, time-zone designator dropped).
    pub date_of_birth: Date,
    /// Level of assurance of this authentication.
    pub loa: LoA,
}

impl fmt::Debug for VerifiedIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedIdentity").field("pesel", &self.pesel).field("loa", &self.loa).finish_non_exhaustive()
    }
}

/// What the login node needs back for single logout; keep it with the local session.
#[derive(Clone, PartialEq, Eq)]
pub struct WkSession {
    /// `NameID` as received (a login name, not a stable user key).
    pub name_id: String,
    /// `NameID/@Format`, if sent.
    pub name_id_format: Option<String>,
    /// `AuthnStatement/@SessionIndex`, if sent.
    pub session_index: Option<String>,
    /// `AuthenticatingAuthority` (which eID means was used, e.g. `pz.gov.pl`); worth logging.
    pub authenticating_authority: Option<String>,
    /// When the login node authenticated the user.
    pub authn_instant: Option<OffsetDateTime>,
}

impl fmt::Debug for WkSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WkSession")
            .field("name_id", &"<redacted>")
            .field("session_index", &self.session_index.as_ref().map(|_| "<present>"))
            .field("authenticating_authority", &self.authenticating_authority)
            .finish_non_exhaustive()
    }
}

/// What the assertion must match.
#[derive(Debug, Clone)]
pub struct AssertionExpectations<'a> {
    /// The login node's entity ID (`Issuer`).
    pub wk_entity_id: &'a str,
    /// Our entity ID (`Audience`).
    pub sp_entity_id: &'a str,
    /// Our ACS URL (`Recipient`).
    pub acs_url: &'a str,
    /// ID of the AuthnRequest bound to this browser (`InResponseTo`).
    pub request_id: &'a str,
    /// Minimum level of assurance.
    pub required_loa: LoA,
    /// The current instant.
    pub now: OffsetDateTime,
    /// Allowed clock skew in both directions.
    pub skew: Duration,
}

/// A checked assertion.
#[derive(Debug, Clone)]
pub struct ValidatedAssertion {
    /// Who logged in.
    pub identity: VerifiedIdentity,
    /// Data for single logout.
    pub session: WkSession,
    /// `Assertion/@ID` (for the replay cache).
    pub assertion_id: String,
    /// The earliest `NotOnOrAfter` (how long the replay cache must remember the IDs).
    pub valid_until: OffsetDateTime,
}

fn malformed(what: &'static str) -> LoginError {
    LoginError::AssertionMalformed(what)
}

fn one<'a, 'input>(node: Node<'a, 'input>, ns: &str, local: &str, what: &'static str) -> Result<Node<'a, 'input>, LoginError> {
    xml::one_child(node, ns, local, malformed(what), malformed(what))
}

fn instant_attribute(node: Node<'_, '_>, name: &str, what: &'static str) -> Result<Option<OffsetDateTime>, LoginError> {
    node.attribute(name).map(|text| xml::parse_instant(text).ok_or(malformed(what))).transpose()
}

/// Checks a `NotBefore`/`NotOnOrAfter` pair against `now` with `skew`.
fn check_window(
    node: Node<'_, '_>,
    element: &'static str,
    now: OffsetDateTime,
    skew: Duration,
    require_not_on_or_after: bool,
) -> Result<Option<OffsetDateTime>, LoginError> {
    let not_before = instant_attribute(node, "NotBefore", "a NotBefore that is not an xs:dateTime")?;
    let not_on_or_after = instant_attribute(node, "NotOnOrAfter", "a NotOnOrAfter that is not an xs:dateTime")?;
    if require_not_on_or_after && not_on_or_after.is_none() {
        return Err(malformed("SubjectConfirmationData without NotOnOrAfter"));
    }
    if let Some(nb) = not_before
        && now + skew < nb
    {
        return Err(LoginError::AssertionNotYetValid { element });
    }
    if let Some(noa) = not_on_or_after
        && now - skew >= noa
    {
        return Err(LoginError::AssertionExpired { element });
    }
    Ok(not_on_or_after)
}

/// Validates a decrypted assertion (the plaintext XML of one `saml2:Assertion`).
pub fn validate_assertion(assertion_xml: &str, expect: &AssertionExpectations<'_>) -> Result<ValidatedAssertion, LoginError> {
    let doc = xml::parse(assertion_xml)?;
    let assertion = doc.root_element();
    if !is(assertion, NS_SAML2, "Assertion") {
        return Err(LoginError::UnexpectedElement { expected: "saml2:Assertion", found: xml::qname(assertion) });
    }
    if assertion.attribute("Version") != Some("2.0") {
        return Err(LoginError::VersionUnsupported { element: "Assertion" });
    }
    let assertion_id = assertion.attribute("ID").filter(|id| !id.is_empty()).ok_or(malformed("Assertion without ID"))?.to_owned();
    if assertion.attribute("IssueInstant").and_then(xml::parse_instant).is_none() {
        return Err(malformed("Assertion without a valid IssueInstant"));
    }
    // Nested assertions (Advice) are not used by WK and would only confuse consumers.
    if assertion.descendants().skip(1).any(|n| is(n, NS_SAML2, "Assertion") || is(n, NS_SAML2, "EncryptedAssertion")) {
        return Err(LoginError::AssertionCount { encrypted: 1, plain: 2 });
    }

    let issuer = xml::text_only(one(assertion, NS_SAML2, "Issuer", "exactly one Issuer")?, "Assertion Issuer")?;
    if issuer != expect.wk_entity_id {
        return Err(LoginError::IssuerMismatch { element: "Assertion", found: protocol_value(&issuer) });
    }

    // Subject, NameID, bearer confirmation.
    let subject = one(assertion, NS_SAML2, "Subject", "exactly one Subject")?;
    let name_id_node = one(subject, NS_SAML2, "NameID", "exactly one NameID")?;
    let name_id = xml::text_only(name_id_node, "NameID")?;
    if name_id.trim().is_empty() {
        return Err(malformed("empty NameID"));
    }
    let confirmations: Vec<Node<'_, '_>> = xml::children(subject, NS_SAML2, "SubjectConfirmation").collect();
    let [confirmation] = confirmations.as_slice() else {
        return Err(malformed("exactly one SubjectConfirmation"));
    };
    if confirmation.attribute("Method") != Some(CM_BEARER) {
        return Err(malformed("a bearer SubjectConfirmation"));
    }
    let data = one(*confirmation, NS_SAML2, "SubjectConfirmationData", "exactly one SubjectConfirmationData")?;
    let recipient = data.attribute("Recipient").unwrap_or_default();
    if recipient != expect.acs_url {
        return Err(LoginError::RecipientMismatch { found: protocol_value(recipient) });
    }
    if data.attribute("InResponseTo") != Some(expect.request_id) {
        return Err(LoginError::InResponseToMismatch { element: "SubjectConfirmationData" });
    }
    let confirmation_until = check_window(data, "SubjectConfirmationData", expect.now, expect.skew, true)?;

    // Conditions and audience.
    let conditions = one(assertion, NS_SAML2, "Conditions", "exactly one Conditions")?;
    let conditions_until = check_window(conditions, "Conditions", expect.now, expect.skew, false)?;
    let restrictions: Vec<Node<'_, '_>> = xml::children(conditions, NS_SAML2, "AudienceRestriction").collect();
    if restrictions.is_empty() {
        return Err(malformed("an AudienceRestriction"));
    }
    for restriction in restrictions {
        let mut ours = false;
        for audience in xml::children(restriction, NS_SAML2, "Audience") {
            if xml::text_only(audience, "Audience")? == expect.sp_entity_id {
                ours = true;
            }
        }
        if !ours {
            return Err(LoginError::AudienceMismatch);
        }
    }

    // Authentication statement and LoA.
    let statement = one(assertion, NS_SAML2, "AuthnStatement", "exactly one AuthnStatement")?;
    if let Some(until) = instant_attribute(statement, "SessionNotOnOrAfter", "a SessionNotOnOrAfter that is not an xs:dateTime")?
        && expect.now - expect.skew >= until
    {
        return Err(LoginError::AssertionExpired { element: "AuthnStatement" });
    }
    let authn_instant = instant_attribute(statement, "AuthnInstant", "an AuthnInstant that is not an xs:dateTime")?;
    let context = one(statement, NS_SAML2, "AuthnContext", "exactly one AuthnContext")?;
    let class_ref =
        xml::text_only(one(context, NS_SAML2, "AuthnContextClassRef", "exactly one AuthnContextClassRef")?, "AuthnContextClassRef")?;
    let loa = LoA::from_uri(class_ref.trim()).ok_or_else(|| LoginError::LoaUnknown { found: protocol_value(&class_ref) })?;
    if !loa.satisfies(expect.required_loa) {
        return Err(LoginError::LoaTooLow { required: expect.required_loa, actual: loa });
    }
    let authenticating_authority = match xml::children(context, NS_SAML2, "AuthenticatingAuthority").next() {
        Some(node) => Some(xml::text_only(node, "AuthenticatingAuthority")?),
        None => None,
    };

    let attributes = read_attributes(assertion)?;

    let valid_until = match (confirmation_until, conditions_until) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => expect.now,
    };
    Ok(ValidatedAssertion {
        identity: VerifiedIdentity {
            pesel: attributes.pesel,
            first_name: attributes.first_name,
            last_name: attributes.last_name,
            date_of_birth: attributes.date_of_birth,
            loa,
        },
        session: WkSession {
            name_id,
            name_id_format: name_id_node.attribute("Format").map(str::to_owned),
            session_index: statement.attribute("SessionIndex").map(str::to_owned),
            authenticating_authority,
            authn_instant,
        },
        assertion_id,
        valid_until,
    })
}

struct Attributes {
    pesel: Pesel,
    first_name: String,
    last_name: String,
    date_of_birth: Date,
}

fn read_attributes(assertion: Node<'_, '_>) -> Result<Attributes, LoginError> {
    let mut values: [Option<String>; 4] = Default::default();
    let mut seen_names = std::collections::HashSet::new();
    for statement in xml::children(assertion, NS_SAML2, "AttributeStatement") {
        for attribute in xml::children(statement, NS_SAML2, "Attribute") {
            let name = attribute.attribute("Name").unwrap_or_default();
            let known = WkAttribute::ALL.iter().position(|a| a.name() == name);
            if !seen_names.insert(name.to_owned()) {
                return Err(LoginError::AttributeDuplicated(
                    known.and_then(|i| WkAttribute::ALL.get(i)).map_or("an attribute", |a| a.label()),
                ));
            }
            let (Some(index), Some(kind)) = (known, known.and_then(|i| WkAttribute::ALL.get(i))) else {
                continue; // other attributes are allowed and ignored
            };
            let mut attr_values = xml::children(attribute, NS_SAML2, "AttributeValue");
            let value_node = attr_values.next().ok_or(LoginError::AttributeMissing(kind.label()))?;
            if attr_values.next().is_some() {
                return Err(LoginError::AttributeDuplicated(kind.label()));
            }
            let value = xml::text_only(value_node, kind.label())?;
            if let Some(slot) = values.get_mut(index) {
                *slot = Some(value);
            }
        }
    }
    let [first, family, birth, person] = values;
    let first_name = name_value(first, WkAttribute::FirstName)?;
    let last_name = name_value(family, WkAttribute::FamilyName)?;
    let birth = birth.ok_or(LoginError::AttributeMissing(WkAttribute::DateOfBirth.label()))?;
    let date_of_birth = parse_xs_date(birth.trim())
        .ok_or(LoginError::AttributeInvalid { name: WkAttribute::DateOfBirth.label(), reason: "not an xs:date" })?;
    let person = person.ok_or(LoginError::AttributeMissing(WkAttribute::PersonIdentifier.label()))?;
    // Exactly 11 digits, no whitespace tolerated inside; Pesel::from_str trims the outside only.
    let trimmed = person.trim();
    if trimmed.len() != 11 || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LoginError::PersonIdentifierNotPesel);
    }
    let pesel: Pesel = trimmed.parse().map_err(|_| LoginError::PersonIdentifierNotPesel)?;
    Ok(Attributes { pesel, first_name, last_name, date_of_birth })
}

fn name_value(value: Option<String>, kind: WkAttribute) -> Result<String, LoginError> {
    let value = value.ok_or(LoginError::AttributeMissing(kind.label()))?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(LoginError::AttributeInvalid { name: kind.label(), reason: "empty" });
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(LoginError::AttributeInvalid { name: kind.label(), reason: "too long" });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(LoginError::AttributeInvalid { name: kind.label(), reason: "contains control characters" });
    }
    Ok(trimmed.to_owned())
}

/// `xs:date` with an optional time-zone designator (`1987-02-22`, `1987-02-22Z`,
/// `1987-02-22+01:00`); the designator is dropped — a birth date is a civil date.
fn parse_xs_date(text: &str) -> Option<Date> {
    let date_part = text.get(..10)?;
    let zone = text.get(10..)?;
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes().get(3) == Some(&b':')
            && zone.bytes().enumerate().all(|(i, b)| i == 0 || i == 3 || b.is_ascii_digit()));
    if !zone_ok {
        return None;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(date_part, &format).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wk-encryption");

    fn coi_assertion() -> String {
        std::fs::read_to_string(format!("{VECTORS}/encryptedEC.decrypted.xml")).unwrap()
    }

    fn coi_expectations(now: OffsetDateTime) -> AssertionExpectations<'static> {
        AssertionExpectations {
            wk_entity_id: "localhost.wk.gov.pl",
            sp_entity_id: "http://localhost.sp.pl",
            acs_url: "http://localhost:11080/saml-emulator/context",
            request_id: "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc",
            required_loa: LoA::Substantial,
            now,
            skew: Duration::seconds(60),
        }
    }

    #[test]
    fn the_coi_assertion_validates_with_a_2018_clock() {
        let validated = validate_assertion(&coi_assertion(), &coi_expectations(datetime!(2018-09-13 13:30 UTC))).unwrap();
        let identity = validated.identity;
        assert_eq!(identity.pesel.as_str(), "87022243734");
        assert_eq!(identity.first_name, "Roch");
        assert_eq!(identity.last_name, "Apitz");
        assert_eq!(identity.date_of_birth, date!(1987 - 02 - 22));
        assert_eq!(identity.loa, LoA::Substantial);
        assert_eq!(validated.session.name_id, "adminAll");
        assert_eq!(validated.session.authenticating_authority.as_deref(), Some("pz.gov.pl"));
        assert_eq!(validated.assertion_id, "_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150");
        assert_eq!(validated.valid_until, datetime!(2018-09-13 14:07:51 UTC));
        let shown = format!("{identity:?}");
        assert!(!shown.contains("8702") && !shown.contains("Roch") && !shown.contains("Apitz"), "{shown}");
    }

    #[test]
    fn the_coi_assertion_is_refused_outside_its_window_and_for_others() {
        let xml = coi_assertion();
        let err = |exp: AssertionExpectations<'_>| validate_assertion(&xml, &exp).unwrap_err();
        assert_eq!(err(coi_expectations(OffsetDateTime::now_utc())), LoginError::AssertionExpired { element: "SubjectConfirmationData" });
        assert_eq!(err(coi_expectations(datetime!(2018-09-13 13:00 UTC))), LoginError::AssertionNotYetValid { element: "Conditions" });
        let now = datetime!(2018-09-13 13:30 UTC);
        assert_eq!(err(AssertionExpectations { sp_entity_id: "https://other", ..coi_expectations(now) }), LoginError::AudienceMismatch);
        assert!(matches!(
            err(AssertionExpectations { acs_url: "https://other/acs", ..coi_expectations(now) }),
            LoginError::RecipientMismatch { .. }
        ));
        assert_eq!(
            err(AssertionExpectations { request_id: "ID-other", ..coi_expectations(now) }),
            LoginError::InResponseToMismatch { element: "SubjectConfirmationData" }
        );
        assert!(matches!(
            err(AssertionExpectations { wk_entity_id: "login.gov.pl", ..coi_expectations(now) }),
            LoginError::IssuerMismatch { .. }
        ));
        assert_eq!(
            err(AssertionExpectations { required_loa: LoA::High, ..coi_expectations(now) }),
            LoginError::LoaTooLow { required: LoA::High, actual: LoA::Substantial }
        );
    }

    #[test]
    fn comment_injection_and_missing_attributes_are_refused() {
        let now = datetime!(2018-09-13 13:30 UTC);
        let xml = coi_assertion();
        let commented = xml.replace(">87022243734<", ">8702224<!-- -->3734<");
        assert_eq!(validate_assertion(&commented, &coi_expectations(now)).unwrap_err(), LoginError::MixedContent("person identifier"));
        let name_comment = xml.replace(">adminAll<", ">admin<!---->All<");
        assert_eq!(validate_assertion(&name_comment, &coi_expectations(now)).unwrap_err(), LoginError::MixedContent("NameID"));
        let no_pesel = xml.replace("naturalperson/PersonIdentifier\"", "naturalperson/Other\"");
        assert_eq!(validate_assertion(&no_pesel, &coi_expectations(now)).unwrap_err(), LoginError::AttributeMissing("person identifier"));
        let foreign = xml.replace(">87022243734<", ">CA/PL/12345<");
        assert_eq!(validate_assertion(&foreign, &coi_expectations(now)).unwrap_err(), LoginError::PersonIdentifierNotPesel);
        let doctype = format!("<!DOCTYPE a [<!ENTITY x 'y'>]>{}", xml.split_once("?>").unwrap().1);
        assert_eq!(validate_assertion(&doctype, &coi_expectations(now)).unwrap_err(), LoginError::DoctypeForbidden);
    }

    #[test]
    fn xs_dates_with_and_without_zones() {
        assert_eq!(parse_xs_date("1987-02-22Z"), Some(date!(1987 - 02 - 22)));
        assert_eq!(parse_xs_date("1987-02-22"), Some(date!(1987 - 02 - 22)));
        assert_eq!(parse_xs_date("1987-02-22+01:00"), Some(date!(1987 - 02 - 22)));
        assert_eq!(parse_xs_date("1987-02-22T00:00"), None);
        assert_eq!(parse_xs_date("1987-02-30"), None);
    }
}
