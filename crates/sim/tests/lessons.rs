//! The shipped lessons (`lessons/*.json` at the repository root): each parses, its scenario loads, its scripted
//! solution (`lesson-solutions/NAME.http`, replayed through `Sim`) completes every step, and neither an empty
//! transcript nor its near-miss script (`lesson-solutions/NAME.wrong.http`) completes any.
//!
//! Solution and near-miss scripts are `.http` files in the story format; their `> check` and `# @expect`
//! lines are evaluated too, so a script that stops doing what its comments say fails here.

#![cfg(not(target_arch = "wasm32"))]

use sim::http::parse_http_file;
use sim::lesson::{progress, prove, run_actions, step_start, Action, Lesson, StepState};
use sim::transcript::{replay, Entry};
use sim::{Provider, Sim, SimTime, WireRequest};
use std::path::{Path, PathBuf};

fn lessons_dir() -> PathBuf {
    Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../lessons")
}

/// Solutions live outside `lessons/`, which the web build copies into `dist/` for students.
fn solutions_dir() -> PathBuf {
    Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../lesson-solutions")
}

fn lesson_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("lessons/ exists at the repository root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default()
}

fn load(path: &Path) -> Lesson {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Lesson::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Replays a script against a fresh simulation of the lesson's scenario; the script's own checks must hold.
fn run(lesson: &Lesson, script: &Path) -> Vec<Entry> {
    let name = script.display();
    let text = std::fs::read_to_string(script).unwrap_or_else(|e| panic!("{name}: {e}"));
    let file = parse_http_file(&text).unwrap_or_else(|e| panic!("{name}:{}: {}", e.line, e.message));
    let scenario = lesson.scenario().unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut sim = Sim::new(scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
    let out = replay(&mut sim, &file.steps, true);
    let problems: Vec<String> =
        out.errors.iter().chain(&out.failures).map(|f| format!("{name}:{f}")).collect();
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
    out.entries
}

#[test]
fn the_readme_example_is_a_lesson_and_its_error_examples_are_real() {
    let readme = std::fs::read_to_string(lessons_dir().join("README.md")).expect("lessons/README.md");
    let start = readme.find("```json\n").expect("a json block") + "```json\n".len();
    let end = start + readme[start..].find("```").expect("closed block");
    let lesson = Lesson::from_json(&readme[start..end]).unwrap_or_else(|e| panic!("README example: {e}"));
    assert_eq!(lesson.steps.len(), 2);
    let bad = readme[start..end].replace("\"status\": 200", "\"status\": 42");
    let e = Lesson::from_json(&bad).unwrap_err();
    assert!(readme.contains(&e.to_string()), "README should quote {e}");
}

#[test]
fn at_least_six_lessons_cover_the_three_providers() {
    let lessons: Vec<Lesson> = lesson_files().iter().map(|p| load(p)).collect();
    assert!(lessons.len() >= 6, "only {} lessons", lessons.len());
    for p in Provider::ALL {
        assert!(lessons.iter().any(|l| l.provider == Some(p)), "no lesson is about {}", p.title());
    }
}

#[test]
fn every_lesson_parses_and_its_scenario_loads() {
    for path in lesson_files() {
        let lesson = load(&path);
        assert_eq!(lesson.id, stem(&path), "{}: id must match the file name", path.display());
        let scenario = lesson.scenario().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Sim::new(scenario).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (i, step) in lesson.steps.iter().enumerate() {
            assert!(!step.check.describe().is_empty(), "{} step {i}", path.display());
        }
    }
}

#[test]
fn every_solution_completes_every_step() {
    for path in lesson_files() {
        let lesson = load(&path);
        let script = solutions_dir().join(format!("{}.http", stem(&path)));
        let entries = run(&lesson, &script);
        let status = progress(&lesson, &entries);
        let open: Vec<String> = status
            .iter()
            .enumerate()
            .filter(|(_, s)| s.state != StepState::Done)
            .map(|(i, _)| format!("step {i} ({})", lesson.steps[i].goal))
            .collect();
        assert!(open.is_empty(), "{} leaves {} undone", script.display(), open.join(", "));
        // Progress only grows as the transcript grows.
        let mut done = 0;
        for n in 0..=entries.len() {
            let now = progress(&lesson, &entries[..n]).iter().filter(|s| s.state == StepState::Done).count();
            assert!(now >= done, "{}: progress went back after {n} entries", script.display());
            done = now;
        }
    }
}

#[test]
fn an_empty_transcript_completes_nothing() {
    for path in lesson_files() {
        let lesson = load(&path);
        let status = progress(&lesson, &[]);
        assert_eq!(status.len(), lesson.steps.len());
        assert_eq!(status[0].state, StepState::Current, "{}", path.display());
        assert!(status[1..].iter().all(|s| s.state == StepState::Pending), "{}", path.display());
    }
}

#[test]
fn near_misses_complete_nothing() {
    for path in lesson_files() {
        let lesson = load(&path);
        let script = solutions_dir().join(format!("{}.wrong.http", stem(&path)));
        let entries = run(&lesson, &script);
        assert!(
            entries.iter().any(|e| matches!(e, Entry::Exchange(_))),
            "{} sends no request",
            script.display()
        );
        let status = progress(&lesson, &entries);
        let done: Vec<usize> =
            status.iter().enumerate().filter(|(_, s)| s.state == StepState::Done).map(|(i, _)| i).collect();
        assert!(done.is_empty(), "{} completes steps {done:?}", script.display());
    }
}

#[test]
fn every_step_has_a_solution_that_completes_it() {
    for path in lesson_files() {
        let lesson = load(&path);
        let proven = prove(&lesson).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(proven.done_at.len(), lesson.steps.len());
    }
}

/// The transcript's requests and their times, in order.
fn sends(entries: &[Entry]) -> Vec<(SimTime, WireRequest)> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Exchange(ex) => Some((ex.at, ex.request.clone())),
            Entry::Event(_) => None,
        })
        .collect()
}

/// What the page does when a learner retries step `k`: a fresh simulation, the requests up to the moment
/// the step before it was done replayed at their times, and time run to that moment.
fn rewind(lesson: &Lesson, entries: &[Entry], k: usize) -> (Sim, Vec<Entry>) {
    let (keep, at) = step_start(&progress(lesson, entries), k).expect("the step before is done");
    let mut sim = Sim::new(lesson.scenario().unwrap()).unwrap();
    let mut out = Vec::new();
    for (when, request) in sends(entries).into_iter().take(keep) {
        out.extend(sim.advance_to(when).into_iter().map(Entry::Event));
        out.push(Entry::Exchange(sim.handle(request)));
    }
    out.extend(sim.advance_to(at).into_iter().map(Entry::Event));
    (sim, out)
}

#[test]
fn a_step_whose_moment_passed_can_be_retried_and_the_lesson_completed() {
    let mut retried = 0;
    for path in lesson_files() {
        let lesson = load(&path);
        let name = path.display();
        let mut sim = Sim::new(lesson.scenario().unwrap()).unwrap();
        let mut entries = Vec::new();
        for (k, step) in lesson.steps.iter().enumerate() {
            if step.clock.is_some() {
                // Miss the moment: ten simulated minutes before each request of the solution.
                let (mut late_sim, mut late) = (sim.clone(), entries.clone());
                for action in &step.solution {
                    if let Action::Send { request, times } = action {
                        for _ in 0..*times {
                            let late_action =
                                [Action::Wait(600_000), Action::Send { request: request.clone(), times: 1 }];
                            run_actions(&mut late_sim, &mut late, &late_action).unwrap();
                        }
                    }
                }
                assert_ne!(
                    progress(&lesson, &late)[k].state,
                    StepState::Done,
                    "{name}: step {k} has a clock need, yet its moment cannot pass"
                );
                // Retry: back to where the step began, then its solution.
                (sim, entries) = rewind(&lesson, &late, k);
                assert_eq!(progress(&lesson, &entries)[k].state, StepState::Current, "{name}: step {k}");
                retried += 1;
            }
            run_actions(&mut sim, &mut entries, &step.solution).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(progress(&lesson, &entries)[k].state, StepState::Done, "{name}: step {k}");
        }
        assert!(lesson.completed(&entries), "{name}");
    }
    assert!(retried >= 5, "only {retried} time-sensitive steps among the shipped lessons");
}
