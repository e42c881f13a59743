//! Where to send a user after signing in: the `next` query parameter, when it is safe.

/// Where a user lands after signing in or up when no usable `next` was given.
pub const DEFAULT_AFTER_SIGN_IN: &str = "/tasks";

/// Returns `next` when it is a path on this site (`/…`), else [`DEFAULT_AFTER_SIGN_IN`].
///
/// Browsers read `//host` and `/\host` as another origin, so those are refused, as are control
/// characters (a tab or newline inside `/\t/host` is dropped by URL parsers, turning it into
/// `//host`) and anything that is not a path.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if is_local_path(path) => path,
        _ => DEFAULT_AFTER_SIGN_IN,
    }
}

fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && !path.chars().any(|c| c.is_control())
}

/// The sign-in URL that returns to `path` afterwards: `/sign-in?next=<path, URL-encoded>`.
pub fn sign_in_url(path: &str) -> String {
    format!("/sign-in?next={}", encode_query_value(path))
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_path_is_kept() {
        assert_eq!(safe_next(Some("/tasks/active")), "/tasks/active");
        assert_eq!(safe_next(Some("/account?tab=1")), "/account?tab=1");
    }

    #[test]
    fn protocol_relative_and_backslash_paths_fall_back_to_tasks() {
        assert_eq!(safe_next(Some("//evil.example")), "/tasks");
        assert_eq!(safe_next(Some("/\\evil.example")), "/tasks");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/tasks");
    }

    #[test]
    fn absolute_urls_and_missing_values_fall_back_to_tasks() {
        assert_eq!(safe_next(Some("https://evil.example/")), "/tasks");
        assert_eq!(safe_next(Some("javascript:alert(1)")), "/tasks");
        assert_eq!(safe_next(Some("")), "/tasks");
        assert_eq!(safe_next(None), "/tasks");
    }

    #[test]
    fn sign_in_url_encodes_the_return_path() {
        assert_eq!(sign_in_url("/tasks/active"), "/sign-in?next=/tasks/active");
        assert_eq!(sign_in_url("/a?b=c&d"), "/sign-in?next=/a%3Fb%3Dc%26d");
    }
}
