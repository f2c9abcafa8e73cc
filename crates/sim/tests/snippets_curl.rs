//! Every curl command `sim::snippets` generates imports back through `sim::curl::parse_curl` as the same
//! request: the spec's example requests, and arbitrary header and body values (property test).
//!
//! "The same" means what curl puts on the wire: the method, the path and query at the chosen endpoint, every
//! header except `Host` and `Content-Length` (curl writes those itself), and the body byte for byte. Against
//! real AWS the command signs with `--aws-sigv4`, which `parse_curl` represents by a stand-in `Authorization`
//! header; that one header is compared by its scope only.

use proptest::prelude::*;
use sim::curl::parse_curl;
use sim::snippets::{curl_snippet, origin_form, snippets, SnippetLanguage};
use sim::WireRequest;

const PLAYGROUND: &str = "http://127.0.0.1:8080";

fn expected(req: &WireRequest, origin: &str) -> WireRequest {
    WireRequest {
        method: req.method.clone(),
        target: format!("{origin}{}", origin_form(req)),
        headers: req
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-length"))
            .cloned()
            .collect(),
        body: req.body.clone(),
    }
}

fn imported(command: &str) -> WireRequest {
    match parse_curl(command) {
        Ok(import) => import.request,
        Err(e) => panic!("parse_curl refused our own command: {e}\n{command}"),
    }
}

/// Where the spec's requests go on the real cloud, taken from the spec rather than from the code under test:
/// Transfer at `transfer.{region}.amazonaws.com` (§7) in the simulator's default region us-east-1, Lightsail
/// at `lightsail.us-west-2.amazonaws.com` (the region of §2.6's fleet), the public-cloud Nova example at its
/// `Host: 192.168.150.51:8774` over plain HTTP (§7), the doc-portal curl at its own `http://` URL (§7). A Nova
/// request that names no host can only go to a placeholder endpoint the user must replace.
const TRANSFER: &str = "https://transfer.us-east-1.amazonaws.com";
const LIGHTSAIL: &str = "https://lightsail.us-west-2.amazonaws.com";
const NOVA_PLACEHOLDER: &str = "https://compute.example.com:8774";

/// The spec's example requests, each with the origin it goes to on the real cloud.
fn spec_examples() -> Vec<(WireRequest, &'static str)> {
    let aws = |target: &str, body: &str| {
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", target)
            .with_body(body)
    };
    vec![
        // §1.1, T1, T2, T4, T5, T10, T11, T12, T20
        (aws("TransferService.StopServer", "{\"ServerId\": \"s-01234567890abcdef\"}"), TRANSFER),
        (
            aws("TransferService.StopServer", "{\"ServerId\":\"s-0123456789abcdef0\"}")
                .with_header("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793"),
            TRANSFER,
        ),
        (aws("TransferService.StopServer", "{}"), TRANSFER),
        (aws("TransferService.StopServer", ""), TRANSFER),
        (aws("TransferService.StopServer", "{\"ServerId\":123}"), TRANSFER),
        (aws("TransferService.StopServer", "{\"ServerId\":"), TRANSFER),
        (aws("TransferService.StopServers", "{\"ServerId\":\"s-0123456789abcdef0\"}"), TRANSFER),
        (aws("TransferService.StopServer", "{\"ServerId\":\"s-0123456789abcdef0\",\"Foo\":1}"), TRANSFER),
        // §2.1, L3, L9, L13, L14
        (
            aws("Lightsail_20161128.StopInstance", "{\"instanceName\": \"WordPress-1\", \"force\": false}"),
            LIGHTSAIL,
        ),
        (aws("Lightsail_20161128.StopInstance", "{\"instanceName\":\"Stuck-1\",\"force\":true}"), LIGHTSAIL),
        (aws("Lightsail_20161128.StopInstance", "{\"instanceName\":\"my instance\"}"), LIGHTSAIL),
        (aws("Lightsail_20161128.StopInstance", "{\"instanceName\":\"café-1\"}"), LIGHTSAIL),
        (
            aws("Lightsail_20161128.StopInstance", "{\"instanceName\":\"WordPress-1\",\"force\":\"yes\"}"),
            LIGHTSAIL,
        ),
        // §3.1, §7, N2, N14, N21, N22
        (
            WireRequest::new("POST", "/v2.1/servers/a0000000-0000-4000-8000-00000000000a/action")
                .with_header("X-Auth-Token", "member-token-aaaa1111")
                .with_header("Content-Type", "application/json")
                .with_header("Accept", "application/json")
                .with_header("OpenStack-API-Version", "compute 2.1")
                .with_body("{\"os-stop\": null}"),
            NOVA_PLACEHOLDER,
        ),
        (
            WireRequest::new("POST", "/servers/0199340e-0f3e-4612-96be-6f1861b192b5/action")
                .with_header("X-Auth-Token", "f064c46a782c444cb4ba4b6434288f7c")
                .with_header("Content-Type", "application/json")
                .with_header("Accept", "application/json")
                .with_body("{\"os-stop\" : \"null\"}"),
            NOVA_PLACEHOLDER,
        ),
        (
            WireRequest::new(
                "POST",
                "/v2/b72dc11461c84102b97576ae24d2b88c/servers/0199340e-0f3e-4612-96be-6f1861b192b5/action",
            )
            .with_header("Host", "192.168.150.51:8774")
            .with_header("X-Auth-Token", "712c5401c6764878a2d706675e0a6319")
            .with_header("Content-Length", "15")
            .with_body("{ \"os-stop\" : null }"),
            "http://192.168.150.51:8774",
        ),
        (WireRequest::new("POST", "/v2.1/servers/a/action").with_body("{\"os-stop\": {}}"), NOVA_PLACEHOLDER),
        (
            WireRequest::new("POST", "/v2.1/servers/a/action")
                .with_header("X-Auth-Token", "t")
                .with_header("Content-Type", "application/xml")
                .with_body("<os-stop/>"),
            NOVA_PLACEHOLDER,
        ),
        (
            WireRequest::new("GET", "/v2.1/servers/detail?limit=2&name=web").with_header("X-Auth-Token", "t"),
            NOVA_PLACEHOLDER,
        ),
        // §7: the doc-portal request with its target in the fragment.
        (
            WireRequest::new(
                "POST",
                "http://transfer.us-east-1.amazonaws.com/#X-Amz-Target=TransferService.StopServer",
            )
            .with_header("accept", "application/json")
            .with_header("content-type", "application/json"),
            "http://transfer.us-east-1.amazonaws.com",
        ),
    ]
}

#[test]
fn spec_examples_import_back_against_the_playground() {
    for (req, _) in spec_examples() {
        let s = curl_snippet(&req, Some(PLAYGROUND));
        assert_eq!(imported(&s.code), expected(&req, PLAYGROUND), "{}", s.code);
        // The curl snippet inside `snippets` is the same command.
        let all = snippets(&req, Some(PLAYGROUND));
        assert_eq!(all[0].language, SnippetLanguage::Curl);
        assert_eq!(all[0].code, s.code);
    }
}

#[test]
fn spec_examples_import_back_against_the_real_cloud() {
    for (req, origin) in spec_examples() {
        let s = curl_snippet(&req, None);
        let mut back = imported(&s.code);
        let aws = origin.contains("amazonaws.com");
        let mut want = expected(&req, origin);
        if aws {
            // curl signs afresh for the service and region of that endpoint: the request's own signature
            // headers are left out, a new one is made.
            let service = if origin.contains("lightsail") { "lightsail" } else { "transfer" };
            let region = if origin.contains("us-west-2") { "us-west-2" } else { "us-east-1" };
            let scope = format!("--aws-sigv4 'aws:amz:{region}:{service}'");
            assert!(s.code.contains(&scope), "expected {scope} in:\n{}", s.code);
            let signature = back.headers.iter().position(|(k, _)| k == "Authorization").expect("signed");
            let (_, value) = back.headers.remove(signature);
            assert!(value.starts_with("AWS4-HMAC-SHA256 Credential="), "{value}");
            want.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("authorization"));
        } else {
            assert!(!s.code.contains("--aws-sigv4"), "{}", s.code);
        }
        assert_eq!(back, want, "{}", s.code);
    }
}

fn header_value() -> impl Strategy<Value = String> {
    // What a header line can carry: no line breaks, and no white space at the ends (the HTTP parser and
    // parse_curl trim it, and so does curl before deciding a header is empty).
    "[^\r\n]{0,40}".prop_map(|s| s.trim().to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_headers_and_bodies_import_back(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH"]),
        path in "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,12}){1,4}",
        query in prop::option::of("[A-Za-z0-9=&%._~-]{0,20}"),
        headers in prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,15}", header_value()), 0..6),
        body in any::<String>(),
        endpoint in prop::sample::select(vec![PLAYGROUND, "http://localhost:9999", "https://play.example.org/base"]),
    ) {
        let target = match &query { Some(q) => format!("{path}?{q}"), None => path.clone() };
        let mut req = WireRequest::new(method, &target).with_body(&body);
        for (k, v) in &headers {
            req.headers.push((k.clone(), v.clone()));
        }
        let s = curl_snippet(&req, Some(endpoint));
        let back = parse_curl(&s.code).map_err(|e| TestCaseError::fail(format!("{e}\n{}", s.code)))?.request;
        prop_assert_eq!(back, expected(&req, endpoint), "{}", s.code);
    }
}
