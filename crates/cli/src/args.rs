//! A small command-line parser: `--name value`, `--name=value`, boolean `--flag`, `--help`/`-h`, and
//! positional arguments, checked against the options a command declares.

use crate::CliError;

/// One option a command accepts.
pub struct Spec {
    /// Long name without dashes.
    pub name: &'static str,
    /// Whether it takes a value.
    pub takes_value: bool,
}

/// What the command line said.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Arguments that are not options, in order.
    pub positional: Vec<String>,
    /// Options in order: (name, value).
    pub options: Vec<(String, Option<String>)>,
    /// `--help` or `-h` was given.
    pub help: bool,
}

impl Parsed {
    /// The last value given for `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options.iter().rev().find(|(n, _)| n == name).and_then(|(_, v)| v.as_deref())
    }

    /// Whether the flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }
}

/// Parses `argv` against `specs`.
pub fn parse(argv: &[String], specs: &[Spec]) -> Result<Parsed, CliError> {
    let mut out = Parsed::default();
    let mut iter = argv.iter();
    let mut only_positional = false;
    while let Some(arg) = iter.next() {
        if only_positional || !arg.starts_with('-') || arg == "-" {
            out.positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        if arg == "--help" || arg == "-h" {
            out.help = true;
            continue;
        }
        let Some(body) = arg.strip_prefix("--") else {
            return Err(CliError::usage(format!("unknown option '{arg}' (options are spelled --name)")));
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let spec = specs.iter().find(|s| s.name == name).ok_or_else(|| {
            let known: Vec<String> = specs.iter().map(|s| format!("--{}", s.name)).collect();
            CliError::usage(format!("unknown option '--{name}' (known: {})", known.join(", ")))
        })?;
        let value = if spec.takes_value {
            match inline {
                Some(v) => Some(v),
                None => Some(
                    iter.next()
                        .cloned()
                        .ok_or_else(|| CliError::usage(format!("option --{name} needs a value")))?,
                ),
            }
        } else {
            if inline.is_some() {
                return Err(CliError::usage(format!("option --{name} takes no value")));
            }
            None
        };
        out.options.push((name.to_string(), value));
    }
    Ok(out)
}

/// Parses an option value as a number, naming the option on failure.
pub fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, CliError> {
    value.trim().parse().map_err(|_| CliError::usage(format!("--{name} expects a number, got '{value}'")))
}
