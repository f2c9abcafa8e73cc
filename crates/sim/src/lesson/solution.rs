//! Steps' solutions: filling their `{{/pointer}}` placeholders from the transcript, running them against a
//! simulation, and [`prove`]: a lesson whose every step's solution completes that step can be completed.
//!
//! The page runs the same actions through its own state (so they are recorded as the learner's requests);
//! `fleetplay lesson check` and the tests run them here.

use super::{progress, Action, Lesson, StepState};
use crate::sim::Sim;
use crate::time::SimTime;
use crate::transcript::Entry;
use serde_json::Value;

/// Replaces every `{{/pointer}}` in `text` with the value at that JSON pointer in the latest answer of
/// `entries` that has one (a string as is, anything else as JSON). `Err` names the first pointer no answer
/// has yet. Text without placeholders comes back unchanged.
pub fn fill_placeholders(text: &str, entries: &[Entry]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{/") {
        let Some(close) = rest[open..].find("}}") else { break };
        let pointer = &rest[open + 2..open + close];
        let value = latest_value(pointer, entries)
            .ok_or_else(|| format!("no answer so far has a value at {pointer}"))?;
        out.push_str(&rest[..open]);
        match value {
            Value::String(s) => out.push_str(&s),
            other => out.push_str(&other.to_string()),
        }
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn latest_value(pointer: &str, entries: &[Entry]) -> Option<Value> {
    entries.iter().rev().find_map(|e| match e {
        Entry::Exchange(ex) => serde_json::from_str::<Value>(&ex.response.body)
            .ok()
            .and_then(|json| json.pointer(pointer).cloned())
            .filter(|v| !v.is_null()),
        Entry::Event(_) => None,
    })
}

/// Runs `actions` against `sim`, appending what happens to `entries`. `Err` says which action could not
/// run (a placeholder no answer fills yet, a request that does not parse once filled).
pub fn run_actions(sim: &mut Sim, entries: &mut Vec<Entry>, actions: &[Action]) -> Result<(), String> {
    for (i, action) in actions.iter().enumerate() {
        match action {
            Action::Send { request, times } => {
                for _ in 0..*times {
                    let filled =
                        fill_placeholders(request, entries).map_err(|e| format!("action {}: {e}", i + 1))?;
                    let request = crate::http::parse_request(&filled)
                        .map_err(|e| format!("action {}: line {}: {}", i + 1, e.line, e.message))?;
                    let ex = sim.handle(request);
                    entries.push(Entry::Exchange(ex));
                }
            }
            Action::Wait(ms) => {
                let events = sim.advance_by(*ms);
                entries.extend(events.into_iter().map(Entry::Event));
            }
        }
    }
    Ok(())
}

/// A lesson completed by its steps' solutions.
#[derive(Clone, Debug)]
pub struct Proven {
    /// When each step was done.
    pub done_at: Vec<SimTime>,
    /// The transcript the solutions produced.
    pub entries: Vec<Entry>,
}

/// Why the steps' solutions do not complete a lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unproven {
    /// The step (from 0) that stays open.
    pub step: usize,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Unproven {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "steps[{}]: {}", self.step, self.reason)
    }
}

/// Runs each step's solution in turn on a fresh simulation of the lesson's scenario: after the solutions
/// of steps 0 to *k*, step *k* must be done.
pub fn prove(lesson: &Lesson) -> Result<Proven, Unproven> {
    let scenario = lesson
        .scenario()
        .map_err(|e| Unproven { step: 0, reason: format!("the scenario cannot start: {e}") })?;
    let mut sim = Sim::new(scenario)
        .map_err(|e| Unproven { step: 0, reason: format!("the scenario cannot start: {e}") })?;
    let mut entries = Vec::new();
    let mut done_at = Vec::with_capacity(lesson.steps.len());
    for (k, step) in lesson.steps.iter().enumerate() {
        if step.solution.is_empty() {
            return Err(Unproven { step: k, reason: "has no solution to run".to_string() });
        }
        run_actions(&mut sim, &mut entries, &step.solution)
            .map_err(|reason| Unproven { step: k, reason: format!("its solution cannot run: {reason}") })?;
        let status = progress(lesson, &entries);
        match status.get(k) {
            Some(s) if s.state == StepState::Done => {
                done_at.push(s.proof.as_ref().map_or(sim.now(), |p| p.at));
            }
            _ => {
                return Err(Unproven {
                    step: k,
                    reason: format!(
                        "its solution does not complete it (confirmed when: {})",
                        step.check.describe()
                    ),
                })
            }
        }
    }
    Ok(Proven { done_at, entries })
}
