//! `fleetplay replay FILE.http`: runs the requests of a `.http` file against a fresh simulation and prints
//! the transcript as HTTP text or JSON lines; with `--check`, also verifies the file's `>` check lines.

use crate::{io_reason, load_scenario, CliError};
use sim::http::parse_http_file;
use sim::transcript::{render_jsonl, render_markdown, render_text, replay, scenario_from_directives};
use sim::{Scenario, Sim};
use std::io::Write;
use std::path::Path;

const DIRECTIVES: &str = "\
FILE.http holds requests separated by ### lines (REST Client style): a request line with an absolute URL or
an origin-form target plus a Host header, header lines, a blank line, the body. Lines starting with # are
comments. Directives between requests:
  # @advance 90s        advance simulated time (ms, s, m, h; combinable: 1m30s)
  # @advance-to 10m     advance to an absolute simulated time
  # @step               jump to the next scheduled state change
  # @expect CHECK       a check evaluated at that point (with --check)
  # @scenario builtin|empty|PATH, # @set a.b.c = JSON, # @seed N   (before the first request)
After a request's body, `> CHECK` lines (status 409, header Name = value, json /pointer = JSON, state
PROVIDER ID = STATE, event ID FROM -> TO, no-events, ...) are verified with --check; `> capture NAME =
/pointer` always runs, and later requests may use {{NAME}}.";

/// Run the requests of a .http file against a fresh simulation and print the transcript.
#[derive(clap::Args, Debug)]
#[command(after_long_help = DIRECTIVES)]
pub struct Args {
    /// The .http file to replay.
    #[arg(value_name = "FILE.http")]
    file: String,
    /// Start from this scenario instead of the built-in one (the file's @scenario is skipped).
    #[arg(long, value_name = "FILE.json")]
    scenario: Option<String>,
    /// Override the scenario's seed.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// The transcript as HTTP/1.1 text, JSON lines, or Markdown blocks of request and response that a
    /// documentation build can include directly.
    #[arg(long, value_enum, default_value_t = Format::Http)]
    format: Format,
    /// Verify the check lines; exit 1 when one fails.
    #[arg(long)]
    check: bool,
}

/// How `replay` prints the transcript.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// HTTP/1.1 text, as the determinism golden file holds it.
    #[value(alias = "text")]
    Http,
    /// One JSON object per exchange or event.
    #[value(alias = "jsonl")]
    Json,
    /// Request and response blocks for a documentation build.
    #[value(alias = "md")]
    Markdown,
}

/// Runs the command.
pub fn main(args: Args) -> Result<u8, CliError> {
    let path = args.file;
    let render: fn(&[sim::transcript::Entry]) -> String = match args.format {
        Format::Http => render_text,
        Format::Json => render_jsonl,
        Format::Markdown => render_markdown,
    };
    let base = match &args.scenario {
        Some(file) => load_scenario(file)?,
        None => Scenario::builtin(),
    };

    let text = std::fs::read_to_string(&path)
        .map_err(|e| CliError::new(path.as_str(), format!("cannot read: {}", io_reason(&e))))?;
    let file = parse_http_file(&text).map_err(|e| CliError::new(format!("{path}:{}", e.line), e.message))?;
    let dir = Path::new(&path).parent().map(Path::to_path_buf).unwrap_or_default();
    let mut load = |rel: &str| {
        std::fs::read_to_string(dir.join(rel))
            .map_err(|e| format!("cannot read scenario {rel}: {}", io_reason(&e)))
    };
    let mut scenario = scenario_from_directives(base, &file.steps, args.scenario.is_some(), &mut load)
        .map_err(|e| CliError::new(format!("{path}:{}", e.line), e.message))?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let mut sim =
        Sim::new(scenario).map_err(|e| CliError::new(path.as_str(), format!("invalid scenario: {e}")))?;

    let check = args.check;
    let run = replay(&mut sim, &file.steps, check);
    if let Some(e) = run.errors.first() {
        return Err(CliError::new(format!("{path}:{}", e.line), e.message.clone()));
    }
    let out = render(&run.entries);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    if !check {
        return Ok(0);
    }
    for f in &run.failures {
        eprintln!("{path}:{}: {}", f.line, f.message.replace('\n', " "));
    }
    if run.failures.is_empty() {
        eprintln!("fleetplay: {path}: all {} checks passed", run.checks);
        Ok(0)
    } else {
        eprintln!("fleetplay: {path}: {} of {} checks failed", run.failures.len(), run.checks);
        Ok(1)
    }
}
