//! How the server's log lines are written: the layout of tracing's default
//! format (`2026-12-05T07:17:21.250943Z  INFO target: message key=value`),
//! written without its machinery.
//!
//! The default format writes the time through a calendar type and every
//! field through `Debug` and ANSI styles, even with colours off: measured
//! with `cargo xtask bench` at one access line per request, that was most
//! of what the line cost. Here the time is computed from the clock with
//! integer arithmetic and numbers and strings are written as they are.

use std::{
    fmt,
    time::{SystemTime, UNIX_EPOCH},
};

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
    let seconds = since_epoch.as_secs();
    let (year, month, day) = civil_date(seconds / 86_400);
    let of_day = seconds % 86_400;
    let mut text = *b"0000-00-00T00:00:00.000000Z";
    put_digits(&mut text[0..4], year);
    put_digits(&mut text[5..7], month);
    put_digits(&mut text[8..10], day);
    put_digits(&mut text[11..13], of_day / 3600);
    put_digits(&mut text[14..16], of_day / 60 % 60);
    put_digits(&mut text[17..19], of_day % 60);
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

/// `value` in decimal, written into the end of `buffer` (a `u64` has at
/// most 20 digits), without the formatting machinery.
pub(crate) fn decimal(value: u64, buffer: &mut [u8; 20]) -> &str {
    let count = (value.checked_ilog10().unwrap_or(0) + 1) as usize;
    let place = &mut buffer[20 - count..];
    put_digits(place, value);
    // Only ASCII digits were written.
    std::str::from_utf8(place).unwrap_or("0")
}

/// `value` in decimal.
fn write_number(writer: &mut impl fmt::Write, value: u64) -> fmt::Result {
    writer.write_str(decimal(value, &mut [0; 20]))
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, for days on or after the epoch).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
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
    fn dates_are_those_of_the_calendar() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(59), (1970, 3, 1));
        // 2000 was a leap year, 2100 will not be.
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(11_017), (2000, 3, 1));
        assert_eq!(civil_date(47_540), (2100, 2, 28));
        assert_eq!(civil_date(47_541), (2100, 3, 1));
        assert_eq!(civil_date(20_792), (2026, 12, 5));
    }

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
        let mut written = String::new();
        let at = UNIX_EPOCH + Duration::new(1_796_456_241, 250_943_999);
        write_time(&mut written, at).expect("writes");
        assert_eq!(written, "2026-12-05T07:37:21.250943Z");
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
