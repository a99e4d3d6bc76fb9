//! Failures: each a one-line message and its own exit code; never a token.

use axum::{
    Router,
    http::{HeaderName, StatusCode},
    routing::post,
};

use crate::support::{Cli, SCAN_STATUSES, ServerOnLoopback, TOKEN, unreachable_url};

#[test]
fn bad_credentials_exit_4_without_showing_the_token() {
    let server = ServerOnLoopback::demo();
    for (username, token) in [
        ("demo", "wrong-token-s3cret"),
        ("demo", "demo-other-token"),
        ("nobody", TOKEN),
    ] {
        let output = Cli::new(&server)
            .args(["status", "1234", "--username", username])
            .token_flag(token)
            .run();
        output.assert_failed(4, "error: 401 Unauthorized invalid_credentials: ");
    }
    let output = Cli::new(&server)
        .env("SCAN_REPORTS_TOKEN", "s3cret-from-the-environment")
        .args(["report", "1234", "--type", "OOS"])
        .run();
    assert_eq!(output.code, 4, "{output:#?}");
}

#[test]
fn the_token_is_not_in_the_help() {
    let output = Cli::bare()
        .env("SCAN_REPORTS_TOKEN", "s3cret-in-the-help")
        .env("SCAN_REPORTS_URL", "http://shown.example")
        .args(["status", "--help"])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    for shown in ["[env: SCAN_REPORTS_TOKEN]", "http://shown.example"] {
        assert!(output.stdout.contains(shown), "{}", output.stdout);
    }
}

#[test]
fn the_help_lists_the_exit_codes() {
    let output = Cli::bare().args(["--help"]).run();
    assert_eq!(output.code, 0, "{output:#?}");
    insta::assert_snapshot!("help", output.stdout);
}

#[test]
fn missing_settings_and_bad_ids_are_usage_errors() {
    let server = ServerOnLoopback::demo();
    for (cli, expected) in [
        (
            Cli::bare().args(["status", "1"]),
            "error: no server URL: pass --url or set SCAN_REPORTS_URL\n",
        ),
        (
            Cli::bare().args(["status", "1", "--url", &server.base_url]),
            "error: no username: pass --username or set SCAN_REPORTS_USERNAME\n",
        ),
        (
            Cli::bare().args([
                "status",
                "1",
                "--url",
                &server.base_url,
                "--username",
                "demo",
            ]),
            "error: no access token: pass --token or set SCAN_REPORTS_TOKEN\n",
        ),
        (
            Cli::new(&server).args(["status", "--url", "not a url", "1"]),
            "error: invalid input: base URL `not a url`: relative URL without a base\n",
        ),
        (
            Cli::new(&server).args(["status", "1234", "12x"]),
            "error: `12x` is not a scan id (an integer from 1 to 9223372036854775807) in the arguments\n",
        ),
        (
            Cli::new(&server).args(["wait"]).stdin("1234\n-7\n"),
            "error: `-7` is not a scan id (an integer from 1 to 9223372036854775807) on standard input\n",
        ),
        (
            Cli::new(&server).args(["status"]).stdin(" \n"),
            "error: no scan ids given\n",
        ),
        (
            Cli::new(&server).args(["status", "--format", "xml", "1"]),
            "error: invalid value 'xml' for '--format <FORMAT>' [possible values: json, csv, table] (see --help)\n",
        ),
    ] {
        let output = cli.run();
        output.assert_exit(2, expected);
        assert_eq!(output.stdout, "");
    }
}

#[test]
fn an_unreachable_server_exits_3() {
    let url = unreachable_url();
    let output = Cli::bare()
        .args(["status", "1234", "--url", &url, "--username", "demo"])
        .token_flag(TOKEN)
        .run();
    output.assert_failed(3, "error: could not connect to the server: ");
}

/// A server answering every scan-statuses request with `status` and `body`.
fn answering(
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
) -> ServerOnLoopback {
    let router = Router::new().route(
        SCAN_STATUSES,
        post(move || async move {
            let headers: Vec<(HeaderName, &str)> = headers
                .iter()
                .map(|(name, value)| (HeaderName::from_static(name), *value))
                .chain([(HeaderName::from_static("content-type"), "application/json")])
                .collect();
            let mut response = axum::response::IntoResponse::into_response((
                StatusCode::from_u16(status).expect("a status"),
                body,
            ));
            for (name, value) in headers {
                response
                    .headers_mut()
                    .insert(name, value.parse().expect("a header value"));
            }
            response
        }),
    );
    ServerOnLoopback::mock(router)
}

#[test]
fn each_kind_of_server_answer_has_its_exit_code() {
    const ERROR: &str = r#"{"code": "CODE", "message": "the message", "request_id": "req-7"}"#;
    let error = |code: &str| -> &'static str { ERROR.replace("CODE", code).leak() };
    for (status, headers, body, exit, message) in [
        (
            422,
            &[][..],
            error("invalid_request"),
            6,
            "error: 422 Unprocessable Entity invalid_request: the message (request id req-7)",
        ),
        (
            413,
            &[],
            error("body_too_large"),
            6,
            "error: 413 Payload Too Large body_too_large: the message (request id req-7)",
        ),
        (
            401,
            &[],
            error("missing_credentials"),
            4,
            "error: 401 Unauthorized missing_credentials: the message (request id req-7)",
        ),
        (
            500,
            &[],
            error("internal"),
            7,
            "error: 500 Internal Server Error internal: the message (request id req-7)",
        ),
        (
            429,
            &[("retry-after", "3600")],
            error("rate_limited"),
            7,
            "error: 429 Too Many Requests rate_limited: the message (request id req-7)",
        ),
        (
            200,
            &[],
            r#"{"data": [{"id": 1234}]}"#,
            7,
            "error: the response does not match the contract: ",
        ),
        (
            418,
            &[],
            "<html>short\nand stout</html>",
            6,
            "error: unexpected response: status 418 I'm a teapot: <html>short and stout</html>\n",
        ),
    ] {
        let server = answering(status, headers, body);
        let output = Cli::new(&server).args(["status", "1234"]).run();
        output.assert_failed(exit, message);
    }
}
