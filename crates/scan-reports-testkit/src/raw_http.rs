//! HTTP/1.1 written and read by hand: what only the server's parser sees,
//! and requests timed to the byte.

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::Duration,
};

use scan_reports_server::http::extract::{ACCESS_TOKEN_HEADER, USERNAME_HEADER};

/// A JSON POST to `path` as `credentials` (username, token), asking the
/// server to close the connection after its answer.
pub fn raw_post(path: &str, (username, token): (&str, &str), body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n\
         {ACCESS_TOKEN_HEADER}: {token}\r\n{USERNAME_HEADER}: {username}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Sends `bytes` on a new connection to `address` and reads until the
/// server closes it (at most 10 seconds of silence).
pub fn send_raw(address: &str, bytes: &[u8]) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    // The server may answer and close before taking all of a bad request.
    let _ = stream.write_all(bytes);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    Ok(String::from_utf8_lossy(&response).into_owned())
}
