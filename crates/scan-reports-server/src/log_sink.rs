//! Where the server's log lines go: to a thread of their own, through a
//! bounded buffer, so that writing the one line per request never waits on
//! the sink (a slow terminal, a full pipe). When the buffer is full the line
//! is dropped and counted; `/metrics` reports the count
//! (`scan_reports_log_lines_dropped_total`).
//!
//! A line costs its request a copy under a short lock, and nothing more:
//! the writer thread is not woken per line but takes what is buffered
//! every [`WRITE_EVERY`] and writes it in one call. Measured with
//! `cargo xtask bench`, waking it per line (a channel) made two context
//! switches per request and cost a third of the throughput of a cached
//! answer; tracing-appender's lossy `non_blocking`, which wakes its thread
//! through a channel too, took 23 to 53 % more CPU per cached 1-id answer
//! (BENCHMARKS.md, "Hand-written or a crate").

use std::{
    io::Write,
    sync::{
        Arc, Condvar, Mutex, MutexGuard,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use tracing_subscriber::fmt::MakeWriter;

/// Lines the buffer holds before new ones are dropped: a burst of many
/// thousand requests, at about 200 bytes a line, is a few MiB at most.
pub const QUEUED_LINES: usize = 16_384;

/// How often the writer thread writes what is buffered. A line reaches
/// the sink at most this late.
pub const WRITE_EVERY: Duration = Duration::from_millis(20);

/// Lines dropped since the process started, by every sink.
static DROPPED: AtomicU64 = AtomicU64::new(0);

/// Lines dropped because a sink's buffer was full.
pub fn dropped_lines() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

/// The lines waiting for the writer thread, and the flushes asked of it.
#[derive(Debug, Default)]
struct Pending {
    bytes: Vec<u8>,
    lines: usize,
    /// Flushes asked for, and done: a flush is done once every line
    /// buffered before it was asked is written.
    flushes_asked: u64,
    flushes_done: u64,
}

#[derive(Debug)]
struct Shared {
    pending: Mutex<Pending>,
    /// Wakes the writer thread for a flush (it wakes by itself every
    /// [`WRITE_EVERY`] otherwise).
    flush_asked: Condvar,
    /// Wakes whoever waits for a flush.
    flush_done: Condvar,
    capacity: usize,
}

impl Shared {
    /// The lines, even when a thread panicked while holding them: the
    /// buffer is bytes and counts, consistent after any single write.
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A `MakeWriter` for tracing's fmt layer that buffers each formatted line
/// for the writer thread.
#[derive(Debug, Clone)]
pub struct QueuedLines {
    shared: Arc<Shared>,
}

/// Dropped at exit: waits (a second at most) until the lines buffered
/// before are written.
#[derive(Debug)]
pub struct Flusher {
    shared: Arc<Shared>,
}

/// How long the flush at exit waits for the sink.
const FLUSH_WAIT: Duration = Duration::from_secs(1);

/// A buffer of `capacity` lines in front of `sink`, written on a thread of
/// its own. Without a thread (none could be made) lines are dropped and
/// counted once the buffer is full.
pub fn queued(sink: impl Write + Send + 'static, capacity: usize) -> (QueuedLines, Flusher) {
    let shared = Arc::new(Shared {
        pending: Mutex::default(),
        flush_asked: Condvar::new(),
        flush_done: Condvar::new(),
        capacity,
    });
    let writer = shared.clone();
    let _ = std::thread::Builder::new()
        .name("scan-reports-log".into())
        .spawn(move || write_all(&writer, sink));
    (
        QueuedLines {
            shared: shared.clone(),
        },
        Flusher { shared },
    )
}

/// The writer thread: every [`WRITE_EVERY`], or at once for a flush, takes
/// what is buffered and writes it in one call. Runs for the life of the
/// process.
fn write_all(shared: &Shared, mut sink: impl Write) {
    let mut batch = Vec::new();
    loop {
        let flushing = {
            let pending = shared.lock();
            let (mut pending, _) = shared
                .flush_asked
                .wait_timeout_while(pending, WRITE_EVERY, |pending| {
                    pending.flushes_asked == pending.flushes_done
                })
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            std::mem::swap(&mut batch, &mut pending.bytes);
            pending.lines = 0;
            pending.flushes_asked
        };
        if !batch.is_empty() {
            // A sink that fails (a closed pipe) loses the lines; the
            // server goes on answering.
            let _ = sink.write_all(&batch);
            batch.clear();
        }
        let mut pending = shared.lock();
        if pending.flushes_done != flushing {
            drop(pending);
            let _ = sink.flush();
            pending = shared.lock();
            pending.flushes_done = flushing;
            shared.flush_done.notify_all();
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        let deadline = Instant::now() + FLUSH_WAIT;
        let mut pending = self.shared.lock();
        pending.flushes_asked += 1;
        let asked = pending.flushes_asked;
        self.shared.flush_asked.notify_all();
        while pending.flushes_done < asked {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return;
            };
            pending = match self.shared.flush_done.wait_timeout(pending, left) {
                Ok((pending, _)) => pending,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}

/// One line being written: the fmt layer writes a formatted event at once.
#[derive(Debug)]
pub struct QueuedLine<'a> {
    shared: &'a Shared,
}

impl Write for QueuedLine<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut pending = self.shared.lock();
        if pending.lines >= self.shared.capacity {
            // Full: the sink is behind. Dropped, never waited for.
            drop(pending);
            DROPPED.fetch_add(1, Ordering::Relaxed);
        } else {
            pending.bytes.extend_from_slice(bytes);
            pending.lines += 1;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for QueuedLines {
    type Writer = QueuedLine<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        QueuedLine {
            shared: &self.shared,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A sink that takes a long time per line, as a stalled terminal does.
    struct Stalled(Arc<Mutex<Vec<u8>>>);

    impl Write for Stalled {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(50));
            self.0.lock().expect("sink").extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stalled_sink_drops_and_counts_lines_instead_of_waiting() {
        let written = Arc::new(Mutex::new(Vec::new()));
        let (lines, _flusher) = queued(Stalled(written.clone()), 4);
        let before = dropped_lines();
        for index in 0..100 {
            let mut writer = lines.make_writer();
            writer
                .write_all(format!("line {index}\n").as_bytes())
                .expect("never fails");
        }
        // Had the caller waited for the sink, none would be dropped.
        let dropped = dropped_lines() - before;
        assert!(dropped >= 90, "{dropped} dropped");
    }

    #[test]
    fn every_line_a_free_sink_can_take_arrives_in_order() {
        let written = Arc::new(Mutex::new(Vec::new()));
        struct Free(Arc<Mutex<Vec<u8>>>);
        impl Write for Free {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("sink").extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let (lines, flusher) = queued(Free(written.clone()), 64);
        for index in 0..10 {
            let mut writer = lines.make_writer();
            writer
                .write_all(format!("{index}\n").as_bytes())
                .expect("never fails");
        }
        // The flush at exit waits until they are written.
        drop(flusher);
        let expected: String = (0..10).map(|index| format!("{index}\n")).collect();
        assert_eq!(
            String::from_utf8_lossy(&written.lock().expect("sink")),
            expected
        );
    }
}
