//! `hegui`: scan Chinese marketing content before it is sent.
//!
//! Exit codes: 0 = nothing at or above `--fail-on`; 1 = findings at or above it (or
//! failing rule examples); 2 = usage, I/O or pack error (or unreadable batch records).

/// `println!` / `print!` for the commands: output closed early (`hegui eval … | head`)
/// ends the process quietly instead of panicking; another write error exits with 2.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let result = writeln!(std::io::stdout().lock(), $($arg)*);
        $crate::exit_on_write_error(result);
    }};
}

/// See [`println!`].
macro_rules! print {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let result = write!(std::io::stdout().lock(), $($arg)*);
        $crate::exit_on_write_error(result);
    }};
}

mod batch;
mod eval;
mod input;
mod links;
mod lint;
mod packs;
mod plan;
mod render;
mod ruledoc;
mod rules;
mod rules_fuzz;
mod sarif;
mod scan;
mod schema;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use hegui_core::Severity;

/// Scan Chinese marketing content (WeChat 群发, 公众号, SMS, push) for inducement to
/// share, exaggerated claims, financial promotion without disclosures and bad links.
#[derive(Debug, Parser)]
#[command(name = "hegui", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan messages: each file is one message; no path or `-` reads stdin.
    Scan(scan::ScanArgs),
    /// List the links of messages with host, registrable domain and the checks that
    /// fired; no path or `-` reads stdin.
    Links(links::LinksArgs),
    /// Check a send plan: platform limits, schedule, media review, content; proposes
    /// a compliant split when over a limit.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Work with rule packs.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Serve the scanner over HTTP: POST /v1/scan, GET /v1/packs, POST /v1/reload
    /// (or SIGHUP), GET /healthz.
    Serve(serve::ServeArgs),
    /// Print the JSON Schema of rule packs or reports.
    Schema(schema::SchemaArgs),
    /// Measure the packs: precision/recall on labelled messages, or findings per 1,000
    /// lines of ordinary text.
    Eval(eval::EvalArgs),
}

/// Severity threshold for `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Block,
    Review,
    Notice,
}

impl From<FailOn> for Severity {
    fn from(value: FailOn) -> Severity {
        match value {
            FailOn::Block => Severity::Block,
            FailOn::Review => Severity::Review,
            FailOn::Notice => Severity::Notice,
        }
    }
}

/// What a command found, mapped to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Clean,
    Findings,
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(match outcome {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Error => 2,
        })
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Links(args) => links::run(&args),
        Command::Plan(command) => plan::run(&command),
        Command::Rules(command) => rules::run(&command),
        Command::Schema(args) => schema::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Eval(args) => eval::run(&args),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Ends the process after a failed write to stdout: quietly (0) when the reader went
/// away, with 2 otherwise.
fn exit_on_write_error(result: std::io::Result<()>) {
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write the output: {e}");
        std::process::exit(2);
    }
}

/// Output closed early (`hegui scan … | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
