//! Compressed answers decoded by decoders of their own, not the server's
//! encoders, so that a test sees what any client would.

use std::io::Read;

/// `bytes` decoded from the `Content-Encoding` `encoding` (`zstd`, `br` or
/// `gzip`).
pub fn decoded(encoding: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut plain = Vec::new();
    let read = match encoding {
        "zstd" => zstd::stream::read::Decoder::new(bytes)
            .and_then(|mut decoder| decoder.read_to_end(&mut plain)),
        "br" => brotli::Decompressor::new(bytes, 64 * 1024).read_to_end(&mut plain),
        "gzip" => flate2::read::GzDecoder::new(bytes).read_to_end(&mut plain),
        other => return Err(format!("no decoder for Content-Encoding {other:?}")),
    };
    read.map_err(|error| format!("{encoding}: {error}"))?;
    Ok(plain)
}
