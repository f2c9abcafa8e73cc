//! The fleetplay web app (placeholder).
