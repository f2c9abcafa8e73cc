//! `fleetplay replay FILE.http`: runs the requests of a `.http` file against a fresh simulation and prints
//! the transcript as HTTP text or JSON lines; with `--check`, also verifies the file's `>` check lines.

use crate::args::{self, Spec};
use crate::{io_reason, load_scenario, CliError};
use sim::http::parse_http_file;
use sim::transcript::{render_jsonl, render_markdown, render_text, replay, scenario_from_directives};
use sim::{Scenario, Sim};
use std::io::Write;
use std::path::Path;

/// `fleetplay replay --help`.
pub const HELP: &str = "\
Usage: fleetplay replay FILE.http [--scenario FILE.json] [--seed N] [--format http|json|markdown] [--check]

Runs the requests of FILE.http, in order, against a fresh simulation and prints the transcript.

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
/pointer` always runs, and later requests may use {{NAME}}.

Options:
  --scenario FILE.json  start from this scenario instead of the built-in one (the file's @scenario is skipped)
  --seed N              override the scenario's seed
  --format http|json|markdown
                        transcript as HTTP/1.1 text (default), JSON lines, or Markdown blocks of request and
                        response that a documentation build can include directly
  --check               verify the check lines; exit 1 when one fails
";

/// Runs the command.
pub fn main(argv: &[String]) -> Result<u8, CliError> {
    let specs = [
        Spec { name: "scenario", takes_value: true },
        Spec { name: "seed", takes_value: true },
        Spec { name: "format", takes_value: true },
        Spec { name: "check", takes_value: false },
    ];
    let parsed = args::parse(argv, &specs)?;
    if parsed.help {
        print!("{HELP}");
        return Ok(0);
    }
    let path = match parsed.positional.as_slice() {
        [one] => one.clone(),
        [] => return Err(CliError::usage("replay needs a .http file (fleetplay replay FILE.http)")),
        [_, extra, ..] => return Err(CliError::usage(format!("replay takes one file, got also '{extra}'"))),
    };
    let render: fn(&[sim::transcript::Entry]) -> String = match parsed.value("format").unwrap_or("http") {
        "http" | "text" => render_text,
        "json" | "jsonl" => render_jsonl,
        "markdown" | "md" => render_markdown,
        other => {
            return Err(CliError::usage(format!("--format must be http, json or markdown, got '{other}'")))
        }
    };
    let seed = parsed.value("seed").map(|v| args::number::<u64>("seed", v)).transpose()?;
    let base = match parsed.value("scenario") {
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
    let mut scenario =
        scenario_from_directives(base, &file.steps, parsed.value("scenario").is_some(), &mut load)
            .map_err(|e| CliError::new(format!("{path}:{}", e.line), e.message))?;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let mut sim =
        Sim::new(scenario).map_err(|e| CliError::new(path.as_str(), format!("invalid scenario: {e}")))?;

    let check = parsed.flag("check");
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
