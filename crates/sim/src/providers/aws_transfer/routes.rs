//! Recognising a request as a Transfer Family operation: the awsJson 1.1 framing (`POST /`, the protocol's
//! content type) and `X-Amz-Target: TransferService.{Operation}` naming one of the operations the simulator
//! models. Bodies are read by `responses.rs`, once the operation is known.

use crate::providers::aws_json::{self, Unclaimed};
use crate::wire::WireRequest;

/// The `X-Amz-Target` prefix of this service.
pub const TARGET_PREFIX: &str = "TransferService.";

/// Real Transfer Family operations the simulator does not model (`CreateServer` and `DeleteServer` in the
/// spec's §1.4, `UpdateServer` in the module doc): the diagnosis says the real service would carry them out
/// rather than calling them a typo of a modelled one.
pub const NOT_MODELLED: [&str; 3] = ["CreateServer", "DeleteServer", "UpdateServer"];

/// The operations this simulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// `StopServer` (no output).
    StopServer,
    /// `StartServer` (no output).
    StartServer,
    /// `DescribeServer` → `{"Server": DescribedServer}`.
    DescribeServer,
    /// `ListServers` → `{"Servers": [ListedServer], "NextToken"?}`.
    ListServers,
}

impl Operation {
    /// Every modelled operation.
    pub const ALL: [Operation; 4] =
        [Operation::StopServer, Operation::StartServer, Operation::DescribeServer, Operation::ListServers];

    /// The operation named after the target prefix, if it is one of ours.
    pub fn parse(name: &str) -> Option<Operation> {
        match name {
            "StopServer" => Some(Operation::StopServer),
            "StartServer" => Some(Operation::StartServer),
            "DescribeServer" => Some(Operation::DescribeServer),
            "ListServers" => Some(Operation::ListServers),
            _ => None,
        }
    }

    /// The operation's name as the model spells it.
    pub fn name(self) -> &'static str {
        match self {
            Operation::StopServer => "StopServer",
            Operation::StartServer => "StartServer",
            Operation::DescribeServer => "DescribeServer",
            Operation::ListServers => "ListServers",
        }
    }
}

/// Why a request is not one of the modelled operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unrouted<'r> {
    /// Not an awsJson request for this service (method, path, content type, target prefix).
    Unclaimed(Unclaimed),
    /// A `TransferService.` target naming an operation the simulator does not model (the name after the
    /// prefix).
    UnknownOperation(&'r str),
}

/// The operation `req` asks for.
pub fn route(req: &WireRequest) -> Result<Operation, Unrouted<'_>> {
    let name = aws_json::claim(req, TARGET_PREFIX).map_err(Unrouted::Unclaimed)?;
    Operation::parse(name).ok_or(Unrouted::UnknownOperation(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_modelled_operations() {
        let req = |target: &str| {
            WireRequest::new("POST", "/")
                .with_header("Content-Type", aws_json::CONTENT_TYPE)
                .with_header("X-Amz-Target", target)
        };
        assert_eq!(route(&req("TransferService.StopServer")), Ok(Operation::StopServer));
        assert_eq!(
            route(&req("TransferService.StopServers")),
            Err(Unrouted::UnknownOperation("StopServers"))
        );
        assert!(matches!(route(&req("Lightsail_20161128.StopInstance")), Err(Unrouted::Unclaimed(_))));
        for op in Operation::ALL {
            assert_eq!(Operation::parse(op.name()), Some(op));
        }
    }
}
