//! Unit tests for snippets: each language on the spec's example requests, the cases no client can express,
//! quoting of hostile values, and a shell-level round trip of the curl command (a small POSIX word splitter
//! here reads the command back; `tests/snippets_curl.rs` does the same with `sim::curl::parse_curl`).

use super::*;
use proptest::prelude::*;
use serde_json::Value;

const PLAYGROUND: &str = "http://127.0.0.1:8080";

fn transfer(body: &str) -> WireRequest {
    WireRequest::new("POST", "/")
        .with_header("Content-Type", "application/x-amz-json-1.1")
        .with_header("X-Amz-Target", "TransferService.StopServer")
        .with_body(body)
}

fn lightsail(op: &str, body: &str) -> WireRequest {
    WireRequest::new("POST", "/")
        .with_header("Content-Type", "application/x-amz-json-1.1")
        .with_header("X-Amz-Target", &format!("Lightsail_20161128.{op}"))
        .with_body(body)
}

fn nova_stop(id: &str) -> WireRequest {
    WireRequest::new("POST", &format!("/v2.1/servers/{id}/action"))
        .with_header("X-Auth-Token", "member-token-aaaa1111")
        .with_header("Content-Type", "application/json")
        .with_body("{\"os-stop\": null}")
}

fn code(snippets: &[Snippet], language: SnippetLanguage) -> String {
    snippets
        .iter()
        .find(|s| s.language == language)
        .map(|s| s.code.clone())
        .unwrap_or_else(|| panic!("no {language:?} snippet in {snippets:#?}"))
}

fn languages(snippets: &[Snippet]) -> Vec<SnippetLanguage> {
    snippets.iter().map(|s| s.language).collect()
}

// ---- a tiny POSIX shell word splitter, enough to read our own commands back ----

fn shell_words(text: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\\' => {
                let next = *chars.get(i + 1).ok_or("dangling backslash")?;
                word.get_or_insert_with(String::new).push(next);
                i += 2;
            }
            ' ' | '\t' | '\n' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
                i += 1;
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    w.push(chars[i]);
                    i += 1;
                }
                if i == chars.len() {
                    return Err("unterminated single quote".into());
                }
                i += 1;
            }
            '$' if chars.get(i + 1) == Some(&'\'') => {
                let w = word.get_or_insert_with(String::new);
                i += 2;
                loop {
                    let c = *chars.get(i).ok_or("unterminated $'")?;
                    match c {
                        '\'' => break,
                        '\\' => {
                            let e = *chars.get(i + 1).ok_or("dangling escape")?;
                            i += 2;
                            match e {
                                'n' => w.push('\n'),
                                't' => w.push('\t'),
                                'r' => w.push('\r'),
                                '\\' => w.push('\\'),
                                '\'' => w.push('\''),
                                'x' => {
                                    let hex: String = chars[i..i + 2].iter().collect();
                                    w.push(char::from(
                                        u8::from_str_radix(&hex, 16).map_err(|e| e.to_string())?,
                                    ));
                                    i += 2;
                                }
                                'u' => {
                                    let hex: String = chars[i..i + 4].iter().collect();
                                    let n = u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                                    w.push(char::from_u32(n).ok_or("bad \\u")?);
                                    i += 4;
                                }
                                other => return Err(format!("unknown escape \\{other}")),
                            }
                        }
                        c => {
                            w.push(c);
                            i += 1;
                        }
                    }
                }
                i += 1;
            }
            '"' | '`' | '$' | ';' | '&' | '|' | '<' | '>' | '(' | ')' | '*' | '?' | '[' | '#' | '~' | '{' => {
                return Err(format!("unquoted shell metacharacter {c:?} in {text:?}"))
            }
            c => {
                word.get_or_insert_with(String::new).push(c);
                i += 1;
            }
        }
    }
    if let Some(w) = word {
        words.push(w);
    }
    Ok(words)
}

/// Reads back a curl command as generated here: URL, `-X`, `-H`, `--data-raw`.
fn read_curl(command: &str) -> Result<WireRequest, String> {
    let words = shell_words(command)?;
    let mut it = words.into_iter();
    if it.next().as_deref() != Some("curl") {
        return Err("not a curl command".into());
    }
    let mut req = WireRequest::default();
    let mut method = None;
    while let Some(w) = it.next() {
        match w.as_str() {
            "-X" => method = it.next(),
            "-H" => {
                let h = it.next().ok_or("-H without value")?;
                if let Some((name, value)) = h.split_once(':') {
                    if !value.trim().is_empty() {
                        req.headers.push((name.to_string(), value.trim_start().to_string()));
                    }
                } else if let Some(name) = h.strip_suffix(';') {
                    req.headers.push((name.to_string(), String::new()));
                } else {
                    return Err(format!("bad header {h:?}"));
                }
            }
            "--data-raw" => req.body = it.next().ok_or("--data-raw without value")?,
            "--aws-sigv4" | "--user" => {
                it.next();
            }
            url if !url.starts_with('-') => req.target = url.to_string(),
            other => return Err(format!("unexpected option {other}")),
        }
    }
    req.method = method.unwrap_or_else(|| if req.body.is_empty() { "GET" } else { "POST" }.to_string());
    Ok(req)
}

/// The request as curl sends it: `Host` and `Content-Length` are curl's to write.
fn as_sent(req: &WireRequest, endpoint: &str) -> WireRequest {
    WireRequest {
        method: req.method.clone(),
        target: format!("{endpoint}{}", origin_form(req)),
        headers: req
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-length"))
            .cloned()
            .collect(),
        body: req.body.clone(),
    }
}

fn without_empty_content_type(mut req: WireRequest) -> WireRequest {
    req.headers.retain(|(k, v)| !(k.eq_ignore_ascii_case("content-type") && v.is_empty()));
    req
}

// ---- AWS Transfer Family ----

#[test]
fn transfer_stop_server_in_every_aws_language() {
    let s = snippets(&transfer("{\"ServerId\":\"s-0123456789abcdef0\"}"), Some(PLAYGROUND));
    assert_eq!(
        languages(&s),
        [
            SnippetLanguage::Curl,
            SnippetLanguage::AwsCli,
            SnippetLanguage::Boto3,
            SnippetLanguage::JsV3,
            SnippetLanguage::RustSdk
        ]
    );
    assert_eq!(
        code(&s, SnippetLanguage::Curl),
        "curl -X POST 'http://127.0.0.1:8080/' \\\n  -H 'Content-Type: application/x-amz-json-1.1' \\\n  \
         -H 'X-Amz-Target: TransferService.StopServer' \\\n  --data-raw '{\"ServerId\":\"s-0123456789abcdef0\"}'\n"
    );
    assert_eq!(
        code(&s, SnippetLanguage::AwsCli),
        "AWS_ACCESS_KEY_ID=fleetplay AWS_SECRET_ACCESS_KEY=fleetplay aws transfer stop-server \\\n  \
         --server-id s-0123456789abcdef0 \\\n  --region us-east-1 \\\n  --endpoint-url http://127.0.0.1:8080\n"
    );
    let boto3 = code(&s, SnippetLanguage::Boto3);
    assert!(boto3.starts_with("import boto3\n\nclient = boto3.client(\n    \"transfer\",\n"), "{boto3}");
    assert!(boto3.contains("    endpoint_url=\"http://127.0.0.1:8080\",\n"), "{boto3}");
    assert!(boto3.contains("response = client.stop_server(ServerId=\"s-0123456789abcdef0\")\n"), "{boto3}");
    let js = code(&s, SnippetLanguage::JsV3);
    assert!(
        js.starts_with("import { TransferClient, StopServerCommand } from \"@aws-sdk/client-transfer\";\n"),
        "{js}"
    );
    assert!(js.contains("  endpoint: \"http://127.0.0.1:8080\",\n"), "{js}");
    assert!(
        js.contains("await client.send(new StopServerCommand({ ServerId: \"s-0123456789abcdef0\" }));"),
        "{js}"
    );
    let rust = code(&s, SnippetLanguage::RustSdk);
    assert!(rust.contains("async fn main() -> Result<(), aws_sdk_transfer::Error>"), "{rust}");
    assert!(rust.contains("        .endpoint_url(\"http://127.0.0.1:8080\")\n"), "{rust}");
    assert!(
        rust.contains(
            "        .stop_server()\n        .server_id(\"s-0123456789abcdef0\")\n        .send()\n"
        ),
        "{rust}"
    );
}

#[test]
fn real_cloud_snippets_use_default_credentials_and_no_endpoint() {
    let s = snippets(&transfer("{\"ServerId\":\"s-0123456789abcdef0\"}"), None);
    assert_eq!(
        code(&s, SnippetLanguage::AwsCli),
        "aws transfer stop-server \\\n  --server-id s-0123456789abcdef0\n"
    );
    let boto3 = code(&s, SnippetLanguage::Boto3);
    assert!(boto3.contains("client = boto3.client(\"transfer\")\n"), "{boto3}");
    let all: String = s.iter().map(|s| s.code.as_str()).collect();
    assert!(!all.contains("fleetplay"), "no dummy keys against the real cloud:\n{all}");
    assert!(!all.contains("127.0.0.1"), "{all}");
    let curl = code(&s, SnippetLanguage::Curl);
    assert!(curl.starts_with("curl -X POST 'https://transfer.us-east-1.amazonaws.com/' \\\n"), "{curl}");
    assert!(curl.contains("--aws-sigv4 'aws:amz:us-east-1:transfer'"), "{curl}");
}

#[test]
fn region_comes_from_the_host_or_sigv4_scope() {
    let req = WireRequest {
        target: "https://transfer.eu-west-1.amazonaws.com/".into(),
        ..transfer("{\"ServerId\":\"s-0123456789abcdef0\"}")
    };
    let s = snippets(&req, None);
    assert!(code(&s, SnippetLanguage::AwsCli).contains("--region eu-west-1"));
    assert!(code(&s, SnippetLanguage::Boto3).contains("region_name=\"eu-west-1\""));
    assert!(code(&s, SnippetLanguage::JsV3).contains("region: \"eu-west-1\""));
    assert!(code(&s, SnippetLanguage::RustSdk).contains(".region(\"eu-west-1\")"));
    assert!(code(&s, SnippetLanguage::Curl).contains("'https://transfer.eu-west-1.amazonaws.com/'"));
    let signed = transfer("{\"ServerId\":\"s-0123456789abcdef0\"}").with_header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKID/20250101/ap-south-1/transfer/aws4_request, SignedHeaders=host",
    );
    let s = snippets(&signed, Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::Boto3).contains("region_name=\"ap-south-1\""));
    // Against the playground the request's own Authorization header travels as written …
    assert!(code(&s, SnippetLanguage::Curl).contains("-H 'Authorization: AWS4-HMAC-SHA256"));
    // … against AWS curl signs afresh.
    assert!(!code(&snippets(&signed, None), SnippetLanguage::Curl).contains("Authorization"));
}

#[test]
fn list_servers_members_and_pagination() {
    let req = WireRequest {
        headers: vec![
            ("Content-Type".into(), "application/x-amz-json-1.1".into()),
            ("X-Amz-Target".into(), "TransferService.ListServers".into()),
        ],
        ..transfer("{\"MaxResults\": 2, \"NextToken\": \"abc\"}")
    };
    let s = snippets(&req, Some(PLAYGROUND));
    let cli = code(&s, SnippetLanguage::AwsCli);
    assert!(cli.contains("aws transfer list-servers \\\n  --max-results 2 \\\n  --next-token abc"), "{cli}");
    assert!(code(&s, SnippetLanguage::Boto3).contains("client.list_servers(MaxResults=2, NextToken=\"abc\")"));
    assert!(code(&s, SnippetLanguage::JsV3)
        .contains("new ListServersCommand({ MaxResults: 2, NextToken: \"abc\" })"));
    assert!(code(&s, SnippetLanguage::RustSdk)
        .contains(".list_servers()\n        .max_results(2)\n        .next_token(\"abc\")"));
    let empty = WireRequest { body: String::new(), ..req };
    let s = snippets(&empty, Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::Boto3).contains("client.list_servers()\n"));
    assert!(code(&s, SnippetLanguage::JsV3).contains("new ListServersCommand({})"));
    let cli = s.iter().find(|s| s.language == SnippetLanguage::AwsCli).unwrap();
    assert!(cli.notes.iter().any(|n| n.contains("paginates")), "{:?}", cli.notes);
    assert!(cli.notes.iter().any(|n| n.contains("`{}`")), "{:?}", cli.notes);
}

#[test]
fn botocore_min_length_leaves_only_curl_js_and_rust() {
    // T6: 18 characters pass the JSON types but not botocore's client-side min length check.
    let s = snippets(&transfer("{\"ServerId\":\"s-0123456789abcdef\"}"), Some(PLAYGROUND));
    assert_eq!(languages(&s), [SnippetLanguage::Curl, SnippetLanguage::JsV3, SnippetLanguage::RustSdk]);
    assert!(
        s[0].notes.iter().any(|n| n.contains("ParamValidationError") && n.contains("18")),
        "{:?}",
        s[0].notes
    );
    // T8: uppercase hex passes botocore (it checks no pattern), so every client can send it.
    assert_eq!(snippets(&transfer("{\"ServerId\":\"s-0123456789ABCDEF0\"}"), None).len(), 5);
}

#[test]
fn requests_no_client_can_send_get_only_curl_with_a_reason() {
    let cases: Vec<(WireRequest, &str)> = vec![
        (transfer("{}"), "required"),                                              // T4
        (transfer("{\"ServerId\":123}"), "number"),                                // T10
        (transfer("{\"ServerId\":"), "not valid JSON"),                            // T11
        (transfer("{\"ServerId\":\"s-0123456789abcdef0\",\"Foo\":1}"), "\"Foo\""), // T20
        (
            WireRequest {
                headers: vec![
                    ("Content-Type".into(), "application/x-amz-json-1.1".into()),
                    ("X-Amz-Target".into(), "TransferService.StopServers".into()),
                ],
                ..transfer("{}")
            },
            "StopServers",
        ), // T12
        (
            WireRequest {
                headers: vec![
                    ("Content-Type".into(), "application/json".into()),
                    ("X-Amz-Target".into(), "TransferService.StopServer".into()),
                ],
                ..transfer("{}")
            },
            "Content-Type",
        ), // T15
        (lightsail("StopInstance", "{\"instanceName\":\"WordPress-1\",\"force\":\"yes\"}"), "boolean"), // L14
        (lightsail("StopInstance", "{\"instanceName\":42}"), "string"),            // L15
        (WireRequest::new("GET", "/favicon.ico"), "no simulated service"),
        (nova_stop("a").with_body("{\"os-stop\": null, \"foo\": 1}"), "exactly one key"), // N16
        (nova_stop("a").with_body("{\"os-stopp\": null}"), "os-stopp"),                   // N19
        (nova_stop("a").with_body("null"), "object"),                                     // N20
        (WireRequest::new("POST", "/v2.1/servers/a/action").with_body("{\"os-stop\": null}"), "X-Auth-Token"), // N14
        (
            WireRequest {
                headers: vec![
                    ("X-Auth-Token".into(), "t".into()),
                    ("Content-Type".into(), "application/xml".into()),
                ],
                ..nova_stop("a")
            },
            "application/xml",
        ), // N21
        (nova_stop("a").with_header("OpenStack-API-Version", "compute 2.x"), "2.x"), // N23
        (nova_stop("a").with_header("OpenStack-API-Version", "compute 3.0"), "3.0"), // N24
        (WireRequest::new("GET", "/v2.1/servers/a/action").with_header("X-Auth-Token", "t"), "GET"), // N27
        (WireRequest::new("DELETE", "/v2.1/servers/a").with_header("X-Auth-Token", "t"), "DELETE"),
        (WireRequest::new("GET", "/v2.1/servers?limit=2").with_header("X-Auth-Token", "t"), "query"),
    ];
    for (req, reason) in cases {
        for endpoint in [Some(PLAYGROUND), None] {
            let s = snippets(&req, endpoint);
            assert_eq!(languages(&s), [SnippetLanguage::Curl], "{req:?}");
            let notes = s[0].notes.join(" ");
            assert!(notes.contains("Only curl can send this request"), "{notes}");
            assert!(notes.contains(reason), "{req:?}: expected {reason:?} in {notes}");
        }
    }
}

// ---- Amazon Lightsail ----

#[test]
fn lightsail_stop_instance_with_force() {
    let s = snippets(
        &lightsail("StopInstance", "{\"instanceName\":\"Stuck-1\",\"force\":true}"),
        Some(PLAYGROUND),
    );
    assert_eq!(s.len(), 5);
    let cli = code(&s, SnippetLanguage::AwsCli);
    assert!(cli.contains("aws lightsail stop-instance \\\n  --instance-name Stuck-1 \\\n  --force \\\n  --region us-west-2"), "{cli}");
    assert!(code(&s, SnippetLanguage::Boto3)
        .contains("client.stop_instance(instanceName=\"Stuck-1\", force=True)"));
    let js = code(&s, SnippetLanguage::JsV3);
    assert!(
        js.contains("import { LightsailClient, StopInstanceCommand } from \"@aws-sdk/client-lightsail\";"),
        "{js}"
    );
    assert!(js.contains("new StopInstanceCommand({ instanceName: \"Stuck-1\", force: true })"), "{js}");
    let rust = code(&s, SnippetLanguage::RustSdk);
    assert!(
        rust.contains(".stop_instance()\n        .instance_name(\"Stuck-1\")\n        .force(true)\n"),
        "{rust}"
    );
    assert!(rust.contains("aws_sdk_lightsail::Client::new(&config)"), "{rust}");
    let no_force =
        snippets(&lightsail("StopInstance", "{\"instanceName\":\"WordPress-1\",\"force\":false}"), None);
    assert!(code(&no_force, SnippetLanguage::AwsCli).contains("--no-force"));
    assert!(code(&no_force, SnippetLanguage::Boto3).contains("force=False"));
}

#[test]
fn lightsail_companions_map_to_their_client_names() {
    for (op, body, cli, py, rust) in [
        (
            "GetInstanceState",
            "{\"instanceName\":\"WordPress-1\"}",
            "get-instance-state --instance-name WordPress-1",
            "get_instance_state(instanceName=",
            ".get_instance_state()",
        ),
        (
            "GetInstance",
            "{\"instanceName\":\"WordPress-1\"}",
            "get-instance \\\n  --instance-name",
            "get_instance(instanceName=",
            ".instance_name(",
        ),
        (
            "StartInstance",
            "{\"instanceName\":\"Stopped-1\"}",
            "start-instance",
            "start_instance(",
            ".start_instance()",
        ),
        ("GetInstances", "{}", "get-instances", "get_instances()", ".get_instances()"),
        (
            "GetOperation",
            "{\"operationId\":\"op-1\"}",
            "get-operation \\\n  --operation-id op-1",
            "get_operation(operationId=\"op-1\")",
            ".operation_id(\"op-1\")",
        ),
    ] {
        let s = snippets(&lightsail(op, body), None);
        let all = s
            .iter()
            .map(|s| s.code.as_str())
            .collect::<String>()
            .replace(" \\\n  --instance-name", " --instance-name");
        for want in [cli.replace(" \\\n  --instance-name", " --instance-name").as_str(), py, rust] {
            assert!(all.contains(want), "{op}: {want:?} missing in\n{all}");
        }
    }
}

#[test]
fn hostile_instance_names_stay_inside_their_quotes() {
    let name = "x\"); import os; os.system(\"rm -rf ~\") #'$(reboot)`\\\n\u{1b}[2J${HOME}";
    let body = serde_json::json!({"instanceName": name}).to_string();
    let s = snippets(&lightsail("StopInstance", &body), Some(PLAYGROUND));
    assert_eq!(s.len(), 5);
    let boto3 = code(&s, SnippetLanguage::Boto3);
    let line = boto3.lines().find(|l| l.starts_with("response = ")).unwrap();
    assert_eq!(line, format!("response = client.stop_instance(instanceName={})", quote::python(name)));
    assert!(!line.contains('\n') && !line.contains('\u{1b}'));
    let js = code(&s, SnippetLanguage::JsV3);
    assert!(js.contains(&quote::javascript(name)));
    let rust = code(&s, SnippetLanguage::RustSdk);
    assert!(rust.contains(&quote::rust(name)));
    // The shell commands read back to exactly the same values.
    let cli = code(&s, SnippetLanguage::AwsCli);
    let words = shell_words(&cli).unwrap();
    let at = words.iter().position(|w| w == "--instance-name").unwrap();
    assert_eq!(words[at + 1], name);
    let curl = read_curl(&code(&s, SnippetLanguage::Curl)).unwrap();
    assert_eq!(curl.body, body);
}

#[test]
fn cli_values_that_look_like_options_or_files_go_through_cli_input_json() {
    for name in ["-abc", "file:///etc/passwd", "https://example.com/x"] {
        let body = serde_json::json!({"instanceName": name, "force": true}).to_string();
        let s = snippets(&lightsail("StopInstance", &body), None);
        let cli = code(&s, SnippetLanguage::AwsCli);
        let words = shell_words(&cli).unwrap();
        let at = words.iter().position(|w| w == "--cli-input-json").unwrap_or_else(|| panic!("{cli}"));
        let json: Value = serde_json::from_str::<Value>(&words[at + 1]).unwrap();
        assert_eq!(json, serde_json::json!({"instanceName": name, "force": true}));
        assert!(!words.contains(&"--instance-name".to_string()));
    }
}

// ---- OpenStack Nova ----

#[test]
fn nova_os_stop_with_the_token_used_directly() {
    let s = snippets(&nova_stop("a0000000-0000-4000-8000-00000000000a"), Some(PLAYGROUND));
    assert_eq!(
        languages(&s),
        [
            SnippetLanguage::Curl,
            SnippetLanguage::OpenStackCli,
            SnippetLanguage::OpenStackSdk,
            SnippetLanguage::NovaClient
        ]
    );
    assert_eq!(
        code(&s, SnippetLanguage::OpenStackCli),
        "openstack \\\n  --os-auth-type admin_token \\\n  --os-endpoint http://127.0.0.1:8080/v2.1 \\\n  \
         --os-token member-token-aaaa1111 \\\n  server stop a0000000-0000-4000-8000-00000000000a\n"
    );
    assert_eq!(
        code(&s, SnippetLanguage::OpenStackSdk),
        "import openstack\n\nconn = openstack.connect(\n    auth_type=\"admin_token\",\n    auth={\"endpoint\": \
         \"http://127.0.0.1:8080/v2.1\", \"token\": \"member-token-aaaa1111\"},\n)\nresponse = \
         conn.compute.stop_server(\"a0000000-0000-4000-8000-00000000000a\")\nprint(response)\n"
    );
    assert_eq!(
        code(&s, SnippetLanguage::NovaClient),
        "from keystoneauth1 import session\nfrom keystoneauth1.token_endpoint import Token\nfrom novaclient import \
         client\n\nauth = Token(endpoint=\"http://127.0.0.1:8080/v2.1\", token=\"member-token-aaaa1111\")\nnova = \
         client.Client(\"2.1\", session=session.Session(auth=auth))\nresponse = \
         nova.servers.stop(\"a0000000-0000-4000-8000-00000000000a\")\nprint(response)\n"
    );
}

#[test]
fn nova_real_cloud_logs_in_with_keystone() {
    let s = snippets(&nova_stop("a0000000-0000-4000-8000-00000000000a"), None);
    assert_eq!(
        code(&s, SnippetLanguage::OpenStackCli),
        "openstack server stop a0000000-0000-4000-8000-00000000000a\n"
    );
    assert!(code(&s, SnippetLanguage::OpenStackSdk).contains("conn = openstack.connect()\n"));
    let nc = code(&s, SnippetLanguage::NovaClient);
    assert!(
        nc.contains("get_plugin_loader(\"password\")") && nc.contains("os.environ[\"OS_AUTH_URL\"]"),
        "{nc}"
    );
    let curl = code(&s, SnippetLanguage::Curl);
    assert!(curl.contains("https://compute.example.com:8774/v2.1/servers/"), "{curl}");
    assert!(s[0].notes.iter().any(|n| n.contains("stands for your endpoint")));
}

#[test]
fn nova_endpoint_keeps_the_project_and_legacy_prefixes() {
    // §7: the public-cloud raw HTTP example, on the legacy /v2/{project_id} endpoint.
    let req = WireRequest::new(
        "POST",
        "/v2/b72dc11461c84102b97576ae24d2b88c/servers/0199340e-0f3e-4612-96be-6f1861b192b5/action",
    )
    .with_header("Host", "192.168.150.51:8774")
    .with_header("X-Auth-Token", "712c5401c6764878a2d706675e0a6319")
    .with_header("Content-Length", "15")
    .with_body("{ \"os-stop\" : null }");
    let s = snippets(&req, Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::NovaClient)
        .contains("Token(endpoint=\"http://127.0.0.1:8080/v2/b72dc11461c84102b97576ae24d2b88c\""));
    let curl = &s[0];
    assert!(!curl.code.contains("Content-Length") && !curl.code.contains("Host:"), "{}", curl.code);
    assert!(curl.notes.iter().any(|n| n.contains("Content-Length says 15")), "{:?}", curl.notes);
    assert!(curl.notes.iter().any(|n| n.contains("instead of 192.168.150.51:8774")), "{:?}", curl.notes);
    // Against the real cloud the Host header names the endpoint.
    let real = snippets(&req, None);
    assert!(real[0]
        .code
        .contains("'http://192.168.150.51:8774/v2/b72dc11461c84102b97576ae24d2b88c/servers/"));
    let with_project =
        WireRequest::new("GET", "/v2.1/aaaa1111/servers/detail").with_header("X-Auth-Token", "t");
    let s = snippets(&with_project, Some(PLAYGROUND));
    assert!(
        code(&s, SnippetLanguage::OpenStackCli).contains("--os-endpoint http://127.0.0.1:8080/v2.1/aaaa1111")
    );
    assert!(code(&s, SnippetLanguage::OpenStackCli).ends_with("server list --long\n"));
    assert!(code(&s, SnippetLanguage::NovaClient).contains("nova.servers.list()\n"));
    assert!(code(&s, SnippetLanguage::OpenStackSdk).contains("conn.compute.servers(details=True)"));
}

#[test]
fn nova_companions_and_microversions() {
    let show = WireRequest::new("GET", "/v2.1/servers/b0000000-0000-4000-8000-00000000000b")
        .with_header("X-Auth-Token", "t")
        .with_header("OpenStack-API-Version", "compute 2.65");
    let s = snippets(&show, Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::OpenStackCli)
        .contains("--os-compute-api-version 2.65 \\\n  server show b0000000"));
    assert!(code(&s, SnippetLanguage::NovaClient).contains("client.Client(\"2.65\""));
    assert!(code(&s, SnippetLanguage::NovaClient)
        .contains("nova.servers.get(\"b0000000-0000-4000-8000-00000000000b\")"));
    assert!(code(&s, SnippetLanguage::OpenStackSdk).contains("conn.compute.get_server("));
    let start = WireRequest::new("POST", "/v2.1/servers/b/action")
        .with_header("X-Auth-Token", "t")
        .with_header("X-OpenStack-Nova-API-Version", "2.100")
        .with_body("{\"os-start\": {}}");
    let s = snippets(&start, Some(PLAYGROUND));
    // novaclient 18 stops at 2.96.
    assert_eq!(
        languages(&s),
        [SnippetLanguage::Curl, SnippetLanguage::OpenStackCli, SnippetLanguage::OpenStackSdk]
    );
    assert!(s[0].notes.iter().any(|n| n.contains("2.96")));
    assert!(code(&s, SnippetLanguage::OpenStackCli).contains("server start b"));
    assert!(code(&s, SnippetLanguage::OpenStackSdk).contains("conn.compute.start_server(\"b\")"));
    assert!(s[1].notes.iter().any(|n| n.contains("ignores the value")), "{:?}", s[1].notes);
    let list = WireRequest::new("GET", "/servers").with_header("X-Auth-Token", "t");
    let s = snippets(&list, Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::NovaClient).contains("Token(endpoint=\"http://127.0.0.1:8080\""));
    assert!(code(&s, SnippetLanguage::NovaClient).contains("nova.servers.list(detailed=False)"));
}

#[test]
fn nova_ids_that_look_like_options() {
    let s = snippets(&nova_stop("-x"), Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::OpenStackCli).ends_with("server stop -- -x\n"));
}

fn nova_action(body: &str, microversion: Option<&str>) -> WireRequest {
    let req = WireRequest::new("POST", "/v2.1/servers/a0000000-0000-4000-8000-00000000000a/action")
        .with_header("X-Auth-Token", "member-token-aaaa1111")
        .with_header("Content-Type", "application/json")
        .with_body(body);
    match microversion {
        Some(v) => req.with_header("OpenStack-API-Version", &format!("compute {v}")),
        None => req,
    }
}

/// Spec §3.7: lock and unlock in each client, the reason only where Nova reads it (2.73 and later).
#[test]
fn nova_lock_and_unlock_in_every_client() {
    let a = "\"a0000000-0000-4000-8000-00000000000a\"";
    let s = snippets(&nova_action("{\"lock\": null}", None), Some(PLAYGROUND));
    assert_eq!(s.len(), 4, "{s:#?}");
    assert!(code(&s, SnippetLanguage::OpenStackCli)
        .ends_with("server lock a0000000-0000-4000-8000-00000000000a\n"));
    assert!(code(&s, SnippetLanguage::OpenStackSdk).contains(&format!("conn.compute.lock_server({a})\n")));
    assert!(code(&s, SnippetLanguage::NovaClient).contains(&format!("nova.servers.lock({a})\n")));
    // Tempest's {"lock": {}} is the same lock.
    let s = snippets(&nova_action("{\"lock\": {}}", None), Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::NovaClient).contains(&format!("nova.servers.lock({a})\n")));
    assert!(s[1].notes.iter().any(|n| n.contains("reads {} the same way")), "{:?}", s[1].notes);

    let s = snippets(&nova_action("{\"unlock\": null}", None), Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::OpenStackCli)
        .ends_with("server unlock a0000000-0000-4000-8000-00000000000a\n"));
    assert!(code(&s, SnippetLanguage::OpenStackSdk).contains(&format!("conn.compute.unlock_server({a})\n")));
    assert!(code(&s, SnippetLanguage::NovaClient).contains(&format!("nova.servers.unlock({a})\n")));

    let body = "{\"lock\": {\"locked_reason\": \"I don't want to work\"}}";
    let s = snippets(&nova_action(body, Some("2.73")), Some(PLAYGROUND));
    assert_eq!(s.len(), 4, "{s:#?}");
    assert!(code(&s, SnippetLanguage::OpenStackCli).contains(
        "--os-compute-api-version 2.73 \\\n  server lock --reason 'I don'\\''t want to work' a0000000"
    ));
    assert!(code(&s, SnippetLanguage::OpenStackSdk)
        .contains(&format!("conn.compute.lock_server({a}, locked_reason=\"I don't want to work\")")));
    let nc = code(&s, SnippetLanguage::NovaClient);
    assert!(nc.contains("client.Client(\"2.73\"") && nc.contains("reason=\"I don't want to work\")"), "{nc}");

    // Below 2.73 Nova drops the reason, and no client sends one there.
    for microversion in [None, Some("2.72")] {
        let s = snippets(&nova_action(body, microversion), Some(PLAYGROUND));
        assert_eq!(languages(&s), [SnippetLanguage::Curl], "{microversion:?}");
        assert!(s[0].notes.iter().any(|n| n.contains("drops a locked_reason below microversion 2.73")));
    }
    // From 2.73 the schema refuses other shapes; below it they are a lock without a reason.
    let s = snippets(&nova_action("{\"lock\": \"now\"}", Some("2.73")), Some(PLAYGROUND));
    assert_eq!(languages(&s), [SnippetLanguage::Curl]);
    let s = snippets(&nova_action("{\"lock\": \"now\"}", Some("2.72")), Some(PLAYGROUND));
    assert!(code(&s, SnippetLanguage::OpenStackSdk).contains(&format!("conn.compute.lock_server({a})\n")));
    // An empty reason: only openstacksdk sends it (the others drop it, and Nova's answer would differ).
    let s = snippets(&nova_action("{\"lock\": {\"locked_reason\": \"\"}}", Some("2.73")), Some(PLAYGROUND));
    assert_eq!(languages(&s), [SnippetLanguage::Curl, SnippetLanguage::OpenStackSdk]);
    // `latest`: novaclient would send 2.1, where it takes no reason.
    let s = snippets(&nova_action(body, Some("latest")), Some(PLAYGROUND));
    assert_eq!(
        languages(&s),
        [SnippetLanguage::Curl, SnippetLanguage::OpenStackCli, SnippetLanguage::OpenStackSdk]
    );
}

/// The slugs are the names the `snippets` example writes as `"language"` and `compat/test_snippets.py`
/// selects by: each language has its own, and they are exactly these (a rename breaks those readers).
#[test]
fn language_slugs_are_the_stable_names_the_example_writes() {
    let s = snippet(&nova_stop("a"), None, SnippetLanguage::NovaClient).unwrap();
    assert_eq!(s.language.slug(), "novaclient");
    let slugs: Vec<&str> = SnippetLanguage::ALL.iter().map(|l| l.slug()).collect();
    assert_eq!(
        slugs,
        ["curl", "aws-cli", "boto3", "js-v3", "rust-sdk", "openstack-cli", "openstacksdk", "novaclient"]
    );
    for l in SnippetLanguage::ALL {
        assert_eq!(SnippetLanguage::ALL.iter().filter(|m| m.slug() == l.slug()).count(), 1);
        assert!(!l.label().is_empty() && !l.syntax().is_empty());
    }
}

// ---- curl round trip (shell level) ----

#[test]
fn curl_reads_back_as_the_same_request_for_spec_examples() {
    let examples = vec![
        transfer("{\"ServerId\":\"s-01234567890abcdef\"}"),
        transfer(""),
        lightsail("StopInstance", "{\"force\": false, \"instanceName\": \"WordPress-1\"}"),
        nova_stop("0199340e-0f3e-4612-96be-6f1861b192b5"),
        WireRequest::new("POST", "/servers/x/action")
            .with_header("X-Auth-Token", "f064c46a782c444cb4ba4b6434288f7c")
            .with_header("Accept", "application/json")
            .with_body("{\"os-stop\" : \"null\"}"),
        WireRequest::new("GET", "/v2.1/servers/detail?limit=2").with_header("X-Auth-Token", "t"),
        WireRequest::new(
            "POST",
            "http://transfer.us-east-1.amazonaws.com/#X-Amz-Target=TransferService.StopServer",
        )
        .with_header("accept", "application/json")
        .with_header("content-type", "application/json"),
    ];
    for req in examples {
        let s = curl_snippet(&req, Some(PLAYGROUND));
        let back = read_curl(&s.code).unwrap_or_else(|e| panic!("{e}\n{}", s.code));
        assert_eq!(without_empty_content_type(back), as_sent(&req, PLAYGROUND), "{}", s.code);
    }
}

fn header_value() -> impl Strategy<Value = String> {
    // Any text a header line can carry: no line breaks, no leading/trailing blanks (HTTP trims those).
    "[^\r\n]{0,40}".prop_map(|s| s.trim().to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn curl_round_trips_arbitrary_headers_and_bodies(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
        path in "(/[A-Za-z0-9._~%-]{0,12}){1,4}",
        headers in prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,15}", header_value()), 0..5),
        body in any::<String>(),
    ) {
        let mut req = WireRequest::new(method, &path).with_body(&body);
        for (k, v) in &headers {
            if !k.eq_ignore_ascii_case("content-type") {
                req.headers.push((k.clone(), v.clone()));
            }
        }
        let s = curl_snippet(&req, Some(PLAYGROUND));
        let back = read_curl(&s.code).map_err(|e| TestCaseError::fail(format!("{e}\n{}", s.code)))?;
        prop_assert_eq!(without_empty_content_type(back), as_sent(&req, PLAYGROUND));
    }

    #[test]
    fn snippets_never_panic(
        method in "[A-Z]{1,7}",
        target in ".{0,60}",
        headers in prop::collection::vec((".{0,12}", ".{0,30}"), 0..4),
        body in ".{0,80}",
        endpoint in prop::option::of(".{0,20}"),
    ) {
        let req = WireRequest { method, target, headers, body };
        let out = snippets(&req, endpoint.as_deref());
        prop_assert!(!out.is_empty());
        prop_assert_eq!(out[0].language, SnippetLanguage::Curl);
    }

    #[test]
    fn string_members_survive_every_language(name in any::<String>()) {
        let body = serde_json::json!({"instanceName": name, "force": true}).to_string();
        let s = snippets(&lightsail("StopInstance", &body), Some(PLAYGROUND));
        prop_assert_eq!(s.len(), 5);
        let cli = shell_words(&code(&s, SnippetLanguage::AwsCli)).map_err(TestCaseError::fail)?;
        let recovered = match cli.iter().position(|w| w == "--instance-name") {
            Some(at) => cli[at + 1].clone(),
            None => {
                let at = cli.iter().position(|w| w == "--cli-input-json").unwrap();
                let v: Value = serde_json::from_str::<Value>(&cli[at + 1]).unwrap();
                v["instanceName"].as_str().unwrap().to_string()
            }
        };
        prop_assert_eq!(&recovered, &name);
        for (language, literal) in [
            (SnippetLanguage::Boto3, quote::python(&name)),
            (SnippetLanguage::JsV3, quote::javascript(&name)),
            (SnippetLanguage::RustSdk, quote::rust(&name)),
        ] {
            let c = code(&s, language);
            prop_assert!(c.contains(&literal));
            // A literal never spans lines, so nothing after it on the line can be reached by the value.
            prop_assert!(!literal.contains('\n') && !literal.contains('\r'));
        }
    }
}
