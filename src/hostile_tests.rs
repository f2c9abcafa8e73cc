//! Randomised "a user does anything" tests of the page's logic, run natively: long sequences of actions
//! with hostile values (odd field values, broken raw requests and curl lines, mangled session files, odd clock
//! readings) must never panic, and whatever the user built must survive a reload and a share link.
//!
//! The reducer (`AppState::apply`) is the page minus the browser, so this covers what every view dispatches.
//! Randomness is a fixed-seed generator: a failure names its seed and step, and reruns identically.

use crate::draft::Mode;
use crate::ops;
use crate::session::Share;
use crate::state::{Action, AppState};
use crate::test_rng::Lcg;
use sim::Provider;

/// Values a user (or a pasted documentation page) might put anywhere.
const ODD: &[&str] = &[
    "",
    " ",
    "s-0123456789abcdef0",
    "s-01234567890abcdef",
    "s-0123456789ABCDEF0",
    "WordPress-1",
    "Stuck-1",
    "0199340e-0f3e-4612-96be-6f1861b192b5",
    "<img src=x onerror=alert(1)>",
    "\"}, {\"evil\": true",
    "../../servers",
    "é\u{301}🙂\u{200b}",
    "true",
    "null",
    "-1",
    "18446744073709551616",
    "2.104",
    "latest",
    "\n\r\t",
    "%2F%00",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

/// What a damaged file has where it should not.
const JUNK: &[&str] = &["\"", "}", "x", "\u{0}", ""];

/// Pieces of raw HTTP and curl text, recombined at random.
const PIECES: &[&str] = &[
    "POST / HTTP/1.1\r\n",
    "POST /v2.1/servers/0199340e-0f3e-4612-96be-6f1861b192b5/action HTTP/1.1\n",
    "GET /v2/aaaa1111/servers/detail HTTP/1.1\n",
    "Host: transfer.us-east-1.amazonaws.com\n",
    "Content-Type: application/x-amz-json-1.1\n",
    "X-Amz-Target: TransferService.StopServer\n",
    "X-Amz-Target: Lightsail_20161128.StopInstance\n",
    "X-Auth-Token: admin-token-aaaa1111\n",
    "Content-Length: 99999\n",
    "\n",
    "{\"ServerId\": \"s-0123456789abcdef0\"}",
    "{\"instanceName\": \"Stuck-1\", \"force\": true}",
    "{\"os-stop\": null}",
    "{\"os-stop\": ",
    "curl -X POST https://compute.example.com:8774/v2.1/servers/x/action ",
    "-H 'X-Auth-Token: member-token' ",
    "-d '{\"os-stop\": null}' ",
    "--data-binary @file ",
    "\"unterminated ",
    "\\\n",
    "\u{0}",
    "é",
];

fn odd(rng: &mut Lcg) -> String {
    (*rng.pick(ODD)).to_string()
}

fn pieces(rng: &mut Lcg) -> String {
    (0..rng.below(7)).map(|_| *rng.pick(PIECES)).collect()
}

fn wall(rng: &mut Lcg, clock: &mut f64) -> f64 {
    match rng.below(20) {
        0 => f64::NAN,
        1 => -1.0,
        2 => 1e300,
        _ => {
            *clock += (rng.below(5000) as f64) * 7.5;
            *clock
        }
    }
}

fn provider(rng: &mut Lcg) -> Provider {
    *rng.pick(&Provider::ALL)
}

fn action(rng: &mut Lcg, state: &AppState, clock: &mut f64) -> Action {
    let p = state.provider;
    match rng.below(30) {
        0 | 1 => Action::Tick { wall: wall(rng, clock) },
        2 | 3 => Action::Send { wall: wall(rng, clock) },
        4 => Action::SendComposed { wall: wall(rng, clock) },
        5 => Action::Step { wall: wall(rng, clock) },
        6 => Action::SetPlaying { wall: wall(rng, clock), playing: rng.below(2) == 0 },
        7 => Action::SetSpeed { wall: wall(rng, clock), speed: *rng.pick(&[0, 1, 10, 100, u32::MAX]) },
        8 => Action::SetSkip { wall: wall(rng, clock), skip: rng.below(2) == 0 },
        9 => Action::SelectProvider(provider(rng)),
        10 => {
            let names: Vec<&str> = ops::ops(p).iter().map(|o| o.name).chain(["Nope", ""]).collect();
            Action::SetOperation((*rng.pick(&names)).to_string())
        }
        11..=13 => {
            let op = state.draft().op(p);
            let names: Vec<&str> = op.fields.iter().map(|f| f.name).chain(["bogus"]).collect();
            Action::SetField((*rng.pick(&names)).to_string(), odd(rng))
        }
        14 => Action::SetRaw(pieces(rng)),
        15 => Action::SetMode(*rng.pick(&[Mode::Form, Mode::Raw, Mode::Curl])),
        16 => Action::SetCurl(pieces(rng)),
        17 if rng.below(2) == 0 => Action::ImportCurl,
        17 => Action::ImportCurlAndSend { wall: wall(rng, clock) },
        18 => {
            let fleet = state.sim.fleet();
            let id = if fleet.is_empty() || rng.below(4) == 0 {
                odd(rng)
            } else {
                fleet[rng.below(fleet.len())].id.clone()
            };
            Action::SelectServer(provider(rng), id)
        }
        19 if rng.below(3) == 0 => Action::StopAll { wall: wall(rng, clock) },
        19 => Action::ViewExchange(rng.next() % 8),
        20 => Action::Reset { wall: wall(rng, clock), seed: (rng.below(2) == 0).then(|| rng.next()) },
        21 => Action::LoadDraft { provider: provider(rng), raw: pieces(rng) },
        22 => {
            // A mangled copy of this very session, imported as a file.
            let mut text = state.export(*clock);
            for _ in 0..rng.below(3) {
                let at = rng.below(text.len() + 1);
                let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
                let junk = *rng.pick(JUNK);
                text.insert_str(at, junk);
            }
            Action::ImportSession { wall: wall(rng, clock), name: "odd.json".into(), text }
        }
        23 => Action::UndoRestart { wall: wall(rng, clock) },
        26 => {
            // A shipped lesson with clock needs, retried and restarted at random moments.
            let text = include_str!("../lessons/transfer-stop-lifecycle.json");
            let lesson =
                std::rc::Rc::new(sim::lesson::Lesson::from_json(text).unwrap_or_else(|e| panic!("{e}")));
            Action::StartLesson { wall: wall(rng, clock), lesson, source: std::rc::Rc::from(text) }
        }
        27 => Action::RetryStep { wall: wall(rng, clock) },
        28 => Action::RestartLesson { wall: wall(rng, clock) },
        24 => rng.pick(&[Action::ForgetSetAside, Action::DismissNotice]).clone(),
        25 => {
            // A fault or profile change from the scenario bar, sometimes one the scenario refuses.
            let mut scenario = state.sim.scenario().clone();
            scenario.faults.transfer.internal_error_rate = *rng.pick(&[0.0, 0.5, 1.0, -1.0, f64::NAN, 7.0]);
            let undoable = rng.below(4) != 0;
            Action::LoadScenario {
                wall: wall(rng, clock),
                scenario: Box::new(scenario),
                message: odd(rng),
                undoable,
            }
        }
        _ => Action::SendRequest {
            wall: wall(rng, clock),
            request: Box::new(sim::http::parse_request(&pieces(rng)).unwrap_or_default()),
        },
    }
}

#[test]
fn random_sessions_never_panic_and_survive_reload_and_share_links() {
    for seed in 0..60u64 {
        let mut rng = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut clock = 0.0;
        let mut state = AppState::builtin(clock);
        for step in 0..50 {
            let act = action(&mut rng, &state, &mut clock);
            let shown = format!("{act:?}");
            state.apply(act);
            // What the views read on every render.
            let _ = state.draft().request();
            let _ = state.lesson_progress();
            let _ = state.transcript();

            // Reload: the saved session restores to what the live page shows at that moment (the live page
            // fires due transitions on its next clock tick; the restored one has already replayed them).
            let saved = state.session(clock).to_json();
            let back = AppState::restore(&saved, clock)
                .unwrap_or_else(|e| panic!("seed {seed} step {step} after {shown}: reload failed: {e}"));
            let mut live = state.clone();
            live.apply(Action::Tick { wall: clock });
            let at = format!("seed {seed} step {step} after {shown}");
            assert_eq!(back.now_at(clock), live.now_at(clock), "{at}");
            assert_eq!(back.sim.fleet(), live.sim.fleet(), "{at}");
            assert_eq!(back.timeline.len(), live.timeline.len(), "{at}");
            assert_eq!(back.drafts, live.drafts, "{at}");
            assert_eq!(back.provider, live.provider, "{at}");

            // Share link: opens with the same scenario and the same composed request.
            let fragment = state.share().to_fragment();
            let shared = Share::from_fragment(&fragment)
                .ok()
                .flatten()
                .and_then(|s| AppState::from_share(s, clock).ok())
                .unwrap_or_else(|| panic!("{at}: share link does not open"));
            assert_eq!(shared.sim.scenario(), state.sim.scenario(), "{at}");
            assert_eq!(shared.provider, state.provider, "{at}");
            assert_eq!(shared.draft().raw, state.draft().raw, "{at}");
        }
    }
}
