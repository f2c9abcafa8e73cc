//! Where the web build's bytes go: `cargo xtask bench` builds the app (and the floor fixture,
//! `xtask/floor`) once more with function names kept,
//! runs the same wasm-bindgen and wasm-opt `-Oz` steps as Trunk, and sums the optimised module's function
//! bodies by the part of the project (or dependency) their names start with; data segments are one row.
//!
//! The reader below understands just enough of the wasm binary format for this: section framing, the import
//! section (imported functions take the first function indices), the code section's body sizes and the
//! `name` custom section's function names. Anything it cannot read is an error with the offset, never a panic.

use crate::util::{self, Result};
use std::fmt::Write as _;

/// The parts of the build, in the order rows are printed, with the name prefixes that belong to each.
/// A function belongs to the first part whose prefix its name (without a leading `<`) starts with.
const PARTS: [(&str, &[&str]); 11] = [
    // The floor fixture's one component is its view.
    (
        "page views (Yew components and view functions)",
        &["fleetplay::components", "fleetplay::app::App", "fleetplay_floor::"],
    ),
    ("page logic (state, session, ops, embed …)", &["fleetplay::"]),
    ("simulator: lessons", &["sim::lesson"]),
    ("simulator: snippets", &["sim::snippets"]),
    ("simulator: curl import", &["sim::curl"]),
    ("simulator: scenario reader and writer", &["sim::scenario"]),
    ("serde, serde_json, serde-wasm-bindgen", &["serde"]),
    ("simulator: providers and core", &["sim::"]),
    ("Yew runtime", &["yew::", "implicit_clone::", "indexmap::", "hashbrown::"]),
    ("wasm-bindgen, web-sys, js-sys, gloo", &["wasm_bindgen", "web_sys::", "js_sys::", "gloo"]),
    ("core, alloc, std: generic code, allocator, formatting", &[""]),
];

/// Bytes per part of one wasm module.
#[derive(Debug, Default, PartialEq)]
pub struct Breakdown {
    /// Function body bytes per entry of [`PARTS`], in its order.
    pub code: [u64; PARTS.len()],
    /// Bytes of the data section (strings, tables, constants).
    pub data: u64,
    /// Everything else: types, imports, exports, the function table, section headers.
    pub other: u64,
}

/// The part a (demangled) function name belongs to. Yew's per-component code is named after yew but
/// carries the component in its type parameter, so `CompStateInner<…fleetplay…>` counts as a page view.
fn part_of(name: &str) -> usize {
    let plain = without_disambiguators(name);
    let bare = plain.trim_start_matches('<');
    if bare.starts_with("yew::html::component::lifecycle::CompStateInner") {
        return 0;
    }
    PARTS
        .iter()
        .position(|(_, prefixes)| prefixes.iter().any(|p| bare.starts_with(p)))
        .unwrap_or(PARTS.len() - 1)
}

/// `name` without rustc's crate disambiguators (`sim[9f3c…]::sim` → `sim::sim`).
fn without_disambiguators(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) if close > 0 && after[..close].bytes().all(|b| b.is_ascii_hexdigit()) => {
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.at).ok_or_else(|| format!("wasm ends early at byte {}", self.at))?;
        self.at += 1;
        Ok(b)
    }

    fn leb(&mut self) -> Result<u64> {
        let (mut value, mut shift) = (0u64, 0u32);
        loop {
            let b = self.byte()?;
            if shift >= 64 {
                return Err(format!("LEB128 number too long at byte {}", self.at));
            }
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8]> {
        let end =
            usize::try_from(n).ok().and_then(|n| self.at.checked_add(n)).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("a length of {n} at byte {} runs past the end", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn name(&mut self) -> Result<&'a str> {
        let len = self.leb()?;
        std::str::from_utf8(self.take(len)?)
            .map_err(|_| format!("a name that is not UTF-8 at byte {}", self.at))
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }
}

/// Counts the imported functions (they take the first function indices).
fn imported_functions(section: &[u8]) -> Result<u64> {
    let mut r = Reader { bytes: section, at: 0 };
    let mut functions = 0;
    for _ in 0..r.leb()? {
        r.name()?;
        r.name()?;
        match r.byte()? {
            0 => {
                r.leb()?;
                functions += 1;
            }
            1 => {
                r.byte()?;
                limits(&mut r)?;
            }
            2 => limits(&mut r)?,
            3 => {
                r.byte()?;
                r.byte()?;
            }
            4 => {
                r.byte()?;
                r.leb()?;
            }
            kind => return Err(format!("unknown import kind {kind}")),
        }
    }
    Ok(functions)
}

fn limits(r: &mut Reader<'_>) -> Result {
    let flags = r.byte()?;
    r.leb()?;
    if flags & 1 != 0 {
        r.leb()?;
    }
    Ok(())
}

/// Function names by index, from the `name` custom section (subsection 1).
fn function_names(section: &[u8]) -> Result<Vec<(u64, String)>> {
    let mut r = Reader { bytes: section, at: 0 };
    let mut names = Vec::new();
    while !r.done() {
        let id = r.byte()?;
        let len = r.leb()?;
        let body = r.take(len)?;
        if id == 1 {
            let mut s = Reader { bytes: body, at: 0 };
            for _ in 0..s.leb()? {
                let index = s.leb()?;
                names.push((index, s.name()?.to_string()));
            }
        }
    }
    Ok(names)
}

/// Reads a wasm module and sums its bytes per part. Without a `name` section every function counts as
/// core/alloc/std, so build with names kept.
pub fn breakdown(wasm: &[u8]) -> Result<Breakdown> {
    if wasm.get(..4) != Some(b"\0asm".as_slice()) {
        return Err("not a wasm module".to_string());
    }
    let mut r = Reader { bytes: wasm, at: 8 };
    let mut out = Breakdown { other: 8, ..Breakdown::default() };
    let (mut imported, mut bodies, mut names) = (0, Vec::new(), Vec::new());
    while !r.done() {
        let start = r.at;
        let id = r.byte()?;
        let len = r.leb()?;
        let body = r.take(len)?;
        let header = (r.at - start) as u64 - len;
        out.other += header;
        match id {
            2 => {
                imported = imported_functions(body)?;
                out.other += len;
            }
            10 => {
                let mut c = Reader { bytes: body, at: 0 };
                for _ in 0..c.leb()? {
                    let size = c.leb()?;
                    c.take(size)?;
                    bodies.push(size);
                }
                out.other += len - bodies.iter().sum::<u64>();
            }
            11 => out.data += len,
            0 => {
                let mut c = Reader { bytes: body, at: 0 };
                if c.name()? == "name" {
                    names = function_names(&body[c.at..])?;
                }
                // Custom sections (names, debug info) are stripped in the shipped build: not counted.
            }
            _ => out.other += len,
        }
    }
    let mut part = vec![PARTS.len() - 1; bodies.len()];
    for (index, name) in &names {
        if let Some(slot) = index.checked_sub(imported).and_then(|i| part.get_mut(usize::try_from(i).ok()?)) {
            *slot = part_of(name);
        }
    }
    for (size, p) in bodies.iter().zip(part) {
        out.code[p] += size;
    }
    Ok(out)
}

/// The breakdown as a Markdown table: KB per part and its share of the module.
pub fn table(b: &Breakdown) -> String {
    let total = b.code.iter().sum::<u64>() + b.data + b.other;
    let mut rows: Vec<(&str, u64)> = PARTS.iter().map(|(label, _)| *label).zip(b.code).collect();
    rows.push(("data: explanation prose, JSON templates, tables", b.data));
    rows.push(("other sections: types, imports, exports, function table", b.other));
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    let mut out = String::from("| part | KB | share |\n|---|---:|---:|\n");
    for (label, bytes) in rows {
        let share = (bytes * 1000).checked_div(total).map_or(0, |per_mille| (per_mille + 5) / 10);
        let _ = writeln!(out, "| {label} | {:.1} | {share} % |", bytes as f64 / 1000.0);
    }
    let _ = writeln!(out, "| **whole module** | **{:.1}** | |", total as f64 / 1000.0);
    out
}

/// A web build whose bytes can be measured: a Cargo package and its binary that Trunk builds.
#[derive(Clone, Copy)]
pub struct Build {
    /// The Cargo package.
    pub package: &'static str,
    /// The binary target (also the wasm file's name).
    pub bin: &'static str,
}

/// The page (index.html).
pub const PAGE: Build = Build { package: "fleetplay", bin: "fleetplay-app" };
/// The floor fixture (xtask/floor/index.html).
pub const FLOOR: Build = Build { package: "fleetplay-floor", bin: "fleetplay-floor" };

/// Builds the names-kept copy of a web build (Cargo profile `web`, as Trunk builds it; own target folder,
/// so the normal build stays cached) and returns the report section.
pub fn measure(what: Build) -> Result<String> {
    let target = util::target_dir().join("size-names");
    let mut build = util::cargo();
    build
        .args(["build", "--profile", "web", "--target", crate::tools::WASM_TARGET, "-p", what.package])
        .args(["--bin", what.bin])
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_WEB_STRIP", "false");
    util::run(&mut build)?;
    let out = target.join("names").join(what.bin);
    let _ = std::fs::remove_dir_all(&out);
    let raw = target.join(crate::tools::WASM_TARGET).join("web").join(format!("{}.wasm", what.bin));
    util::run(
        util::cmd("wasm-bindgen").args(["--target", "web", "--keep-debug", "--out-dir"]).arg(&out).arg(&raw),
    )?;
    let bound = out.join(format!("{}_bg.wasm", what.bin));
    let optimised = out.join("optimised.wasm");
    util::run(
        util::cmd("wasm-opt")
            .args(["-Oz", "-g", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
            .args(["--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types"])
            .arg("--enable-multivalue")
            .arg(&bound)
            .arg("-o")
            .arg(&optimised),
    )?;
    let bytes = std::fs::read(&optimised).map_err(|e| format!("{}: {e}", optimised.display()))?;
    let report = table(&breakdown(&bytes)?);
    print!("{report}");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with one imported function, two defined functions named in a `name` section, and a data
    /// segment: the smallest thing that exercises every path of the reader.
    fn module(names: &[(u8, &str)]) -> Vec<u8> {
        fn section(id: u8, body: &[u8]) -> Vec<u8> {
            let mut s = vec![id, body.len() as u8];
            s.extend_from_slice(body);
            s
        }
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend(section(1, &[1, 0x60, 0, 0])); // one type: () -> ()
        m.extend(section(2, &[1, 1, b'e', 1, b'f', 0, 0])); // import e.f: function of type 0
        m.extend(section(3, &[2, 0, 0])); // two functions of type 0
        m.extend(section(10, &[2, 2, 0, 0x0b, 5, 0, 1, 1, 1, 0x0b])); // bodies of 3 and 6 bytes (with size)
        m.extend(section(11, &[1, 0, 0x41, 0, 0x0b, 3, b'a', b'b', b'c'])); // one active segment, "abc"
        let mut sub = vec![names.len() as u8];
        for (index, name) in names {
            sub.push(*index);
            sub.push(name.len() as u8);
            sub.extend_from_slice(name.as_bytes());
        }
        let mut custom = vec![4];
        custom.extend_from_slice(b"name");
        custom.push(1);
        custom.push(sub.len() as u8);
        custom.extend(sub);
        m.extend(section(0, &custom));
        m
    }

    #[test]
    fn bodies_are_counted_under_the_part_their_name_starts_with() {
        let b =
            breakdown(&module(&[(1, "sim::sim::Sim::handle"), (2, "<yew::html::Html>::x")])).expect("reads");
        assert_eq!(b.code[7], 2, "the first body (2 bytes) is the simulator's");
        assert_eq!(b.code[8], 5, "the second body (5 bytes) is Yew's");
        assert_eq!(b.code.iter().sum::<u64>(), 7);
        assert_eq!(b.data, 9);
        let table = table(&b);
        assert!(table.contains("| simulator: providers and core | 0.0 |"), "{table}");
    }

    #[test]
    fn imported_functions_shift_the_indices_and_unnamed_bodies_are_core() {
        // Index 0 is the import, so a name for index 0 belongs to no body.
        let b = breakdown(&module(&[(0, "sim::imported")])).expect("reads");
        assert_eq!(b.code[PARTS.len() - 1], 7);
    }

    #[test]
    fn every_part_is_named_once() {
        for (i, (name, _)) in PARTS.iter().enumerate() {
            assert!(PARTS[..i].iter().all(|(earlier, _)| earlier != name), "{name} is listed twice");
        }
    }

    #[test]
    fn components_count_as_page_views() {
        assert_eq!(part_of("<yew::html::component::lifecycle::CompStateInner<COMP> as x>::view"), 0);
        assert_eq!(part_of("fleetplay::components::composer::composer"), 0);
        assert_eq!(part_of("fleetplay::state::AppState::apply"), 1);
        assert_eq!(part_of("<fleetplay_floor::app::Floor as yew::functional::FunctionProvider>::run"), 0);
        assert_eq!(part_of("<sim::scenario::Scenario as serde_core::de::Deserialize>::deserialize"), 5);
        assert_eq!(part_of("<dlmalloc::Dlmalloc>::malloc"), PARTS.len() - 1);
        assert_eq!(part_of("serde_json::de::from_str::<sim::Scenario>"), 6);
        assert_eq!(part_of("<serde_wasm_bindgen::de::Deserializer as serde_core::de::Deserializer>::x"), 6);
        assert_eq!(part_of("<sim[9f3c01]::sim::Sim>::handle"), 7);
        assert_eq!(part_of("<yew[c0a2]::html::component::lifecycle::CompStateInner<COMP> as x>::view"), 0);
        assert_eq!(
            without_disambiguators("core[e82c]::ptr::drop_in_place::<[u8; 4]>"),
            "core::ptr::drop_in_place::<[u8; 4]>"
        );
    }

    #[test]
    fn broken_modules_are_errors_not_panics() {
        let good = module(&[(1, "a")]);
        for cut in 0..good.len() {
            let _ = breakdown(&good[..cut]);
        }
        assert!(breakdown(b"nope").is_err());
        assert!(breakdown(&good[..good.len() - 3]).is_err());
    }
}
