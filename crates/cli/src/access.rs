//! Who may use the control API and the live stream of `fleetplay serve` (everything under `/_fleetplay/`).
//!
//! The simulator is a development tool on the user's machine, and any web page the user visits can make
//! their browser send requests to `127.0.0.1`. So, for `/_fleetplay/` requests:
//!
//! - A request with an `Origin` header (a browser's, cross-origin or a same-origin `POST`) is answered only
//!   when that origin is allowed: the server's own (`http://127.0.0.1:PORT`, `http://localhost:PORT`,
//!   `http://[::1]:PORT`, and the address it listens on) and those given with `--allow-origin`. An allowed
//!   origin gets the CORS headers that let the page read the answer (`Access-Control-Allow-Origin` naming it,
//!   `Vary: Origin`), and a preflight (`OPTIONS`) is answered for it; any other origin gets 403 with a message
//!   that says which flag would allow it. Without CORS a foreign page could still not read the answers, but
//!   it could load a scenario or send requests "blind" (a simple `POST`): the 403 stops that too.
//! - The `Host` header must name this machine (`127.0.0.1`, `localhost`, `[::1]`, the listening address) or
//!   an allowed origin's host, which defeats DNS rebinding: a foreign name that resolves to 127.0.0.1 makes
//!   the browser treat the server as that foreign origin, sending no `Origin` on a `GET`.
//! - Requests without an `Origin` (boto3, the CLIs, curl) are not browsers' and are served as always.
//!
//! The simulated services' own paths are not checked: their requests carry headers (`X-Amz-Target`,
//! `X-Auth-Token`) that no foreign page can send without a preflight, which they do not answer, and they must
//! behave exactly as the services do. The page's files are public anyway.

use axum::http::header::{HeaderMap, HeaderValue, HOST, ORIGIN};
use std::net::IpAddr;

/// The allowed origins and host names of one running server.
#[derive(Clone, Debug)]
pub struct Access {
    /// Origins as browsers serialise them: `scheme://host[:port]`, lowercase, no default port.
    origins: Vec<String>,
    /// Host names `Host` may carry (without the port), lowercase; IPv6 addresses in brackets.
    hosts: Vec<String>,
}

/// What to do with a `/_fleetplay/` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Serve it; for a browser's request from an allowed origin, with that origin's CORS headers.
    Allowed {
        /// The origin to name in `Access-Control-Allow-Origin`, when the request had one.
        origin: Option<HeaderValue>,
    },
    /// Refuse it with 403 and this explanation.
    Refused(String),
}

impl Access {
    /// The rules for a server listening on `bind`:`port` that also allows `extra` origins (already checked
    /// with [`parse_origin`]).
    pub fn new(bind: IpAddr, port: u16, extra: &[String]) -> Access {
        let mut hosts: Vec<String> = vec!["127.0.0.1".into(), "localhost".into(), "[::1]".into()];
        if !bind.is_unspecified() {
            hosts.push(host_name(bind));
        }
        let mut origins: Vec<String> = hosts.iter().map(|host| origin("http", host, port)).collect();
        for extra in extra {
            origins.push(extra.clone());
            if let Some(host) = origin_host(extra) {
                hosts.push(host);
            }
        }
        Access { origins: unique(origins), hosts: unique(hosts) }
    }

    /// The allowed origins, the server's own first.
    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// Decides about a request to `/_fleetplay/` with these headers.
    pub fn check(&self, headers: &HeaderMap) -> Verdict {
        if let Some(host) = headers.get(HOST) {
            let host = host.to_str().unwrap_or("").trim().to_ascii_lowercase();
            let name = strip_port(&host);
            if !self.hosts.iter().any(|h| h == name) {
                return Verdict::Refused(format!(
                    "the Host {host:?} is not this machine's name: the control API and the live stream answer \
                     only to 127.0.0.1, localhost or [::1] (or the host of an origin allowed with \
                     --allow-origin)"
                ));
            }
        }
        let Some(value) = headers.get(ORIGIN) else { return Verdict::Allowed { origin: None } };
        let text = value.to_str().unwrap_or("").trim();
        match parse_origin(text) {
            Ok(origin) if self.origins.contains(&origin) => Verdict::Allowed { origin: Some(value.clone()) },
            _ => Verdict::Refused(format!(
                "the origin {text:?} may not use the control API or the live stream of this server; \
                 start it with --allow-origin {text} to allow that page (allowed now: {})",
                self.origins.join(", ")
            )),
        }
    }
}

/// `items` without repeats, in their first order.
fn unique(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// An origin as a browser sends it in `Origin`: `scheme://host[:port]`, checked and lowercased, with a
/// default port (80 for http, 443 for https) left out and no trailing slash. For `--allow-origin`.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let expected = || format!("{text:?} is not an origin like http://127.0.0.1:8080 (scheme, host, port)");
    let (scheme, rest) = text.split_once("://").ok_or_else(expected)?;
    if scheme != "http" && scheme != "https" {
        return Err(expected());
    }
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return Err(expected());
    }
    let (host, port) = match rest.rsplit_once(':') {
        // An IPv6 address without a port: the colon is inside the brackets.
        Some((host, port)) if !port.contains(']') => {
            let port: u16 = port.parse().map_err(|_| expected())?;
            (host, Some(port))
        }
        _ => (rest, None),
    };
    if host.is_empty() || (host.starts_with('[') != host.ends_with(']')) {
        return Err(expected());
    }
    let default = if scheme == "http" { 80 } else { 443 };
    Ok(origin(scheme, host, port.unwrap_or(default)))
}

/// `scheme://host:port`, without the port when it is the scheme's default.
fn origin(scheme: &str, host: &str, port: u16) -> String {
    let default = if scheme == "http" { 80 } else { 443 };
    if port == default {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    }
}

/// The host of an origin produced by [`parse_origin`].
fn origin_host(origin: &str) -> Option<String> {
    let rest = origin.split_once("://")?.1;
    Some(strip_port(rest).to_string())
}

/// `host` without a `:port` (an IPv6 address keeps its brackets).
fn strip_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// An address as it appears in a URL's host: IPv6 in brackets.
pub fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// What to say, loudly, when the server listens on an address other machines can reach.
pub fn exposure_warning(bind: IpAddr, port: u16) -> Option<String> {
    if bind.is_loopback() {
        return None;
    }
    Some(format!(
        "fleetplay: WARNING: listening on {}:{port}, which other machines can reach (--host): anyone who can \
         connect may send requests to the simulator and see the requests and answers on its page. \
         The control API and the live stream still answer only to this machine's names and the origins \
         allowed with --allow-origin. Use --host 127.0.0.1 (the default) unless you mean it.",
        host_name(bind)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn loopback(port: u16, extra: &[&str]) -> Access {
        let extra: Vec<String> = extra.iter().map(|o| parse_origin(o).unwrap()).collect();
        Access::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port, &extra)
    }

    #[test]
    fn origins_read_as_browsers_write_them() {
        assert_eq!(parse_origin("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(parse_origin("HTTP://LocalHost:80").unwrap(), "http://localhost");
        assert_eq!(parse_origin("https://docs.example:443").unwrap(), "https://docs.example");
        assert_eq!(parse_origin("http://[::1]:4566").unwrap(), "http://[::1]:4566");
        assert_eq!(parse_origin("http://[::1]").unwrap(), "http://[::1]");
        for bad in
            ["127.0.0.1:8080", "ftp://x", "http://", "http://x/path", "http://x:port", "null", "http://a b"]
        {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_servers_own_origins_and_the_allowed_ones_get_cors() {
        let access = loopback(4566, &["http://127.0.0.1:8080"]);
        for origin in
            ["http://127.0.0.1:4566", "http://localhost:4566", "http://[::1]:4566", "http://127.0.0.1:8080"]
        {
            let verdict = access.check(&headers(&[("host", "127.0.0.1:4566"), ("origin", origin)]));
            assert_eq!(verdict, Verdict::Allowed { origin: Some(HeaderValue::from_str(origin).unwrap()) });
        }
        // Not a browser: no CORS needed.
        assert_eq!(access.check(&headers(&[("host", "127.0.0.1:4566")])), Verdict::Allowed { origin: None });
        assert_eq!(access.check(&HeaderMap::new()), Verdict::Allowed { origin: None });
    }

    #[test]
    fn other_origins_are_refused_with_the_flag_that_would_allow_them() {
        let access = loopback(4566, &[]);
        for origin in ["http://evil.example", "http://127.0.0.1:4567", "https://127.0.0.1:4566", "null", ""] {
            let verdict = access.check(&headers(&[("host", "127.0.0.1:4566"), ("origin", origin)]));
            let Verdict::Refused(message) = verdict else { panic!("{origin} allowed") };
            assert!(message.contains("--allow-origin"), "{message}");
        }
    }

    #[test]
    fn foreign_host_names_are_refused_dns_rebinding() {
        let access = loopback(4566, &["http://docs.example:3000"]);
        for host in ["127.0.0.1", "127.0.0.1:4566", "LOCALHOST:4566", "[::1]:4566", "docs.example:3000"] {
            assert_eq!(
                access.check(&headers(&[("host", host)])),
                Verdict::Allowed { origin: None },
                "{host}"
            );
        }
        for host in ["evil.example:4566", "127.0.0.2:4566", "", "[::2]:4566"] {
            assert!(matches!(access.check(&headers(&[("host", host)])), Verdict::Refused(_)), "{host}");
        }
        // A server bound to a specific address answers to that address too.
        let bound = Access::new("192.0.2.7".parse().unwrap(), 80, &[]);
        assert_eq!(bound.check(&headers(&[("host", "192.0.2.7")])), Verdict::Allowed { origin: None });
        assert!(bound.origins().contains(&"http://192.0.2.7".to_string()));
        let own = loopback(4566, &["http://localhost:4566"]);
        assert_eq!(own.origins(), ["http://127.0.0.1:4566", "http://localhost:4566", "http://[::1]:4566"]);
    }

    #[test]
    fn only_addresses_other_machines_can_reach_are_warned_about() {
        assert_eq!(exposure_warning("127.0.0.1".parse().unwrap(), 1), None);
        assert_eq!(exposure_warning("::1".parse().unwrap(), 1), None);
        let warning = exposure_warning("0.0.0.0".parse().unwrap(), 8080).unwrap();
        assert!(warning.contains("WARNING") && warning.contains("0.0.0.0:8080"), "{warning}");
        assert!(exposure_warning("::".parse().unwrap(), 1).unwrap().contains("[::]:1"));
    }
}
