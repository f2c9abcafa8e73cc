//! `mdbook-fleetplay`, the mdBook preprocessor that turns ```` ```fleetplay ```` blocks into embedded
//! playgrounds (see `lib.rs` for the block's form). mdBook runs it as `mdbook-fleetplay supports <renderer>`
//! (exit 0 for `html`: the embeds need a browser) and then with `[context, book]` as JSON on stdin, reading
//! the book back from stdout. A problem is printed with its place and fails the build.

use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
usage: mdbook-fleetplay [supports RENDERER]

An mdBook preprocessor: add to book.toml

    [preprocessor.fleetplay]
    url = \"https://fleetplay.example/\"   # where the playground (and its embed.js) is served

and write a fenced block in a chapter:

    ```fleetplay
    provider = transfer
    op = StopServer
    server = s-0123456789abcdef0
    ```
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["supports", renderer] => {
            if *renderer == "html" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        [] => run(),
        ["--version" | "-V"] => {
            println!("mdbook-fleetplay {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        ["--help" | "-h"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("mdbook-fleetplay: unexpected arguments {args:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("mdbook-fleetplay: cannot read mdBook's input: {e}");
        return ExitCode::FAILURE;
    }
    match mdbook_fleetplay::preprocess(&input) {
        Ok(book) => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(book.as_bytes()).and_then(|()| out.flush()) {
                eprintln!("mdbook-fleetplay: cannot write the book: {e}");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for line in problems.lines() {
                eprintln!("mdbook-fleetplay: {line}");
            }
            ExitCode::FAILURE
        }
    }
}
