//! Progress of long work on standard error: shown only on a terminal, and
//! only once the work has run two seconds, so quick runs, logs and pipes
//! stay quiet.

use std::{
    io::IsTerminal,
    sync::Mutex,
    time::{Duration, Instant},
};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its progress is drawn.
const SHOWN_AFTER: Duration = Duration::from_secs(2);

/// A progress bar that appears late, on a terminal only.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: Mutex<bool>,
    terminal: bool,
}

impl Progress {
    pub fn new(what: &str) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_owned());
        Self {
            bar,
            started: Instant::now(),
            shown: Mutex::new(false),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// `done` of `all` finished.
    pub fn set(&self, done: usize, all: usize) {
        self.bar.set_length(all as u64);
        self.bar.set_position(done as u64);
        if self.terminal
            && self.started.elapsed() > SHOWN_AFTER
            && let Ok(mut shown) = self.shown.lock()
            && !*shown
        {
            *shown = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// A line of words in place of the counts.
    pub fn say(&self, message: String) {
        self.bar.set_message(message);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
