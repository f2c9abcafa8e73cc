//! The built-in scenario: a small realistic fleet that also carries the documentation's example identifiers
//! (`s-01234567890abcdef`, `WordPress-1`, `0199340e-0f3e-4612-96be-6f1861b192b5` …) and the spec's
//! test-vector fleets (§1.6, §2.6, §3.6), so doc samples and test vectors work as written.

use super::*;

fn transfer(id: &str, state: &str) -> TransferServerDef {
    TransferServerDef { id: id.to_string(), state: state.to_string(), ..Default::default() }
}

fn lightsail(name: &str, state: &str, blueprint: &str, ip: Option<&str>) -> LightsailInstanceDef {
    LightsailInstanceDef {
        name: name.to_string(),
        state: state.to_string(),
        blueprint_id: blueprint.to_string(),
        public_ip: ip.map(str::to_string),
        ..Default::default()
    }
}

fn token(token: &str, project: &str, roles: &[&str], label: &str) -> NovaTokenDef {
    NovaTokenDef {
        token: token.to_string(),
        project_id: project.to_string(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        user_id: format!("user-{}", &project[..project.len().min(8)]),
        label: label.to_string(),
    }
}

fn nova(id: &str, name: &str, project: &str, vm_state: &str) -> NovaServerDef {
    NovaServerDef {
        id: id.to_string(),
        name: name.to_string(),
        project_id: project.to_string(),
        vm_state: vm_state.to_string(),
        ..Default::default()
    }
}

/// Project of the spec's Nova test vectors.
pub const VECTOR_PROJECT: &str = "aaaa1111";
/// The other project of the test vectors.
pub const OTHER_PROJECT: &str = "bbbb2222";
/// Project of the public-cloud documentation example (§7).
pub const DOC_PROJECT: &str = "b72dc11461c84102b97576ae24d2b88c";

impl Scenario {
    /// The default scenario every session starts from.
    pub fn builtin() -> Scenario {
        let mut s = Scenario { title: "Demo fleet".to_string(), seed: 20161128, ..Default::default() };
        s.fleet.transfer = vec![
            TransferServerDef {
                protocols: vec!["SFTP".into(), "FTPS".into()],
                user_count: 12,
                ..transfer("s-01234567890abcdef", "ONLINE")
            },
            TransferServerDef { user_count: 3, ..transfer("s-0123456789abcdef0", "ONLINE") },
            transfer("s-00000000000000001", "OFFLINE"),
            transfer("s-0000000000000000a", "STOPPING"),
            transfer("s-0000000000000000b", "STARTING"),
            TransferServerDef { stop_fails: true, ..transfer("s-0000000000000000c", "ONLINE") },
            TransferServerDef {
                endpoint_type: "VPC".into(),
                protocols: vec!["AS2".into()],
                ..transfer("s-5d0f3c7a9b1e2d4f6", "STOP_FAILED")
            },
        ];
        s.fleet.lightsail = vec![
            LightsailInstanceDef {
                blueprint_id: "wordpress".into(),
                public_ip: Some("192.0.2.10".into()),
                ..lightsail("WordPress-1", "running", "wordpress", None)
            },
            lightsail("Stopped-1", "stopped", "ubuntu_24_04", None),
            LightsailInstanceDef { stuck: true, ..lightsail("Stuck-1", "stopping", "lamp_8", None) },
            lightsail("Booting-1", "pending", "nodejs", None),
            lightsail("Amazon_Linux_2023-1", "running", "amazon_linux_2023", Some("192.0.2.23")),
            LightsailInstanceDef {
                static_ip: true,
                ..lightsail("MEAN-Stack-1", "running", "mean", Some("198.51.100.7"))
            },
        ];
        s.fleet.nova.tokens = vec![
            token("712c5401c6764878a2d706675e0a6319", DOC_PROJECT, &["member"], "doc example (public cloud)"),
            token("f064c46a782c444cb4ba4b6434288f7c", DOC_PROJECT, &["member", "reader"], "doc example"),
            token(
                "9a3d8c2b7e6f41d0a5b4c3e2f1d0c9b8",
                "895f0b8574504834bd6249d91dbd5a9c",
                &["member"],
                "doc error example",
            ),
            token("member-token-aaaa1111", VECTOR_PROJECT, &["member", "reader"], "member of aaaa1111"),
            token("reader-token-aaaa1111", VECTOR_PROJECT, &["reader"], "reader of aaaa1111"),
            token("admin-token-aaaa1111", VECTOR_PROJECT, &["admin", "member", "reader"], "admin"),
            // An admin outside aaaa1111: its locks on aaaa1111's servers are recorded as locked_by admin.
            token("admin-token-bbbb2222", OTHER_PROJECT, &["admin", "member", "reader"], "admin of bbbb2222"),
        ];
        let p = VECTOR_PROJECT;
        s.fleet.nova.servers = vec![
            nova("0199340e-0f3e-4612-96be-6f1861b192b5", "web-01", DOC_PROJECT, "active"),
            nova(
                "fd2caaa0-cdcb-4f43-bd65-2bdbe29e06b1",
                "db-01",
                "895f0b8574504834bd6249d91dbd5a9c",
                "active",
            ),
            nova("a0000000-0000-4000-8000-00000000000a", "A-active", p, "active"),
            nova("b0000000-0000-4000-8000-00000000000b", "B-shutoff", p, "stopped"),
            nova("c0000000-0000-4000-8000-00000000000c", "C-error", p, "error"),
            NovaServerDef {
                locked: true,
                locked_by: Some(NovaLockedBy::Admin),
                ..nova("d0000000-0000-4000-8000-00000000000d", "D-locked", p, "active")
            },
            NovaServerDef {
                task_state: Some("powering-off".into()),
                ..nova("e0000000-0000-4000-8000-00000000000e", "E-powering-off", p, "active")
            },
            NovaServerDef {
                host: None,
                launched: false,
                ..nova("f0000000-0000-4000-8000-00000000000f", "F-error-no-host", p, "error")
            },
            nova("70000000-0000-4000-8000-000000000007", "G-paused", p, "paused"),
            NovaServerDef {
                host: None,
                ..nova("80000000-0000-4000-8000-000000000008", "H-shelved", p, "shelved_offloaded")
            },
            nova("90000000-0000-4000-8000-000000000009", "J-other-project", OTHER_PROJECT, "active"),
        ];
        s
    }
}
