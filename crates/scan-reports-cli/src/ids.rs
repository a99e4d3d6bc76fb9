//! Scan ids from the command line and from standard input.

use std::io::{IsTerminal, Read};

use crate::exit::Failure;

/// Parses one scan id: an integer from 1 to 2^63-1.
pub fn parse_scan_id(token: &str) -> Result<i64, String> {
    match token.parse::<i64>() {
        Ok(id) if id >= 1 => Ok(id),
        _ => Err(format!(
            "`{}` is not a scan id (an integer from 1 to {})",
            shorten(token),
            i64::MAX
        )),
    }
}

/// The ids in `text`, separated by whitespace or commas.
pub fn parse_scan_ids(text: &str, origin: &str) -> Result<Vec<i64>, Failure> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|token| !token.is_empty())
        .map(|token| {
            parse_scan_id(token).map_err(|reason| Failure::usage(format!("{reason} {origin}")))
        })
        .collect()
}

/// The ids of the arguments, where `-` stands for those on standard input;
/// with no arguments, those on standard input, unless it is a terminal.
pub fn collect(arguments: &[String], stdin: &mut dyn StandardInput) -> Result<Vec<i64>, Failure> {
    if arguments.is_empty() {
        if stdin.is_terminal() {
            return Err(Failure::usage(
                "no scan ids: give them as arguments, or on standard input",
            ));
        }
        return non_empty(parse_scan_ids(&read_all(stdin)?, "on standard input")?);
    }
    let mut ids = Vec::new();
    // Standard input is read at the first `-`; another `-` adds nothing.
    let mut stdin_read = false;
    for argument in arguments {
        if argument != "-" {
            ids.extend(parse_scan_ids(argument, "in the arguments")?);
        } else if !stdin_read {
            stdin_read = true;
            ids.extend(parse_scan_ids(&read_all(stdin)?, "on standard input")?);
        }
    }
    non_empty(ids)
}

/// What [`collect`] reads: standard input, or a stand-in in tests.
pub trait StandardInput: Read {
    fn is_terminal(&self) -> bool;
}

impl StandardInput for std::io::Stdin {
    fn is_terminal(&self) -> bool {
        IsTerminal::is_terminal(self)
    }
}

fn non_empty(ids: Vec<i64>) -> Result<Vec<i64>, Failure> {
    if ids.is_empty() {
        return Err(Failure::usage("no scan ids given"));
    }
    Ok(ids)
}

fn read_all(stdin: &mut dyn StandardInput) -> Result<String, Failure> {
    let mut text = String::new();
    stdin.read_to_string(&mut text).map_err(|error| {
        Failure::usage(format!("cannot read scan ids on standard input: {error}"))
    })?;
    Ok(text)
}

/// A token as shown in a message: whole, unless it is long.
fn shorten(token: &str) -> String {
    const SHOWN: usize = 40;
    if token.chars().count() <= SHOWN {
        token.to_owned()
    } else {
        format!("{}…", token.chars().take(SHOWN).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<&[i64], &str>) {
        let parsed = parse_scan_ids(text, "here").map_err(|failure| failure.message);
        match (parsed, expected) {
            (Ok(ids), Ok(want)) => assert_eq!(ids, want, "{text:?}"),
            (Err(message), Err(want)) => assert_eq!(message, want, "{text:?}"),
            (got, want) => panic!("{text:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn ids_are_separated_by_whitespace_or_commas() {
        check("1234 5678", Ok(&[1234, 5678]));
        check("1234,5678\n42\t7,,8\r\n", Ok(&[1234, 5678, 42, 7, 8]));
        check("9223372036854775807", Ok(&[i64::MAX]));
        check("", Ok(&[]));
        check(" , \n", Ok(&[]));
    }

    /// Standard input in tests: a text, or a terminal.
    struct Input(Option<std::io::Cursor<&'static str>>);

    impl Read for Input {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            match &mut self.0 {
                Some(text) => text.read(buffer),
                None => Ok(0),
            }
        }
    }

    impl StandardInput for Input {
        fn is_terminal(&self) -> bool {
            self.0.is_none()
        }
    }

    #[test]
    fn arguments_and_standard_input_are_combined() {
        let check = |arguments: &[&str],
                     stdin: Option<&'static str>,
                     expected: Result<&[i64], &str>| {
            let arguments: Vec<String> = arguments.iter().map(|a| a.to_string()).collect();
            let collected = collect(&arguments, &mut Input(stdin.map(std::io::Cursor::new)))
                .map_err(|failure| failure.message);
            match (collected, expected) {
                (Ok(ids), Ok(want)) => assert_eq!(ids, want, "{arguments:?} {stdin:?}"),
                (Err(message), Err(want)) => assert_eq!(message, want, "{arguments:?} {stdin:?}"),
                (got, want) => panic!("{arguments:?} {stdin:?}: got {got:?}, want {want:?}"),
            }
        };
        check(&["1", "2,3"], Some("99"), Ok(&[1, 2, 3]));
        check(&[], Some("4 5\n6"), Ok(&[4, 5, 6]));
        check(&["1", "-", "2", "-"], Some("7 8"), Ok(&[1, 7, 8, 2]));
        check(
            &[],
            None,
            Err("no scan ids: give them as arguments, or on standard input"),
        );
        check(&[], Some(" \n"), Err("no scan ids given"));
        check(&["-"], Some(""), Err("no scan ids given"));
        check(
            &["1", "x"],
            None,
            Err("`x` is not a scan id (an integer from 1 to 9223372036854775807) in the arguments"),
        );
        check(
            &["-"],
            Some("1\n2\nthree"),
            Err(
                "`three` is not a scan id (an integer from 1 to 9223372036854775807) on standard input",
            ),
        );
    }

    #[test]
    fn a_bad_id_is_named() {
        check(
            "1234 abc",
            Err("`abc` is not a scan id (an integer from 1 to 9223372036854775807) here"),
        );
        check(
            "0",
            Err("`0` is not a scan id (an integer from 1 to 9223372036854775807) here"),
        );
        check(
            "-5",
            Err("`-5` is not a scan id (an integer from 1 to 9223372036854775807) here"),
        );
        check(
            "9223372036854775808",
            Err(
                "`9223372036854775808` is not a scan id (an integer from 1 to 9223372036854775807) here",
            ),
        );
        check(
            &"7".repeat(60),
            Err(
                "`7777777777777777777777777777777777777777…` is not a scan id (an integer from 1 to 9223372036854775807) here",
            ),
        );
    }
}
