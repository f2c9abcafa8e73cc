//! Recognising a request as a Transfer Family operation: the awsJson 1.1 framing (`POST /`, the protocol's
//! content type) and `X-Amz-Target: TransferService.{Operation}` naming one of the operations the simulator
//! models. What is Transfer's own is here (its prefix, its operations, the real ones it does not model);
//! the routing itself is the one every awsJson service shares ([`aws_json::route`]). Bodies are read by
//! `responses.rs`, once the operation is known.

use crate::providers::aws_json::{self, AwsJsonOperation, Unrouted};
use crate::wire::WireRequest;

/// The `X-Amz-Target` prefix of this service.
pub const TARGET_PREFIX: &str = "TransferService.";

/// The operation a request is routed to: one the simulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `StopServer` (no output).
    StopServer,
    /// `StartServer` (no output).
    StartServer,
    /// `DescribeServer` → `{"Server": DescribedServer}`.
    DescribeServer,
    /// `ListServers` → `{"Servers": [ListedServer], "NextToken"?}`.
    ListServers,
}

impl AwsJsonOperation for Route {
    const TARGET_PREFIX: &'static str = TARGET_PREFIX;
    const ALL: &'static [Route] =
        &[Route::StopServer, Route::StartServer, Route::DescribeServer, Route::ListServers];
    /// `CreateServer` and `DeleteServer` are in the spec's §1.4, `UpdateServer` in the module doc.
    const NOT_MODELLED: &'static [&'static str] = &["CreateServer", "DeleteServer", "UpdateServer"];

    fn name(self) -> &'static str {
        match self {
            Route::StopServer => "StopServer",
            Route::StartServer => "StartServer",
            Route::DescribeServer => "DescribeServer",
            Route::ListServers => "ListServers",
        }
    }
}

/// The operation `req` asks for.
pub fn route(req: &WireRequest) -> Result<Route, Unrouted<'_>> {
    aws_json::route(req)
}
