//! The mdBook preprocessor behind `mdbook-fleetplay`: every ```` ```fleetplay ```` fenced block of a chapter
//! becomes an embedded playground, the `<div data-fleetplay>` element that the playground's drop-in script
//! (`embed.js`, docs/embedding.md) turns into a sized, themed iframe.
//!
//! A block holds the embed's settings, one `name = value` (or `name: value`) per line, and optionally a
//! request to prefill after a `---` line:
//!
//! ````text
//! ```fleetplay
//! provider = lightsail
//! op = StopInstance
//! server = WordPress-1
//! scenario = fleets/two-servers.json
//! ---
//! POST / HTTP/1.1
//! Content-Type: application/x-amz-json-1.1
//! X-Amz-Target: Lightsail_20161128.StopInstance
//!
//! {"instanceName": "WordPress-1"}
//! ```
//! ````
//!
//! The book names its playground in `book.toml` (`[preprocessor.fleetplay] url = "https://…/"`). Scenario
//! files (relative to the chapter) and requests are checked here with the simulator's own readers, so a
//! broken one fails the build with its place instead of failing in a reader's browser.
//!
//! Why no `mdbook` crate: the protocol is two JSON values on stdin and one on stdout, and only the chapters'
//! `content` changes. Walking the book as a `serde_json::Value` keeps every field mdBook sent, whatever its
//! version (0.4 calls the list `sections`, 0.5 `items`), and costs no dependency on mdBook's own tree, which
//! pulls in its renderer and changes shape between releases.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The settings a block may give, as the embed's URL parameters (docs/embedding.md), plus `scenario` and
/// `title` which the block handles itself.
pub const SETTINGS: [&str; 11] = [
    "provider",
    "op",
    "server",
    "theme",
    "transparent",
    "compact",
    "accent",
    "providers",
    "events",
    "scenario",
    "title",
];

/// Settings that are switches: written alone (`compact`) or with `true`/`false`.
const SWITCHES: [&str; 2] = ["transparent", "compact"];

/// What the preprocessor needs to know about the book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookConfig {
    /// The playground's address, ending in `/` (`embed.js` and the embed live there).
    pub url: String,
    /// The book's source folder (`<root>/<book.src>`), where chapter paths start.
    pub src: PathBuf,
}

impl BookConfig {
    /// Reads `[preprocessor.fleetplay]` and `[book] src` from mdBook's context object.
    pub fn from_context(context: &Value) -> Result<BookConfig, String> {
        let config = &context["config"];
        let url = config["preprocessor"]["fleetplay"]["url"].as_str().ok_or(
            "book.toml: [preprocessor.fleetplay] needs url = \"https://…/\", the address of the fleetplay \
             playground the embeds load",
        )?;
        let url = check_url(url)?;
        let root = PathBuf::from(context["root"].as_str().unwrap_or("."));
        let src = config["book"]["src"].as_str().unwrap_or("src");
        Ok(BookConfig { url, src: root.join(src) })
    }
}

/// `http(s)://host[:port]/path/`, always ending in `/` so `embed.js` resolves inside it.
fn check_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !url.contains(['"', '<', '>', ' ', '?', '#']) =>
        {
            Ok(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
        }
        _ => Err(format!(
            "book.toml: [preprocessor.fleetplay] url = {url:?} is not an http(s) address such as \
             \"https://fleetplay.example/\" (no query, no fragment)"
        )),
    }
}

/// Runs the preprocessor on mdBook's input (`[context, book]` as JSON) and returns the book as JSON.
pub fn preprocess(input: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(input).map_err(|e| format!("mdBook's input is not JSON: {e}"))?;
    let Value::Array(mut pair) = value else {
        return Err("mdBook's input is not a [context, book] array".to_string());
    };
    if pair.len() != 2 {
        return Err(format!("mdBook's input has {} values, not [context, book]", pair.len()));
    }
    let mut book = pair.pop().unwrap_or(Value::Null);
    let context = pair.pop().unwrap_or(Value::Null);
    let config = BookConfig::from_context(&context)?;
    let mut problems = Vec::new();
    each_chapter(&mut book, &mut |chapter| {
        let Some(Value::String(content)) = chapter.get("content") else { return };
        let source = ["source_path", "path"]
            .iter()
            .find_map(|k| chapter.get(*k).and_then(Value::as_str))
            .map(PathBuf::from);
        match rewrite_chapter(content, source.as_deref(), &config) {
            Ok(Some(new)) => {
                chapter.insert("content".to_string(), Value::String(new));
            }
            Ok(None) => {}
            Err(e) => problems.push(e),
        }
    });
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    serde_json::to_string(&book).map_err(|e| format!("cannot write the book back as JSON: {e}"))
}

/// Calls `f` on every chapter object (`{"Chapter": {…}}`), however deep, in book order.
fn each_chapter(value: &mut Value, f: &mut dyn FnMut(&mut serde_json::Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(chapter)) = map.get_mut("Chapter") {
                f(chapter);
            }
            for v in map.values_mut() {
                each_chapter(v, f);
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|v| each_chapter(v, f)),
        _ => {}
    }
}

/// An opening or closing code fence: its character, its length and the info string's first word.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.len() - rest.trim_start_matches(c).len();
    if n < 3 {
        return None;
    }
    let info = rest[n..].trim();
    if c == '`' && info.contains('`') {
        return None;
    }
    let word = info.split(|ch: char| ch.is_whitespace() || ch == ',' || ch == '{').next().unwrap_or("");
    Some((c, n, word))
}

/// The chapter with its `fleetplay` blocks replaced (`None` when it has none). `source` is the chapter's file
/// relative to the book's source folder, for scenario paths and messages.
pub fn rewrite_chapter(
    content: &str,
    source: Option<&Path>,
    config: &BookConfig,
) -> Result<Option<String>, String> {
    let name = source.map_or_else(|| "a chapter without a file".to_string(), |p| p.display().to_string());
    let mut out = String::with_capacity(content.len());
    let mut lines = content.split_inclusive('\n').enumerate();
    let mut found = 0;
    while let Some((n, line)) = lines.next() {
        let Some((c, len, word)) = fence(line.trim_end_matches(['\n', '\r'])) else {
            out.push_str(line);
            continue;
        };
        let closes = |l: &str| {
            fence(l.trim_end_matches(['\n', '\r']))
                .is_some_and(|(c2, len2, w)| c2 == c && len2 >= len && w.is_empty())
        };
        let mut body = Vec::new();
        let mut closed = false;
        for (_, l) in lines.by_ref() {
            if closes(l) {
                closed = true;
                body.push(("", l));
                break;
            }
            body.push((l, l));
        }
        if word != "fleetplay" {
            // Another language's block, copied as it is (a fleetplay example inside it stays an example).
            out.push_str(line);
            body.iter().for_each(|(_, l)| out.push_str(l));
            continue;
        }
        let place = |k: usize| format!("{name}:{}", n + 1 + k);
        if !closed {
            return Err(format!("{}: this ```fleetplay block is never closed", place(0)));
        }
        let text: Vec<&str> = body.iter().map(|(t, _)| *t).filter(|t| !t.is_empty()).collect();
        let block = Block::parse(&text, n + 2).map_err(|(k, e)| format!("{name}:{k}: {e}"))?;
        let dir = source.and_then(Path::parent).map_or_else(|| config.src.clone(), |d| config.src.join(d));
        let html = block.to_html(config, &dir, found == 0).map_err(|e| format!("{}: {e}", place(0)))?;
        out.push_str(&html);
        out.push('\n');
        found += 1;
    }
    Ok((found > 0).then_some(out))
}

/// One block: its settings in order, and the request to prefill.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    /// `(name, value)`; switches written alone have the value `"true"`.
    pub settings: Vec<(String, String)>,
    /// Raw HTTP text after the `---` line.
    pub request: Option<String>,
}

impl Block {
    /// Reads a block's lines (without the fences); `first` is the line number of the first one. Errors carry
    /// the line number.
    pub fn parse(lines: &[&str], first: usize) -> Result<Block, (usize, String)> {
        let mut block = Block::default();
        for (k, raw) in lines.iter().enumerate() {
            let line = raw.trim();
            let at = first + k;
            if line == "---" {
                let request: String = lines[k + 1..].concat();
                if request.trim().is_empty() {
                    return Err((
                        at,
                        "nothing follows ---; write the request to prefill after it, or drop the line".into(),
                    ));
                }
                let request = request.trim_end().replace("\r\n", "\n") + "\n";
                sim::http::parse_request(&request).map_err(|e| {
                    (at + e.line, format!("the request after --- cannot be read: {}", e.message))
                })?;
                block.request = Some(request);
                break;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = match line.split_once(['=', ':']) {
                Some((n, v)) => (n.trim(), v.trim()),
                None => (line, "true"),
            };
            if !SETTINGS.contains(&name) {
                return Err((
                    at,
                    format!("unknown setting {name:?}; a fleetplay block takes {}", SETTINGS.join(", ")),
                ));
            }
            if block.settings.iter().any(|(n, _)| n == name) {
                return Err((at, format!("{name} is set twice")));
            }
            check_value(name, value).map_err(|e| (at, e))?;
            block.settings.push((name.to_string(), value.to_string()));
        }
        Ok(block)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.settings.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The embed's query string (as the drop-in script's `data-fleetplay` takes it).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in &self.settings {
            match name.as_str() {
                "scenario" | "title" => {}
                n if SWITCHES.contains(&n) => {
                    if value != "false" {
                        parts.push(n.to_string());
                    }
                }
                n => parts.push(format!("{n}={}", encode_component(value))),
            }
        }
        parts.join("&")
    }

    /// The HTML that replaces the block: the element the drop-in script fills (with a plain link inside for
    /// readers without scripts), and the script itself after the chapter's first block.
    pub fn to_html(&self, config: &BookConfig, dir: &Path, with_script: bool) -> Result<String, String> {
        let query = self.query();
        let mut attrs = vec![("class", "fleetplay".to_string()), ("data-fleetplay", query.clone())];
        if let Some(scenario) = self.get("scenario") {
            let text = if scenario == "builtin" {
                "builtin".to_string()
            } else {
                let path = dir.join(scenario);
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("scenario = {scenario}: cannot read {}: {e}", path.display()))?;
                sim::Scenario::from_json(&text).map_err(|e| {
                    format!("scenario = {scenario}: {} is not a usable scenario: {e}", path.display())
                })?;
                text
            };
            attrs.push(("data-fleetplay-scenario", text));
        }
        if let Some(request) = &self.request {
            attrs.push(("data-fleetplay-request", request.clone()));
        }
        if let Some(title) = self.get("title") {
            attrs.push(("data-fleetplay-title", title.to_string()));
        }
        let op = self.get("op").unwrap_or("the API");
        let mut html = String::from("<div");
        for (name, value) in &attrs {
            html.push_str(&format!(" {name}=\"{}\"", escape_attribute(value)));
        }
        let link = format!("{}?embed&{query}", config.url);
        html.push_str(&format!(
            "><a href=\"{}\">Try {} in the fleetplay playground</a></div>",
            escape_attribute(&link),
            escape_text(op)
        ));
        if with_script {
            html.push_str(&format!(
                "<script src=\"{}embed.js\" async></script>",
                escape_attribute(&config.url)
            ));
        }
        Ok(html)
    }
}

fn check_value(name: &str, value: &str) -> Result<(), String> {
    let one_of = |choices: &[&str]| {
        if choices.contains(&value) {
            Ok(())
        } else {
            Err(format!("{name} = {value:?}: expected one of {}", choices.join(", ")))
        }
    };
    match name {
        "provider" => one_of(&["transfer", "lightsail", "nova"]),
        "theme" => one_of(&["light", "dark"]),
        "events" => one_of(&["all", "shown"]),
        "transparent" | "compact" => one_of(&["true", "false"]),
        "providers" => {
            if !value.is_empty()
                && value.split(',').all(|p| ["transfer", "lightsail", "nova"].contains(&p.trim()))
            {
                Ok(())
            } else {
                Err(format!(
                    "providers = {value:?}: expected a comma-separated list of transfer, lightsail, nova"
                ))
            }
        }
        "accent" => {
            let hex = value.strip_prefix('#').unwrap_or(value);
            if (hex.len() == 3 || hex.len() == 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err(format!("accent = {value:?}: expected a hex colour such as 2f5bea or #2f5bea"))
            }
        }
        _ if value.is_empty() => Err(format!("{name} needs a value")),
        _ => Ok(()),
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode_component(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text for a double-quoted attribute, on one line (a Markdown HTML block ends at a blank line, so the
/// element must not contain one): newlines become `&#10;`.
fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("&#10;"),
            '\r' => {}
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

fn escape_text(value: &str) -> String {
    value.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> BookConfig {
        BookConfig { url: "https://fleetplay.example/".into(), src: PathBuf::from("/nonexistent") }
    }

    #[test]
    fn a_block_becomes_an_embed_element_on_one_line() {
        let chapter = "# Stop\n\n```fleetplay\nprovider = lightsail\nop: StopInstance\nserver = WordPress-1\ncompact\n---\nPOST / HTTP/1.1\nX-Amz-Target: Lightsail_20161128.StopInstance\n\n{\"instanceName\": \"WordPress-1\"}\n```\n\nAfter.\n";
        let out = rewrite_chapter(chapter, Some(Path::new("stop.md")), &config()).unwrap().unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "# Stop");
        assert!(lines[2].starts_with("<div class=\"fleetplay\" data-fleetplay=\"provider=lightsail&amp;op=StopInstance&amp;server=WordPress-1&amp;compact\""), "{}", lines[2]);
        assert!(lines[2].contains("data-fleetplay-request=\"POST / HTTP/1.1&#10;X-Amz-Target: Lightsail_20161128.StopInstance&#10;&#10;{&quot;instanceName&quot;: &quot;WordPress-1&quot;}&#10;\""), "{}", lines[2]);
        assert!(
            lines[2].contains("<a href=\"https://fleetplay.example/?embed&amp;provider=lightsail"),
            "{}",
            lines[2]
        );
        assert!(lines[2].ends_with("<script src=\"https://fleetplay.example/embed.js\" async></script>"));
        assert_eq!(&lines[3..], ["", "After."]);
    }

    #[test]
    fn other_blocks_and_nested_examples_stay_as_they_are() {
        let chapter =
            "````markdown\n```fleetplay\nprovider = nova\n```\n````\n\n~~~rust\nfn main() {}\n~~~\n";
        assert_eq!(rewrite_chapter(chapter, None, &config()), Ok(None));
        // The script comes once per chapter.
        let two = "```fleetplay\nprovider = nova\n```\n\n```fleetplay\nprovider = transfer\n```\n";
        let out = rewrite_chapter(two, None, &config()).unwrap().unwrap();
        assert_eq!(out.matches("embed.js").count(), 1);
        assert_eq!(out.matches("<div class=\"fleetplay\"").count(), 2);
    }

    #[test]
    fn mistakes_name_their_line() {
        let err = |text: &str| rewrite_chapter(text, Some(Path::new("ch/a.md")), &config()).unwrap_err();
        assert_eq!(
            err("intro\n```fleetplay\nprovider = aws\n```\n"),
            "ch/a.md:3: provider = \"aws\": expected one of transfer, lightsail, nova"
        );
        assert!(
            err("```fleetplay\nprovder = nova\n```\n").starts_with("ch/a.md:2: unknown setting \"provder\"")
        );
        assert!(err("```fleetplay\nprovider = nova\n")
            .contains("ch/a.md:1: this ```fleetplay block is never closed"));
        assert!(err("```fleetplay\naccent = blue\n```\n").contains("expected a hex colour"));
        assert!(err("```fleetplay\nop = StopServer\nop = StartServer\n```\n")
            .contains("ch/a.md:3: op is set twice"));
        assert!(err("```fleetplay\n---\nPOST\n```\n")
            .starts_with("ch/a.md:3: the request after --- cannot be read"));
        assert!(err("```fleetplay\nscenario = missing.json\n```\n")
            .contains("scenario = missing.json: cannot read /nonexistent/ch/missing.json"));
    }

    #[test]
    fn scenarios_are_read_relative_to_the_chapter_and_checked() {
        let dir = std::env::temp_dir().join(format!("mdbook-fleetplay-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("ch")).unwrap();
        std::fs::write(dir.join("ch/good.json"), "{\"title\": \"</div> & <b>\", \"seed\": 7}").unwrap();
        std::fs::write(dir.join("ch/bad.json"), "{\"seed\": \"seven\"}").unwrap();
        let config = BookConfig { url: "https://f.example/play/".into(), src: dir.clone() };
        let out =
            rewrite_chapter("```fleetplay\nscenario = good.json\n```\n", Some(Path::new("ch/x.md")), &config)
                .unwrap()
                .unwrap();
        assert!(out.contains("data-fleetplay-scenario=\"{&quot;title&quot;: &quot;&lt;/div&gt; &amp; &lt;b&gt;&quot;, &quot;seed&quot;: 7}\""), "{out}");
        let bad =
            rewrite_chapter("```fleetplay\nscenario = bad.json\n```\n", Some(Path::new("ch/x.md")), &config)
                .unwrap_err();
        assert!(bad.starts_with("ch/x.md:1: scenario = bad.json:") && bad.contains("seed"), "{bad}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_book_round_trips_with_only_contents_changed() {
        for list in ["items", "sections"] {
            let input = format!(
                r#"[{{"root": "/b", "config": {{"book": {{"src": "src"}}, "preprocessor": {{"fleetplay": {{"url": "http://127.0.0.1:9/x"}}}}}}, "renderer": "html", "mdbook_version": "0.5.4"}},
                {{"{list}": [{{"Chapter": {{"name": "A", "content": "```fleetplay\nprovider = nova\n```\n", "number": [1], "sub_items": [{{"Chapter": {{"name": "B", "content": "plain", "sub_items": [], "path": "b.md", "source_path": "b.md", "parent_names": ["A"]}}}}], "path": "a.md", "source_path": "a.md", "parent_names": []}}}}, "Separator", {{"PartTitle": "P"}}]}}]"#
            );
            let out: Value = serde_json::from_str(&preprocess(&input).unwrap()).unwrap();
            let a = &out[list][0]["Chapter"];
            assert!(a["content"]
                .as_str()
                .unwrap()
                .contains("<script src=\"http://127.0.0.1:9/x/embed.js\" async>"));
            assert_eq!(a["number"], serde_json::json!([1]));
            assert_eq!(a["sub_items"][0]["Chapter"]["content"], "plain");
            assert_eq!(out[list][1], "Separator");
            assert_eq!(out[list][2]["PartTitle"], "P");
        }
    }

    #[test]
    fn the_book_must_name_its_playground() {
        let input = r#"[{"root": "/b", "config": {"book": {}}}, {"items": []}]"#;
        assert!(preprocess(input).unwrap_err().contains("[preprocessor.fleetplay] needs url"));
        let bad = r#"[{"root": "/b", "config": {"preprocessor": {"fleetplay": {"url": "fleetplay.example"}}}}, {"items": []}]"#;
        assert!(preprocess(bad).unwrap_err().contains("is not an http(s) address"));
        assert!(preprocess("[1]").unwrap_err().contains("[context, book]"));
        assert!(preprocess("nope").unwrap_err().contains("not JSON"));
    }
}
