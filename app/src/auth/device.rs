//! A short, human name for the device a session was created on, read from its user agent:
//! "Chrome on Linux", "Safari on iOS". Only for display; nothing is decided by it.

/// Browsers, most specific first: Edge and Opera say "Chrome" too, Chrome says "Safari".
const BROWSERS: [(&str, &str); 10] = [
    ("Edg/", "Edge"),
    ("EdgiOS", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
];

/// Operating systems, most specific first: iPads say "Mac OS X", Android says "Linux".
const SYSTEMS: [(&str, &str); 8] = [
    ("Windows", "Windows"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
];

/// "<browser> on <system>" for a known browser and system, the one that is known otherwise,
/// and "Unknown device" when the user agent is missing or names neither.
pub fn device_name(user_agent: Option<&str>) -> String {
    let user_agent = user_agent.unwrap_or_default();
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, Some(system)) => format!("Unknown browser on {system}"),
        (None, None) => "Unknown device".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn desktop_browsers_are_named_with_their_system() {
        let chrome_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like \
                            Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_name(Some(chrome_linux)), "Chrome on Linux");

        let firefox_windows =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(device_name(Some(firefox_windows)), "Firefox on Windows");

        let safari_mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 \
                          (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
        assert_eq!(device_name(Some(safari_mac)), "Safari on macOS");
    }

    #[test]
    fn browsers_built_on_chrome_are_told_apart_from_chrome() {
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like \
                    Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(device_name(Some(edge)), "Edge on Windows");
    }

    #[test]
    fn phones_are_named_by_their_mobile_system() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1";
        assert_eq!(device_name(Some(iphone)), "Chrome on iOS");

        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like \
                       Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        assert_eq!(device_name(Some(android)), "Chrome on Android");
    }

    #[test]
    fn unknown_or_missing_user_agents_say_so() {
        assert_eq!(device_name(Some("curl/8.5.0")), "Unknown device");
        assert_eq!(device_name(None), "Unknown device");
        assert_eq!(
            device_name(Some("SomeBot/1.0 (Linux)")),
            "Unknown browser on Linux"
        );
    }
}
