//! One descriptor per provider ([`ProviderInfo`], from [`Provider::info`]): the facts about a service that
//! code outside the provider's own module needs (its names, the parameter that names a server, how clients
//! address it, the operations its model defines, where its reference documentation is). The page's operation
//! tables and validation, and the snippets, read these instead of matching on the provider with a `_ =>` arm
//! that would quietly give a new provider another one's data: [`Provider::info`] matches every variant, and
//! code that differs by kind of API matches every [`Api`], so a new provider or API fails to compile exactly
//! where it needs attention.
//!
//! The awsJson operations and members are the service models' (botocore `service-2.json`), limited to the
//! operations the playground simulates; `min` is botocore's client-side check (length for strings, value for
//! integers).

use crate::fleet::Provider;
use crate::providers::{aws_lightsail, aws_transfer};

/// What the rest of the project knows about one provider.
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderInfo {
    /// The provider described.
    pub provider: Provider,
    /// The product name people know (`AWS Transfer Family`).
    pub title: &'static str,
    /// A short label for tight spaces (`Transfer`).
    pub short: &'static str,
    /// Machine name (`transfer`), as used in URLs, scenario files and saved sessions.
    pub slug: &'static str,
    /// The request parameter that names a server, spelled as the API spells it (`ServerId`, `instanceName`,
    /// Nova's `{server_id}` path segment).
    pub server_param: &'static str,
    /// How the API is reached.
    pub api: Api,
}

/// The kind of API a provider speaks, with what clients need to address it.
#[derive(Debug, PartialEq, Eq)]
pub enum Api {
    /// awsJson 1.1: `POST /` with `X-Amz-Target`.
    AwsJson(AwsService),
    /// OpenStack Compute: REST paths under `/servers`, a Keystone token.
    Nova(NovaService),
}

/// An AWS service spoken in awsJson 1.1.
#[derive(Debug, PartialEq, Eq)]
pub struct AwsService {
    /// The `X-Amz-Target` prefix, with its dot (`TransferService.`).
    pub target_prefix: &'static str,
    /// The service's name in AWS tooling (`transfer`): endpoint prefix, SigV4 signing name, AWS CLI
    /// command, SDK package suffix (`@aws-sdk/client-transfer`, `aws-sdk-transfer`).
    pub name: &'static str,
    /// The region this playground uses for it unless a request names one (the scenario's default too).
    pub default_region: &'static str,
    /// The JavaScript v3 SDK's client class (`TransferClient`).
    pub sdk_client: &'static str,
    /// The API reference page of an operation is this prefix, the operation name, then `.html`.
    pub reference_prefix: &'static str,
    /// The model's operations the playground simulates.
    pub operations: &'static [AwsOperation],
}

impl AwsService {
    /// The host of the service's public endpoint in `region` (`transfer.us-east-1.amazonaws.com`).
    pub fn host(&self, region: &str) -> String {
        format!("{}.{region}.amazonaws.com", self.name)
    }

    /// The modelled operation called `name`.
    pub fn operation(&self, name: &str) -> Option<&'static AwsOperation> {
        self.operations.iter().find(|o| o.name == name)
    }

    /// The API reference page of `operation`.
    pub fn reference_url(&self, operation: &str) -> String {
        format!("{}{operation}.html", self.reference_prefix)
    }
}

/// OpenStack Compute (Nova).
#[derive(Debug, PartialEq, Eq)]
pub struct NovaService {
    /// A stand-in compute endpoint host for requests that name none (`compute.example.com:8774`).
    pub example_host: &'static str,
    /// The Compute API reference, one page with a section per call.
    pub reference: &'static str,
}

impl NovaService {
    /// The API reference section of `operation` (as the simulator names Nova's operations: `os-stop`,
    /// `lock`, `GET /servers/{id}` …): the call's own section, or the server actions' overview for an
    /// operation the playground does not model. The anchors are those Sphinx derives from the sections'
    /// titles ("Lock Server (lock Action)" → `#lock-server-lock-action`), as tempest's servers client cites
    /// them.
    pub fn reference_url(&self, operation: &str) -> String {
        let anchor = match operation {
            "os-stop" => "stop-server-os-stop-action",
            "os-start" => "start-server-os-start-action",
            "lock" => "lock-server-lock-action",
            "unlock" => "unlock-server-unlock-action",
            "GET /servers/{id}" => "show-server-details",
            "GET /servers" => "list-servers",
            "GET /servers/detail" => "list-servers-detailed",
            op if op.ends_with("(version document)") => "show-details-of-specific-api-version",
            _ => "servers-run-an-action-servers-action",
        };
        format!("{}#{anchor}", self.reference)
    }
}

/// One operation of an awsJson service model.
#[derive(Debug, PartialEq, Eq)]
pub struct AwsOperation {
    /// The operation name (`StopServer`).
    pub name: &'static str,
    /// Its input members, in the model's order.
    pub members: &'static [AwsMember],
    /// Paginated in botocore (the CLI then follows tokens unless a pagination member is given).
    pub paginated: bool,
}

/// One input member of an awsJson operation.
#[derive(Debug, PartialEq, Eq)]
pub struct AwsMember {
    /// The member name as the model spells it (`ServerId`, `instanceName`).
    pub name: &'static str,
    /// Its JSON type.
    pub kind: MemberKind,
    /// Whether the model requires it.
    pub required: bool,
    /// botocore's client-side `min` check (length for strings, value for integers).
    pub min: Option<i64>,
}

/// The JSON type of an awsJson member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberKind {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// An integer.
    Int,
}

impl Provider {
    /// The provider's descriptor.
    pub fn info(self) -> &'static ProviderInfo {
        match self {
            Provider::Transfer => &TRANSFER,
            Provider::Lightsail => &LIGHTSAIL,
            Provider::Nova => &NOVA,
        }
    }
}

impl ProviderInfo {
    /// The awsJson service, when the provider is one.
    pub fn aws(&self) -> Option<&AwsService> {
        match &self.api {
            Api::AwsJson(service) => Some(service),
            Api::Nova(_) => None,
        }
    }
}

const SERVER_ID: AwsMember =
    AwsMember { name: "ServerId", kind: MemberKind::Str, required: true, min: Some(19) };
const INSTANCE_NAME: AwsMember =
    AwsMember { name: "instanceName", kind: MemberKind::Str, required: true, min: None };

static TRANSFER: ProviderInfo = ProviderInfo {
    provider: Provider::Transfer,
    title: "AWS Transfer Family",
    short: "Transfer",
    slug: "transfer",
    server_param: "ServerId",
    api: Api::AwsJson(AwsService {
        target_prefix: aws_transfer::TARGET_PREFIX,
        name: "transfer",
        default_region: "us-east-1",
        sdk_client: "TransferClient",
        reference_prefix: "https://docs.aws.amazon.com/transfer/latest/APIReference/API_",
        operations: &[
            AwsOperation { name: "StopServer", members: &[SERVER_ID], paginated: false },
            AwsOperation { name: "StartServer", members: &[SERVER_ID], paginated: false },
            AwsOperation { name: "DescribeServer", members: &[SERVER_ID], paginated: false },
            AwsOperation {
                name: "ListServers",
                members: &[
                    AwsMember { name: "MaxResults", kind: MemberKind::Int, required: false, min: Some(1) },
                    AwsMember { name: "NextToken", kind: MemberKind::Str, required: false, min: Some(1) },
                ],
                paginated: true,
            },
        ],
    }),
};

static LIGHTSAIL: ProviderInfo = ProviderInfo {
    provider: Provider::Lightsail,
    title: "Amazon Lightsail",
    short: "Lightsail",
    slug: "lightsail",
    server_param: "instanceName",
    api: Api::AwsJson(AwsService {
        target_prefix: aws_lightsail::TARGET_PREFIX,
        name: "lightsail",
        default_region: "us-west-2",
        sdk_client: "LightsailClient",
        reference_prefix: "https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_",
        operations: &[
            AwsOperation {
                name: "StopInstance",
                members: &[
                    INSTANCE_NAME,
                    AwsMember { name: "force", kind: MemberKind::Bool, required: false, min: None },
                ],
                paginated: false,
            },
            AwsOperation { name: "StartInstance", members: &[INSTANCE_NAME], paginated: false },
            AwsOperation { name: "GetInstance", members: &[INSTANCE_NAME], paginated: false },
            AwsOperation { name: "GetInstanceState", members: &[INSTANCE_NAME], paginated: false },
            AwsOperation {
                name: "GetInstances",
                members: &[AwsMember {
                    name: "pageToken",
                    kind: MemberKind::Str,
                    required: false,
                    min: None,
                }],
                paginated: true,
            },
            AwsOperation {
                name: "GetOperation",
                members: &[AwsMember {
                    name: "operationId",
                    kind: MemberKind::Str,
                    required: true,
                    min: None,
                }],
                paginated: false,
            },
        ],
    }),
};

static NOVA: ProviderInfo = ProviderInfo {
    provider: Provider::Nova,
    title: "OpenStack Nova",
    short: "Nova",
    slug: "nova",
    server_param: "server_id",
    api: Api::Nova(NovaService {
        example_host: "compute.example.com:8774",
        reference: "https://docs.openstack.org/api-ref/compute/",
    }),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Settings;

    #[test]
    fn every_descriptor_describes_its_own_provider() {
        for p in Provider::ALL {
            assert_eq!(p.info().provider, p);
            assert_eq!(Provider::from_slug(p.info().slug), Some(p));
        }
    }

    /// The snippets' default region is the one the scenario's settings default to, so a snippet for the
    /// playground and the simulated service agree.
    #[test]
    fn default_regions_are_the_scenarios() {
        let settings = Settings::default();
        let aws = |p: Provider| p.info().aws().expect("an AWS service");
        assert_eq!(aws(Provider::Transfer).default_region, settings.transfer.region);
        assert_eq!(aws(Provider::Lightsail).default_region, settings.lightsail.region);
        assert!(Provider::Nova.info().aws().is_none());
    }

    /// Each Nova operation the simulator answers links to its own section of the Compute API reference.
    #[test]
    fn nova_operations_link_to_their_own_reference_sections() {
        let Api::Nova(nova) = &Provider::Nova.info().api else { panic!("Nova's API") };
        let a = "a0000000-0000-4000-8000-00000000000a";
        let mut sim = crate::Sim::builtin(1);
        let mut send = |method: &str, path: &str, body: &str| {
            let ex = sim.handle(
                crate::WireRequest::new(method, path)
                    .with_header("X-Auth-Token", "member-token-aaaa1111")
                    .with_header("Content-Type", "application/json")
                    .with_body(body),
            );
            ex.operation.unwrap_or_default()
        };
        let action = format!("/v2.1/servers/{a}/action");
        let cases = [
            (send("POST", &action, r#"{"lock": null}"#), "#lock-server-lock-action"),
            (send("POST", &action, r#"{"unlock": null}"#), "#unlock-server-unlock-action"),
            (send("POST", &action, r#"{"os-stop": null}"#), "#stop-server-os-stop-action"),
            (send("POST", &action, r#"{"os-start": null}"#), "#start-server-os-start-action"),
            (send("GET", &format!("/v2.1/servers/{a}"), ""), "#show-server-details"),
            (send("GET", "/v2.1/servers", ""), "#list-servers"),
            (send("GET", "/v2.1/servers/detail", ""), "#list-servers-detailed"),
            (send("GET", "/v2.1", ""), "#show-details-of-specific-api-version"),
            (
                send("POST", &action, r#"{"reboot": {"type": "SOFT"}}"#),
                "#servers-run-an-action-servers-action",
            ),
        ];
        for (operation, anchor) in cases {
            assert_eq!(
                nova.reference_url(&operation),
                format!("https://docs.openstack.org/api-ref/compute/{anchor}"),
                "{operation}"
            );
        }
    }

    /// Every operation the descriptor models is one the simulated service recognises.
    #[test]
    fn modelled_operations_are_the_simulators() {
        for p in Provider::ALL {
            let Some(aws) = p.info().aws() else { continue };
            for op in aws.operations {
                let ex = crate::Sim::builtin(1).handle(
                    crate::WireRequest::new("POST", "/")
                        .with_header("Content-Type", crate::providers::aws_json::CONTENT_TYPE)
                        .with_header("X-Amz-Target", &format!("{}{}", aws.target_prefix, op.name))
                        .with_body("{}"),
                );
                assert_eq!(ex.provider, Some(p), "{}", op.name);
                assert_eq!(ex.operation.as_deref(), Some(op.name), "{p:?}");
            }
        }
    }
}
