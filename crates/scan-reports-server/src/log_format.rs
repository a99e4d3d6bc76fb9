//! How the server's log lines are written: the layout of tracing's default
//! format (`2026-12-05T07:17:21.250943Z  INFO target: message key=value`),
//! written without its machinery.
//!
//! The default format writes the time through a formatter and every field
//! through `Debug` and ANSI styles, even with colours off. Measured against
//! tracing-subscriber's own format with `scan-reports-bench`, this layout
//! saves about 5 % of the server's CPU per cached 1-id answer (BENCHMARKS.md,
//! "Hand-written or a crate"). The calendar is chrono's and the digits
//! itoa's; only the layout is ours.

use std::{
    fmt,
    time::{SystemTime, UNIX_EPOCH},
};

use chrono::{Datelike as _, Timelike as _};

use tracing::{Event, Level, Subscriber, field::Field};
use tracing_subscriber::{
    fmt::{FmtContext, FormatEvent, FormatFields, format::Writer},
    registry::LookupSpan,
};

/// The server's line format; see the module's documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lines;

impl<S, N> FormatEvent<S, N> for Lines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        context: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        write_time(&mut writer, SystemTime::now())?;
        let level = *event.metadata().level();
        if writer.has_ansi_escapes() {
            writer.write_str(colour(level))?;
            writer.write_str(padded(level))?;
            writer.write_str("\x1b[0m ")?;
        } else {
            writer.write_str(padded(level))?;
            writer.write_char(' ')?;
        }
        if let Some(scope) = context.event_scope() {
            for span in scope.from_root() {
                writer.write_str(span.name())?;
                let extensions = span.extensions();
                if let Some(fields) =
                    extensions.get::<tracing_subscriber::fmt::FormattedFields<N>>()
                    && !fields.is_empty()
                {
                    write!(writer, "{{{fields}}}")?;
                }
                writer.write_char(':')?;
            }
            writer.write_char(' ')?;
        }
        writer.write_str(event.metadata().target())?;
        writer.write_str(":")?;
        let mut fields = Fields {
            writer: &mut writer,
            result: Ok(()),
        };
        event.record(&mut fields);
        fields.result?;
        writer.write_char('\n')
    }
}

/// The level as the default format writes it: right-aligned in five
/// columns, after a space.
fn padded(level: Level) -> &'static str {
    match level {
        Level::ERROR => " ERROR",
        Level::WARN => "  WARN",
        Level::INFO => "  INFO",
        Level::DEBUG => " DEBUG",
        Level::TRACE => " TRACE",
    }
}

fn colour(level: Level) -> &'static str {
    match level {
        Level::ERROR => "\x1b[31m",
        Level::WARN => "\x1b[33m",
        Level::INFO => "\x1b[32m",
        Level::DEBUG => "\x1b[34m",
        Level::TRACE => "\x1b[35m",
    }
}

/// `2026-12-05T07:17:21.250943Z`: UTC, to the microsecond.
fn write_time(writer: &mut impl fmt::Write, now: SystemTime) -> fmt::Result {
    // A clock before 1970 is written as 1970.
    let since_epoch = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX);
    let Some(at) = chrono::DateTime::from_timestamp(seconds, since_epoch.subsec_nanos()) else {
        return writer.write_str("-");
    };
    let mut text = *b"0000-00-00T00:00:00.000000Z";
    let year = u64::try_from(at.year()).unwrap_or(0);
    put_digits(&mut text[0..4], year);
    put_digits(&mut text[5..7], u64::from(at.month()));
    put_digits(&mut text[8..10], u64::from(at.day()));
    put_digits(&mut text[11..13], u64::from(at.hour()));
    put_digits(&mut text[14..16], u64::from(at.minute()));
    put_digits(&mut text[17..19], u64::from(at.second()));
    put_digits(&mut text[20..26], u64::from(since_epoch.subsec_micros()));
    writer.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
}

/// `value`'s last `place.len()` decimal digits, zero-padded, into `place`.
fn put_digits(place: &mut [u8], mut value: u64) {
    for digit in place.iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// `value` in decimal.
fn write_number(writer: &mut impl fmt::Write, value: u64) -> fmt::Result {
    writer.write_str(itoa::Buffer::new().format(value))
}

/// An event's fields: its message first, then ` key=value` each; strings
/// given as values are quoted, as the default format quotes them.
struct Fields<'a, 'w> {
    writer: &'a mut Writer<'w>,
    result: fmt::Result,
}

impl Fields<'_, '_> {
    /// ` name=` (nothing for the message), then the value as `write` puts it.
    fn field(&mut self, field: &Field, write: impl FnOnce(&mut Writer<'_>) -> fmt::Result) {
        if self.result.is_err() {
            return;
        }
        self.result = (|| {
            self.writer.write_char(' ')?;
            if field.name() != "message" {
                self.writer.write_str(field.name())?;
                self.writer.write_char('=')?;
            }
            write(self.writer)
        })();
    }
}

impl tracing::field::Visit for Fields<'_, '_> {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.field(field, |writer| write_number(writer, value));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.field(field, |writer| {
            if value < 0 {
                writer.write_char('-')?;
            }
            write_number(writer, value.unsigned_abs())
        });
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.field(field, |writer| {
            writer.write_str(if value { "true" } else { "false" })
        });
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.field(field, |writer| writer.write_str(value));
        } else {
            self.field(field, |writer| write!(writer, "{value:?}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.field(field, |writer| write!(writer, "{value:?}"));
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::{Arc, Mutex},
        time::Duration,
    };

    use super::*;

    #[test]
    fn numbers_are_written_whole() {
        for value in [0, 7, 10, 200, 99_999, u64::MAX] {
            let mut written = String::new();
            write_number(&mut written, value).expect("writes");
            assert_eq!(written, value.to_string());
        }
    }

    #[test]
    fn the_time_is_written_to_the_microsecond() {
        for (seconds, nanos, expected) in [
            (1_796_456_241, 250_943_999, "2026-12-05T07:37:21.250943Z"),
            (0, 0, "1970-01-01T00:00:00.000000Z"),
            // 2000 was a leap year, 2100 will not be.
            (951_782_400, 1_000, "2000-02-29T00:00:00.000001Z"),
            (4_107_542_399, 0, "2100-02-28T23:59:59.000000Z"),
            (4_107_542_400, 0, "2100-03-01T00:00:00.000000Z"),
        ] {
            let mut written = String::new();
            write_time(&mut written, UNIX_EPOCH + Duration::new(seconds, nanos)).expect("writes");
            assert_eq!(written, expected);
        }
    }

    /// What the subscriber wrote.
    #[derive(Clone, Default)]
    struct Written(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Written {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_has_the_default_layout() {
        let written = Written::default();
        let sink = written.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .event_format(Lines)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "scan_reports_server::access", id = %"ab-1", status = 200_u16, path = "/p", "answered");
            let span = tracing::info_span!("import", file = 3);
            let _entered = span.enter();
            tracing::warn!(late = true, behind = -3_i64, "slow");
        });
        let text = String::from_utf8(written.0.lock().expect("lock").clone()).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let (time, rest) = lines[0].split_once(' ').expect("a time");
        assert_eq!(time.len(), "2026-12-05T07:37:21.250943Z".len(), "{time}");
        assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
        assert_eq!(
            rest,
            " INFO scan_reports_server::access: answered id=ab-1 status=200 path=\"/p\""
        );
        let (_, rest) = lines[1].split_once(' ').expect("a time");
        assert_eq!(
            rest,
            " WARN import{file=3}: scan_reports_server::log_format::tests: slow late=true behind=-3"
        );
    }
}
