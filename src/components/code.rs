//! Code blocks with syntax colouring: HTTP headers and JSON bodies (tokens from [`crate::pretty`]).

use crate::pretty::{json_tokens, Tok};
use yew::prelude::*;

/// Props of a JSON body block.
#[derive(Properties, PartialEq, Clone)]
pub struct JsonBlockProps {
    /// The body text.
    pub body: AttrValue,
    /// Accessible label.
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// A body, re-indented and coloured when it is JSON, verbatim otherwise (always as text, never as HTML).
#[component]
pub fn JsonBlock(props: &JsonBlockProps) -> Html {
    let tokens = json_tokens(&props.body);
    html! {
        <pre class="code mono body" aria-label={props.label.clone()}>
            { for tokens.into_iter().map(|(t, text)| if t == Tok::Plain {
                html! { {text} }
            } else {
                html! { <span class={t.class()}>{text}</span> }
            }) }
        </pre>
    }
}

/// Props of a header list.
#[derive(Properties, PartialEq, Clone)]
pub struct HeadersProps {
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
}

/// Header fields, one per line, names coloured.
#[component]
pub fn Headers(props: &HeadersProps) -> Html {
    html! {
        <pre class="code mono headers">
            { for props.headers.iter().map(|(k, v)| html! {
                <><span class="h-k">{k}</span><span class="j-p">{": "}</span><span class="h-v">{v}</span>{"\n"}</>
            }) }
        </pre>
    }
}
