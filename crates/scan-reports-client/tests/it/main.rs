//! The client against a local mock server that replays the payloads the
//! OpenAPI document carries. One test binary for the crate, to keep link
//! times down.

mod decoding;
mod errors;
mod misbehaving;
mod mock_server;
mod schemas;
mod wait;
mod wire;
