//! Glue for an actix-web server: a notification request in, the gateway's reply out, so that the
//! server's notification handler stays three lines long.

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder};

use crate::gateway::{NotificationReply, RawNotification};

impl RawNotification {
    /// The headers (those with text values) and the raw body of a request, unparsed.
    pub fn from_request(request: &HttpRequest, body: &[u8]) -> Self {
        let headers =
            request.headers().iter().filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())));
        RawNotification::new(headers, body.to_vec())
    }
}

impl Responder for NotificationReply {
    type Body = BoxBody;

    fn respond_to(self, _request: &HttpRequest) -> HttpResponse {
        let status = StatusCode::from_u16(self.http_status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status).content_type(self.content_type).body(self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn request_to_raw_notification() {
        let request = TestRequest::post().insert_header(("Content-Type", "application/x-www-form-urlencoded")).to_http_request();
        let raw = RawNotification::from_request(&request, b"newStatus=2203");
        assert_eq!(raw.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(raw.body, b"newStatus=2203");
    }

    #[test]
    fn reply_to_response() {
        let request = TestRequest::post().to_http_request();
        let reply = NotificationReply { http_status: 200, content_type: "text/plain; charset=utf-8", body: "OK".into() };
        let response = reply.respond_to(&request);
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers().get("content-type").map(|v| v.to_str().ok()), Some(Some("text/plain; charset=utf-8")));
    }
}
