//! Component tests in headless Chromium: mount the real app (or one component) into a fresh element, drive
//! it through the DOM, and wait for renders with `yew::scheduler::flush()` instead of sleeping.
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p fleetplay --target wasm32-unknown-unknown`.

#![cfg(target_arch = "wasm32")]

use fleetplay::app::App;
use fleetplay::components::{Badge, BadgeProps};
use fleetplay::session::{Session, STORAGE_KEY, UNREADABLE_KEY};
use sim::StateFamily;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

fn storage() -> web_sys::Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("localStorage")
}

/// A fresh host element in the body.
fn host() -> Element {
    let el = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&el).expect("append");
    el
}

/// Mounts the whole app with empty storage (or the given saved session text).
async fn mount_app(saved: Option<&str>) -> (Element, yew::AppHandle<App>) {
    let s = storage();
    let _ = s.clear();
    if let Some(text) = saved {
        s.set_item(STORAGE_KEY, text).expect("store");
    }
    let root = host();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    (root, handle)
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).ok().flatten().unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>().expect("an HTML element").click();
}

fn type_into(input: &Element, value: &str) {
    let input = input.dyn_ref::<HtmlInputElement>().expect("an input");
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("event");
    input.dispatch_event(&event).expect("dispatch");
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// A fleet row's text, spaces collapsed: what names it (name, id, state).
fn row_text(el: &Element) -> String {
    text(el).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fleet row (a tree item of the fleet tree) whose text starts with `who`.
fn server_item(root: &Element, who: &str) -> Element {
    all(root, "[role=tree] [role=treeitem][data-index]")
        .into_iter()
        .find(|li| row_text(li).starts_with(who))
        .unwrap_or_else(|| panic!("no server {who} in the fleet"))
}

fn send_button(root: &Element) -> Element {
    find(root, "button.send")
}

#[wasm_bindgen_test]
async fn app_mounts_marks_ready_and_lists_the_fleet() {
    let (root, handle) = mount_app(None).await;
    assert_eq!(document().body().and_then(|b| b.get_attribute("data-ready")).as_deref(), Some("true"));
    let items = all(&root, "[role=tree] [role=treeitem][data-index]");
    assert!(items.len() >= 20, "{} servers", items.len());
    let transfer = server_item(&root, "s-0123456789abcdef0");
    assert_eq!(row_text(&transfer), "s-0123456789abcdef0 ONLINE");
    let locked = server_item(&root, "D-locked");
    assert_eq!(find(&locked, "svg.lock").get_attribute("aria-label").as_deref(), Some("locked"));
    let labels: Vec<String> = all(&root, "fieldset.providers label").iter().map(text).collect();
    assert_eq!(labels, ["AWS Transfer Family", "Amazon Lightsail", "OpenStack Nova"]);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn selecting_and_sending_stops_the_server() {
    let (root, handle) = mount_app(None).await;
    click(&server_item(&root, "s-0123456789abcdef0"));
    yew::scheduler::flush().await;
    let input = find(&root, "#f-ServerId");
    assert_eq!(
        input.dyn_ref::<HtmlInputElement>().map(|i| i.value()).as_deref(),
        Some("s-0123456789abcdef0")
    );
    let name_before = find(&server_item(&root, "s-0123456789abcdef0"), ".name");
    let badge_before = find(&server_item(&root, "s-0123456789abcdef0"), ".badge");
    click(&send_button(&root));
    yew::scheduler::flush().await;
    let response = find(&root, "section[aria-labelledby='response-h']");
    assert!(text(&response).contains("HTTP/1.1 200 OK"), "{}", text(&response));
    let item = server_item(&root, "s-0123456789abcdef0");
    // The row is patched in place when its transition starts (a stop-all at 1,000 servers relies on it):
    // the same name and badge elements, the badge's text and class updated.
    assert!(find(&item, ".name") == name_before, "the row's name element was rebuilt");
    assert!(find(&item, ".badge") == badge_before, "the row's badge element was rebuilt");
    assert_eq!(text(&badge_before), "STOPPING");
    assert_eq!(row_text(&item), "s-0123456789abcdef0 STOPPING");
    assert!(item.query_selector(".progress").ok().flatten().is_some(), "a progress bar while STOPPING");
    let diagram = find(&root, "svg.machine-svg");
    assert!(diagram
        .get_attribute("aria-label")
        .unwrap_or_default()
        .contains("is in STOPPING, moving to OFFLINE"));
    assert!(text(&find(&root, "ol[aria-label='Timeline']")).contains("ONLINE → STOPPING"));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn validation_flags_a_short_server_id_before_sending() {
    let (root, handle) = mount_app(None).await;
    type_into(&find(&root, "#f-ServerId"), "s-0123456789abcdef");
    yew::scheduler::flush().await;
    let error = find(&root, "#f-ServerId-err");
    assert!(text(&error).contains("Member must have length greater than or equal to 19"), "{}", text(&error));
    // The page shows the service's own answer: the same text StopServer would send.
    assert!(text(&error).contains("ValidationException: 2 validation errors detected"), "{}", text(&error));
    // …followed by the page's pointer to what is wrong with this value.
    assert!(text(&error).ends_with(" — it has 18 characters, and 19 are needed."), "{}", text(&error));
    assert!(send_button(&root).has_attribute("disabled"));
    assert_eq!(find(&root, "#f-ServerId").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(text(&find(&root, "#send-reason")).contains("ServerId"));
    // The raw view sends anything: the provider answers with its own validation error.
    click(&find(&root, "#tab-raw"));
    yew::scheduler::flush().await;
    assert!(!send_button(&root).has_attribute("disabled"));
    click(&send_button(&root));
    yew::scheduler::flush().await;
    let response = text(&find(&root, "section[aria-labelledby='response-h']"));
    assert!(response.contains("400 Bad Request") && response.contains("ValidationException"), "{response}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn hostile_text_is_rendered_as_text() {
    let (root, handle) = mount_app(None).await;
    click(&find(&root, "fieldset.providers input[value='lightsail']"));
    yew::scheduler::flush().await;
    type_into(&find(&root, "#f-instanceName"), "<b id=\"pwned\">x</b>");
    yew::scheduler::flush().await;
    assert!(document().get_element_by_id("pwned").is_none());
    assert!(text(&find(&root, "#f-instanceName-err")).contains("'<' is not allowed"));
    handle.destroy();
}

/// Sets a textarea's value and fires `input`, as typing does.
fn type_into_textarea(area: &Element, value: &str) {
    let area = area.dyn_ref::<web_sys::HtmlTextAreaElement>().expect("a textarea");
    area.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("event");
    area.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn a_string_force_from_the_raw_request_is_shown_flagged_and_kept() {
    let (root, handle) = mount_app(None).await;
    click(&find(&root, "fieldset.providers input[value='lightsail']"));
    yew::scheduler::flush().await;
    click(&find(&root, "#tab-raw"));
    yew::scheduler::flush().await;
    let raw = "POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\n\
               X-Amz-Target: Lightsail_20161128.StopInstance\n\n{\"instanceName\":\"Stuck-1\",\"force\":\"true\"}";
    type_into_textarea(&find(&root, "textarea[aria-label='Raw request']"), raw);
    yew::scheduler::flush().await;
    click(&find(&root, "#tab-form"));
    yew::scheduler::flush().await;
    let select = find(&root, "#f-force");
    let shown = select.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
    assert_eq!(shown, "\"true\"", "the select shows the string as it is");
    assert!(text(&select).contains("\"true\" (sent as written)"), "{}", text(&select));
    assert_eq!(
        text(&find(&root, "#f-force-err")),
        "SerializationException: STRING_VALUE can not be converted to a Boolean"
    );
    type_into(&find(&root, "#f-instanceName"), "Stuck-2");
    yew::scheduler::flush().await;
    click(&find(&root, "#tab-raw"));
    yew::scheduler::flush().await;
    let area = find(&root, "textarea[aria-label='Raw request']");
    let now = area.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|a| a.value()).unwrap_or_default();
    assert!(now.contains(r#""force": "true""#) && now.contains("Stuck-2"), "{now}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn the_session_is_saved_on_pagehide_and_restored() {
    let (root, handle) = mount_app(None).await;
    click(&server_item(&root, "WordPress-1"));
    yew::scheduler::flush().await;
    click(&send_button(&root));
    yew::scheduler::flush().await;
    let event = web_sys::Event::new("pagehide").expect("event");
    web_sys::window().expect("window").dispatch_event(&event).expect("dispatch");
    let saved = storage().get_item(STORAGE_KEY).ok().flatten().expect("a saved session");
    let session = Session::from_json(&saved).expect("it reads back");
    assert_eq!(session.sends.len(), 1);
    handle.destroy();
    root.remove();
    // A second mount replays it: the instance is still stopping and the response is shown again.
    let (root, handle) = mount_app(Some(&saved)).await;
    let item = server_item(&root, "WordPress-1");
    assert_eq!(row_text(&item), "WordPress-1 stopping");
    assert!(text(&find(&root, "section[aria-labelledby='response-h']")).contains("200 OK"));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn an_unreadable_session_starts_clean_and_is_kept() {
    let (root, handle) = mount_app(Some("{\"format\":\"fleetplay-session/0\"}")).await;
    let alert = find(&root, "[role='alert']");
    assert!(text(&alert).contains("could not be restored"), "{}", text(&alert));
    assert!(text(&alert).contains("Download unreadable data"));
    assert_eq!(
        storage().get_item(UNREADABLE_KEY).ok().flatten().as_deref(),
        Some("{\"format\":\"fleetplay-session/0\"}")
    );
    assert!(row_text(&server_item(&root, "s-0123456789abcdef0")).ends_with("ONLINE"));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn badge_writes_the_state_and_marks_locks() {
    let root = host();
    let props = BadgeProps { state: "ACTIVE".into(), family: StateFamily::Running, locked: true };
    let handle = yew::Renderer::<Badge>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    let badge = find(&root, ".badge");
    assert!(badge.get_attribute("class").unwrap_or_default().contains("f-run"));
    assert!(text(&badge).contains("ACTIVE"));
    assert_eq!(find(&badge, "svg").get_attribute("aria-label").as_deref(), Some("locked"));
    handle.destroy();
}

/// The button whose text is `label`.
fn button(root: &Element, label: &str) -> Element {
    all(root, "button")
        .into_iter()
        .find(|b| text(b).trim() == label)
        .unwrap_or_else(|| panic!("no button {label}"))
}

#[wasm_bindgen_test]
async fn snippets_follow_the_composer_and_the_endpoint_switch() {
    let (root, handle) = mount_app(None).await;
    click(&server_item(&root, "s-0123456789abcdef0"));
    yew::scheduler::flush().await;
    let panel = find(&root, "section.snippets");
    let tabs: Vec<String> = all(&panel, "[role='tab']").iter().map(text).collect();
    assert_eq!(tabs, ["curl", "AWS CLI", "boto3 (Python)", "AWS SDK for JavaScript v3", "AWS SDK for Rust"]);
    click(&all(&panel, "[role='tab']")[2]);
    yew::scheduler::flush().await;
    let code = text(&find(&panel, "pre"));
    assert!(code.contains("stop_server") && code.contains("s-0123456789abcdef0"), "{code}");
    assert!(!code.contains("endpoint_url"), "{code}");
    click(&find(&panel, "input[type='checkbox']"));
    yew::scheduler::flush().await;
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let code = text(&find(&panel, "pre"));
    assert!(code.contains(&format!("endpoint_url=\"{origin}\"")) || code.contains(&origin), "{code}");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn side_by_side_runs_the_three_dialects_without_touching_the_session() {
    let (root, handle) = mount_app(None).await;
    click(&button(&root, "Side by side"));
    yew::scheduler::flush().await;
    let cols = all(&root, ".cmp-col");
    assert_eq!(cols.len(), 3);
    let first: Vec<String> = cols.iter().map(|c| text(&find(c, ".status"))).collect();
    assert_eq!(first, ["200 OK", "200 OK", "202 Accepted"]);
    click(&button(&root, "Playground"));
    yew::scheduler::flush().await;
    assert!(all(&root, "ol[aria-label='Timeline'] li").is_empty(), "the session's timeline is untouched");
    handle.destroy();
}

/// Resolves after `ms` milliseconds of wall time (for work the page does asynchronously, such as a fetch).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("window");
        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).expect("setTimeout");
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Renders until `selector` matches inside `root` (at most about five seconds).
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..250 {
        yew::scheduler::flush().await;
        if let Some(el) = root.query_selector(selector).ok().flatten() {
            return el;
        }
        sleep(20).await;
    }
    panic!("nothing matched {selector} in time")
}

/// The shipped Transfer lesson, as a `blob:` URL the lessons panel can load like any other lesson URL.
fn lesson_url() -> String {
    let text = include_str!("../lessons/transfer-stop-lifecycle.json");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).expect("blob");
    web_sys::Url::create_object_url_with_blob(&blob).expect("object URL")
}

/// Opens the lessons panel and starts the Transfer lesson through its "Your own lesson (URL)" form.
async fn start_transfer_lesson(root: &Element) -> Element {
    click(&button(root, "Lessons"));
    yew::scheduler::flush().await;
    let panel = find(root, "section#lessons");
    assert_eq!(text(&find(&panel, "h2")), "Lessons");
    type_into(&find(&panel, "#lesson-url"), &lesson_url());
    yew::scheduler::flush().await;
    click(&button(&panel, "Load"));
    wait_for(root, "section#lessons ol.steps").await;
    find(root, "section#lessons")
}

/// The lesson's steps, in order.
fn steps(root: &Element) -> Vec<Element> {
    all(root, "section#lessons ol.steps > li.step")
}

fn lesson_status(root: &Element) -> String {
    text(&find(root, "section#lessons .lesson-progress [role='status']"))
}

#[wasm_bindgen_test]
async fn starting_a_lesson_shows_its_first_step_and_sending_its_request_completes_it() {
    let (root, handle) = mount_app(None).await;
    let panel = start_transfer_lesson(&root).await;
    assert_eq!(
        text(&find(&panel, "h2")),
        "Lesson: Stop an AWS Transfer Family server and watch it go OFFLINE"
    );
    let list = steps(&root);
    assert_eq!(list.len(), 5);
    assert_eq!(lesson_status(&root), "0 of 5 steps done");
    // Only the first step is current, with its hint, its check and the example request; the rest wait.
    let first = &list[0];
    assert_eq!(first.get_attribute("aria-current").as_deref(), Some("step"));
    assert_eq!(text(&find(first, ".step-state")), "Step 1, to do now");
    assert_eq!(text(&find(first, ".goal")), "Stop the ONLINE server s-0123456789abcdef0.");
    assert!(text(&find(first, ".hint")).starts_with("Hint: "));
    assert!(text(&find(first, ".check-text")).starts_with("Confirmed when: "));
    for (i, step) in list.iter().enumerate().skip(1) {
        assert_eq!(text(&find(step, ".step-state")), format!("Step {}, later", i + 1));
        assert!(step.get_attribute("aria-current").is_none());
        assert!(step.query_selector(".hint").ok().flatten().is_none(), "step {} shows no hint yet", i + 1);
    }
    // The example goes into the composer; sending it is the proof the first step asks for.
    click(&button(first, "Put the example request in the composer"));
    yew::scheduler::flush().await;
    assert_eq!(
        find(&root, "#f-ServerId").dyn_ref::<HtmlInputElement>().map(|i| i.value()).as_deref(),
        Some("s-0123456789abcdef0")
    );
    click(&send_button(&root));
    yew::scheduler::flush().await;
    let list = steps(&root);
    assert!(list[0].get_attribute("class").unwrap_or_default().split(' ').any(|c| c == "done"));
    assert!(text(&find(&list[0], ".step-state")).starts_with("Step 1, done at "), "{}", text(&list[0]));
    assert!(text(&find(&list[0], ".explain")).contains("StopServer has no output"));
    assert_eq!(list[1].get_attribute("aria-current").as_deref(), Some("step"));
    assert_eq!(text(&find(&list[1], ".step-state")), "Step 2, to do now");
    assert_eq!(text(&find(&list[1], ".goal")), "Catch the server while it is still STOPPING.");
    assert!(text(&find(&list[1], ".hint")).contains("DescribeServer"));
    assert_eq!(text(&find(&list[2], ".step-state")), "Step 3, later");
    assert_eq!(lesson_status(&root), "1 of 5 steps done");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_lesson_step_is_not_done_by_a_request_that_does_not_prove_it() {
    let (root, handle) = mount_app(None).await;
    start_transfer_lesson(&root).await;
    // StopServer answered 200, but for another server: the first step stays the current one.
    click(&server_item(&root, "s-0000000000000000c"));
    yew::scheduler::flush().await;
    click(&send_button(&root));
    yew::scheduler::flush().await;
    let response = text(&find(&root, "section[aria-labelledby='response-h']"));
    assert!(response.contains("HTTP/1.1 200 OK"), "{response}");
    let other = server_item(&root, "s-0000000000000000c");
    assert_eq!(row_text(&other), "s-0000000000000000c STOPPING");
    let list = steps(&root);
    assert_eq!(text(&find(&list[0], ".step-state")), "Step 1, to do now");
    assert_eq!(lesson_status(&root), "0 of 5 steps done");
    // Leaving the lesson goes back to the list of lessons.
    click(&button(&root, "Leave lesson"));
    yew::scheduler::flush().await;
    assert!(steps(&root).is_empty());
    assert_eq!(text(&find(&root, "section#lessons h2")), "Lessons");
    handle.destroy();
}

/// Presses Ctrl+Enter on `el` (the event bubbles like a real key press).
fn ctrl_enter(el: &Element) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    el.dispatch_event(&event).expect("dispatch");
}

const LIGHTSAIL_CURL: &str = "curl -X POST https://lightsail.us-west-2.amazonaws.com/ -H 'X-Amz-Target: \
                              Lightsail_20161128.StopInstance' -H 'Content-Type: application/x-amz-json-1.1' \
                              -d '{\"instanceName\":\"WordPress-1\"}'";

#[wasm_bindgen_test]
async fn ctrl_enter_on_the_curl_tab_imports_and_sends_the_pasted_command() {
    let (root, handle) = mount_app(None).await;
    click(&find(&root, "#tab-curl"));
    yew::scheduler::flush().await;
    // The draft (StopServer with no ServerId) cannot be sent from the curl tab any more than from the form.
    assert!(send_button(&root).has_attribute("disabled"));
    assert!(
        text(&find(&root, "#send-reason")).contains("ServerId"),
        "{}",
        text(&find(&root, "#send-reason"))
    );
    let area = find(&root, "#curl-in");
    type_into_textarea(&area, LIGHTSAIL_CURL);
    yew::scheduler::flush().await;
    // With a command pasted, Send is the pasted command's: it imports first.
    assert!(!send_button(&root).has_attribute("disabled"));
    assert!(text(&find(&root, "#send-reason")).contains("imports the curl command"));
    ctrl_enter(&area);
    yew::scheduler::flush().await;
    let response = text(&find(&root, "section[aria-labelledby='response-h']"));
    assert!(response.contains("HTTP/1.1 200 OK"), "{response}");
    let sent = text(&find(&root, "section[aria-labelledby='response-h'] details.sent pre"));
    assert!(sent.contains("X-Amz-Target: Lightsail_20161128.StopInstance"), "{sent}");
    assert!(sent.contains(r#"{"instanceName":"WordPress-1"}"#), "{sent}");
    assert!(find(&root, "fieldset.providers input[value='lightsail']")
        .dyn_ref::<HtmlInputElement>()
        .is_some_and(|i| i.checked()));
    assert_eq!(row_text(&server_item(&root, "WordPress-1")), "WordPress-1 stopping");
    handle.destroy();
}

#[wasm_bindgen_test]
async fn send_with_a_curl_command_that_cannot_be_imported_sends_nothing_and_says_why() {
    let (root, handle) = mount_app(None).await;
    click(&find(&root, "#tab-curl"));
    yew::scheduler::flush().await;
    let area = find(&root, "#curl-in");
    type_into_textarea(
        &area,
        "curl -X POST \"https://transfer.us-east-1.amazonaws.com/ x\" -H \"X-Amz-Target: TransferService.StopServer\"",
    );
    yew::scheduler::flush().await;
    click(&send_button(&root));
    yew::scheduler::flush().await;
    assert!(all(&root, "ol[aria-label='Timeline'] li").is_empty(), "nothing was sent");
    let status = text(&find(&root, ".toast-region[role='status']"));
    assert!(status.contains("cannot be imported") && status.contains("contains a space"), "{status}");
    // Still on the curl tab, with the command as pasted, to fix it.
    assert_eq!(find(&root, "#tab-curl").get_attribute("aria-selected").as_deref(), Some("true"));
    handle.destroy();
}

fn raw_area(root: &Element) -> Element {
    find(root, "textarea[aria-label='Raw request']")
}

fn area_value(el: &Element) -> String {
    el.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|a| a.value()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn pasting_another_providers_raw_request_takes_the_composer_there() {
    let (root, handle) = mount_app(None).await;
    click(&find(&root, "#tab-raw"));
    yew::scheduler::flush().await;
    let lightsail = "POST / HTTP/1.1\nHost: lightsail.us-west-2.amazonaws.com\nContent-Type: application/x-amz-json-1.1\n\
                     X-Amz-Target: Lightsail_20161128.StopInstance\n\n{\"instanceName\": \"WordPress-1\"}";
    type_into_textarea(&raw_area(&root), lightsail);
    yew::scheduler::flush().await;
    let checked = |slug: &str| {
        find(&root, &format!("fieldset.providers input[value='{slug}']"))
            .dyn_ref::<HtmlInputElement>()
            .is_some_and(|i| i.checked())
    };
    assert!(checked("lightsail") && !checked("transfer"));
    let op = find(&root, "#operation").dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value());
    assert_eq!(op.as_deref(), Some("StopInstance"));
    assert_eq!(text(&send_button(&root)), "Send StopInstance");
    assert_eq!(area_value(&raw_area(&root)), lightsail);
    assert!(text(&find(&root, "ul.notes")).contains("your AWS Transfer Family draft is kept"));
    // The Transfer draft is where it was.
    click(&find(&root, "fieldset.providers input[value='transfer']"));
    yew::scheduler::flush().await;
    assert!(area_value(&raw_area(&root)).contains("X-Amz-Target: TransferService.StopServer"));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn an_unreadable_raw_request_is_explained_once_under_the_editor() {
    let (root, handle) = mount_app(None).await;
    click(&find(&root, "#tab-raw"));
    yew::scheduler::flush().await;
    type_into_textarea(&raw_area(&root), "POST / HTTP/1.1\nContent-Type application/json\n\n{}");
    yew::scheduler::flush().await;
    let status = text(&find(&root, "#raw-status"));
    assert!(status.starts_with("Cannot read the request: line 2: expected a header"), "{status}");
    assert_eq!(raw_area(&root).get_attribute("aria-describedby").as_deref(), Some("raw-status"));
    let send = send_button(&root);
    assert!(send.has_attribute("disabled"));
    assert_eq!(send.get_attribute("aria-describedby").as_deref(), Some("raw-status"));
    assert_eq!(text(&find(&root, "#send-reason")), "");
    let composer = text(&find(&root, "section.composer"));
    assert_eq!(composer.matches("expected a header").count(), 1, "{composer}");
    // On the Form tab the editor is not shown, so the reason is next to Send.
    click(&find(&root, "#tab-form"));
    yew::scheduler::flush().await;
    assert!(!text(&find(&root, "#send-reason")).is_empty());
    assert_eq!(send_button(&root).get_attribute("aria-describedby").as_deref(), Some("send-reason"));
    handle.destroy();
}
