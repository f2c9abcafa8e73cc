//! `fleetplay`: the simulator on the command line.
//!
//! Three commands: `replay` runs the requests of a `.http` file and prints the transcript, `serve` answers
//! real SDKs over HTTP/1.1 on 127.0.0.1 (with a control API under `/_fleetplay/`), and `scenario` prints the
//! built-in scenario. Arguments are parsed by hand (std only). Bad input ends in one line on stderr,
//! `fleetplay: FILE:LINE: message`, and a non-zero exit code; a panic hook turns any internal failure into
//! one line as well.

mod args;
mod control;
mod http1;
mod replay;
mod serve;

use std::process::ExitCode;

/// An error the user can act on: where (file and line, when known) and what.
#[derive(Debug)]
pub struct CliError {
    /// `FILE`, `FILE:LINE` or `FILE:LINE:COLUMN`; empty for errors without a place.
    pub place: String,
    /// What is wrong, one line.
    pub message: String,
    /// Exit code.
    pub code: u8,
}

impl CliError {
    /// A usage or input error (exit code 2).
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> Self {
        CliError { place: place.into(), message: message.into(), code: 2 }
    }

    /// A usage error with no place.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new("", message)
    }
}

const USAGE: &str = "\
fleetplay: a deterministic simulator of AWS Transfer StopServer, Lightsail StopInstance and Nova os-stop

Usage:
  fleetplay replay FILE.http [--scenario FILE.json] [--seed N] [--format http|json|markdown] [--check]
  fleetplay serve [--port N] [--scenario FILE.json] [--seed N] [--speed F]
  fleetplay scenario
  fleetplay help [COMMAND]

Run `fleetplay COMMAND --help` for the options of one command.
";

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("fleetplay: internal error: {}{place}", message.replace('\n', " "));
    }));
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let message = e.message.replace('\n', " ");
            if e.place.is_empty() {
                eprintln!("fleetplay: {message}");
            } else {
                eprintln!("fleetplay: {}: {message}", e.place);
            }
            ExitCode::from(e.code)
        }
    }
}

fn run(argv: &[String]) -> Result<u8, CliError> {
    let Some((command, rest)) = argv.split_first() else {
        print!("{USAGE}");
        return Ok(2);
    };
    match command.as_str() {
        "replay" => replay::main(rest),
        "serve" => serve::main(rest),
        "scenario" => scenario_main(rest),
        "help" | "--help" | "-h" => {
            match rest.first().map(String::as_str) {
                Some("replay") => print!("{}", replay::HELP),
                Some("serve") => print!("{}", serve::HELP),
                Some("scenario") => print!("{SCENARIO_HELP}"),
                _ => print!("{USAGE}"),
            }
            Ok(0)
        }
        "--version" | "-V" => {
            println!("fleetplay {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        other => Err(CliError::usage(format!("unknown command '{other}' (try fleetplay --help)"))),
    }
}

const SCENARIO_HELP: &str = "\
Usage: fleetplay scenario

Prints the built-in scenario as pretty JSON (format fleetplay-scenario/1). Save it, edit it, and pass it to
`replay --scenario` or `serve --scenario`, or POST it to /_fleetplay/scenario.
";

fn scenario_main(argv: &[String]) -> Result<u8, CliError> {
    let parsed = args::parse(argv, &[])?;
    if parsed.help {
        print!("{SCENARIO_HELP}");
        return Ok(0);
    }
    if let Some(extra) = parsed.positional.first() {
        return Err(CliError::usage(format!("scenario takes no arguments, got '{extra}'")));
    }
    println!("{}", sim::Scenario::builtin().to_json_pretty());
    Ok(0)
}

/// Reads and validates a scenario file; errors name the file and the place inside it.
pub fn load_scenario(path: &str) -> Result<sim::Scenario, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::new(path, format!("cannot read the scenario: {}", io_reason(&e))))?;
    sim::Scenario::from_json(&text).map_err(|e| scenario_error(path, &e))
}

/// `FILE:LINE:COLUMN: message` for JSON errors, `FILE: member.path: message` for validation errors.
pub fn scenario_error(path: &str, e: &sim::ScenarioError) -> CliError {
    let mut words = e.place.split_whitespace();
    if let (Some("line"), Some(line), Some("column"), Some(column)) =
        (words.next(), words.next(), words.next(), words.next())
    {
        return CliError::new(format!("{path}:{line}:{column}"), format!("invalid scenario: {}", e.message));
    }
    CliError::new(path, format!("invalid scenario: {}: {}", e.place, e.message))
}

/// An I/O error without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::InvalidData => "the file is not UTF-8 text".to_string(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(pos) => text[..pos].to_string(),
                None => text,
            }
        }
    }
}
