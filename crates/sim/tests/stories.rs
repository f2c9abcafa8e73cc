//! Data-driven story tests: every `tests/stories/*.http` file is replayed against a fresh `Sim` and the
//! `> check` lines after each request, and `# @expect` lines between requests, are verified.
//!
//! The format is described in `tests/stories/README.md`. Set `STORY=part` to run only matching files.
//! A final check makes sure every test vector of the spec (T1–T23, L1–L24, N1–N29) is named by some story.

#![cfg(not(target_arch = "wasm32"))]

use sim::http::{parse_http_file, Step};
use sim::transcript::{replay, scenario_from_directives, Entry};
use sim::{Scenario, Sim};
use std::path::{Path, PathBuf};

fn story_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stories")
}

fn story_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(story_dir())
        .expect("tests/stories exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "http"))
        .collect();
    files.sort();
    files
}

/// Runs one story through `sim::transcript::replay` (the same code `fleetplay replay --check` uses); returns
/// its failures as `file:line: message`.
fn run_story(path: &Path) -> Vec<String> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return vec![format!("{name}: cannot read: {e}")],
    };
    let file = match parse_http_file(&text) {
        Ok(f) => f,
        Err(e) => return vec![format!("{name}:{}: {}", e.line, e.message)],
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(story_dir);
    let mut load =
        |p: &str| std::fs::read_to_string(dir.join(p)).map_err(|e| format!("cannot read {p}: {e}"));
    let scenario = match scenario_from_directives(Scenario::builtin(), &file.steps, false, &mut load) {
        Ok(s) => s,
        Err(f) => return vec![format!("{name}:{}: {}", f.line, f.message)],
    };
    let mut sim = match Sim::new(scenario) {
        Ok(sim) => sim,
        Err(e) => return vec![format!("{name}: scenario: {e}")],
    };
    let run = replay(&mut sim, &file.steps, true);
    let requests = file.steps.iter().filter(|s| matches!(s, Step::Request(_))).count();
    let mut failures: Vec<String> = run
        .errors
        .iter()
        .chain(&run.failures)
        .map(|f| {
            let response = response_near(&run.entries, &file.steps, f.line);
            format!("{name}:{}: {}{response}", f.line, f.message)
        })
        .collect();
    if requests == 0 || run.checks == 0 {
        failures.push(format!(
            "{name}:1: a story needs at least one request and one check (found {requests} and {})",
            run.checks
        ));
    }
    failures
}

/// The response of the request a failing check belongs to, indented, to make failures readable.
fn response_near(entries: &[Entry], steps: &[Step], line: usize) -> String {
    let index = steps
        .iter()
        .filter_map(|s| match s {
            Step::Request(item) => Some(item.line),
            _ => None,
        })
        .take_while(|&l| l <= line)
        .count();
    let exchange = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Exchange(ex) => Some(ex),
            Entry::Event(_) => None,
        })
        .nth(index.saturating_sub(1));
    match exchange {
        Some(ex) if index > 0 => {
            let text = sim::http::render_response(&ex.response);
            format!(
                "\n    response was:\n{}",
                text.lines().map(|l| format!("      {l}")).collect::<Vec<_>>().join("\n")
            )
        }
        _ => String::new(),
    }
}

#[test]
fn every_story_passes() {
    let filter = std::env::var("STORY").unwrap_or_default();
    let files: Vec<PathBuf> =
        story_files().into_iter().filter(|p| p.to_string_lossy().contains(&filter)).collect();
    assert!(!files.is_empty(), "no story files matched {filter:?} in {}", story_dir().display());
    let mut failures = Vec::new();
    for file in &files {
        failures.extend(run_story(file));
    }
    println!("{} stories, {} failures", files.len(), failures.len());
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// Where a story names the spec vectors it covers (`tests/stories/README.md`): its title (the leading
/// comment lines before any directive, request or blank line) and the name of each request (the text after
/// `###`). A vector id anywhere else (a note, a body, a check) does not count.
fn named_places(text: &str) -> Vec<&str> {
    let mut places = Vec::new();
    let mut in_title = true;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(name) = line.strip_prefix("###") {
            places.push(name);
            in_title = false;
        } else if in_title && line.starts_with('#') && !line.starts_with("# @") {
            places.push(line.trim_start_matches('#'));
        } else {
            in_title = false;
        }
    }
    places
}

/// True when `id` (e.g. `T3`) appears in `text` as a word: not inside `T30` or `NT3`.
fn names_vector(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(pos, _)| {
        let before = text[..pos].chars().last().unwrap_or(' ');
        let after = text[pos + id.len()..].chars().next().unwrap_or(' ');
        !before.is_ascii_alphanumeric() && !after.is_ascii_alphanumeric()
    })
}

/// Every test vector the spec lists (T1–T23, L1–L24, N1–N29) must be named by some story, in its title or in
/// the name of one of its requests.
#[test]
fn every_spec_vector_has_a_story() {
    let texts: Vec<String> = story_files().iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    let places: Vec<&str> = texts.iter().flat_map(|t| named_places(t)).collect();
    let vectors: Vec<String> = (1..=23)
        .map(|n| format!("T{n}"))
        .chain((1..=24).map(|n| format!("L{n}")))
        .chain((1..=29).map(|n| format!("N{n}")))
        .collect();
    assert_eq!(vectors.len(), 76);
    let missing: Vec<&String> =
        vectors.iter().filter(|id| !places.iter().any(|p| names_vector(p, id))).collect();
    assert!(
        missing.is_empty(),
        "spec test vectors no story names in its title or a request's name: {missing:?}"
    );
}

#[test]
fn only_titles_and_request_names_name_vectors() {
    let story =
        "# A title naming T1 (spec §1, T2)\n# and its second line, N3\n# @set a = 1\n# a note on T4\n\n\
                 ### L5: a request\nPOST / HTTP/1.1\n\n{\"x\": \"T6\"}\n\n> diagnosis ~ N7\n";
    let places = named_places(story);
    let named = |id: &str| places.iter().any(|p| names_vector(p, id));
    assert!(named("T1") && named("T2") && named("N3") && named("L5"), "{places:?}");
    assert!(!named("T4") && !named("T6") && !named("N7"), "{places:?}");
    assert!(!names_vector("T30, NT3, T3x", "T3"));
}

#[test]
fn the_checker_rejects_wrong_expectations() {
    // A story harness that cannot fail proves nothing: run a story whose checks are all wrong.
    let dir = std::env::temp_dir().join(format!("fleetplay-story-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("wrong.http");
    let text = "# wrong on purpose\n###\nGET /nowhere HTTP/1.1\n\n> status 200\n> header Content-Type = application/json\n> body ~ hello\n> no-events\n";
    std::fs::write(&path, text).expect("write story");
    let failures = run_story(&path);
    assert_eq!(failures.len(), 3, "{failures:#?}");
    assert!(failures[0].contains("wrong.http:5: status: expected 200, got 404"), "{}", failures[0]);
}
