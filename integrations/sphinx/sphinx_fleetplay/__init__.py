"""A Sphinx directive that embeds the fleetplay playground in a page.

In ``conf.py``::

    extensions = ["sphinx_fleetplay"]
    fleetplay_url = "https://fleetplay.example/"   # where the playground and its embed.js are served

In a page::

    .. fleetplay::
       :provider: nova
       :op: os-stop
       :server: 0199340e-0f3e-4612-96be-6f1861b192b5
       :scenario: fleets/one-server.json
       :compact:

       POST /v2.1/servers/0199340e-0f3e-4612-96be-6f1861b192b5/action HTTP/1.1
       X-Auth-Token: 712c5401c6764878a2d706675e0a6319
       Content-Type: application/json

       {"os-stop": null}

The options are the embed's URL settings (docs/embedding.md); the content, if any, is a request to prefill.
HTML builders get the ``<div data-fleetplay>`` element that the playground's drop-in script (``embed.js``,
added to the pages that need it) turns into a sized, themed iframe, with a plain link inside for readers
without scripts; other builders get the link alone.
"""

import json
import re
from html import escape
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import Directive, directives

__version__ = "0.1.0"

PROVIDERS = ("transfer", "lightsail", "nova")


class fleetplay(nodes.General, nodes.Element):
    """One embed: ``query`` (the embed's settings), ``attrs`` (the element's data attributes), ``link``."""


def _providers(text):
    names = [p.strip() for p in (text or "").split(",")]
    if not names or any(p not in PROVIDERS for p in names):
        raise ValueError("expected a comma-separated list of " + ", ".join(PROVIDERS))
    return ",".join(names)


def _accent(text):
    hex_ = (text or "").strip().lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{3}|[0-9a-fA-F]{6}", hex_):
        raise ValueError("expected a hex colour such as 2f5bea or #2f5bea")
    return hex_


def _nonempty(text):
    text = (text or "").strip()
    if not text:
        raise ValueError("needs a value")
    return text


def _url(text):
    text = (text or "").strip()
    if not re.fullmatch(r"https?://[^/\s\"'<>?#][^\s\"'<>?#]*", text):
        raise ValueError(
            "fleetplay_url = %r is not an http(s) address such as 'https://fleetplay.example/' "
            "(no query, no fragment)" % text
        )
    return text if text.endswith("/") else text + "/"


class FleetplayDirective(Directive):
    """``.. fleetplay::``: an embedded playground, optionally with a request to prefill as its content."""

    has_content = True
    option_spec = {
        "provider": lambda t: directives.choice(t, PROVIDERS),
        "op": _nonempty,
        "server": _nonempty,
        "theme": lambda t: directives.choice(t, ("light", "dark")),
        "transparent": directives.flag,
        "compact": directives.flag,
        "accent": _accent,
        "providers": _providers,
        "events": lambda t: directives.choice(t, ("all", "shown")),
        "scenario": _nonempty,
        "title": _nonempty,
    }
    # The order the settings go into the embed's URL.
    QUERY = ("provider", "op", "server", "theme", "transparent", "compact", "accent", "providers", "events")

    def run(self):
        env = self.state.document.settings.env
        try:
            base = _url(env.config.fleetplay_url)
        except ValueError as e:
            raise self.error(str(e))
        parts = []
        for name in self.QUERY:
            if name not in self.options:
                continue
            value = self.options[name]
            parts.append(name if value is None else "%s=%s" % (name, quote(value, safe="")))
        query = "&".join(parts)
        attrs = [("data-fleetplay", query)]
        scenario = self.options.get("scenario")
        if scenario == "builtin":
            attrs.append(("data-fleetplay-scenario", "builtin"))
        elif scenario:
            rel, path = env.relfn2path(scenario, env.docname)
            env.note_dependency(rel)
            try:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
            except OSError as e:
                raise self.error(":scenario: %s: cannot read %s: %s" % (scenario, path, e.strerror))
            try:
                data = json.loads(text)
            except ValueError as e:
                raise self.error(":scenario: %s is not JSON: %s" % (scenario, e))
            if not isinstance(data, dict):
                raise self.error(":scenario: %s must hold a JSON object (a fleetplay-scenario/1 file)" % scenario)
            attrs.append(("data-fleetplay-scenario", text))
        if self.content:
            request = "\n".join(self.content).strip("\n") + "\n"
            first = request.split("\n", 1)[0].split()
            if len(first) < 2 or not first[0].isalpha() or not first[0].isupper():
                raise self.error(
                    "the content must be an HTTP request to prefill, starting with a request line such as "
                    "'POST / HTTP/1.1' (found %r)" % request.split("\n", 1)[0]
                )
            attrs.append(("data-fleetplay-request", request))
        if "title" in self.options:
            attrs.append(("data-fleetplay-title", self.options["title"]))
        node = fleetplay()
        node["attrs"] = attrs
        node["link"] = base + "?embed" + ("&" + query if query else "")
        node["op"] = self.options.get("op", "the API")
        self.add_name(node)
        return [node]


def visit_html(self, node):
    attrs = "".join(' %s="%s"' % (name, escape(value, quote=True)) for name, value in [("class", "fleetplay")] + node["attrs"])
    self.body.append(
        '<div%s><a href="%s">Try %s in the fleetplay playground</a></div>\n'
        % (attrs, escape(node["link"], quote=True), escape(node["op"]))
    )
    raise nodes.SkipNode


def visit_text(self, node):
    self.add_text("Try %s in the fleetplay playground: %s" % (node["op"], node["link"]))
    raise nodes.SkipNode


def visit_other(self, node):
    raise nodes.SkipNode


def add_script(app, pagename, templatename, context, doctree):
    """Adds embed.js to the pages that have an embed (and only to those)."""
    if doctree is not None and doctree.next_node(fleetplay) is not None:
        app.add_js_file(_url(app.config.fleetplay_url) + "embed.js", loading_method="async")


def setup(app):
    app.add_config_value("fleetplay_url", "", "html", types=[str])
    app.add_node(
        fleetplay,
        html=(visit_html, None),
        text=(visit_text, None),
        latex=(visit_other, None),
        man=(visit_other, None),
        texinfo=(visit_other, None),
    )
    app.add_directive("fleetplay", FleetplayDirective)
    app.connect("html-page-context", add_script)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
