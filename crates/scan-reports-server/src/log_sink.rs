//! Where the server's log lines go: to a thread of their own, through a
//! bounded queue, so that writing the one line per request never waits on
//! the sink (a slow terminal, a full pipe). When the queue is full the line
//! is dropped and counted; `/metrics` reports the count
//! (`scan_reports_log_lines_dropped_total`).

use std::{
    io::Write,
    sync::{
        atomic::{AtomicU64, Ordering},
        mpsc::{Receiver, SyncSender, TrySendError, sync_channel},
    },
    time::Duration,
};

use tracing_subscriber::fmt::MakeWriter;

/// Lines the queue holds before new ones are dropped: a burst of many
/// thousand requests, at about 200 bytes a line, is a few MiB at most.
pub const QUEUED_LINES: usize = 16_384;

/// Lines dropped since the process started, by every sink.
static DROPPED: AtomicU64 = AtomicU64::new(0);

/// Lines dropped because a sink's queue was full.
pub fn dropped_lines() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

/// What the writer thread is handed: a line, or a request to say when
/// every line before it is written.
#[derive(Debug)]
enum Item {
    Line(Vec<u8>),
    Flushed(SyncSender<()>),
}

/// A `MakeWriter` for tracing's fmt layer that hands each formatted line to
/// the writer thread.
#[derive(Debug, Clone)]
pub struct QueuedLines {
    queue: SyncSender<Item>,
}

/// Dropped at exit: waits (a second at most) until the lines queued
/// before are written.
#[derive(Debug)]
pub struct Flusher {
    queue: SyncSender<Item>,
}

/// How long the flush at exit waits for the sink.
const FLUSH_WAIT: Duration = Duration::from_secs(1);

/// A queue of `capacity` lines in front of `sink`, written on a thread of
/// its own. Without a thread (none could be made) every line is dropped
/// and counted.
pub fn queued(sink: impl Write + Send + 'static, capacity: usize) -> (QueuedLines, Flusher) {
    let (queue, items) = sync_channel(capacity);
    let _ = std::thread::Builder::new()
        .name("scan-reports-log".into())
        .spawn(move || write_all(items, sink));
    (
        QueuedLines {
            queue: queue.clone(),
        },
        Flusher { queue },
    )
}

fn write_all(items: Receiver<Item>, mut sink: impl Write) {
    for item in items {
        match item {
            Item::Line(line) => {
                // A sink that fails (a closed pipe) loses the line; the
                // server goes on answering.
                let _ = sink.write_all(&line);
            }
            Item::Flushed(done) => {
                let _ = sink.flush();
                let _ = done.send(());
            }
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        let (done, flushed) = sync_channel(1);
        if self.queue.send(Item::Flushed(done)).is_ok() {
            let _ = flushed.recv_timeout(FLUSH_WAIT);
        }
    }
}

/// One line being written: the fmt layer writes a formatted event at once.
#[derive(Debug)]
pub struct QueuedLine<'a> {
    queue: &'a SyncSender<Item>,
}

impl Write for QueuedLine<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self.queue.try_send(Item::Line(bytes.to_vec())) {
            Ok(()) => {}
            // Full, or the writer thread gone: dropped, never waited for.
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                DROPPED.fetch_add(1, Ordering::Relaxed);
            }
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
        QueuedLine { queue: &self.queue }
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
