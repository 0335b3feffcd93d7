//! Hardened XML reading: no DTDs, bounded size, namespace-exact element matching and text
//! fields that refuse comments or markup inside them.

use roxmltree::{Document, Node, NodeType, ParsingOptions};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::LoginError;

/// Upper bound on the number of nodes of any document we parse.
const MAX_NODES: u32 = 20_000;

/// Refuses any markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`, ...)
/// before a parser sees the text. Comments and CDATA sections are the only `<!` allowed.
pub fn reject_markup_declarations(text: &str) -> Result<(), LoginError> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = find(bytes, b"<!", from) {
        let rest = bytes.get(pos + 2..).unwrap_or_default();
        if !(rest.starts_with(b"--") || rest.starts_with(b"[CDATA[")) {
            return Err(LoginError::DoctypeForbidden);
        }
        from = pos + 2;
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Parses after [`reject_markup_declarations`], with DTDs disabled and a node limit.
pub(crate) fn parse(text: &str) -> Result<Document<'_>, LoginError> {
    reject_markup_declarations(text)?;
    let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES };
    Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => LoginError::DoctypeForbidden,
        other => LoginError::XmlMalformed(other.to_string()),
    })
}

/// Whether `node` is the element `{ns}local`.
pub(crate) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

/// `{ns}local`-style name of an element, for error messages.
pub(crate) fn qname(node: Node<'_, '_>) -> String {
    let tag = node.tag_name();
    match tag.namespace() {
        Some(ns) => crate::error::protocol_value(&format!("{{{ns}}}{}", tag.name())),
        None => crate::error::protocol_value(tag.name()),
    }
}

/// Child elements named `{ns}local`.
pub(crate) fn children<'a, 'input: 'a>(node: Node<'a, 'input>, ns: &'a str, local: &'a str) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |c| is(*c, ns, local))
}

/// All child elements.
pub(crate) fn element_children<'a, 'input: 'a>(node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(Node::is_element)
}

/// The single child `{ns}local`; `missing` / `duplicate` are the errors for none / several.
pub(crate) fn one_child<'a, 'input>(
    node: Node<'a, 'input>,
    ns: &str,
    local: &str,
    missing: LoginError,
    duplicate: LoginError,
) -> Result<Node<'a, 'input>, LoginError> {
    let mut found = node.children().filter(|c| is(*c, ns, local));
    let first = found.next().ok_or(missing)?;
    if found.next().is_some() {
        return Err(duplicate);
    }
    Ok(first)
}

/// The text of an element that must contain text only: a comment, processing instruction or
/// child element anywhere inside is refused (the comment-truncation attack, CVE-2017-11427),
/// so the value is always the *whole* text, never the first text node.
pub(crate) fn text_only(node: Node<'_, '_>, field: &'static str) -> Result<String, LoginError> {
    let mut text = String::new();
    for child in node.children() {
        match child.node_type() {
            NodeType::Text => text.push_str(child.text().unwrap_or_default()),
            _ => return Err(LoginError::MixedContent(field)),
        }
    }
    Ok(text)
}

/// `xs:dateTime` as used by SAML (UTC, optional fraction).
pub(crate) fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).ok()
}

/// Formats an instant the way WK does: `2018-09-13T13:17:51.445Z`.
pub fn format_instant(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

/// Escapes text for element content.
pub fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// Escapes text for a double-quoted attribute value.
pub fn escape_attr(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&#39;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
    out
}

/// Removes a leading `<?xml ...?>` declaration (libxml2 adds one when serialising), so a signed
/// element can be embedded in another document.
pub fn strip_xml_declaration(xml: &str) -> &str {
    let trimmed = xml.trim_start();
    if trimmed.starts_with("<?xml")
        && let Some(end) = trimmed.find("?>")
    {
        return trimmed.get(end + 2..).unwrap_or_default().trim_start();
    }
    trimmed
}

/// A random identifier of 128 bits, valid as an XML `ID` (NCName): `ID-` and 32 hex digits.
pub fn random_id() -> String {
    format!("ID-{}", hex::encode(random_bytes::<16>()))
}

/// Random bytes from the OS.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore as _;
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_declarations_are_refused_comments_and_cdata_are_not() {
        assert_eq!(reject_markup_declarations("<!DOCTYPE x><x/>"), Err(LoginError::DoctypeForbidden));
        assert_eq!(reject_markup_declarations("<x><!ENTITY a 'b'></x>"), Err(LoginError::DoctypeForbidden));
        assert_eq!(reject_markup_declarations("<!doctype x><x/>"), Err(LoginError::DoctypeForbidden));
        assert!(reject_markup_declarations("<x><!-- c --><![CDATA[d]]></x>").is_ok());
        assert!(matches!(parse("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"v\">]><x>&e;</x>"), Err(LoginError::DoctypeForbidden)));
    }

    #[test]
    fn text_only_refuses_comments_inside() {
        let doc = parse("<a><b>877<!---->01</b><c>plain &amp; simple</c><d><e/></d></a>").unwrap();
        let root = doc.root_element();
        let mut kids = root.children();
        assert_eq!(text_only(kids.next().unwrap(), "b"), Err(LoginError::MixedContent("b")));
        assert_eq!(text_only(kids.next().unwrap(), "c").unwrap(), "plain & simple");
        assert_eq!(text_only(kids.next().unwrap(), "d"), Err(LoginError::MixedContent("d")));
    }

    #[test]
    fn instants_round_trip_in_wk_format() {
        let t = parse_instant("2018-09-13T13:17:51.445Z").unwrap();
        assert_eq!(format_instant(t), "2018-09-13T13:17:51.445Z");
        assert!(parse_instant("2018-09-13T13:17:51").is_none());
    }

    #[test]
    fn ids_are_ncnames_with_128_random_bits() {
        let a = random_id();
        assert_eq!(a.len(), 3 + 32);
        assert!(a.starts_with("ID-"));
        assert_ne!(a, random_id());
    }

    #[test]
    fn escaping_and_declaration_stripping() {
        assert_eq!(escape_attr("a\"<&'"), "a&quot;&lt;&amp;&#39;");
        assert_eq!(strip_xml_declaration("<?xml version=\"1.0\"?>\n<a/>"), "<a/>");
    }
}
