//! Scenario presets the page offers (the built-in demo fleet and a large generated fleet), and helpers that
//! derive requests from a scenario: the token a Nova server's project uses, and "stop every running server".

use crate::ops::{self, Fields};
use sim::scenario::{LightsailInstanceDef, NovaServerDef, NovaTokenDef, TransferServerDef};
use sim::{Provider, Scenario, ServerView, StateFamily, WireRequest};

/// The lessons that ship with the page (`lessons/<name>.json`, copied into the site by Trunk and fetched
/// when the lessons panel opens), in the order it lists them.
pub const LESSONS: [&str; 8] = [
    "transfer-stop-lifecycle",
    "transfer-error-families",
    "lightsail-stop-and-force",
    "lightsail-error-shapes",
    "nova-stop-start-cycle",
    "nova-locks-and-tokens",
    "throttling-and-retries",
    "server-faults",
];

/// Project of the generated Nova servers.
pub const LARGE_PROJECT: &str = "1a2b3c4d";
/// Admin token of the generated Nova project.
pub const LARGE_ADMIN_TOKEN: &str = "admin-token-1a2b3c4d";

/// The sizes of generated fleet the page offers (the scenario bar's picker; `?preset=large` is the first).
pub const LARGE_SIZES: [u32; 2] = [1_000, 10_000];

/// The most servers `?fleet=N` generates.
pub const MAX_FLEET: u32 = 10_000;

/// The title of the generated fleet of `n` servers.
pub fn large_title(n: u32) -> String {
    format!("Large fleet ({})", crate::pretty::counted(n as usize, "server", "servers"))
}

/// The size of generated fleet a scenario title names, also in the spelling of earlier versions
/// (`Large fleet (1000 servers)`), which saved sessions may still carry.
pub fn large_size(title: &str) -> Option<u32> {
    let n = title.strip_prefix("Large fleet (")?.strip_suffix(" servers)")?.replace(',', "");
    n.parse().ok()
}

/// A fleet of `n` running servers spread over the three providers, for the smoothness check.
pub fn large(n: u32, seed: u64) -> Scenario {
    let mut s = Scenario { title: large_title(n), seed, ..Scenario::default() };
    s.fleet.nova.tokens = vec![NovaTokenDef {
        token: LARGE_ADMIN_TOKEN.to_string(),
        project_id: LARGE_PROJECT.to_string(),
        roles: vec!["admin".into(), "member".into(), "reader".into()],
        user_id: "user-large".to_string(),
        label: "admin of the large fleet".to_string(),
    }];
    for i in 0..n {
        match Provider::ALL[i as usize % Provider::ALL.len()] {
            Provider::Transfer => s.fleet.transfer.push(TransferServerDef {
                id: format!("s-{:017x}", 0x1_0000_0000_u64 + u64::from(i)),
                ..Default::default()
            }),
            Provider::Lightsail => s
                .fleet
                .lightsail
                .push(LightsailInstanceDef { name: format!("Instance-{i:04}"), ..Default::default() }),
            Provider::Nova => s.fleet.nova.servers.push(NovaServerDef {
                id: format!("00000000-0000-4000-8000-{:012x}", i),
                name: format!("vm-{i:04}"),
                project_id: LARGE_PROJECT.to_string(),
                ..Default::default()
            }),
        }
    }
    s
}

/// The Nova project a server belongs to, from the scenario.
pub fn nova_project<'a>(scenario: &'a Scenario, server_id: &str) -> Option<&'a str> {
    scenario.fleet.nova.servers.iter().find(|s| s.id == server_id).map(|s| s.project_id.as_str())
}

/// A token of `project` with the `member` role (not admin), or else any token of the project.
pub fn member_token<'a>(scenario: &'a Scenario, project: &str) -> Option<&'a str> {
    let tokens = || scenario.fleet.nova.tokens.iter().filter(|t| t.project_id == project);
    tokens()
        .find(|t| t.roles.iter().any(|r| r == "member") && !t.roles.iter().any(|r| r == "admin"))
        .or_else(|| tokens().next())
        .map(|t| t.token.as_str())
}

/// A token of `project` with the `admin` role.
pub fn admin_token<'a>(scenario: &'a Scenario, project: &str) -> Option<&'a str> {
    scenario
        .fleet
        .nova
        .tokens
        .iter()
        .find(|t| t.project_id == project && t.roles.iter().any(|r| r == "admin"))
        .map(|t| t.token.as_str())
}

/// The token a stop uses in `project`: an admin one (locks do not refuse it), or else a member one.
fn stop_token<'a>(scenario: &'a Scenario, project: &str) -> Option<&'a str> {
    admin_token(scenario, project).or_else(|| member_token(scenario, project))
}

/// The form values that address `server` with its provider's stop operation, given its token (Nova).
fn fields_for(server: &ServerView, token: Option<&str>) -> Fields {
    let mut fields = Fields::new();
    fields.insert(ops::id_field(server.provider).to_string(), server.id.clone());
    if let (Provider::Nova, Some(token)) = (server.provider, token) {
        fields.insert("X-Auth-Token".into(), token.to_string());
    }
    fields
}

/// The form values that address `server` with its provider's stop operation.
pub fn stop_fields(scenario: &Scenario, server: &ServerView) -> Fields {
    let token = match server.provider {
        Provider::Nova => nova_project(scenario, &server.id).and_then(|p| stop_token(scenario, p)),
        Provider::Transfer | Provider::Lightsail => None,
    };
    fields_for(server, token)
}

/// One stop request per running server (admin tokens for Nova, so locks do not refuse them).
/// Projects and tokens are looked up once, not once per server: the scenario lists Nova servers and tokens
/// in plain vectors, and a search of them per server made "Stop all" quadratic (seconds at 5,000 servers).
pub fn stop_all(scenario: &Scenario, fleet: &[std::rc::Rc<ServerView>]) -> Vec<WireRequest> {
    let mut projects: Vec<(&str, &str)> =
        scenario.fleet.nova.servers.iter().map(|s| (s.id.as_str(), s.project_id.as_str())).collect();
    projects.sort_by(|a, b| a.0.cmp(b.0));
    // Projects are few: their tokens are looked up on first use.
    let mut tokens: Vec<(&str, Option<&str>)> = Vec::new();
    fleet
        .iter()
        .filter(|s| s.family == StateFamily::Running)
        .map(|s| {
            let project = match s.provider {
                Provider::Nova => {
                    projects.binary_search_by(|(id, _)| (*id).cmp(s.id.as_str())).ok().map(|i| projects[i].1)
                }
                Provider::Transfer | Provider::Lightsail => None,
            };
            let token = project.and_then(|project| match tokens.iter().find(|(p, _)| *p == project) {
                Some((_, token)) => *token,
                None => {
                    let token = stop_token(scenario, project);
                    tokens.push((project, token));
                    token
                }
            });
            ops::build(ops::stop_op(s.provider), &fields_for(s, token))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lesson_list_is_the_lessons_folder() {
        let dir = std::path::Path::new(
            &std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
        )
        .join("lessons");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("lessons/")
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".json").map(str::to_string))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = LESSONS.iter().map(|s| s.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
        for name in LESSONS {
            let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
            sim::lesson::Lesson::from_json(&text).expect(name);
        }
    }

    #[test]
    fn large_titles_name_their_size_in_either_spelling() {
        assert_eq!(large_title(1000), "Large fleet (1,000 servers)");
        assert_eq!(large_size(&large_title(10_000)), Some(10_000));
        assert_eq!(large_size("Large fleet (1000 servers)"), Some(1000));
        assert_eq!(large_size("Demo fleet"), None);
    }

    #[test]
    fn large_fleet_is_valid() {
        let s = large(1000, 7);
        s.validate().expect("large preset validates");
        assert_eq!(s.fleet.transfer.len() + s.fleet.lightsail.len() + s.fleet.nova.servers.len(), 1000);
    }

    #[test]
    fn tokens_for_the_builtin_projects() {
        let s = Scenario::builtin();
        assert_eq!(member_token(&s, "aaaa1111"), Some("member-token-aaaa1111"));
        assert_eq!(admin_token(&s, "aaaa1111"), Some("admin-token-aaaa1111"));
        assert_eq!(nova_project(&s, "d0000000-0000-4000-8000-00000000000d"), Some("aaaa1111"));
    }

    #[test]
    fn stop_all_addresses_each_running_server_as_a_single_stop_would() {
        for scenario in [Scenario::builtin(), large(300, 3)] {
            let sim = sim::Sim::new(scenario.clone()).expect("starts");
            let fleet: Vec<std::rc::Rc<ServerView>> = sim.fleet().into_iter().map(std::rc::Rc::new).collect();
            let one_by_one: Vec<WireRequest> = fleet
                .iter()
                .filter(|s| s.family == StateFamily::Running)
                .map(|s| ops::build(ops::stop_op(s.provider), &stop_fields(&scenario, s)))
                .collect();
            let all = stop_all(&scenario, &fleet);
            assert!(!all.is_empty());
            assert_eq!(all, one_by_one, "{}", scenario.title);
            // The large preset's Nova stops carry its admin token, so locked servers stop too.
            let nova: Vec<&WireRequest> = all.iter().filter(|r| r.path().contains("/action")).collect();
            assert!(!nova.is_empty());
            if scenario.title == large_title(300) {
                assert!(nova.iter().all(|r| r.header("X-Auth-Token") == Some(LARGE_ADMIN_TOKEN)));
            }
        }
    }
}
