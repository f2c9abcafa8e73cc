//! Recognising a request as a Lightsail operation: the awsJson 1.1 framing (`POST /`, the protocol's
//! content type) and `X-Amz-Target: Lightsail_20161128.{Operation}` naming one of the operations the
//! simulator models. What is Lightsail's own is here (its prefix, its operations, the real ones it does
//! not model); the routing itself is the one every awsJson service shares ([`aws_json::route`]). Bodies
//! are read by `responses/input.rs`, once the operation is known.

use crate::providers::aws_json::{self, AwsJsonOperation, Unrouted};
use crate::wire::WireRequest;

/// The `X-Amz-Target` prefix of this service.
pub const TARGET_PREFIX: &str = "Lightsail_20161128.";

/// The operation a request is routed to: one the simulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
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

impl AwsJsonOperation for Route {
    const TARGET_PREFIX: &'static str = TARGET_PREFIX;
    const ALL: &'static [Route] = &[
        Route::StopInstance,
        Route::StartInstance,
        Route::GetInstance,
        Route::GetInstances,
        Route::GetInstanceState,
        Route::GetOperation,
    ];
    /// From the module doc; `GetOperationsForResource` is in the spec's CLI-LS sources.
    const NOT_MODELLED: &'static [&'static str] =
        &["RebootInstance", "GetOperations", "GetOperationsForResource"];

    fn name(self) -> &'static str {
        match self {
            Route::StopInstance => "StopInstance",
            Route::StartInstance => "StartInstance",
            Route::GetInstance => "GetInstance",
            Route::GetInstances => "GetInstances",
            Route::GetInstanceState => "GetInstanceState",
            Route::GetOperation => "GetOperation",
        }
    }
}

/// The operation `req` asks for.
pub fn route(req: &WireRequest) -> Result<Route, Unrouted<'_>> {
    aws_json::route(req)
}
