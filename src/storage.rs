//! The browser edge: wall time, localStorage, the URL (share links and presets), the clipboard and
//! downloads. The only module besides `clock.rs` that calls web-sys for side effects.

use crate::presets;
use crate::session::{Share, STORAGE_KEY, UNREADABLE_KEY};
use crate::state::{AppState, Notice, NoticeKind};
use sim::Scenario;
use wasm_bindgen::JsCast;

/// A `change` handler for an `<input type="file">`: reads the picked file as text and calls
/// `on_read(name, text)`, with `None` when the file cannot be read. The input is cleared, so picking the same
/// file again fires again.
pub fn on_file_picked(
    on_read: impl Fn(String, Option<String>) + Clone + 'static,
) -> yew::Callback<web_sys::Event> {
    yew::Callback::from(move |e: web_sys::Event| {
        let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        input.set_value("");
        let on_read = on_read.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let text =
                wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
            on_read(file.name(), text);
        });
    })
}

/// Files read as text: each one's name (with its folder, for files from a folder) and text (`None` when
/// it cannot be read).
pub type ReadFiles = Vec<(String, Option<String>)>;

/// The most files one pick or drop reads (a class is a few dozen; a mistaken drop of a big folder must not
/// freeze the page).
pub const MAX_FILES: usize = 500;

/// A `change` handler for `<input type="file" multiple>` (or a folder picker): reads every picked file.
pub fn on_files_picked(on_read: impl Fn(ReadFiles) + Clone + 'static) -> yew::Callback<web_sys::Event> {
    yew::Callback::from(move |e: web_sys::Event| {
        let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|l| (0..l.length().min(MAX_FILES as u32)).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        let on_read = on_read.clone();
        wasm_bindgen_futures::spawn_local(async move {
            on_read(read_all(files.into_iter().map(|f| (String::new(), f)).collect()).await)
        });
    })
}

/// A `drop` handler: reads the files dropped, and the files inside dropped folders (walked through
/// `webkitGetAsEntry`, the one API browsers offer for a dropped folder).
pub fn on_files_dropped(on_read: impl Fn(ReadFiles) + Clone + 'static) -> yew::Callback<web_sys::DragEvent> {
    yew::Callback::from(move |e: web_sys::DragEvent| {
        e.prevent_default();
        let Some(data) = e.data_transfer() else { return };
        let items = data.items();
        let entries: Vec<web_sys::FileSystemEntry> = (0..items.length())
            .filter_map(|i| items.get(i))
            .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
            .collect();
        let on_read = on_read.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut files = Vec::new();
            for entry in entries {
                walk(entry, String::new(), &mut files).await;
            }
            on_read(read_all(files).await)
        });
    })
}

/// Collects the files under `entry` (itself, for a file) with their folder path.
fn walk<'a>(
    entry: web_sys::FileSystemEntry,
    folder: String,
    out: &'a mut Vec<(String, web_sys::File)>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>> {
    Box::pin(async move {
        use wasm_bindgen_futures::JsFuture;
        if out.len() >= MAX_FILES {
            return;
        }
        if entry.is_file() {
            let entry: web_sys::FileSystemFileEntry = entry.unchecked_into();
            let promise = js_sys::Promise::new(&mut |resolve, reject| {
                entry.file_with_callback_and_callback(&resolve, &reject);
            });
            if let Ok(file) = JsFuture::from(promise).await.and_then(|f| f.dyn_into::<web_sys::File>()) {
                out.push((folder, file));
            }
        } else if entry.is_directory() {
            let name = entry.name();
            let reader = entry.unchecked_into::<web_sys::FileSystemDirectoryEntry>().create_reader();
            let inner = if folder.is_empty() { name } else { format!("{folder}/{name}") };
            // readEntries gives the folder's entries in batches, then an empty one.
            loop {
                let promise = js_sys::Promise::new(&mut |resolve, reject| {
                    let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
                });
                let Ok(batch) = JsFuture::from(promise).await else { break };
                let batch = js_sys::Array::from(&batch);
                if batch.length() == 0 || out.len() >= MAX_FILES {
                    break;
                }
                for child in batch.iter() {
                    if let Ok(child) = child.dyn_into::<web_sys::FileSystemEntry>() {
                        walk(child, inner.clone(), out).await;
                    }
                }
            }
        }
    })
}

/// Reads files as text, in name order.
async fn read_all(files: Vec<(String, web_sys::File)>) -> ReadFiles {
    let mut out = Vec::with_capacity(files.len());
    for (folder, file) in files.into_iter().take(MAX_FILES) {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
        let name = if folder.is_empty() { file.name() } else { format!("{folder}/{}", file.name()) };
        out.push((name, text));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `performance.now()` in milliseconds (0 when unavailable).
pub fn wall() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a localStorage item.
pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Writes a localStorage item (quota errors are ignored: the page keeps working unsaved).
pub fn set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

/// Removes a localStorage item.
pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// Saves the session (not while following a server: the page's own session waits in storage, untouched).
pub fn save(state: &AppState) {
    if state.live.is_some() {
        return;
    }
    set(STORAGE_KEY, &state.session(wall()).to_json());
}

/// The saved session's text, if any.
pub fn saved_session() -> Option<String> {
    get(STORAGE_KEY)
}

/// The saved data that could not be read, if it was kept.
pub fn unreadable() -> Option<String> {
    get(UNREADABLE_KEY)
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The embed configuration when the page was opened as `?embed…`.
pub fn embed_config() -> Option<crate::embed::EmbedConfig> {
    let search = location()?.search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for entry in js_sys::try_iter(&params).ok().flatten()? {
        let Ok(entry) = entry else { continue };
        let pair = js_sys::Array::from(&entry);
        pairs
            .push((pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default()));
    }
    crate::embed::EmbedConfig::from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The page's own origin (`http://127.0.0.1:8080`).
pub fn origin() -> String {
    location().and_then(|l| l.origin().ok()).unwrap_or_default()
}

/// The server the page should follow at startup: the one `?server=` names, read by
/// [`crate::state::server_address`] (`Err` when it is not an address), else the one it came from (its
/// `index.html` carries `<meta name="fleetplay-server">`, added by `fleetplay serve --page`).
/// `Ok((address, on_this_machine))`.
pub fn live_target() -> Option<Result<(String, bool), String>> {
    if let Some(text) = server_param() {
        return Some(crate::state::server_address(&text));
    }
    let meta = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=\"fleetplay-server\"]").ok().flatten());
    meta.map(|_| Ok((origin(), true)))
}

/// The `?server=` address, if any.
pub fn server_param() -> Option<String> {
    query_param("server").filter(|u| !u.trim().is_empty())
}

/// Writes `?server=ADDRESS` into the address bar (or removes it), so a reload follows the same server.
pub fn set_server_param(server: Option<&str>) {
    let Some(loc) = location() else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&loc.search().unwrap_or_default()) else {
        return;
    };
    match server {
        Some(server) if !server.is_empty() => params.set("server", server),
        _ => params.delete("server"),
    }
    let query = String::from(params.to_string());
    replace_url(|loc| {
        let query = if query.is_empty() { String::new() } else { format!("?{query}") };
        format!("{}{query}{}", loc.pathname().unwrap_or_default(), loc.hash().unwrap_or_default())
    });
}

/// The `?lesson=` address, if any.
pub fn lesson_param() -> Option<String> {
    query_param("lesson").filter(|u| !u.trim().is_empty())
}

/// Fetches a text file (same origin, or a CORS-permitted address).
pub async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "it could not be fetched (offline, or the server does not allow cross-origin reads)")?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "the answer is not a response")?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = response.text().map_err(|_| "its body cannot be read")?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| "its body is not text".to_string())
}

/// Sets `data-theme` on the root element (one of [`crate::embed::THEMES`]), overriding `prefers-color-scheme`;
/// `index.html` has already set it before the first paint, by the same rule.
pub fn set_theme(theme: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute(crate::embed::THEME_ATTRIBUTE, theme);
    }
}

/// Sets an attribute on `<html>` (an embed's `&transparent`).
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute(name, value);
    }
}

/// Removes an attribute from `<html>` (a host's `fleetplay:theme` with `null`).
pub fn remove_root_attribute(name: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.remove_attribute(name);
    }
}

/// This page's address without its query and fragment: the full playground, seen from an embed.
pub fn url_without_query() -> String {
    let Some(loc) = location() else { return String::new() };
    format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default())
}

/// The state an embed starts in: the built-in fleet, the asked-for provider, operation and server in the
/// composer. Nothing is read from or written to storage, so an embed never disturbs the full page's session.
pub fn embed_state(config: &crate::embed::EmbedConfig) -> AppState {
    use crate::state::Action;
    let mut state = AppState::builtin(wall());
    let provider = config.provider.unwrap_or(sim::Provider::Transfer);
    state.apply(Action::SelectProvider(provider));
    if let Some(op) = &config.op {
        state.apply(Action::SetOperation(op.clone()));
    }
    // Without &server, the provider's first server, so the embed can send at once.
    let first = state.fleet.iter().find(|s| s.provider == provider).map(|s| s.id.clone());
    if let Some(server) = config.server.as_ref().or(first.as_ref()) {
        if state.sim.server(provider, server).is_some() {
            state.apply(Action::SelectServer(provider, server.clone()));
        } else {
            state.apply(Action::SetField(crate::ops::id_field(provider).to_string(), server.clone()));
        }
    }
    state.revision = 0;
    state
}

fn query_param(name: &str) -> Option<String> {
    let search = location()?.search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

fn clear_fragment() {
    replace_url(|loc| format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default()));
}

fn clear_query() {
    replace_url(|loc| format!("{}{}", loc.pathname().unwrap_or_default(), loc.hash().unwrap_or_default()));
}

/// Replaces the address in the history (no reload) with the one `make` builds from the current one.
fn replace_url(make: impl FnOnce(&web_sys::Location) -> String) {
    let Some(w) = web_sys::window() else { return };
    let url = make(&w.location());
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's address with `fragment` in place of the current one.
pub fn url_with_fragment(fragment: &str) -> String {
    let Some(loc) = location() else { return fragment.to_string() };
    format!(
        "{}{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default(),
        fragment
    )
}

fn warn(text: String, unreadable_kept: bool) -> Notice {
    Notice { kind: NoticeKind::Warning, text, unreadable_kept }
}

/// The state the page starts in: following a server (see [`live_target`]), else a share link in the URL,
/// else a preset named in the query (`?preset=large` or `?fleet=N`), else the saved session, else the
/// built-in fleet. A `?server=` that is not on this machine is only offered (a banner), never followed
/// without a click: a link must not send what the user types to somebody else's server.
pub fn initial_state() -> AppState {
    let wall = wall();
    let mut notice = None;
    match live_target() {
        Some(Ok((server, true))) => return AppState::connecting(&server, wall),
        Some(Ok((server, false))) => {
            notice = Some(Notice {
                kind: NoticeKind::Info,
                text: format!(
                    "This link asks the page to follow the server at {server}, which is not on this machine:                      everything you send would go to it. If you trust it, use \"Connect to a server\" at the top."
                ),
                unreadable_kept: false,
            })
        }
        Some(Err(why)) => notice = Some(warn(format!("The ?server= in this link is not used: {why}."), false)),
        None => {}
    }
    let hash = location().and_then(|l| l.hash().ok()).unwrap_or_default();
    match Share::from_fragment(&hash) {
        Ok(Some(share)) => {
            clear_fragment();
            match AppState::from_share(share, wall) {
                Ok(mut state) => {
                    let text = match state.lesson.as_ref() {
                        Some(run) => format!(
                            "Opened a shared lesson: {}. Follow the steps in the Lessons panel; the fleet started \
                             fresh for it.",
                            run.lesson.title
                        ),
                        None => "Opened a shared link: the fleet starts fresh at T+0 with the shared request in \
                                 the composer."
                            .to_string(),
                    };
                    state.notice = Some(Notice { kind: NoticeKind::Info, text, unreadable_kept: false });
                    state.epoch = js_sys::Date::now() - wall;
                    return state;
                }
                Err(e) => notice = Some(warn(format!("This share link cannot be opened: {e}."), false)),
            }
        }
        Ok(None) => {}
        Err(e) => {
            clear_fragment();
            notice = Some(warn(format!("This share link cannot be opened: {e}."), false));
        }
    }
    // index.html's failure notice: "Start fresh" set the saved session aside and came back with ?fresh.
    if query_param("fresh").is_some() {
        clear_query();
        if notice.is_none() && get(UNREADABLE_KEY).is_some() {
            notice = Some(warn(
                "The page stopped on an internal error, so it started fresh. Your previous session was set \
                 aside and can be downloaded or copied."
                    .to_string(),
                true,
            ));
        }
    }
    let preset = query_param("fleet")
        .and_then(|n| n.parse::<u32>().ok())
        .or_else(|| (query_param("preset").as_deref() == Some("large")).then_some(presets::LARGE_SIZES[0]));
    let mut state = if let Some(n) = preset {
        let n = n.clamp(1, presets::MAX_FLEET);
        AppState::new(presets::large(n, Scenario::builtin().seed), wall)
            .unwrap_or_else(|_| AppState::builtin(wall))
    } else {
        match get(STORAGE_KEY) {
            Some(text) => match AppState::restore(&text, wall) {
                Ok(state) => state,
                Err(reason) => {
                    set(UNREADABLE_KEY, &text);
                    remove(STORAGE_KEY);
                    notice = Some(warn(
                        format!(
                            "Your saved session could not be restored: {reason}. The page started clean; the \
                             unreadable data was kept and can be downloaded or copied."
                        ),
                        true,
                    ));
                    AppState::builtin(wall)
                }
            },
            None => AppState::builtin(wall),
        }
    };
    if notice.is_some() {
        state.notice = notice;
    }
    state.epoch = js_sys::Date::now() - wall;
    state
}

/// Moves keyboard focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
    {
        let _ = el.focus();
    }
}

/// Moves keyboard focus to the first element matching `selector`; false when there is none.
pub fn focus_now(selector: &str) -> bool {
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    found.is_some_and(|el| el.focus().is_ok())
}

/// Moves keyboard focus to the first element matching `selector` once the page has rendered what the
/// current event changed (a zero timeout runs after Yew's render): for an action that removes the focused
/// control, focus goes where the user's work went. Nothing happens when no element matches.
pub fn focus_soon(selector: &str) {
    let selector = selector.to_string();
    gloo::timers::callback::Timeout::new(0, move || {
        focus_now(&selector);
    })
    .forget();
}

/// Copies text to the clipboard (best effort; the page shows the text as well).
pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str, mime: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(filename);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A fresh random seed (the only entropy the page ever draws).
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * 4_294_967_296.0) as u64 ^ ((js_sys::Math::random() * 65_536.0) as u64) << 32
}

/// Whether the user asked for reduced motion.
pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Marks the page interactive (`<body data-ready="true">`), for tests and the benchmark.
pub fn mark_ready() {
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-ready", "true");
    }
}
