//! What a request's headers ask and what every answer's headers carry: the microversion (`OpenStack-API-Version`
//! or `X-OpenStack-Nova-API-Version`, negotiated as `microversion_parse` and `Request.set_api_version_request`
//! do), the content type Nova reads, the `Accept` header as webob parses it, and the [`Envelope`] (request
//! ids, version headers, `Vary`) every answer leaves with (spec §3.1, §3.3 steps 3–4, §5).

use super::super::errors::{fault_body, keystone_401, webob_404, NovaError, FAULT_CONTENT_TYPE};
use super::super::routes::Api;
use crate::wire::{WireRequest, WireResponse};

/// `OpenStack-API-Version`.
pub const VERSION_HEADER: &str = "OpenStack-API-Version";
/// `X-OpenStack-Nova-API-Version`.
pub const LEGACY_VERSION_HEADER: &str = "X-OpenStack-Nova-API-Version";
/// `Vary` on every answer that carries version headers.
pub const VARY: &str = "OpenStack-API-Version, X-OpenStack-Nova-API-Version";
/// The minimum (and default) microversion.
pub const MIN_VERSION: (u32, u32) = (2, 1);

/// What the answer's headers depend on: the request id, the API stack and the negotiated version.
#[derive(Clone, Debug)]
pub struct Envelope {
    /// `req-<uuid>`, drawn for every request (the `compute_req_id` middleware sits in front of everything).
    pub request_id: String,
    /// Which stack answered.
    pub api: Api,
    /// The version in use, once one was parsed (then it goes on faults too).
    pub version: Option<(u32, u32)>,
}

impl Envelope {
    /// Adds the version headers (v2.1 stack, once parsed) and the two request-id headers.
    pub fn finish(&self, mut response: WireResponse) -> WireResponse {
        if let (Api::V21, Some(version)) = (self.api, self.version) {
            let mut number = String::with_capacity(8);
            push_version(&mut number, version);
            let mut compute = String::with_capacity(16);
            compute.push_str("compute ");
            compute.push_str(&number);
            response.headers.push((VERSION_HEADER.to_string(), compute));
            response.headers.push((LEGACY_VERSION_HEADER.to_string(), number));
            response.headers.push(("Vary".to_string(), VARY.to_string()));
        }
        response.headers.push(("x-openstack-request-id".to_string(), self.request_id.clone()));
        response.headers.push(("x-compute-request-id".to_string(), self.request_id.clone()));
        response
    }

    /// The wire form of an error: keystonemiddleware's 401, webob's 404 page, or a Nova fault.
    pub fn error(&self, error: &NovaError, req: &WireRequest, www_authenticate_uri: &str) -> WireResponse {
        let response = match error {
            NovaError::Unauthorized => keystone_401(www_authenticate_uri),
            NovaError::NoRoute => webob_404(req.header("Accept")),
            NovaError::OverLimit(seconds) => {
                let retry = seconds.to_string();
                WireResponse::new(429)
                    .with_header("Content-Type", FAULT_CONTENT_TYPE)
                    .with_header("Retry-After", &retry)
                    .with_body(fault_body(429, &error.message(), Some(&retry)))
            }
            _ => WireResponse::new(error.status())
                .with_header("Content-Type", FAULT_CONTENT_TYPE)
                .with_body(fault_body(error.status(), &error.message(), None)),
        };
        self.finish(response)
    }
}

/// Appends `X.Y`.
pub fn push_version(out: &mut String, (major, minor): (u32, u32)) {
    use std::fmt::Write as _;
    let _ = write!(out, "{major}.{minor}");
}

/// The version string a request asks for, as `microversion_parse.get_version` finds it: the last
/// `compute X.Y` item of `OpenStack-API-Version`, else the last item of `X-OpenStack-Nova-API-Version`.
pub fn requested_version(req: &WireRequest) -> Option<String> {
    let folded = |name: &str| {
        let values: Vec<&str> =
            req.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()).collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    if let Some(standard) = folded(VERSION_HEADER) {
        for item in standard.split(',').rev() {
            let item = item.trim();
            let Some(pos) = item.find(char::is_whitespace) else { continue };
            let (service, version) = item.split_at(pos);
            if service.eq_ignore_ascii_case("compute") {
                return Some(version.trim().to_string());
            }
        }
    }
    folded(LEGACY_VERSION_HEADER).map(|v| v.rsplit(',').next().unwrap_or("").trim().to_string())
}

/// `Request.set_api_version_request`: default 2.1, `latest` is the maximum, otherwise the string must
/// parse and lie within [2.1, max].
pub fn negotiate_version(asked: Option<&str>, max: (u32, u32)) -> Result<(u32, u32), NovaError> {
    match asked {
        None => Ok(MIN_VERSION),
        Some("latest") => Ok(max),
        Some(text) => {
            let version =
                super::parse_version(text).ok_or_else(|| NovaError::BadVersionString(text.to_string()))?;
            if version < MIN_VERSION || version > max {
                return Err(NovaError::VersionNotSupported {
                    requested: format!("{}.{}", version.0, version.1),
                    max: format!("{}.{}", max.0, max.1),
                });
            }
            Ok(version)
        }
    }
}

/// `Request.get_content_type`: a missing, empty or `text/plain` type is "none"; otherwise the media type
/// (parameters dropped, case kept, as webob reports it) must be one Nova reads.
pub fn check_content_type(req: &WireRequest) -> Result<(), NovaError> {
    let Some(value) = req.header("Content-Type") else { return Ok(()) };
    let media = value.split(';').next().unwrap_or("").trim();
    match media {
        "" | "text/plain" | "application/json" | "application/vnd.openstack.compute+json" => Ok(()),
        _ => Err(NovaError::UnsupportedContentType),
    }
}

/// The `Content-Type` of a successful answer: the best of Nova's two JSON types by `Accept`
/// (`application/json` unless the vendor type is preferred).
pub fn success_content_type(req: &WireRequest) -> &'static str {
    const VENDOR: &str = "application/vnd.openstack.compute+json";
    let Some(accept) = req.header("Accept").map(str::trim).filter(|a| !a.is_empty()) else {
        return "application/json";
    };
    let Some(ranges) = parse_accept(accept) else { return "application/json" };
    let json = accept_quality(&ranges, "application", "json");
    let vendor = accept_quality(&ranges, "application", "vnd.openstack.compute+json");
    if vendor > json {
        VENDOR
    } else {
        "application/json"
    }
}

/// One media range of an `Accept` header: type, subtype, quality.
pub type AcceptRange<'a> = (&'a str, &'a str, f64);

/// Parses an `Accept` header as webob does; `None` when it is not valid (webob then accepts every offer).
/// Ranges with media-type parameters (before `q`) and `*/x` ranges are kept out: they match no
/// parameterless offer.
pub fn parse_accept(accept: &str) -> Option<Vec<AcceptRange<'_>>> {
    let mut ranges = Vec::new();
    for item in accept.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim();
        let (ty, sub) = media.split_once('/')?;
        if ty.is_empty() || sub.is_empty() {
            return None;
        }
        let mut q = 1.0;
        let mut media_params = false;
        let mut seen_q = false;
        for param in parts {
            let (name, value) = param.split_once('=')?;
            if name.trim().eq_ignore_ascii_case("q") && !seen_q {
                seen_q = true;
                match value.trim().parse::<f64>() {
                    Ok(v) if (0.0..=1.0).contains(&v) => q = v,
                    _ => return None,
                }
            } else if !seen_q {
                media_params = true;
            }
        }
        if !media_params && (ty != "*" || sub == "*") {
            ranges.push((ty, sub, q));
        }
    }
    Some(ranges)
}

/// The quality the most specific matching range gives the offer `ty/sub` (0 when none matches).
pub fn accept_quality(ranges: &[AcceptRange<'_>], ty: &str, sub: &str) -> f64 {
    let mut best: Option<(u8, f64)> = None;
    for &(rty, rsub, q) in ranges {
        let specificity = if rty.eq_ignore_ascii_case(ty) && rsub.eq_ignore_ascii_case(sub) {
            3
        } else if rty.eq_ignore_ascii_case(ty) && rsub == "*" {
            2
        } else if rty == "*" && rsub == "*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(headers: &[(&str, &str)]) -> WireRequest {
        let mut r = WireRequest::new("POST", "/v2.1/servers/A/action");
        for (k, v) in headers {
            r = r.with_header(k, v);
        }
        r
    }

    #[test]
    fn versions_are_found_like_microversion_parse() {
        assert_eq!(requested_version(&req(&[])), None);
        assert_eq!(
            requested_version(&req(&[("OpenStack-API-Version", "compute 2.65")])).as_deref(),
            Some("2.65")
        );
        assert_eq!(
            requested_version(&req(&[("openstack-api-version", "volume 3.0, COMPUTE  2.7 ")])).as_deref(),
            Some("2.7")
        );
        assert_eq!(
            requested_version(&req(&[
                ("OpenStack-API-Version", "volume 3.0"),
                ("X-OpenStack-Nova-API-Version", "2.3")
            ]))
            .as_deref(),
            Some("2.3")
        );
        assert_eq!(requested_version(&req(&[("OpenStack-API-Version", "compute")])), None);
        let max = (2, 104);
        assert_eq!(negotiate_version(None, max), Ok((2, 1)));
        assert_eq!(negotiate_version(Some("latest"), max), Ok(max));
        assert_eq!(negotiate_version(Some("2.x"), max), Err(NovaError::BadVersionString("2.x".into())));
        assert_eq!(negotiate_version(Some("2.01"), max), Err(NovaError::BadVersionString("2.01".into())));
        assert!(matches!(negotiate_version(Some("3.0"), max), Err(NovaError::VersionNotSupported { .. })));
        assert!(matches!(negotiate_version(Some("2.0"), max), Err(NovaError::VersionNotSupported { .. })));
        assert_eq!(negotiate_version(Some("2.104"), max), Ok((2, 104)));
    }

    #[test]
    fn content_types() {
        assert!(check_content_type(&req(&[])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "")])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "text/plain")])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "application/json; charset=utf-8")])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "application/xml")])).is_err());
        assert_eq!(
            success_content_type(&req(&[("Accept", "application/vnd.openstack.compute+json")])),
            "application/vnd.openstack.compute+json"
        );
        assert_eq!(success_content_type(&req(&[("Accept", "*/*")])), "application/json");
    }
}
