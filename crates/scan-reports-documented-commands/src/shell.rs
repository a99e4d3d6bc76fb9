//! Command lines as a shell reads them, and which program each calls.

use crate::{PROGRAMS, Program};

/// A command line as the shell splits it, up to the first pipe, list
/// operator, redirection or comment.
pub(crate) fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '#' | '|' | '&' | ';' | '<' | '>') if !in_word => break,
            (None, '<' | '>') if word.chars().all(|d| d.is_ascii_digit()) => {
                word.clear();
                in_word = false;
                break;
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The program a command line calls, and its arguments; `None` for a
/// line that calls none of them (or another binary of their package).
pub(crate) fn call(words: &[String]) -> Option<(Program, Vec<String>)> {
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .skip_while(|word| {
            word.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            })
        })
        .collect();
    let by_name = |name: &str| PROGRAMS.iter().find(|p| p.name == name).copied();
    let rest = |from: usize| words[from..].iter().map(|w| (*w).to_owned()).collect();
    match words.as_slice() {
        ["cargo", "xtask", ..] => Some((by_name("cargo xtask")?, rest(2))),
        ["cargo", "run", cargo_arguments @ ..] => {
            let separator = cargo_arguments.iter().position(|w| *w == "--");
            let cargo_arguments = &cargo_arguments[..separator.unwrap_or(cargo_arguments.len())];
            if cargo_arguments.contains(&"--example") || cargo_arguments.contains(&"--bin") {
                return None;
            }
            let package = cargo_arguments
                .windows(2)
                .find(|pair| pair[0] == "-p" || pair[0] == "--package")?[1];
            let program = PROGRAMS.iter().find(|p| p.package == package).copied()?;
            Some((program, separator.map_or_else(Vec::new, |at| rest(at + 3))))
        }
        [first, ..] => Some((by_name(first)?, rest(1))),
        [] => None,
    }
}

/// Every line in a code block of `text` that calls one of the programs:
/// its number and the command (continuation lines joined, any `$ `
/// prompt removed).
pub(crate) fn command_lines(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_block = false;
    let mut pending: Option<(usize, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let (number, mut joined) = pending.take().unwrap_or_else(|| (index + 1, String::new()));
        let trimmed = if joined.is_empty() {
            trimmed.strip_prefix("$ ").unwrap_or(trimmed)
        } else {
            trimmed
        };
        match trimmed.strip_suffix('\\') {
            Some(continued) => {
                joined.push_str(continued);
                pending = Some((number, joined));
            }
            None => {
                joined.push_str(trimmed);
                found.push((number, joined));
            }
        }
    }
    found
}
