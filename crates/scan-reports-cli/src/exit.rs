//! The exit codes: one table, from which the code, `--help` and the
//! README's table are all made; and [`Failure`], an error on its way to
//! one of them.

use scan_reports_client::{Error, ErrorCode};

/// Declares [`Exit`] with each variant's code and meaning, once. An exit
/// only one command gives names it (`in "wait"`), and its meaning says so.
macro_rules! exit_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal $(in $command:literal)?, $meaning:literal; )+) => {
        /// How the command ended, as its exit status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Exit {
            $( $(#[$doc])* $variant, )+
        }

        impl Exit {
            /// Every exit, in the order of their codes.
            pub const ALL: &'static [Exit] = &[$(Exit::$variant),+];

            pub fn code(self) -> u8 {
                match self {
                    $( Exit::$variant => $code, )+
                }
            }

            /// What the exit means, as `--help` and the README say it.
            pub fn meaning(self) -> &'static str {
                match self {
                    $( Exit::$variant => concat!($("`", $command, "`: ",)? $meaning), )+
                }
            }

            /// The one command that gives this exit, if only one does.
            #[cfg(test)]
            pub fn command(self) -> Option<&'static str> {
                match self {
                    $( Exit::$variant => None $(.or(Some($command)))?, )+
                }
            }
        }
    };
}

exit_codes! {
    Success = 0, "success (`wait`: every scan is COMPLETE)";
    /// The output could not be written, or something unforeseen.
    Failure = 1, "the output could not be written";
    /// The probe's verdict: the deployment breaks the contract. It shares
    /// 1 with [`Exit::Failure`] because a failed check conventionally
    /// exits 1 (`test`, `diff`, linters), and `probe` is a check.
    Violation = 1 in "probe", "an answer breaks the contract (each violation is listed with its JSON path)";
    Usage = 2, "usage: a bad argument or scan id, or a missing connection setting";
    Connection = 3, "connection: the server could not be reached, or the connection failed or timed out";
    Authentication = 4, "authentication: the server refused the username or token";
    NotFound = 5, "not found: a scan is unknown, or another account's";
    Rejected = 6, "rejected: the server refused the request as invalid";
    Server = 7, "server error: a 5xx, rate limiting that outlasted the retries, or an answer the contract does not allow (which `probe` reports with 1)";
    ScanFailed = 8 in "wait", "a scan FAILED";
    Timeout = 9 in "wait", "the deadline passed before every scan was final";
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        Self::from(exit.code())
    }
}

/// The exit codes as `--help` shows them, after the options.
pub fn help_text() -> String {
    listing("Exit codes:\n", |code, meaning| {
        format!("  {code}  {meaning}\n")
    })
}

#[cfg(test)]
/// The exit codes as the README's Markdown table.
pub fn markdown_table() -> String {
    listing("| code | meaning |\n|---|---|\n", |code, meaning| {
        format!("| {code} | {meaning} |\n")
    })
}

/// `heading`, then `row(code, meaning)` for each exit in order.
fn listing(heading: &str, row: fn(u8, &str) -> String) -> String {
    Exit::ALL.iter().fold(heading.to_owned(), |text, exit| {
        text + &row(exit.code(), exit.meaning())
    })
}

/// Why a command did not succeed: its exit and a message for stderr.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }

    /// The message on one line, whatever the server put in it.
    pub fn one_line(&self) -> String {
        one_line(&self.message)
    }
}

/// Joins the lines of `text` with spaces, dropping control characters.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control())
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let exit = exit_of(&error);
        let mut message = error.to_string();
        // reqwest's message names the URL, not why: the cause is at the end
        // of the chain (such as "Connection refused").
        if let Some(cause) = innermost_cause(&error)
            && !message.contains(&cause)
        {
            message = format!("{message}: {cause}");
        }
        match &error {
            Error::Api(api) => {
                if let Some(request_id) = &api.request_id {
                    message = format!("{message} (request id {request_id})");
                }
            }
            // A proxy's error page, for instance: its start says whose it is.
            Error::UnexpectedResponse { body, .. } if !body.trim().is_empty() => {
                const SHOWN: usize = 200;
                let start: String = body.chars().take(SHOWN).collect();
                let more = if body.chars().count() > SHOWN {
                    "…"
                } else {
                    ""
                };
                message = format!("{message}: {}{more}", one_line(&start));
            }
            _ => {}
        }
        Self { exit, message }
    }
}

fn exit_of(error: &Error) -> Exit {
    match error {
        Error::InvalidInput(_) => return Exit::Usage,
        Error::Timeout(_) | Error::Connect(_) | Error::Transport(_) => return Exit::Connection,
        _ => {}
    }
    match error.status().map(|status| status.as_u16()) {
        Some(401 | 403) => Exit::Authentication,
        Some(404) if error.code() == Some(&ErrorCode::ScanNotFound) => Exit::NotFound,
        Some(429) => Exit::Server,
        Some(400..=499) => Exit::Rejected,
        _ => Exit::Server,
    }
}

fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cause = error.source()?;
    while let Some(next) = cause.source() {
        cause = next;
    }
    Some(cause.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_order_and_shared_only_with_one_commands_own_exit() {
        let codes: Vec<u8> = Exit::ALL.iter().map(|exit| exit.code()).collect();
        let mut distinct = codes.clone();
        distinct.dedup();
        let expected: Vec<u8> = (0..distinct.len() as u8).collect();
        assert_eq!(
            distinct, expected,
            "codes in order, none skipped: {codes:?}"
        );
        for pair in Exit::ALL.windows(2) {
            if pair[0].code() == pair[1].code() {
                // A script reading the code knows which command it ran, so
                // a code may also mean something that command alone says.
                assert!(
                    pair[0].command().is_none() && pair[1].command().is_some(),
                    "{pair:?} share a code: only a general exit and one command's may"
                );
            }
        }
    }

    #[test]
    fn the_readme_has_the_table_of_the_code() {
        let readme = include_str!("../README.md");
        assert!(
            readme.contains(&markdown_table()),
            "README.md's exit codes differ from exit.rs; the table is:\n{}",
            markdown_table()
        );
    }

    #[test]
    fn messages_become_one_line() {
        for (text, expected) in [
            ("plain", "plain"),
            ("two\nlines", "two lines"),
            ("  padded \r\n\tand tabbed ", "padded and tabbed"),
            ("bell\u{7}inside", "bell inside"),
        ] {
            assert_eq!(one_line(text), expected, "{text:?}");
        }
    }
}
