//! Cross-crate tests, compiled as one test binary: the generated client,
//! the OpenAPI document and the server checked against each other.

#[cfg(test)]
mod clap_source;
#[cfg(test)]
mod client_constants;
#[cfg(test)]
mod client_server;
#[cfg(test)]
mod compression_on_the_wire;
#[cfg(test)]
mod documented_commands;
#[cfg(test)]
mod feature_rule;
#[cfg(test)]
mod import_cycles;
#[cfg(test)]
mod load;
#[cfg(test)]
mod readme_example;
#[cfg(test)]
mod tidy;
