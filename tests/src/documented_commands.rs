//! The command lines and environment variables the README, the guides
//! and the crates' READMEs show, held to the programs' clap definitions
//! (read from their source by `clap_source`). Like the rest of the tidy
//! tests this reads files as text: nothing is built or run.

use std::collections::{BTreeMap, BTreeSet};

use crate::{
    clap_source::{Command, Flag, command_of, sources_of},
    tidy::{files, read, root},
};

/// A program the docs show command lines of.
#[derive(Debug, Clone, Copy)]
struct Program {
    /// How a command line calls it, and how messages name it.
    name: &'static str,
    /// The package `cargo run -p` names.
    package: &'static str,
    /// Where its clap definitions are: files, or folders of them.
    sources: &'static [&'static str],
}

const PROGRAMS: &[Program] = &[
    Program {
        name: "cargo xtask",
        package: "xtask",
        sources: &["xtask/src"],
    },
    Program {
        name: "scan-reports-server",
        package: "scan-reports-server",
        sources: &["crates/scan-reports-server/src/main.rs"],
    },
    Program {
        name: "scan-reports",
        package: "scan-reports-cli",
        sources: &["crates/scan-reports-cli/src"],
    },
];

/// The pages whose code blocks are checked: the first page, the guides,
/// and each crate's README.
fn documented_pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_owned()];
    pages.extend(files("docs", ".md"));
    pages.extend(
        files("crates", "README.md")
            .into_iter()
            .filter(|page| page.matches('/').count() == 2),
    );
    pages
}

/// Checks `arguments` as clap would parse them for `command`: an error
/// names the unknown subcommand or flag, or what is missing or extra.
fn check_arguments(program: &str, command: &Command, arguments: &[String]) -> Result<(), String> {
    let mut command = command;
    let mut path = program.to_owned();
    let mut globals: BTreeMap<String, Flag> = BTreeMap::new();
    let mut positionals = 0;
    let mut tokens = arguments.iter();
    let mut only_positionals = false;
    while let Some(token) = tokens.next() {
        if !only_positionals && ["--help", "-h", "--version", "-V"].contains(&token.as_str()) {
            return Ok(());
        }
        if !only_positionals && token == "--" {
            only_positionals = true;
        } else if !only_positionals && token.starts_with('-') && token.len() > 1 {
            let name = token.split('=').next().unwrap_or(token);
            let flag = command
                .flags
                .get(name)
                .or_else(|| globals.get(name))
                .ok_or_else(|| format!("unknown flag `{name}` of `{path}`"))?;
            if flag.takes_value && !token.contains('=') && tokens.next().is_none() {
                return Err(format!("`{name}` of `{path}` needs a value"));
            }
        } else if !command.subcommands.is_empty() {
            // A global flag is accepted after the subcommands below it too.
            globals.extend(
                command
                    .flags
                    .iter()
                    .filter(|(_, flag)| flag.global)
                    .map(|(name, flag)| (name.clone(), *flag)),
            );
            command = command
                .subcommands
                .get(token)
                .ok_or_else(|| format!("unknown subcommand `{token}` of `{path}`"))?;
            path = format!("{path} {token}");
        } else {
            positionals += 1;
            let room = command.positionals.iter().any(|p| p.many)
                || positionals <= command.positionals.len();
            if !room {
                return Err(format!("unexpected argument `{token}` of `{path}`"));
            }
        }
    }
    if !command.subcommands.is_empty() {
        return Err(format!("`{path}` names no subcommand"));
    }
    let required = command.positionals.iter().filter(|p| p.required).count();
    if positionals < required {
        return Err(format!(
            "`{path}` needs {required} arguments, the line gives {positionals}"
        ));
    }
    Ok(())
}

/// A command line as the shell splits it, up to the first pipe, list
/// operator, redirection or comment.
fn shell_words(line: &str) -> Vec<String> {
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
fn call(words: &[String]) -> Option<(Program, Vec<String>)> {
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
fn command_lines(text: &str) -> Vec<(usize, String)> {
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

/// What is wrong with each documented command line, as `file:line: ...`;
/// and how many lines were checked.
fn documented_command_problems() -> (Vec<String>, usize) {
    let commands: Vec<(Program, Command)> = PROGRAMS
        .iter()
        .map(|program| (*program, command_of(program.sources)))
        .collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in documented_pages() {
        for (number, line) in command_lines(&read(&root().join(&page))) {
            let Some((program, arguments)) = call(&shell_words(&line)) else {
                continue;
            };
            checked += 1;
            let (_, command) = commands
                .iter()
                .find(|(known, _)| known.name == program.name)
                .expect("every program is read");
            if let Err(problem) = check_arguments(program.name, command, &arguments) {
                problems.push(format!("{page}:{number}: {problem}\n    {line}"));
            }
        }
    }
    (problems, checked)
}

#[test]
fn every_documented_command_line_names_real_subcommands_and_flags() {
    let (problems, checked) = documented_command_problems();
    assert!(checked > 30, "too few command lines found: {checked}");
    assert!(
        problems.is_empty(),
        "command lines in the docs that the programs would refuse:\n{}",
        problems.join("\n")
    );
}

/// One row: a command line, and `Ok` or the start of the problem found.
fn check(line: &str, expected: Result<(), &str>) {
    let (program, arguments) = call(&shell_words(line)).expect("a program's command line");
    let found = check_arguments(program.name, &command_of(program.sources), &arguments);
    match (&found, expected) {
        (Ok(()), Ok(())) => {}
        (Err(problem), Err(start)) if problem.starts_with(start) => {}
        _ => panic!("{line}: expected {expected:?}, found {found:?}"),
    }
}

#[test]
fn command_lines_are_read_as_clap_would() {
    check(
        "cargo xtask check --cases 600 --format junit > x.xml",
        Ok(()),
    );
    check("cargo xtask codegen --check", Ok(()));
    check("cargo xtask diff HEAD new.yaml --format=json", Ok(()));
    check("cargo xtask diff HEAD", Err("`cargo xtask diff` needs 2"));
    check("cargo xtask release now", Err("unexpected argument `now`"));
    check(
        "cargo xtask chek",
        Err("unknown subcommand `chek` of `cargo xtask`"),
    );
    check(
        "cargo xtask check --case 5",
        Err("unknown flag `--case` of `cargo xtask check`"),
    );
    check("cargo xtask", Err("`cargo xtask` names no subcommand"));
    check("cargo xtask --help", Ok(()));
    check(
        "cargo run -p scan-reports-server -- accounts add alice --database-url postgres://h/d",
        Ok(()),
    );
    check(
        "scan-reports-server accounts list --listen 0.0.0.0:1",
        Err("unknown flag `--listen` of `scan-reports-server accounts list`"),
    );
    check("scan-reports-server import f.json --account a", Ok(()));
    check("scan-reports --url http://h status 1 2 3 | cat", Ok(()));
    check(
        "SCAN_REPORTS_TOKEN=x scan-reports status 1 --token y",
        Ok(()),
    );
    check(
        "scan-reports report 1234 --type ITEMS_SEEN --format csv",
        Ok(()),
    );
    check(
        "scan-reports wait 1 --timeout",
        Err("`--timeout` of `scan-reports wait` needs a value"),
    );
    check("scan-reports status --format csv --url", Err("`--url`"));
    check(
        "scan-reports probe --scan-id 1 # a comment --nonsense",
        Ok(()),
    );
}

/// The variables of every `env = "..."` in the programs' clap sources.
fn declared_variables() -> BTreeSet<String> {
    PROGRAMS
        .iter()
        .flat_map(|program| sources_of(program.sources))
        .flat_map(|(_, text)| {
            text.split("env = \"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The first backticked cell of each row of the table under
/// `## Environment variables` in docs/operations.md.
fn documented_variables() -> BTreeSet<String> {
    let guide = read(&root().join("docs/operations.md"));
    let start = guide
        .find("\n## Environment variables\n")
        .expect("docs/operations.md has its `## Environment variables`");
    guide[start + 1..]
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|row| row.strip_prefix("| `"))
        .filter_map(|row| row.split('`').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_documented_environment_variables_are_the_declared_ones() {
    let declared = declared_variables();
    let documented = documented_variables();
    assert!(declared.len() > 10, "too few found: {declared:?}");
    let undocumented: Vec<&String> = declared.difference(&documented).collect();
    let undeclared: Vec<&String> = documented.difference(&declared).collect();
    assert!(
        undocumented.is_empty() && undeclared.is_empty(),
        "docs/operations.md's environment variables differ from clap's `env = \"...\"`:\n\
         declared, not in the table: {undocumented:?}\nin the table, declared nowhere: {undeclared:?}"
    );
}

#[test]
fn every_variable_the_docs_name_is_read_somewhere() {
    let declared = declared_variables();
    let readers: Vec<String> = crate::tidy::sources()
        .iter()
        .map(|path| read(&root().join(path)))
        .collect();
    let mut unread = Vec::new();
    for page in documented_pages() {
        for (index, line) in read(&root().join(&page)).lines().enumerate() {
            for (at, _) in line.match_indices("SCAN_REPORTS_") {
                let name: String = line[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                // Read by name: a string literal in some Rust source.
                let quoted = format!("\"{name}\"");
                if !declared.contains(&name) && !readers.iter().any(|text| text.contains(&quoted)) {
                    unread.push(format!("{page}:{}: {name}", index + 1));
                }
            }
        }
    }
    assert!(
        unread.is_empty(),
        "variables the docs name that no program or test reads:\n{}",
        unread.join("\n")
    );
}
