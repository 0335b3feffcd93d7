//! The PayByNet status query (payments.md §1.4, "Polling"): SOAP 1.1 operation
//! `getStatusByPaymentID(in0 = paymentId, in1 = id_client)` returning the integer status in
//! `getStatusByPaymentIDReturn` (the element the Astarium client reads).
//!
//! The WSDL itself was not available; the envelope below is the RPC style of the Axis service the
//! URL names. The operation's namespace is our assumption, in one constant; the reader ignores
//! prefixes and namespaces, so it accepts whatever prefix KIR's Axis uses.

pub const OPERATION: &str = "getStatusByPaymentID";
/// Assumed namespace of the operation element (uncertain: confirm against KIR's WSDL).
pub const OPERATION_NAMESPACE: &str = "urn:PBNTransactionsGetStatus";
const RETURN_ELEMENT: &str = "getStatusByPaymentIDReturn";

/// The request envelope. Both values are plain digits in practice; they are escaped anyway.
pub fn status_request(payment_id: &str, merchant_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:pbn=\"{OPERATION_NAMESPACE}\">\
         <soapenv:Body><pbn:{OPERATION}><in0>{}</in0><in1>{}</in1></pbn:{OPERATION}></soapenv:Body></soapenv:Envelope>",
        escape(payment_id),
        escape(merchant_id)
    )
}

/// The response envelope with a status code (what the simulator answers).
pub fn status_response(code: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\
         <soapenv:Body><ns1:{OPERATION}Response xmlns:ns1=\"{OPERATION_NAMESPACE}\">\
         <{RETURN_ELEMENT} xsi:type=\"xsd:int\">{}</{RETURN_ELEMENT}></ns1:{OPERATION}Response></soapenv:Body></soapenv:Envelope>",
        escape(code)
    )
}

/// A SOAP 1.1 fault (sent with HTTP 500, as SOAP 1.1 requires).
pub fn fault(message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>\
         <faultcode>soapenv:Server</faultcode><faultstring>{}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>",
        escape(message)
    )
}

/// What a status response said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusAnswer {
    /// The status code, trimmed, not yet interpreted.
    Code(String),
    Fault(String),
}

/// Reads a status response: a fault, or the text of `getStatusByPaymentIDReturn`.
pub fn parse_status_response(xml: &str) -> Option<StatusAnswer> {
    if element_text(xml, "Fault").is_some() {
        let message = element_text(xml, "faultstring").map(unescape).unwrap_or_default();
        return Some(StatusAnswer::Fault(message));
    }
    element_text(xml, RETURN_ELEMENT).map(|text| StatusAnswer::Code(unescape(text).trim().to_owned()))
}

/// Reads a status request: `(in0, in1)` = (paymentId, id_client). For the simulator.
pub fn parse_status_request(xml: &str) -> Option<(String, String)> {
    element_text(xml, OPERATION)?;
    let payment_id = unescape(element_text(xml, "in0")?).trim().to_owned();
    let merchant_id = unescape(element_text(xml, "in1")?).trim().to_owned();
    Some((payment_id, merchant_id))
}

/// The content of the first element with this local name (any prefix, any attributes), up to the
/// next `<`. Enough for the flat, text-only elements of this service; `Some("")` for an element
/// with children or no text.
fn element_text<'x>(xml: &'x str, local_name: &str) -> Option<&'x str> {
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let name_end = after.find(|c: char| c == '>' || c == '/' || c.is_whitespace()).unwrap_or(after.len());
        let name = &after[..name_end];
        let local = name.rsplit(':').next().unwrap_or(name);
        let tag_end = after.find('>')?;
        if local == local_name && !name.starts_with(['/', '?', '!']) {
            if after[..tag_end].ends_with('/') {
                return Some("");
            }
            let content = &after[tag_end + 1..];
            return Some(&content[..content.find('<').unwrap_or(content.len())]);
        }
        rest = &after[tag_end + 1..];
    }
    None
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_round_trip() {
        let xml = status_request("0000004711", "1234563218");
        assert!(xml.contains("<pbn:getStatusByPaymentID><in0>0000004711</in0><in1>1234563218</in1></pbn:getStatusByPaymentID>"));
        assert_eq!(parse_status_request(&xml), Some(("0000004711".into(), "1234563218".into())));
    }

    #[test]
    fn response_round_trip() {
        assert_eq!(parse_status_response(&status_response("2203")), Some(StatusAnswer::Code("2203".into())));
        assert_eq!(parse_status_response(&fault("Unknown <transaction>")), Some(StatusAnswer::Fault("Unknown <transaction>".into())));
    }

    /// What an Axis 1 RPC/encoded service answers, with its own prefixes and attributes.
    #[test]
    fn reads_an_axis_style_response() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <ns1:getStatusByPaymentIDResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="http://pbn">
   <getStatusByPaymentIDReturn xsi:type="xsd:int"> 2101 </getStatusByPaymentIDReturn>
  </ns1:getStatusByPaymentIDResponse>
 </soapenv:Body>
</soapenv:Envelope>"#;
        assert_eq!(parse_status_response(xml), Some(StatusAnswer::Code("2101".into())));
    }

    #[test]
    fn unreadable_answers() {
        assert_eq!(parse_status_response("<html><body>502 Bad Gateway</body></html>"), None);
        assert_eq!(parse_status_response(""), None);
        assert_eq!(parse_status_request("<Envelope><Body><other><in0>1</in0></other></Body></Envelope>"), None);
    }

    #[test]
    fn element_lookup_ignores_closing_tags_and_prefixes() {
        assert_eq!(element_text("<a:x>1</a:x>", "x"), Some("1"));
        assert_eq!(element_text("</x><x>2</x>", "x"), Some("2"));
        assert_eq!(element_text("<x/>", "x"), Some(""));
        assert_eq!(element_text("<xy>1</xy>", "x"), None);
    }
}
