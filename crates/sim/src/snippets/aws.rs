//! AWS Transfer Family and Lightsail: recognising an awsJson call, and writing it for the AWS CLI, boto3 and
//! the AWS SDKs for JavaScript v3 and Rust.
//!
//! The operations and members are the service models' (botocore `service-2.json`), from the provider's
//! descriptor (`crate::provider_info`), limited to the operations the playground simulates. Names are derived the way each client derives them: the CLI and
//! Python use snake/kebab case of the model names (`StopServer` → `stop-server`, `stop_server`), Python
//! keyword arguments and JavaScript members keep the model's spelling (`ServerId`, `instanceName`), and the
//! Rust SDK uses snake-case setters (`.server_id(…)`).

use super::{body_object, lead_with, quote, region_for, AwsCall, Param, Snippet, SnippetLanguage};
use crate::fleet::Provider;
use crate::provider_info::{AwsOperation, AwsService, MemberKind};
use crate::providers::aws_json;
use crate::wire::WireRequest;
use serde_json::Value;

/// `StopServer` → `stop_server`, `instanceName` → `instance_name`.
pub(super) fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

fn kebab(name: &str) -> String {
    snake(name).replace('_', "-")
}

fn kind_name(kind: MemberKind) -> &'static str {
    match kind {
        MemberKind::Str => "a string",
        MemberKind::Bool => "a boolean",
        MemberKind::Int => "an integer",
    }
}

/// Recognises an awsJson request of `provider` (whose service is `service`) as a call clients can make.
pub(super) fn recognise(
    req: &WireRequest,
    provider: Provider,
    service: &'static AwsService,
) -> Result<AwsCall, String> {
    let name = aws_json::claim(req, service.target_prefix).map_err(|u| u.explain())?;
    let op = service.operation(name).ok_or_else(|| {
        let known: Vec<&str> = service.operations.iter().map(|o| o.name).collect();
        format!(
            "{name:?} is not an operation of {} the playground simulates ({}).",
            provider.title(),
            known.join(", ")
        )
    })?;
    let body = body_object(&req.body)?;
    let mut notes = Vec::new();
    if req.body.trim().is_empty() {
        notes.push(
            "SDKs send `{}` where this request has an empty body; the service reads both alike.".into(),
        );
    }
    if let Some(ct) = req.header("Content-Type") {
        if ct.trim() != aws_json::CONTENT_TYPE {
            notes.push(format!(
                "SDKs send Content-Type {} rather than {ct:?}; the service treats both alike.",
                aws_json::CONTENT_TYPE
            ));
        }
    }
    for key in body.keys() {
        if !op.members.iter().any(|m| m.name == key) {
            let members: Vec<&str> = op.members.iter().map(|m| m.name).collect();
            return Err(format!(
                "{key:?} is not a member of {}Request ({}); SDKs only send modelled members.",
                op.name,
                if members.is_empty() { "it has none".to_string() } else { members.join(", ") }
            ));
        }
    }
    let mut params = Vec::new();
    let mut botocore_refuses = None;
    for m in op.members {
        let Some(value) = body.get(m.name) else {
            if m.required {
                return Err(format!(
                    "{} is required by {}, and every SDK refuses to send the request without it.",
                    m.name, op.name
                ));
            }
            continue;
        };
        let param = match (m.kind, value) {
            (MemberKind::Str, Value::String(s)) => Param::Str(s.clone()),
            (MemberKind::Bool, Value::Bool(b)) => Param::Bool(*b),
            (MemberKind::Int, Value::Number(n)) => match n.as_i64().filter(|i| i32::try_from(*i).is_ok()) {
                Some(i) => Param::Int(i),
                None => {
                    return Err(format!("{} is {n}, which is not a 32-bit integer as SDKs type it.", m.name))
                }
            },
            (kind, other) => {
                return Err(format!(
                    "{} is {} ({}), but the model types it as {}; SDKs cannot send that.",
                    m.name,
                    aws_json::json_kind(other),
                    other,
                    kind_name(kind)
                ))
            }
        };
        if let Some(min) = m.min {
            let (measure, what) = match &param {
                Param::Str(s) => (s.chars().count() as i64, "length"),
                Param::Int(i) => (*i, "value"),
                Param::Bool(_) => (min, "value"),
            };
            if measure < min && botocore_refuses.is_none() {
                botocore_refuses = Some(format!(
                    "botocore checks minimums before sending and raises ParamValidationError: {} has {what} \
                     {measure}, valid min {what} {min}",
                    m.name
                ));
            }
        }
        params.push((m.name, param));
    }
    let (region, region_from_request) = region_for(req, service);
    Ok(AwsCall {
        provider,
        service,
        operation: op.name,
        params,
        region,
        region_from_request,
        botocore_refuses,
        notes,
    })
}

fn operation(call: &AwsCall) -> Option<&'static AwsOperation> {
    call.service.operation(call.operation)
}

const DUMMY_KEY: &str = "fleetplay";

const RETRY_NOTE: &str =
    "The SDK retries throttling errors and 5xx answers by itself before giving up, so one \
                          call can send several requests.";

/// The AWS CLI, boto3, JavaScript v3 and Rust snippets for `call`.
pub(super) fn snippets(call: &AwsCall, endpoint: Option<&str>, curl_notes: &mut Vec<String>) -> Vec<Snippet> {
    let mut out = Vec::new();
    match &call.botocore_refuses {
        Some(why) => curl_notes.push(format!(
            "No AWS CLI or boto3 snippet: {why}, so neither can send this request (the JavaScript and Rust \
             SDKs do not check lengths and can)."
        )),
        None => {
            out.push(aws_cli(call, endpoint));
            out.push(boto3(call, endpoint));
        }
    }
    out.push(javascript(call, endpoint));
    out.push(rust(call, endpoint));
    lead_with(&call.notes, &mut out);
    out
}

/// A value the AWS CLI would not take literally as an argument: it loads `file://…` and `fileb://…` (and,
/// in v1, `http(s)://…`) values from there, and reads a leading `-` as an option.
fn cli_unsafe(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.starts_with('-')
        || ["file://", "fileb://", "http://", "https://"].iter().any(|p| lower.starts_with(p))
}

fn params_json(call: &AwsCall) -> String {
    let mut map = aws_json::Object::new();
    for (name, p) in &call.params {
        let v = match p {
            Param::Str(s) => Value::String(s.clone()),
            Param::Bool(b) => Value::Bool(*b),
            Param::Int(i) => Value::from(*i),
        };
        map.insert(name.to_string(), v);
    }
    Value::Object(map).to_string()
}

fn aws_cli(call: &AwsCall, endpoint: Option<&str>) -> Snippet {
    let mut notes = Vec::new();
    let mut first = String::new();
    if endpoint.is_some() {
        first.push_str(&format!("AWS_ACCESS_KEY_ID={DUMMY_KEY} AWS_SECRET_ACCESS_KEY={DUMMY_KEY} "));
    }
    first.push_str(&format!("aws {} {}", call.service.name, kebab(call.operation)));
    let mut lines = vec![first];
    let literal = call.params.iter().any(|(_, p)| matches!(p, Param::Str(s) if cli_unsafe(s)));
    if literal {
        lines.push(format!("--cli-input-json {}", quote::shell_quoted(&params_json(call))));
        notes.push(
            "A value starts with '-' or a URL scheme, which the CLI would read as an option or load from \
             that location, so the members are passed as JSON with --cli-input-json."
                .to_string(),
        );
    } else {
        for (name, p) in &call.params {
            let flag = kebab(name);
            lines.push(match p {
                Param::Str(s) => format!("--{flag} {}", quote::shell(s)),
                Param::Bool(true) => format!("--{flag}"),
                Param::Bool(false) => format!("--no-{flag}"),
                Param::Int(i) => format!("--{flag} {i}"),
            });
        }
    }
    if endpoint.is_some() || call.region_from_request {
        lines.push(format!("--region {}", call.region));
    }
    if let Some(e) = endpoint {
        lines.push(format!("--endpoint-url {}", quote::shell(e)));
        notes.push(format!(
            "The playground does not check signatures; the dummy keys ({DUMMY_KEY}) keep your own credentials \
             out of it."
        ));
    }
    if operation(call).is_some_and(|o| o.paginated) {
        if call.params.is_empty() {
            notes.push(
                "The CLI paginates this operation: if the answer carries a token it sends follow-up requests \
                 and prints all pages as one."
                    .to_string(),
            );
        } else {
            notes.push(
                "Pagination members are hidden from the CLI's help but accepted; giving one turns the CLI's \
                 own pagination off, so exactly one request is sent."
                    .to_string(),
            );
        }
    }
    notes.push(RETRY_NOTE.to_string());
    Snippet::new(SnippetLanguage::AwsCli, format!("{}\n", lines.join(" \\\n  ")), notes)
}

fn python_value(p: &Param) -> String {
    match p {
        Param::Str(s) => quote::python(s),
        Param::Bool(true) => "True".to_string(),
        Param::Bool(false) => "False".to_string(),
        Param::Int(i) => i.to_string(),
    }
}

fn boto3(call: &AwsCall, endpoint: Option<&str>) -> Snippet {
    let svc = quote::python(call.service.name);
    let mut code = String::from("import boto3\n\n");
    match endpoint {
        Some(e) => {
            code.push_str("client = boto3.client(\n");
            code.push_str(&format!("    {svc},\n"));
            code.push_str(&format!("    region_name={},\n", quote::python(&call.region)));
            code.push_str(&format!("    endpoint_url={},\n", quote::python(e)));
            code.push_str(&format!("    aws_access_key_id={},\n", quote::python(DUMMY_KEY)));
            code.push_str(&format!("    aws_secret_access_key={},\n", quote::python(DUMMY_KEY)));
            code.push_str(")\n");
        }
        None if call.region_from_request => code.push_str(&format!(
            "client = boto3.client({svc}, region_name={})\n",
            quote::python(&call.region)
        )),
        None => code.push_str(&format!("client = boto3.client({svc})\n")),
    }
    let args: Vec<String> = call.params.iter().map(|(n, p)| format!("{n}={}", python_value(p))).collect();
    code.push_str(&format!("response = client.{}({})\n", snake(call.operation), args.join(", ")));
    code.push_str("print(response)\n");
    let notes = vec![
        "An error answer raises botocore.exceptions.ClientError; e.response[\"Error\"][\"Code\"] is the \
         __type the service sent."
            .to_string(),
        RETRY_NOTE.to_string(),
    ];
    Snippet::new(SnippetLanguage::Boto3, code, notes)
}

fn js_value(p: &Param) -> String {
    match p {
        Param::Str(s) => quote::javascript(s),
        Param::Bool(b) => b.to_string(),
        Param::Int(i) => i.to_string(),
    }
}

fn javascript(call: &AwsCall, endpoint: Option<&str>) -> Snippet {
    let class = call.service.sdk_client;
    let command = format!("{}Command", call.operation);
    let mut code = format!(
        "import {{ {class}, {command} }} from {};\n\n",
        quote::javascript(&format!("@aws-sdk/client-{}", call.service.name))
    );
    match endpoint {
        Some(e) => {
            code.push_str(&format!("const client = new {class}({{\n"));
            code.push_str(&format!("  region: {},\n", quote::javascript(&call.region)));
            code.push_str(&format!("  endpoint: {},\n", quote::javascript(e)));
            code.push_str(&format!(
                "  credentials: {{ accessKeyId: {k}, secretAccessKey: {k} }},\n",
                k = quote::javascript(DUMMY_KEY)
            ));
            code.push_str("});\n");
        }
        None if call.region_from_request => code.push_str(&format!(
            "const client = new {class}({{ region: {} }});\n",
            quote::javascript(&call.region)
        )),
        None => code.push_str(&format!("const client = new {class}({{}});\n")),
    }
    let input = if call.params.is_empty() {
        "{}".to_string()
    } else {
        let members: Vec<String> = call.params.iter().map(|(n, p)| format!("{n}: {}", js_value(p))).collect();
        format!("{{ {} }}", members.join(", "))
    };
    code.push_str(&format!("\nconst response = await client.send(new {command}({input}));\n"));
    code.push_str("console.log(response);\n");
    let notes = vec![
        format!(
            "Needs `npm install @aws-sdk/client-{}`; save as an .mjs file (top-level await) and run with node.",
            call.service.name
        ),
        RETRY_NOTE.to_string(),
    ];
    Snippet::new(SnippetLanguage::JsV3, code, notes)
}

fn rust_value(p: &Param) -> String {
    match p {
        Param::Str(s) => quote::rust(s),
        Param::Bool(b) => b.to_string(),
        Param::Int(i) => i.to_string(),
    }
}

fn rust(call: &AwsCall, endpoint: Option<&str>) -> Snippet {
    let krate = format!("aws_sdk_{}", call.service.name);
    let mut code = String::from("use aws_config::BehaviorVersion;\n");
    if endpoint.is_some() {
        code.push_str(&format!("use {krate}::config::Credentials;\n"));
    }
    code.push_str(&format!(
        "\n#[tokio::main]\nasync fn main() -> Result<(), {krate}::Error> {{\n    let config = \
         aws_config::defaults(BehaviorVersion::latest())\n"
    ));
    if endpoint.is_some() || call.region_from_request {
        code.push_str(&format!("        .region({})\n", quote::rust(&call.region)));
    }
    if let Some(e) = endpoint {
        code.push_str(&format!("        .endpoint_url({})\n", quote::rust(e)));
        code.push_str(&format!(
            "        .credentials_provider(Credentials::new({k}, {k}, None, None, {k}))\n",
            k = quote::rust(DUMMY_KEY)
        ));
    }
    code.push_str("        .load()\n        .await;\n");
    code.push_str(&format!("    let client = {krate}::Client::new(&config);\n"));
    code.push_str(&format!("    let response = client\n        .{}()\n", snake(call.operation)));
    for (name, p) in &call.params {
        code.push_str(&format!("        .{}({})\n", snake(name), rust_value(p)));
    }
    code.push_str("        .send()\n        .await?;\n    println!(\"{response:?}\");\n    Ok(())\n}\n");
    let notes = vec![
        format!("Needs `cargo add aws-config aws-sdk-{} tokio --features tokio/full`.", call.service.name),
        RETRY_NOTE.to_string(),
    ];
    Snippet::new(SnippetLanguage::RustSdk, code, notes)
}
