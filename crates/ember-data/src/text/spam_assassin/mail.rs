//! One raw e-mail message (RFC 822 / MIME) as text: its subject and its text body.

use mail_parser::decoders::html::html_to_text;
use mail_parser::MessageParser;

/// The text of a raw message: the subject, a newline, then every text body part (decoded
/// from quoted-printable or base64 and converted from its charset to UTF-8 by
/// `mail-parser`), parts separated by a newline. An HTML part stands in for a missing plain
/// one and is converted to text (tags dropped, entities decoded). A leading mbox `From `
/// line is skipped. Attachments and headers other than the subject are left out.
///
/// ```
/// let raw = b"Subject: =?utf-8?B?5L2g5aW9?=\r\nContent-Type: text/html\r\n\r\n<p>Buy &amp; <b>win</b></p>";
/// assert_eq!(ember_data::message_text(raw), "你好\nBuy & win");
/// ```
pub fn message_text(raw: &[u8]) -> String {
    let raw = strip_mbox_line(raw);
    let Some(message) = MessageParser::default().parse(raw) else {
        return String::new();
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(subject) = message.subject() {
        parts.push(subject.trim().to_string());
    }
    let mut bodies: Vec<String> = (0..message.text_body_count())
        .filter_map(|i| message.body_text(i))
        .map(|b| {
            if looks_like_html(&b) {
                html_to_text(&b).trim().to_string()
            } else {
                b.trim().to_string()
            }
        })
        .collect();
    if bodies.is_empty() {
        bodies = (0..message.html_body_count())
            .filter_map(|i| message.body_html(i))
            .map(|h| html_to_text(&h).trim().to_string())
            .collect();
    }
    parts.extend(bodies.into_iter().filter(|b| !b.is_empty()));
    parts.join("\n")
}

/// Whether a text holds an HTML document's `<html` or `<body` tag (any case).
fn looks_like_html(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("<html") || lower.contains("<body")
}

/// `raw` without a first line `From sender date` (the mbox separator some files keep).
fn strip_mbox_line(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"From ") {
        match raw.iter().position(|&b| b == b'\n') {
            Some(end) => &raw[end + 1..],
            None => &[],
        }
    } else {
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_message_keeps_subject_and_body_and_skips_the_mbox_line() {
        let raw = b"From someone@example.com  Tue Aug  6 11:51:02 2002\n\
                    Return-Path: <a@b.c>\nSubject: Hello there\n\n  Body line one.\nTwo.\n";
        assert_eq!(message_text(raw), "Hello there\nBody line one.\nTwo.");
    }

    #[test]
    fn multipart_with_quoted_printable_and_base64_parts() {
        let raw = "Subject: Deal\r\n\
            MIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n\
            preamble\r\n\
            --XX\r\n\
            Content-Type: text/plain; charset=utf-8\r\n\
            Content-Transfer-Encoding: quoted-printable\r\n\r\n\
            Caf=C3=A9 price: 10=3D10 and a soft=\r\n break\r\n\
            --XX\r\n\
            Content-Type: text/plain; charset=utf-8\r\n\
            Content-Transfer-Encoding: base64\r\n\r\n\
            5Lit5paH5q2j5paH\r\n\
            --XX\r\n\
            Content-Type: application/octet-stream\r\n\
            Content-Disposition: attachment; filename=\"x.bin\"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\n\
            AAECAw==\r\n\
            --XX--\r\n";
        // base64 5Lit5paH5q2j5paH = UTF-8 of "中文正文".
        assert_eq!(
            message_text(raw.as_bytes()),
            "Deal\nCafé price: 10=10 and a soft break\n中文正文"
        );
    }

    #[test]
    fn non_utf8_charsets_are_converted() {
        // "Grüße" in ISO-8859-1 (ü = FC, ß = DF), quoted-printable.
        let latin1 = b"Subject: =?iso-8859-1?Q?Gr=FC=DFe?=\nContent-Type: text/plain; \
                       charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n\
                       Gr=FC=DFe aus K=F6ln\n";
        assert_eq!(message_text(latin1), "Grüße\nGrüße aus Köln");
        // "中文" in GB2312 is D6 D0 CE C4, sent as 8-bit bytes; the subject base64 "1tDOxA==".
        let mut gb = b"Subject: =?gb2312?B?1tDOxA==?=\nContent-Type: text/plain; charset=gb2312\n\
                       Content-Transfer-Encoding: 8bit\n\n"
            .to_vec();
        gb.extend_from_slice(&[0xd6, 0xd0, 0xce, 0xc4, b'\n']);
        assert_eq!(message_text(&gb), "中文\n中文");
    }

    #[test]
    fn an_html_only_message_becomes_text() {
        let raw = b"Subject: Offer\nContent-Type: text/html; charset=us-ascii\n\n\
                    <html><head><style>p {color: red}</style></head><body><p>Click \
                    <a href=\"http://x.example\">here</a> &amp; win</p></body></html>\n";
        let text = message_text(raw);
        assert!(text.starts_with("Offer\n"), "{text}");
        let body = text.strip_prefix("Offer\n").unwrap();
        assert!(!body.contains('<') && !body.contains("&amp;"), "{body}");
        assert!(
            body.contains("Click") && body.contains("here") && body.contains("& win"),
            "{body}"
        );
    }

    #[test]
    fn a_plain_part_holding_an_html_document_becomes_text() {
        let raw = b"Subject: Debt\n\n<HTML><BODY><p>Cut your <b>payments</b></p>\n\
                    <script>function f() { return 0 }</script></BODY></HTML>\n";
        let text = message_text(raw);
        assert!(!text.contains('<') && !text.contains("function"), "{text}");
        assert!(
            text.contains("Cut your") && text.contains("payments"),
            "{text}"
        );
        // Talking about tags is not an HTML document.
        let talk = b"Subject: Bug\n\nusage of <p> without </p> is obsolete\n";
        assert_eq!(
            message_text(talk),
            "Bug\nusage of <p> without </p> is obsolete"
        );
    }

    #[test]
    fn a_message_without_subject_or_body_is_empty() {
        assert_eq!(message_text(b""), "");
        assert_eq!(message_text(b"X-Header: 1\n\n"), "");
    }
}
