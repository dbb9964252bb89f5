//! What the user sees while a run works: progress bars on a terminal, plain
//! lines otherwise (logs, CI), nothing but warnings and errors with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

#[derive(Debug, Clone)]
pub struct Reporter {
    verbosity: Verbosity,
    terminal: bool,
}

impl Reporter {
    pub fn new(verbosity: Verbosity) -> Self {
        Self {
            verbosity,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// A stage's progress bar over `total` items; hidden off a terminal.
    pub fn bar(&self, stage: &str, total: u64, unit: &str) -> ProgressBar {
        if self.verbosity == Verbosity::Quiet || !self.terminal {
            return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        }
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{prefix:>9.bold}} [{{bar:30}}] {{pos}}/{{len}} {unit} {{per_sec}} eta {{eta}}"
            ))
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix(stage.to_owned());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// One line about the run (stderr, so stdout stays for results).
    pub fn line(&self, message: impl AsRef<str>) {
        if self.verbosity != Verbosity::Quiet {
            eprintln!("{}", message.as_ref());
        }
    }

    /// The outcome of a command, on stdout. Its work is done, so a reader
    /// that has gone away loses nothing.
    pub fn result(&self, message: impl AsRef<str>) {
        if self.verbosity != Verbosity::Quiet {
            let _ = writeln!(std::io::stdout(), "{}", message.as_ref());
        }
    }

    /// Detail only `--verbose` wants.
    pub fn detail(&self, message: impl AsRef<str>) {
        if self.verbosity == Verbosity::Verbose {
            eprintln!("  {}", message.as_ref());
        }
    }

    /// A one-line warning: always shown.
    pub fn warn(&self, message: impl AsRef<str>) {
        eprintln!("warning: {}", message.as_ref());
    }
}
