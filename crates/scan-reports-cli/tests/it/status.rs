//! `scan-reports status`.

use crate::support::{
    Cli, ServerOnLoopback, generated_ids, other_accounts_id, stdout_in_each_format,
};

#[test]
fn the_documented_scans_in_each_format() {
    for (format, stdout) in stdout_in_each_format(&["status", "1234", "5678"]) {
        insta::assert_snapshot!(format!("status_{format}"), stdout);
    }
}

#[test]
fn json_is_the_documented_response_body() {
    let output = Cli::on_demo()
        .args(["status", "1234", "5678", "--format", "json"])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    let documented = scan_reports_server::demo::documented().expect("documented data");
    assert_eq!(
        output.json(),
        serde_json::json!({ "data": documented.scans })
    );
}

#[test]
fn json_is_the_default_in_a_pipe() {
    let output = Cli::on_demo().args(["status", "5678,1234"]).run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(output.ids(), [5678, 1234]);
}

#[test]
fn ids_come_from_arguments_and_standard_input() {
    let server = ServerOnLoopback::demo();
    for (args, stdin, expected) in [
        (&["status"][..], "1234\n5678\n", &[1234, 5678][..]),
        (&["status"], "5678, 1234 5678", &[5678, 1234]),
        (&["status", "-"], "5678\t1234", &[5678, 1234]),
        (&["status", "1234", "-"], "5678", &[1234, 5678]),
    ] {
        let output = Cli::new(&server)
            .args(args.iter().copied())
            .stdin(stdin)
            .run();
        assert_eq!(output.code, 0, "{args:?} {stdin:?}: {output:#?}");
        assert_eq!(output.ids(), expected, "{args:?} {stdin:?}");
    }
}

#[test]
fn more_than_500_ids_are_sent_in_several_requests() {
    // The server refuses a request of more than 500 ids, so an answer with
    // all of them proves the split.
    let generated = 700;
    let server = ServerOnLoopback::demo_with(generated);
    let mut ids: Vec<i64> = scan_reports_server::demo::generated(generated)
        .0
        .scans
        .iter()
        .map(|scan| scan.id)
        .collect();
    ids.extend([1234, 5678]);
    assert!(ids.len() > 500 + 50, "{} ids", ids.len());
    let stdin: Vec<String> = ids.iter().map(i64::to_string).collect();
    let output = Cli::new(&server)
        .args(["status"])
        .stdin(&stdin.join("\n"))
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(output.ids(), ids);

    let output = Cli::new(&server)
        .args(["status", "--format", "csv"])
        .stdin(&stdin.join(" "))
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(output.stdout.lines().count(), ids.len() + 1);
}

#[test]
fn unknown_and_other_accounts_scans_are_not_found_after_the_known_ones() {
    let server = ServerOnLoopback::demo();
    let other = other_accounts_id().to_string();
    let output = Cli::new(&server)
        .args(["status", "1234", "999999", &other, "--format", "json"])
        .run();
    output.assert_exit(
        5,
        &format!("error: scans not found: 999999, {other} (are unknown, or another account's)\n"),
    );
    assert_eq!(output.ids(), [1234]);

    let output = Cli::new(&server)
        .args(["status", "999999", "--format", "table"])
        .run();
    output.assert_exit(
        5,
        "error: scan not found: 999999 (is unknown, or another account's)\n",
    );
    assert!(output.stdout.starts_with("ID "), "{}", output.stdout);
}

#[test]
fn statuses_of_every_kind_are_shown() {
    let complete = generated_ids("COMPLETE")[0].to_string();
    let failed = generated_ids("FAILED")[0].to_string();
    let output = Cli::on_demo()
        .args(["status", &complete, &failed, "1234", "--format", "csv"])
        .run();
    assert_eq!(output.code, 0, "{output:#?}");
    assert_eq!(output.csv_column(1), ["COMPLETE", "FAILED", "IN_PROGRESS"]);
}
