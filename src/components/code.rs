//! Code blocks with syntax colouring: HTTP headers and JSON bodies (tokens from [`crate::pretty`]). View
//! functions: they keep nothing between renders.

use crate::pretty::{json_tokens, Tok};
use yew::prelude::*;

/// A body, re-indented and coloured when it is JSON, verbatim otherwise (always as text, never as HTML).
/// `label` is the accessible label.
pub fn json_block(body: &str, label: AttrValue) -> Html {
    let tokens = json_tokens(body);
    html! {
        <pre class="code mono body" aria-label={label}>
            { for tokens.into_iter().map(|(t, text)| if t == Tok::Plain {
                html! { {text} }
            } else {
                html! { <span class={t.class()}>{text}</span> }
            }) }
        </pre>
    }
}

/// Header fields, one per line, names coloured.
pub fn headers(headers: &[(String, String)]) -> Html {
    html! {
        <pre class="code mono headers">
            { for headers.iter().map(|(k, v)| html! {
                <><span class="h-k">{k}</span><span class="j-p">{": "}</span><span class="h-v">{v}</span>{"\n"}</>
            }) }
        </pre>
    }
}
