"""The npm tools of the browser tests (tests/browser/package.json, pinned by its lock file):
axe-core, injected into pages by the accessibility tests, and Lighthouse, run by node.

`bash .ci/test` installs them (`npm ci --prefix tests/browser`); a test run without them fails
and says so, rather than skipping. package.json overrides two packages that a dependency of
Lighthouse asks for as "latest": without a fixed version there, `npm ci` refuses the lock file
as soon as a newer one is published.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"

INSTALL_HINT = (
    "install the browser test tools with `npm ci --prefix tests/browser --no-audit --no-fund` "
    "(needs node and npm: `apt-get install nodejs npm`); `make test` does both for you"
)

# WCAG 2.1 levels A and AA, as axe-core tags its rules.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Chromium without a sandbox (root in CI), a GPU or the background calls to Google's services
# that cannot reach out from here.
LIGHTHOUSE_CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)


class ToolMissing(RuntimeError):
    pass


def axe_source() -> str:
    """The text of axe.min.js, to evaluate in a page (the page's CSP does not apply to that)."""
    if not AXE_JS.is_file():
        raise ToolMissing(f"axe-core is missing ({AXE_JS}): {INSTALL_HINT}")
    return AXE_JS.read_text(encoding="utf-8")


def node() -> str:
    path = shutil.which("node") or shutil.which("nodejs")
    if path is None:
        raise ToolMissing(f"node is not on PATH: {INSTALL_HINT}")
    return path


def lighthouse(
    url: str,
    *,
    categories: tuple[str, ...] = ("performance", "accessibility", "best-practices", "seo"),
    chromium: str = "/usr/bin/chromium",
    timeout: float = 240,
    attempts: int = 2,
) -> dict:
    """Lighthouse's report (the JSON `lhr`) of `url` as a phone sees it (its default: a mobile
    form factor with simulated slow 4G and a 4× slower CPU).

    On a busy machine Lighthouse now and then fails to record the page load at all ("NO_NAVSTART",
    "NO_FCP") and gives no scores: such a run is tried again, up to `attempts` runs in all.
    """
    if not LIGHTHOUSE_CLI.is_file():
        raise ToolMissing(f"Lighthouse is missing ({LIGHTHOUSE_CLI}): {INSTALL_HINT}")
    for attempt in range(1, attempts + 1):
        try:
            return _lighthouse_once(url, categories, chromium, timeout)
        except RuntimeError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def _lighthouse_once(url: str, categories: tuple[str, ...], chromium: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="cxhub-lighthouse-") as scratch:
        report = Path(scratch) / "report.json"
        command = [
            node(),
            str(LIGHTHOUSE_CLI),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-path={chromium}",
            f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
            "--form-factor=mobile",
            f"--only-categories={','.join(categories)}",
        ]
        # Lighthouse starts Chromium with a profile in TMPDIR; keep it in the scratch folder.
        env = {**os.environ, "TMPDIR": scratch}
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
        if done.returncode != 0 or not report.is_file():
            raise RuntimeError(
                f"Lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-4000:]}"
            )
        return json.loads(report.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, float]:
    """Each category's score, 0 to 1."""
    return {name: category["score"] for name, category in report["categories"].items()}


def shortfalls(report: dict) -> list[str]:
    """Every weighted audit that did not score full marks, with what Lighthouse says of it."""
    lines = []
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue") or audit.get("explanation") or ""
                lines.append(f"{name}: {audit['id']} ({audit['score']}) {audit['title']} {shown}")
                for item in (audit.get("details") or {}).get("items", [])[:5]:
                    node = item.get("node") or {}
                    where = node.get("selector") or item.get("url") or item.get("source") or ""
                    if where:
                        lines.append(f"    {where}")
    return lines
