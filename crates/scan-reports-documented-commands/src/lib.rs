//! The command lines and environment variables the README, the guides and
//! the crates' READMEs show, held to a program's real `clap::Command`:
//! each program's own test hands its `Cli::command()` here, and clap
//! itself parses every documented line that calls it. Nothing is built or
//! run but the parser.

mod pages;
mod shell;

use std::collections::BTreeMap;

use clap::{Command, error::ErrorKind};

pub use pages::{documented_pages, root};
use shell::{call, command_lines, shell_words};

/// A program the docs show command lines of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    /// How a command line calls it, and how messages name it.
    pub name: &'static str,
    /// The package `cargo run -p` names.
    pub package: &'static str,
}

pub const XTASK: Program = Program {
    name: "cargo xtask",
    package: "xtask",
};
pub const SERVER: Program = Program {
    name: "scan-reports-server",
    package: "scan-reports-server",
};
pub const COMMAND_LINE: Program = Program {
    name: "scan-reports",
    package: "scan-reports-cli",
};

/// The programs whose command lines the docs show.
pub const PROGRAMS: [Program; 3] = [XTASK, SERVER, COMMAND_LINE];

/// Fails with every documented command line of `program` that `command`
/// refuses, and every difference between docs/operations.md's table of
/// environment variables and what `command` declares; and when the docs
/// show fewer than `at_least` lines of it (a reader that finds none).
///
/// # Panics
/// On any of those, naming each.
pub fn assert_documented(program: Program, command: &Command, at_least: usize) {
    let (mut problems, checked) = documented_command_problems(program, command);
    problems.extend(environment_table_problems(program, command));
    assert!(
        checked >= at_least,
        "only {checked} command lines of `{}` found in the docs",
        program.name
    );
    assert!(
        problems.is_empty(),
        "the docs and `{}` disagree:\n{}",
        program.name,
        problems.join("\n")
    );
}

/// One row of a program's table: `line` as clap judges it, `Ok` or the
/// start of its message.
///
/// # Panics
/// When `line` calls another program, or clap judges otherwise.
pub fn assert_parsed(program: Program, command: &Command, line: &str, expected: Result<(), &str>) {
    let arguments = arguments_of(program, line)
        .unwrap_or_else(|| panic!("{line}: not a command line of `{}`", program.name));
    let found = parse(command, &arguments);
    match (&found, expected) {
        (Ok(()), Ok(())) => {}
        (Err(problem), Err(start)) if problem.starts_with(start) => {}
        _ => panic!("{line}: expected {expected:?}, found {found:?}"),
    }
}

/// What clap says of `arguments` for `command`: `Ok` when it parses them
/// (or would print its help or version), else clap's own first line.
///
/// An argument that has an environment variable is never required here: a
/// documented line may rely on the variable (`export SCAN_REPORTS_URL=...`).
pub fn parse(command: &Command, arguments: &[String]) -> Result<(), String> {
    let command = not_required_when_in_environment(command.clone());
    let name = command.get_name().to_owned();
    match command.try_get_matches_from(std::iter::once(&name).chain(arguments)) {
        Ok(_) => Ok(()),
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            Ok(())
        }
        // clap prints the help, and fails, for a line that names no
        // subcommand where one is required.
        Err(error) if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            Err(format!("'{name}' requires a subcommand"))
        }
        Err(error) => Err(error
            .render()
            .to_string()
            .lines()
            .next()
            .unwrap_or("refused")
            .trim_start_matches("error: ")
            .to_owned()),
    }
}

fn not_required_when_in_environment(command: Command) -> Command {
    command
        .mut_args(|argument| {
            if argument.get_env().is_some() {
                argument.required(false)
            } else {
                argument
            }
        })
        .mut_subcommands(not_required_when_in_environment)
}

/// What is wrong with each documented command line that calls `program`,
/// as `file:line: ...`, and how many such lines there are.
pub fn documented_command_problems(program: Program, command: &Command) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in documented_pages() {
        for (number, line) in command_lines(&pages::read(&page)) {
            let Some((called, arguments)) = call(&shell_words(&line)) else {
                continue;
            };
            if called != program {
                continue;
            }
            checked += 1;
            if let Err(problem) = parse(command, &arguments) {
                problems.push(format!("{page}:{number}: {problem}\n    {line}"));
            }
        }
    }
    (problems, checked)
}

/// The arguments of `line` if it calls `program`.
pub fn arguments_of(program: Program, line: &str) -> Option<Vec<String>> {
    call(&shell_words(line))
        .and_then(|(called, arguments)| (called == program).then_some(arguments))
}

/// Every environment variable `command` (and its subcommands) declares,
/// with the flag it stands for.
pub fn declared_variables(command: &Command) -> BTreeMap<String, String> {
    let mut found: BTreeMap<String, String> = command
        .get_arguments()
        .filter_map(|argument| {
            let variable = argument.get_env()?.to_string_lossy().into_owned();
            let flag = argument
                .get_long()
                .map_or_else(|| argument.get_id().to_string(), |long| format!("--{long}"));
            Some((variable, flag))
        })
        .collect();
    for subcommand in command.get_subcommands() {
        found.extend(declared_variables(subcommand));
    }
    found
}

/// The rows of the table under `## Environment variables` in
/// docs/operations.md whose program (the "of" column) is `program`: each
/// variable with its flag.
pub fn documented_variables(program: Program) -> BTreeMap<String, String> {
    let guide = pages::read("docs/operations.md");
    let Some(start) = guide.find("\n## Environment variables\n") else {
        return BTreeMap::new();
    };
    guide[start + 1..]
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|row| {
            let cells: Vec<&str> = row.strip_prefix('|')?.split('|').map(str::trim).collect();
            let [variable, flag, of, ..] = cells.as_slice() else {
                return None;
            };
            let unquoted = |cell: &str| cell.split('`').nth(1).map(str::to_owned);
            let of = unquoted(of)?;
            let of_program = of == program.name || of.starts_with(&format!("{} ", program.name));
            of_program.then(|| Some((unquoted(variable)?, unquoted(flag)?)))?
        })
        .collect()
}

/// How the table of docs/operations.md differs from what `command`
/// declares: variables missing on either side, or a variable documented
/// with another flag.
pub fn environment_table_problems(program: Program, command: &Command) -> Vec<String> {
    let declared = declared_variables(command);
    let documented = documented_variables(program);
    let mut problems = Vec::new();
    for (variable, flag) in &declared {
        match documented.get(variable) {
            None => problems.push(format!(
                "{variable} ({flag} of `{}`) is not in docs/operations.md's table",
                program.name
            )),
            Some(documented) if documented != flag => problems.push(format!(
                "{variable} is documented as {documented}, declared as {flag}"
            )),
            Some(_) => {}
        }
    }
    for variable in documented
        .keys()
        .filter(|variable| !declared.contains_key(*variable))
    {
        problems.push(format!(
            "{variable} is in docs/operations.md's table for `{}`, which declares no such variable",
            program.name
        ));
    }
    problems
}
