//! `fleetplay`: the simulator on the command line.
//!
//! Commands: `replay` runs the requests of a `.http` file and prints the transcript, `serve` answers real
//! SDKs over HTTP/1.1 on 127.0.0.1 (with a control API under `/_fleetplay/`, a live stream of what happens,
//! and with `--page` the playground page following it), `grade` replays students'
//! exported sessions against a lesson, `lesson check` validates a lesson and proves it completable,
//! `lesson make` writes a lesson from a session, `scenario` prints the built-in scenario, and
//! `completions` prints a shell completion script. Arguments are parsed by clap (derive), so
//! `--help`, `--version` and usage errors (exit code 2) look as in any clap program. Errors in the input
//! (a file that cannot be read, a bad request line, an invalid scenario) end in one line on stderr,
//! `fleetplay: FILE:LINE: message`, with exit code 2; a panic hook turns any internal failure into one
//! line as well.

mod access;
mod control;
mod handler;
mod history;
mod lessons;
mod live;
mod page;
mod replay;
mod serve;
mod server;

use clap::{CommandFactory, Parser, Subcommand};
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
    /// An input error (exit code 2).
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> Self {
        CliError { place: place.into(), message: message.into(), code: 2 }
    }

    /// An error with no place.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new("", message)
    }
}

/// A deterministic simulator of AWS Transfer StopServer, Lightsail StopInstance and Nova os-stop.
#[derive(Parser, Debug)]
#[command(name = "fleetplay", version, arg_required_else_help = true, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Replay(replay::Args),
    Serve(serve::Args),
    Grade(lessons::GradeArgs),
    /// Check a lesson file, or make one from an exported session.
    #[command(subcommand)]
    Lesson(lessons::LessonCommand),
    /// Print the built-in scenario as pretty JSON (format fleetplay-scenario/1).
    ///
    /// Save it, edit it, and pass it to `replay --scenario` or `serve --scenario`, or POST it to
    /// /_fleetplay/scenario.
    Scenario,
    /// Print a shell completion script.
    ///
    /// For example `fleetplay completions bash > ~/.local/share/bash-completion/completions/fleetplay`,
    /// or `fleetplay completions zsh > ~/.zfunc/_fleetplay`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

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
    // Help, version and usage errors print clap's text and exit here (0 for help and version, 2 for errors).
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Replay(args) => replay::main(args),
        Command::Serve(args) => serve::main(args),
        Command::Grade(args) => lessons::grade_main(args),
        Command::Lesson(command) => lessons::lesson_main(command),
        Command::Scenario => {
            println!("{}", sim::Scenario::builtin().to_json_pretty());
            Ok(0)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "fleetplay", &mut std::io::stdout());
            Ok(0)
        }
    };
    match result {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        // clap checks names, defaults and conflicts of the whole tree here, not only for the arguments a
        // test happens to pass.
        Cli::command().debug_assert();
    }
}
