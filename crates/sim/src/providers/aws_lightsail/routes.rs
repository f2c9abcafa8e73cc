//! Recognising a request as a Lightsail operation: the awsJson 1.1 framing (`POST /`, the protocol's
//! content type) and `X-Amz-Target: Lightsail_20161128.{Operation}` naming one of the operations the
//! simulator models. Bodies are read by `responses/input.rs`, once the operation is known.

use crate::providers::aws_json::{self, Unclaimed};
use crate::wire::WireRequest;

/// The `X-Amz-Target` prefix of this service.
pub const TARGET_PREFIX: &str = "Lightsail_20161128.";

/// The operations the simulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `StopInstance`.
    StopInstance,
    /// `StartInstance`.
    StartInstance,
    /// `GetInstance`.
    GetInstance,
    /// `GetInstances`.
    GetInstances,
    /// `GetInstanceState`.
    GetInstanceState,
    /// `GetOperation`.
    GetOperation,
}

impl Op {
    /// Every modelled operation.
    pub const ALL: [Op; 6] = [
        Op::StopInstance,
        Op::StartInstance,
        Op::GetInstance,
        Op::GetInstances,
        Op::GetInstanceState,
        Op::GetOperation,
    ];

    /// The operation name (the part of `X-Amz-Target` after the prefix).
    pub fn name(self) -> &'static str {
        match self {
            Op::StopInstance => "StopInstance",
            Op::StartInstance => "StartInstance",
            Op::GetInstance => "GetInstance",
            Op::GetInstances => "GetInstances",
            Op::GetInstanceState => "GetInstanceState",
            Op::GetOperation => "GetOperation",
        }
    }

    /// Exact, case-sensitive lookup.
    pub fn parse(name: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.name() == name)
    }
}

/// Real Lightsail operations the simulator does not model (module doc; `GetOperationsForResource` is in the
/// spec's CLI-LS sources): the diagnosis says the real service would carry them out rather than calling them
/// a typo of a modelled one.
pub const NOT_MODELLED: [&str; 3] = ["RebootInstance", "GetOperations", "GetOperationsForResource"];

/// Why a request is not one of the modelled operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unrouted<'r> {
    /// Not an awsJson request for this service (method, path, content type, target prefix).
    Unclaimed(Unclaimed),
    /// A `Lightsail_20161128.` target naming an operation the simulator does not model (the name after the
    /// prefix).
    UnknownOperation(&'r str),
}

/// The operation `req` asks for.
pub fn route(req: &WireRequest) -> Result<Op, Unrouted<'_>> {
    let name = aws_json::claim(req, TARGET_PREFIX).map_err(Unrouted::Unclaimed)?;
    Op::parse(name).ok_or(Unrouted::UnknownOperation(name))
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
        assert_eq!(route(&req("Lightsail_20161128.StopInstance")), Ok(Op::StopInstance));
        assert_eq!(
            route(&req("Lightsail_20161128.stopInstance")),
            Err(Unrouted::UnknownOperation("stopInstance"))
        );
        assert!(matches!(route(&req("TransferService.StopServer")), Err(Unrouted::Unclaimed(_))));
        for op in Op::ALL {
            assert_eq!(Op::parse(op.name()), Some(op));
        }
    }
}
