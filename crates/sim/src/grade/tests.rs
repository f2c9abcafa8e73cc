//! Grading by replay: honest, partial, tampered and unreadable files, and the three renderings.

use super::*;
use crate::lesson::{run_actions, Lesson};
use serde_json::json;

fn lesson() -> (Lesson, String) {
    let text = include_str!("../../../../lessons/transfer-stop-lifecycle.json").to_string();
    (Lesson::from_json(&text).unwrap(), text)
}

/// A session file as the page exports it after running the first `steps` steps' solutions, with the
/// progress the page would record (or `claims` instead).
fn session(steps: usize, claims: Option<Value>) -> String {
    let (lesson, text) = lesson();
    let mut sim = Sim::new(lesson.scenario().unwrap()).unwrap();
    let mut entries = Vec::new();
    for step in &lesson.steps[..steps] {
        run_actions(&mut sim, &mut entries, &step.solution).unwrap();
    }
    let sends: Vec<Value> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Exchange(ex) => {
                Some(json!({"at": ex.at, "request": ex.request, "wall": 1_800_000_000_000u64 + ex.at.0 / 10}))
            }
            Entry::Event(_) => None,
        })
        .collect();
    let status = progress(&lesson, &entries);
    let recorded: Vec<Value> = status
        .iter()
        .map(|s| json!({"goal": "g", "state": s.state, "proved_at": s.proof.as_ref().map(|p| p.at.to_string())}))
        .collect();
    json!({
        "format": SESSION_FORMAT,
        "scenario": lesson.scenario().unwrap(),
        "sends": sends,
        "now": sim.now(),
        "playing": false, "speed": 10, "skip": false, "provider": "transfer", "drafts": {}, "selected": null,
        "viewing": null,
        "lesson": text,
        "progress": claims.unwrap_or(json!({"lesson": lesson.id, "steps": recorded})),
    })
    .to_string()
}

#[test]
fn an_honest_complete_session_is_credited_with_its_times() {
    let (lesson, _) = lesson();
    let row = grade(&lesson, "alice.json", &session(5, None));
    assert_eq!(row.verdict, Verdict::Complete, "{:?}", row.notes);
    assert_eq!((row.done, row.total), (5, 5));
    assert!(row.missing.is_empty() && row.notes.is_empty(), "{row:?}");
    let at = row.completed_at.unwrap();
    assert!(at > SimTime::ZERO);
    // The last request the completion took was sent at T+2m (after step 4's wait), recorded at +12 s.
    assert_eq!(row.started_wall, Some(1_800_000_000_000));
    assert!(row.completed_wall.unwrap() > row.started_wall.unwrap());
    let cells = cells(&row);
    assert_eq!(cells[2], "5/5");
    assert!(cells[4].ends_with("after the first request)"), "{}", cells[4]);
    assert!(cells[4].starts_with("Fri, 15 Jan 2027"), "{}", cells[4]);
}

#[test]
fn a_partial_session_says_what_is_missing() {
    let (lesson, _) = lesson();
    let row = grade(&lesson, "bob.json", &session(2, None));
    assert_eq!(row.verdict, Verdict::Partial);
    assert_eq!(row.done, 2);
    assert_eq!(row.missing.len(), 3);
    assert!(row.missing[0].starts_with("3: Let simulated time run"), "{:?}", row.missing);
    assert_eq!(row.completed_at, None);
}

#[test]
fn claims_beyond_the_replay_are_tampering_and_never_credited() {
    let (lesson, _) = lesson();
    // Two steps' requests, a record claiming all five.
    let all_done: Vec<Value> =
        (0..5).map(|_| json!({"goal": "g", "state": "done", "proved_at": "T+00:00:00"})).collect();
    let row =
        grade(&lesson, "mallory.json", &session(2, Some(json!({"lesson": lesson.id, "steps": all_done}))));
    assert_eq!(row.verdict, Verdict::Tampered);
    assert_eq!(row.done, 2, "the replay's result, never the claim");
    assert!(row.notes.iter().any(|n| n.contains("claims steps 3, 4, 5 done")), "{:?}", row.notes);
    // A record in another shape is tampering too.
    let row = grade(&lesson, "m2.json", &session(2, Some(json!({"steps": "all"}))));
    assert_eq!(row.verdict, Verdict::Tampered);
    // Requests moved in time: the claims no longer match the replay.
    let text = session(3, None).replace("\"at\":0", "\"at\":5");
    let row = grade(&lesson, "m3.json", &text);
    assert_eq!(row.verdict, Verdict::Tampered, "{:?}", row.notes);
    assert!(row.notes.iter().any(|n| n.contains("other times for step 1")), "{:?}", row.notes);
}

#[test]
fn unreadable_files_and_other_lessons_are_said() {
    let (lesson, _) = lesson();
    for (text, says) in [
        ("{", "not valid JSON"),
        ("[]", "not a session file"),
        (
            r#"{"format": "fleetplay-session/0", "scenario": {}, "sends": [], "now": 0}"#,
            "fleetplay-session/0",
        ),
    ] {
        let row = grade(&lesson, "x.json", text);
        assert_eq!(row.verdict, Verdict::Unreadable);
        assert!(row.notes[0].contains(says), "{:?}", row.notes);
        assert_eq!(row.missing.len(), 5);
    }
    let mut other: Value = serde_json::from_str(&session(1, None)).unwrap();
    other["lesson"] = Value::Null;
    other["scenario"]["seed"] = json!(7);
    other["scenario"]["faults"]["transfer"]["internal_error_rate"] = json!(0.5);
    other["progress"] = Value::Null;
    let row = grade(&lesson, "y.json", &other.to_string());
    assert!(row.notes.contains(&"no lesson was open in the page".to_string()), "{:?}", row.notes);
    assert!(row.notes.iter().any(|n| n.starts_with("ran seed 7")), "{:?}", row.notes);
    assert!(row.notes.iter().any(|n| n.contains("faults.transfer.internal_error_rate")), "{:?}", row.notes);
}

#[test]
fn renderings_quote_and_escape() {
    let (lesson, _) = lesson();
    let mut row = grade(&lesson, "a,\"b\"|c.json", &session(1, None));
    row.notes.push("line\nbreak".into());
    let csv = render(std::slice::from_ref(&row), Format::Csv);
    assert!(
        csv.starts_with("file,result,steps,completed (simulated),completed (wall),missing,notes\r\n"),
        "{csv}"
    );
    assert!(csv.contains("\"a,\"\"b\"\"|c.json\",partial,1/5,,,"), "{csv}");
    assert!(csv.contains("\"line\nbreak\""), "{csv}");
    let md = render(std::slice::from_ref(&row), Format::Markdown);
    assert!(md.contains("| a,\"b\"\\|c.json | partial | 1/5 | — | — |"), "{md}");
    let table = render(std::slice::from_ref(&row), Format::Table);
    assert!(table.lines().next().unwrap().starts_with("file"), "{table}");
    assert_eq!(elapsed_text(3_723_000), "1h02m03s");
    assert_eq!(elapsed_text(61_000), "1m01s");
    assert_eq!(wall_text(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}
