//! Just enough of a MIME reader for the mail tests: headers, the parts of a multipart body, and
//! the 7bit / quoted-printable / base64 transfer encodings.

use base64::{engine::general_purpose::STANDARD, Engine};

/// A parsed message or body part.
#[derive(Debug)]
pub struct Entity {
    /// Header names lower-cased, folded lines joined.
    pub headers: Vec<(String, String)>,
    /// The body after the transfer encoding is undone (raw for multipart bodies).
    pub body: String,
}

impl Entity {
    /// Parses `text` (CRLF or LF line ends).
    pub fn parse(text: &str) -> Self {
        let text = text.replace("\r\n", "\n");
        let (head, raw_body) = text.split_once("\n\n").unwrap_or((text.as_str(), ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let encoding = headers
            .iter()
            .find(|(n, _)| n == "content-transfer-encoding")
            .map(|(_, v)| v.to_ascii_lowercase());
        let body = match encoding.as_deref() {
            Some("quoted-printable") => decode_quoted_printable(raw_body),
            Some("base64") => {
                let compact: String = raw_body.split_whitespace().collect();
                String::from_utf8(STANDARD.decode(compact).expect("valid base64"))
                    .expect("utf-8 text")
            }
            _ => raw_body.to_owned(),
        };
        Self { headers, body }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The media type without parameters, lower-cased, e.g. `text/plain`.
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("text/plain")
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    /// The parts of a multipart body, in order.
    pub fn parts(&self) -> Vec<Entity> {
        let content_type = self.header("content-type").expect("a Content-Type header");
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .next()
            .expect("a boundary parameter")
            .trim_matches('"');
        let delimiter = format!("--{boundary}");
        let mut parts = Vec::new();
        for chunk in self.body.split(&delimiter).skip(1) {
            if chunk.starts_with("--") {
                break;
            }
            let chunk = chunk.strip_prefix('\n').unwrap_or(chunk);
            let chunk = chunk.strip_suffix('\n').unwrap_or(chunk);
            parts.push(Entity::parse(chunk));
        }
        parts
    }
}

/// RFC 2045 section 6.7: `=` at a line end is a soft break, `=XX` a byte in hex.
fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8 text")
}
