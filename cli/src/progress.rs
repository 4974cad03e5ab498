//! Progress on stderr with `indicatif`: shown only when stderr is a
//! terminal and `--quiet` is not given.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// One bar for the whole run: bytes while reading, a spinner after.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr_with_hz(4)
        };
        Progress { bar: ProgressBar::with_draw_target(None, target) }
    }

    /// Reading `total` bytes (of every input file).
    pub fn reading(&self, total: u64) {
        self.bar.set_length(total);
        self.bar.set_style(
            ProgressStyle::with_template("[{elapsed_precise}] reading {bar:30} {binary_bytes}/{binary_total_bytes}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }

    /// `bytes` more read.
    pub fn read(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    /// A step with no measure of its own.
    pub fn step(&self, message: String) {
        self.bar.set_style(
            ProgressStyle::with_template("[{elapsed_precise}] {spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        self.bar.set_message(message);
        self.bar.enable_steady_tick(Duration::from_millis(250));
    }

    /// Clears the bar, before the program's own messages or its end.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
