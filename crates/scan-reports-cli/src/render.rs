//! Output formats: JSON, CSV and aligned tables, written to stdout.

use std::io::{IsTerminal, Write};

use crate::exit::{Exit, Failure};

/// How `status` and `report` write their answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// The API's response body, pretty-printed.
    Json,
    /// A header row of the API's property names, then one row per item.
    Csv,
    /// Aligned columns for reading.
    Table,
}

impl OutputFormat {
    /// The chosen format, or else a table for a person at a terminal and
    /// JSON for a program reading a pipe.
    pub fn or_default(chosen: Option<OutputFormat>) -> OutputFormat {
        chosen.unwrap_or_else(|| {
            if std::io::stdout().is_terminal() {
                OutputFormat::Table
            } else {
                OutputFormat::Json
            }
        })
    }
}

/// One column of CSV and table output.
pub struct Column<T> {
    /// The CSV header: the API's property name.
    pub name: &'static str,
    /// The table heading; `None` for a column only CSV has.
    pub heading: Option<&'static str>,
    pub value: fn(&T) -> String,
}

/// A [`Column`] on one line of a table of columns.
pub const fn column<T>(
    name: &'static str,
    heading: Option<&'static str>,
    value: fn(&T) -> String,
) -> Column<T> {
    Column {
        name,
        heading,
        value,
    }
}

/// `rows` as CSV, every column. RFC 4180: a field with a comma, a quote or
/// a line break is quoted, its quotes doubled. Records end with `\n`, which
/// line-based tools expect.
pub fn csv<T>(rows: &[T], columns: &[Column<T>]) -> String {
    let mut text = String::new();
    let mut record = |fields: Vec<String>| {
        let quoted: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        text.push_str(&quoted.join(","));
        text.push('\n');
    };
    record(
        columns
            .iter()
            .map(|column| column.name.to_owned())
            .collect(),
    );
    for row in rows {
        record(columns.iter().map(|column| (column.value)(row)).collect());
    }
    text
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// `rows` as a table of the columns with a heading.
pub fn table<T>(rows: &[T], columns: &[Column<T>]) -> String {
    let shown: Vec<&Column<T>> = columns.iter().filter(|c| c.heading.is_some()).collect();
    let mut lines: Vec<Vec<String>> = vec![
        shown
            .iter()
            .map(|column| column.heading.unwrap_or_default().to_owned())
            .collect(),
    ];
    for row in rows {
        lines.push(
            shown
                .iter()
                .map(|column| table_cell(&(column.value)(row)))
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..shown.len())
        .map(|index| {
            lines
                .iter()
                .map(|line| line[index].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for line in lines {
        let mut padded = String::new();
        for (cell, width) in line.iter().zip(&widths) {
            padded.push_str(&format!("{cell:<width$}  "));
        }
        text.push_str(padded.trim_end());
        text.push('\n');
    }
    text
}

/// A value on one table line: control characters become spaces.
fn table_cell(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `value` as pretty-printed JSON and a line break.
pub fn json(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|error| Failure::new(Exit::Failure, format!("cannot write JSON: {error}")))
}

/// Writes `text` to stdout. A reader that went away (`| head`) is not an
/// error: it has read what it wanted.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::new(
            Exit::Failure,
            format!("cannot write the output: {error}"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column<(i64, &str)>] = &[
        column("id", Some("ID"), |row| row.0.to_string()),
        column("name", Some("NAME"), |row| row.1.to_owned()),
        column("hidden", None, |_| "only in CSV".to_owned()),
    ];

    #[test]
    fn csv_quotes_what_rfc_4180_asks() {
        let rows = [
            (1, "plain"),
            (22, "with, comma"),
            (3, "say \"hi\""),
            (4, "two\nlines"),
            (5, ""),
        ];
        assert_eq!(
            csv(&rows, COLUMNS),
            "id,name,hidden\n\
             1,plain,only in CSV\n\
             22,\"with, comma\",only in CSV\n\
             3,\"say \"\"hi\"\"\",only in CSV\n\
             4,\"two\nlines\",only in CSV\n\
             5,,only in CSV\n"
        );
    }

    #[test]
    fn tables_align_columns_with_headings() {
        let rows = [(1, "Ünïcödé"), (12345, "two\nlines"), (7, "")];
        assert_eq!(
            table(&rows, COLUMNS),
            "ID     NAME\n\
             1      Ünïcödé\n\
             12345  two lines\n\
             7\n"
        );
        assert_eq!(table(&[], COLUMNS), "ID  NAME\n");
    }
}
