# A small Sphinx project that embeds fleetplay with the `.. fleetplay::` directive; `cargo xtask test`
# builds it (e2e/integrations.test.mjs) and opens it in Chromium.
import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "Stopping servers: a fleetplay example (Sphinx)"
extensions = ["sphinx_fleetplay"]
# Where the playground is served; the tests pass their own with `-D fleetplay_url=…`.
fleetplay_url = "https://fleetplay.example/"
html_theme = "alabaster"
exclude_patterns = ["_build"]
