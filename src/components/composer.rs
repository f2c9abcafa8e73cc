//! The composer: provider and operation pickers, then the request three ways (a form labelled with the
//! API's own parameter names and validated as you type, the raw HTTP text, and curl import), and Send
//! (the button, or Ctrl+Enter anywhere on the page: `hooks::use_send_shortcut`).

use super::{event_value, short};
use crate::draft::Mode;
use crate::hooks::{dispatch_now, StateHandle};
use crate::ops::{self, FieldKind, OpDef};
use crate::state::Action;
use crate::storage;
use crate::validate;
use crate::wiretext;
use sim::Provider;
use yew::prelude::*;

/// The composer's first field, as a selector for `storage::focus_soon`: where focus goes when a request
/// is put in the composer from elsewhere (a timeline entry, a lesson's example).
pub const FIRST_FIELD: &str = "#composer-view input, #composer-view select, #composer-view textarea";

/// The composer panel of the full page: every provider, full names on the provider switch.
pub fn composer(state: &StateHandle) -> Html {
    composer_in(state, &Provider::ALL, false)
}

/// The composer of an embed: the providers it offers (the switch shows their short names, so it stays one
/// row from 320 px), and texts that point only at what an embed shows.
pub fn embedded_composer(state: &StateHandle, offered: &[Provider]) -> Html {
    composer_in(state, offered, true)
}

fn composer_in(state: &StateHandle, offered: &[Provider], embedded: bool) -> Html {
    let state = state.clone();
    let provider = state.provider;
    let draft = state.draft().clone();
    let op: &'static OpDef = draft.op(provider);
    // On the curl tab with a command pasted, Send (like Ctrl+Enter) imports it and sends it if it imports.
    let curl_pending = draft.mode == Mode::Curl && !draft.curl.trim().is_empty();
    let block = if curl_pending { None } else { state.send_block(embedded) };
    // On the Raw HTTP tab an unreadable request is explained once, under the editor (which it describes);
    // Send points at that text instead of repeating it.
    let raw_unreadable = draft.mode == Mode::Raw && draft.request().is_err();
    let reason = if raw_unreadable {
        None
    } else if curl_pending {
        Some("Send imports the curl command above first, and sends only if it imports.".to_string())
    } else {
        block.clone()
    };
    let send_described = if raw_unreadable { "raw-status" } else { "send-reason" };

    let on_provider = |p: Provider| {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::SelectProvider(p)))
    };
    let on_operation = {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(Action::SetOperation(event_value(&e))))
    };
    let on_mode = |m: Mode| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::SetMode(m)))
    };
    let tab = |m: Mode, label: &'static str, id: &'static str| {
        let selected = draft.mode == m;
        html! {
            <button type="button" role="tab" id={id} aria-selected={selected.to_string()}
                aria-controls="composer-view" tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("on"))} onclick={on_mode(m)}>{label}</button>
        }
    };
    let tab_keys = {
        let state = state.clone();
        let mode = draft.mode;
        Callback::from(move |e: KeyboardEvent| {
            let order = [Mode::Form, Mode::Raw, Mode::Curl];
            let i = order.iter().position(|m| *m == mode).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => order[(i + 1) % 3],
                "ArrowLeft" => order[(i + 2) % 3],
                _ => return,
            };
            e.prevent_default();
            state.dispatch(Action::SetMode(next));
            let id = match next {
                Mode::Form => "tab-form",
                Mode::Raw => "tab-raw",
                Mode::Curl => "tab-curl",
            };
            storage::focus(id);
        })
    };
    let view = match draft.mode {
        Mode::Form => form_view(&state),
        Mode::Raw => raw_view(&state),
        Mode::Curl => curl_view(&state),
    };
    // The same as Ctrl+Enter anywhere on the page (`hooks::use_send_shortcut`).
    let send_click = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| dispatch_now(&state, |wall| Action::SendComposed { wall }))
    };
    let send_label = match draft.mode {
        Mode::Form => op.name.to_string(),
        _ => draft
            .request()
            .ok()
            .and_then(|r| ops::extract(&r))
            .and_then(|x| x.operation)
            .unwrap_or("as written")
            .to_string(),
    };
    html! {
        <section id="composer" class="panel composer" aria-labelledby="composer-h" tabindex="-1">
            <div class="panel-h">
                // Focusable from a script: a lesson's "Put the example request in the composer" moves focus here.
                <h2 id="composer-h" tabindex="-1">{"Request"}</h2>
                <span class="sub">{"Compose, then Send (Ctrl+Enter)"}</span>
            </div>
            if offered.len() > 1 {
                <fieldset class="providers">
                    <legend class="sr-only">{"Provider"}</legend>
                    { for offered.iter().copied().map(|p| html! {
                        <label class={classes!("seg", (p == provider).then_some("on"))}
                            title={embedded.then_some(p.title())}>
                            <input type="radio" name="provider" value={p.slug()} checked={p == provider}
                                onchange={on_provider(p)} />
                            <span>{if embedded { short(p) } else { p.title() }}</span>
                        </label>
                    }) }
                </fieldset>
            } else {
                <p class="provider-only">{provider.title()}</p>
            }
            <div class="op-row">
                <label for="operation">{"Operation"}</label>
                // The value property follows the state (see `scenario_bar`'s pickers); keyed by provider, whose
                // operations are its options.
                <select id="operation" onchange={on_operation} ~value={op.name} key={provider.slug()}>
                    { for ops::ops(provider).iter().map(|o| html! {
                        <option value={o.name} selected={o.name == op.name}>{o.name}</option>
                    }) }
                </select>
                <span class="op-summary">{op.summary}</span>
            </div>
            <div class="tabs" role="tablist" aria-label="Request view" onkeydown={tab_keys}>
                {tab(Mode::Form, "Form", "tab-form")}
                {tab(Mode::Raw, "Raw HTTP", "tab-raw")}
                {tab(Mode::Curl, "curl", "tab-curl")}
            </div>
            <div id="composer-view" role="tabpanel" class="view" aria-labelledby={match draft.mode {
                Mode::Form => "tab-form", Mode::Raw => "tab-raw", Mode::Curl => "tab-curl" }}>
                {view}
            </div>
            if !draft.notes.is_empty() {
                <ul class="notes" aria-label="Notes about this request">
                    { for draft.notes.iter().map(|n| html! { <li>{n}</li> }) }
                </ul>
            }
            <div class="send-row">
                <button type="button" class="send" onclick={send_click} disabled={block.is_some()}
                    aria-describedby={send_described}>
                    {"Send"}<span class="send-op">{format!(" {send_label}")}</span>
                </button>
                <span class="kbd-hint" aria-hidden="true"><kbd>{"Ctrl"}</kbd>{"+"}<kbd>{"Enter"}</kbd></span>
                <span id="send-reason" class="send-reason">{reason.unwrap_or_default()}</span>
            </div>
            <p class="sr-only">{format!("Composing for {}.", short(provider))}</p>
        </section>
    }
}

/// The parameter form.
fn form_view(state: &StateHandle) -> Html {
    let state = state.clone();
    let provider = state.provider;
    let draft = state.draft();
    let op = draft.op(provider);
    let settings = state.sim.scenario().settings.clone();
    if op.fields.is_empty() {
        return html! { <p class="empty">{format!("{} takes no parameters: the body is {{}}.", op.name)}</p> };
    }
    let tokens = state.sim.scenario().fleet.nova.tokens.clone();
    let fields = op.fields.iter().map(|f| {
        let id = format!("f-{}", f.name);
        let value = draft.fields.get(f.name).cloned().unwrap_or_default();
        // An empty field is not shown as an error before the user types: Send explains what is missing.
        let issue =
            validate::check_field(provider, f, &value, &draft.fields, &settings).filter(|_| !value.is_empty());
        let err_id = format!("{id}-err");
        let help_id = format!("{id}-help");
        let described = if issue.is_some() { format!("{err_id} {help_id}") } else { help_id.clone() };
        let name = f.name.to_string();
        let oninput = {
            let state = state.clone();
            let name = name.clone();
            Callback::from(move |e: InputEvent| {
                state.dispatch(Action::SetField(name.clone(), event_value(&e)));
            })
        };
        let control = match f.kind {
            FieldKind::Bool => {
                let onchange = {
                    let state = state.clone();
                    let name = name.clone();
                    Callback::from(move |e: Event| {
                        state.dispatch(Action::SetField(name.clone(), event_value(&e)))
                    })
                };
                html! {
                    <select id={id.clone()} {onchange} aria-describedby={described.clone()} ~value={value.clone()}
                        key={if matches!(value.as_str(), "" | "false" | "true") { "" } else { value.as_str() }}>
                        <option value="" selected={value.is_empty()}>{"(omitted)"}</option>
                        <option value="false" selected={value == "false"}>{"false"}</option>
                        <option value="true" selected={value == "true"}>{"true"}</option>
                        // A value taken from the raw request that is not a boolean: shown, and sent as written.
                        if !matches!(value.as_str(), "" | "false" | "true") {
                            <option value={value.clone()} selected=true>{format!("{value} (sent as written)")}</option>
                        }
                    </select>
                }
            }
            FieldKind::Text => {
                let list = (f.name == "X-Auth-Token").then_some("tokens");
                html! {
                    <input id={id.clone()} type="text" class="mono" value={value.clone()} {oninput}
                        placeholder={f.placeholder} spellcheck="false" autocomplete="off" list={list}
                        aria-invalid={issue.is_some().to_string()} aria-describedby={described.clone()} />
                }
            }
        };
        html! {
            <div class={classes!("field", issue.is_some().then_some("invalid"))} key={f.name}>
                <label for={id.clone()} class="mono">{f.name}</label>
                if f.required { <span class="req" aria-hidden="true">{"required"}</span> }
                {control}
                if let Some(msg) = issue {
                    <p id={err_id} class="field-err">
                        {msg}
                        if let Some(at) = validate::pointer(provider, f, &value) {
                            <span class="pointer">{format!(" — {at}.")}</span>
                        }
                    </p>
                }
                <p id={help_id} class="help">{f.help}</p>
            </div>
        }
    });
    html! {
        <div class="form" key="form">
            {for fields}
            if provider == Provider::Nova {
                <datalist id="tokens">
                    { for tokens.iter().map(|t| html! {
                        <option value={t.token.clone()}>{format!("{} — {} [{}]", t.label, t.project_id, t.roles.join(", "))}</option>
                    }) }
                </datalist>
            }
        </div>
    }
}

/// The raw HTTP editor.
fn raw_view(state: &StateHandle) -> Html {
    let state = state.clone();
    let draft = state.draft();
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::SetRaw(event_value(&e))))
    };
    let parsed = draft.request();
    let notes = parsed.as_ref().map(wiretext::request_notes).unwrap_or_default();
    let lines = draft.raw.lines().count().clamp(6, 24);
    let copy = {
        let state = state.clone();
        let raw = draft.raw.clone();
        Callback::from(move |_| {
            storage::copy(&raw);
            state.dispatch(Action::Toast("Request copied.".into()));
        })
    };
    html! {
        <div class="raw" key="raw">
            <div class="code-h">
                <span>{"The complete HTTP request: edit anything; the form follows."}</span>
                <button type="button" class="ghost small" onclick={copy}>{"Copy"}</button>
            </div>
            <textarea id="raw-request" class="code mono" aria-label="Raw request" spellcheck="false" rows={lines.to_string()}
                value={draft.raw.clone()} {oninput} aria-describedby="raw-status" />
            <p id="raw-status" class={classes!("raw-status", parsed.is_err().then_some("bad"))}>
                { match &parsed {
                    Ok(r) => format!("Parsed: {} {} · {} header(s) · body {} bytes", r.method, r.target, r.headers.len(), r.body.len()),
                    Err(e) => format!("Cannot read the request: {e}"),
                } }
            </p>
            if !notes.is_empty() {
                <ul class="notes">{ for notes.iter().map(|n| html! { <li>{n}</li> }) }</ul>
            }
        </div>
    }
}

/// curl import and export.
fn curl_view(state: &StateHandle) -> Html {
    let state = state.clone();
    let draft = state.draft();
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::SetCurl(event_value(&e))))
    };
    let import = {
        let state = state.clone();
        Callback::from(move |_| {
            state.dispatch(Action::ImportCurl);
            // Imported, the composer shows the request on the Raw HTTP tab and this button is gone: focus
            // follows the request. (A command that cannot be imported leaves the tab, and focus, here.)
            storage::focus_soon("#raw-request");
        })
    };
    let export = draft.request().map(|r| wiretext::to_curl(&r)).unwrap_or_default();
    let copy = {
        let state = state.clone();
        let export = export.clone();
        Callback::from(move |_| {
            storage::copy(&export);
            state.dispatch(Action::Toast("curl command copied.".into()));
        })
    };
    html! {
        <div class="curl" key="curl">
            <label for="curl-in">{"curl command"}</label>
            <textarea id="curl-in" class="code mono" rows="5" spellcheck="false" value={draft.curl.clone()} {oninput}
                placeholder="curl --request POST --url 'https://…' --header '…' --data '…'" />
            <div class="row">
                <button type="button" class="primary-ghost" onclick={import} disabled={draft.curl.trim().is_empty()}>
                    {"Import curl"}
                </button>
                <span class="help">{"Paste a command from any documentation page; it becomes the request. Ctrl+Enter imports and sends it."}</span>
            </div>
            if !export.is_empty() {
                <div class="code-h">
                    <span>{"This request as curl"}</span>
                    <button type="button" class="ghost small" onclick={copy}>{"Copy"}</button>
                </div>
                <pre class="code mono export">{export}</pre>
            }
        </div>
    }
}
