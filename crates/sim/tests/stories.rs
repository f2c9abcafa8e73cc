//! Data-driven story tests: every `tests/stories/*.http` file is replayed against a fresh `Sim` and the
//! `> check` lines after each request, and `# @expect` lines between requests, are verified.
//!
//! The format is described in `tests/stories/README.md`. Set `STORY=part` to run only matching files.
//! A final check makes sure every test vector of the spec's test-vector tables is named by some story, and
//! another that every error answer's message text is marked [U] in its diagnosis exactly when the spec does
//! not quote it.

#![cfg(not(target_arch = "wasm32"))]

use sim::http::{parse_http_file, Step};
use sim::transcript::{replay, scenario_from_directives, Entry, Replay};
use sim::{Scenario, Sim};
use std::path::{Path, PathBuf};

#[path = "support/message_texts.rs"]
mod message_texts;

fn story_dir() -> PathBuf {
    Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("tests/stories")
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

/// A story read, parsed and replayed (checks evaluated), or why it could not be.
struct Replayed {
    name: String,
    steps: Vec<Step>,
    run: Replay,
}

/// Reads, parses and replays one story through `sim::transcript::replay` (the same code `fleetplay replay
/// --check` uses).
fn replay_story(path: &Path) -> Result<Replayed, String> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let file = parse_http_file(&text).map_err(|e| format!("{name}:{}: {}", e.line, e.message))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(story_dir);
    let mut load =
        |p: &str| std::fs::read_to_string(dir.join(p)).map_err(|e| format!("cannot read {p}: {e}"));
    let scenario = scenario_from_directives(Scenario::builtin(), &file.steps, false, &mut load)
        .map_err(|f| format!("{name}:{}: {}", f.line, f.message))?;
    let mut sim = Sim::new(scenario).map_err(|e| format!("{name}: scenario: {e}"))?;
    let run = replay(&mut sim, &file.steps, true);
    Ok(Replayed { name, steps: file.steps, run })
}

/// Runs one story; returns its failures as `file:line: message`.
fn run_story(path: &Path) -> Vec<String> {
    let Replayed { name, steps, run } = match replay_story(path) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    let requests = steps.iter().filter(|s| matches!(s, Step::Request(_))).count();
    let mut failures: Vec<String> = run
        .errors
        .iter()
        .chain(&run.failures)
        .map(|f| {
            let response = response_near(&run.entries, &steps, f.line);
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

/// The ids of the spec's test vectors: the first cell of each row of the tables under its "Test vectors"
/// headings (`### 1.6`, `### 2.6`, `### 3.6`: T…, L…, N…). The doc-portal mock's G… vectors (§4, a format
/// the simulator does not implement) sit under no such heading.
fn spec_vector_ids(spec: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut in_vectors = false;
    for line in spec.lines() {
        if line.starts_with('#') {
            in_vectors = line.contains("Test vectors");
        } else if in_vectors {
            let Some(cell) = line.strip_prefix('|').and_then(|rest| rest.split('|').next()) else { continue };
            let cell = cell.trim();
            let mut chars = cell.chars();
            let letter = chars.next().is_some_and(|c| c.is_ascii_uppercase());
            if letter && cell.len() > 1 && chars.all(|c| c.is_ascii_digit()) {
                ids.push(cell.to_string());
            }
        }
    }
    ids
}

/// Every test vector the spec lists (read from its test-vector tables) must be named by some story, in its
/// title or in the name of one of its requests. An unreadable story fails the test rather than being skipped.
#[test]
fn every_spec_vector_has_a_story() {
    let texts: Vec<String> = story_files()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display())))
        .collect();
    let places: Vec<&str> = texts.iter().flat_map(|t| named_places(t)).collect();
    let vectors = spec_vector_ids(&message_texts::spec_text());
    // T1–T23, L1–L24, N1–N29 today: fewer means the tables were not read.
    assert!(vectors.len() >= 76, "only {} vectors read from the spec: {vectors:?}", vectors.len());
    for prefix in ['T', 'L', 'N'] {
        assert!(vectors.iter().any(|v| v.starts_with(prefix)), "no {prefix} vectors read: {vectors:?}");
    }
    let missing: Vec<&String> =
        vectors.iter().filter(|id| !places.iter().any(|p| names_vector(p, id))).collect();
    assert!(
        missing.is_empty(),
        "spec test vectors no story names in its title or a request's name: {missing:?}"
    );
}

#[test]
fn vector_ids_come_from_the_test_vector_tables_only() {
    let spec = "## 1. X\n| T0 | not a vector table |\n### 1.6 Test vectors (fleet)\n| # | Request |\n|---|---|\n\
                | T1 | a |\n| T12 | b |\n## 4. Mock\nTest vectors:\n| G1 | c |\n### 3.6 Test vectors\n| N2 | d |\n";
    assert_eq!(spec_vector_ids(spec), ["T1", "T12", "N2"]);
}

/// Every error answer of every story: its message text is called documented (no [U] mark in the diagnosis)
/// exactly when the spec quotes it (see `support/message_texts.rs`).
#[test]
fn every_story_error_marks_undocumented_message_texts() {
    let spec = message_texts::Spec::load();
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in story_files() {
        let story = match replay_story(&path) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        for entry in &story.run.entries {
            if let Entry::Exchange(ex) = entry {
                if sim::envelope::error_message(&ex.response).is_some() {
                    checked += 1;
                }
                if let Some(p) = message_texts::problem(&spec, ex) {
                    problems.push(format!("{} (request {}): {p}", story.name, ex.seq));
                }
            }
        }
    }
    assert!(checked >= 100, "only {checked} error answers with a message in the stories");
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
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
