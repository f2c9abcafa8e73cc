//! The instructor view: class progress, verified by replay, in the page (no server). Drop the sessions
//! students exported (files or a whole folder) and pick the lesson; each file is replayed by
//! `sim::grade`, the same code as `fleetplay grade`, and the table shows the steps proven, the first
//! completion, what is missing and notes (tampering among them); each student's replayed transcript is one
//! click away, and the table downloads as CSV.

use super::event_value;
use crate::hooks::use_shipped_lessons;
use crate::storage::{self, ReadFiles};
use sim::grade::{self, Verdict};
use sim::lesson::Lesson;
use std::rc::Rc;
use yew::prelude::*;

/// Where the lesson graded against comes from.
#[derive(Clone, PartialEq)]
enum Chosen {
    /// The lesson the first session that carries one followed.
    FromSessions,
    /// A shipped lesson, by its file name.
    Shipped(&'static str),
    /// A file the instructor picked: its name and text.
    File(String, Rc<str>),
}

/// The instructor view. A component: it keeps the files dropped, the lesson chosen and the transcript open.
#[component]
pub fn InstructorView() -> Html {
    let files = use_state(|| Rc::new(ReadFiles::new()));
    let chosen = use_state(|| Chosen::FromSessions);
    let open = use_state(|| None::<usize>);
    let dragging = use_state(|| false);
    let listed = use_shipped_lessons();

    // The lesson's text: chosen, or carried by the sessions.
    let lesson_text: Option<(String, Rc<str>)> = match &*chosen {
        Chosen::Shipped(name) => {
            listed.iter().find(|l| l.name == *name).map(|l| ((*name).to_string(), l.text.clone()))
        }
        Chosen::File(name, text) => Some((name.clone(), text.clone())),
        Chosen::FromSessions => files.iter().find_map(|(name, text)| {
            let replayed = text.as_deref().map(grade::replay_session)?.ok()?;
            replayed.lesson.map(|l| (format!("the lesson {name} followed"), Rc::from(l.as_str())))
        }),
    };
    let lesson = lesson_text.as_ref().map(|(name, text)| (name.clone(), Lesson::from_json(text)));
    let rows = {
        let key = (Rc::as_ptr(&*files) as usize, lesson_text.as_ref().map(|(_, t)| t.clone()));
        let files = (*files).clone();
        use_memo(key, move |(_, text)| {
            let lesson = text.as_ref().and_then(|t| Lesson::from_json(t).ok())?;
            Some(
                files
                    .iter()
                    .map(|(name, text)| match text {
                        Some(text) => grade::grade(&lesson, name, text),
                        None => grade::grade(&lesson, name, "").with_note("cannot be read".to_string()),
                    })
                    .collect::<Vec<_>>(),
            )
        })
    };

    let add = {
        let files = files.clone();
        let open = open.clone();
        move |read: ReadFiles| {
            let mut all = (**files).clone();
            for (name, text) in read {
                if !name.to_ascii_lowercase().ends_with(".json") {
                    continue;
                }
                all.retain(|(n, _)| *n != name);
                all.push((name, text));
            }
            all.sort_by(|a, b| a.0.cmp(&b.0));
            all.truncate(storage::MAX_FILES);
            open.set(None);
            files.set(Rc::new(all));
        }
    };
    let picked = storage::on_files_picked(add.clone());
    let folder_picked = storage::on_files_picked(add.clone());
    let dropped = {
        let dragging = dragging.clone();
        let on_drop = storage::on_files_dropped(add);
        Callback::from(move |e: DragEvent| {
            dragging.set(false);
            on_drop.emit(e);
        })
    };
    let dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let clear = {
        let files = files.clone();
        let open = open.clone();
        Callback::from(move |_| {
            open.set(None);
            files.set(Rc::new(Vec::new()));
        })
    };
    let on_lesson = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let value = event_value(&e);
            match crate::presets::LESSONS.iter().find(|n| **n == value) {
                Some(name) => chosen.set(Chosen::Shipped(name)),
                None => chosen.set(Chosen::FromSessions),
            }
        })
    };
    let lesson_file = {
        let chosen = chosen.clone();
        storage::on_file_picked(move |name, text| {
            if let Some(text) = text {
                chosen.set(Chosen::File(name, Rc::from(text.as_str())));
            }
        })
    };
    let select_value = match &*chosen {
        Chosen::Shipped(name) => (*name).to_string(),
        Chosen::File(..) => "file".to_string(),
        Chosen::FromSessions => String::new(),
    };
    let csv = {
        let rows = rows.clone();
        Callback::from(move |_| {
            if let Some(rows) = rows.as_ref() {
                storage::download("class-progress.csv", &grade::render(rows, grade::Format::Csv), "text/csv");
            }
        })
    };

    let table = match (&lesson, rows.as_ref()) {
        (_, _) if files.is_empty() => {
            html! { <p class="empty">{"No sessions yet: drop the files here, or choose them."}</p> }
        }
        (None, _) => {
            html! { <p class="empty">{"None of these sessions carries a lesson: pick the lesson to grade against."}</p> }
        }
        (Some((name, Err(e))), _) => {
            html! { <p class="field-err" role="alert">{format!("{name} cannot be used: {e}.")}</p> }
        }
        (Some(_), None) => Html::default(),
        (Some((name, Ok(lesson))), Some(rows)) => {
            let body = rows.iter().enumerate().map(|(i, row)| {
                let cells = grade::cells(row);
                let toggle = {
                    let open = open.clone();
                    Callback::from(move |_| open.set(if *open == Some(i) { None } else { Some(i) }))
                };
                let verdict = match row.verdict {
                    Verdict::Complete => "ok",
                    Verdict::Partial => "partial",
                    Verdict::Tampered | Verdict::Unreadable => "bad",
                };
                html! {
                    <tr key={row.file.clone()} class={classes!("verdict", verdict)}>
                        <th scope="row" class="mono">{&cells[0]}</th>
                        <td data-label={grade::COLUMNS[1]}><span class={classes!("badge", verdict)}>{&cells[1]}</span></td>
                        <td data-label={grade::COLUMNS[2]}>{&cells[2]}</td>
                        <td data-label={grade::COLUMNS[3]} class="mono">{&cells[3]}</td>
                        <td data-label={grade::COLUMNS[4]}>{&cells[4]}</td>
                        <td data-label={grade::COLUMNS[5]}>{&cells[5]}</td>
                        <td data-label={grade::COLUMNS[6]}>{&cells[6]}</td>
                        <td>
                            if !row.entries.is_empty() {
                                <button type="button" class="ghost small" onclick={toggle}
                                    aria-expanded={(*open == Some(i)).to_string()}>
                                    {if *open == Some(i) { "Hide transcript" } else { "Transcript" }}
                                    <span class="sr-only">{format!(" of {}", row.file)}</span>
                                </button>
                            }
                        </td>
                    </tr>
                }
            });
            let transcript = open.and_then(|i| rows.get(i)).map(|row| {
                html! {
                    <section class="transcript" aria-label={format!("Transcript of {}", row.file)}>
                        <h3>{format!("{}: the replayed transcript", row.file)}</h3>
                        // Focusable, so the keyboard can scroll a long transcript.
                    <pre class="code mono" tabindex="0">{sim::transcript::render_text(&row.entries)}</pre>
                    </section>
                }
            });
            let complete = rows.iter().filter(|r| r.verdict == Verdict::Complete).count();
            html! {
                <>
                    <p class="hint" role="status">{format!("{} sessions graded against {} ({name}): {complete} complete.", rows.len(), lesson.title)}</p>
                    <div class="table-wrap">
                        <table class="grades">
                            <thead><tr>
                                { for grade::COLUMNS.iter().map(|c| html! { <th scope="col">{*c}</th> }) }
                                <th scope="col"><span class="sr-only">{"Transcript"}</span></th>
                            </tr></thead>
                            <tbody>{for body}</tbody>
                        </table>
                    </div>
                    <button type="button" class="ghost small" onclick={csv}>{"Download the table (CSV)"}</button>
                    {transcript}
                </>
            }
        }
    };

    html! {
        <main class="instructor" aria-labelledby="instructor-h">
            <section class="panel">
                <div class="panel-h">
                    <h2 id="instructor-h">{"Instructor: class progress"}</h2>
                    if !files.is_empty() {
                        <button type="button" class="ghost small" onclick={clear}>{"Clear"}</button>
                    }
                </div>
                <p class="hint">{"Each session file your students exported (Export session) is replayed here, in your browser: a step counts only when the replay proves it, whatever the file says. A file edited to claim more is marked tampered. Nothing is uploaded. The same table on the command line: fleetplay grade LESSON.json sessions/*.json"}</p>
                <div class={classes!("dropzone", dragging.then_some("over"))} ondragover={dragover} ondragleave={dragleave} ondrop={dropped}>
                    <p>{"Drop session files or a folder of them here, or "}</p>
                    <label class="ghost file-btn small">{"choose files"}
                        <input type="file" multiple=true accept=".json,application/json" class="sr-only" onchange={picked} />
                    </label>
                    <label class="ghost file-btn small">{"choose a folder"}
                        <input type="file" webkitdirectory=true class="sr-only" onchange={folder_picked} />
                    </label>
                </div>
                <div class="row lesson-pick">
                    <label for="grade-lesson">{"Lesson"}</label>
                    <select id="grade-lesson" onchange={on_lesson} ~value={select_value}>
                        <option value="">{"the one the sessions followed"}</option>
                        { for listed.iter().map(|l| html! {
                            <option value={l.name}>{l.lesson.as_ref().map_or(l.name.to_string(), |x| x.title.clone())}</option>
                        }) }
                        if let Chosen::File(name, _) = &*chosen { <option value="file">{name.clone()}</option> }
                    </select>
                    <label class="ghost file-btn small">{"Lesson file…"}
                        <input type="file" accept=".json,application/json" class="sr-only" onchange={lesson_file} />
                    </label>
                </div>
                {table}
            </section>
        </main>
    }
}
