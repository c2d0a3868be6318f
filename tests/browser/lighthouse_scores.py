"""Lighthouse's four scores on a phone for the home page, a category page and a post of the demo
content, as docs/benchmarks.md ("Lighthouse") reports them.

    make run                                    # in one shell: the demo site on port 8000
    .venv/bin/python tests/browser/lighthouse_scores.py [BASE_URL] [--runs N]

Performance is a timing figure (Lighthouse simulates a slow phone on slow 4G from the page's
trace), so it varies from run to run and with the machine's load: each page is measured `--runs`
times and the median is printed. tests/posts/test_browser_quality.py asserts the other three.
Needs the npm tools (`npm ci --prefix tests/browser`) and Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser import tools

PAGES = {
    "home": "/",
    "category": "/category/cx-strategy/",
    "post": "/post/railway-app-lessons-for-patient-journeys/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    print(f"{'page':<10} " + " ".join(f"{name:>15}" for name in CATEGORIES))
    for name, path in PAGES.items():
        runs = []
        for n in range(args.runs):
            print(f"  {name}: run {n + 1} of {args.runs} …", file=sys.stderr)
            try:
                report = tools.lighthouse(args.base_url.rstrip("/") + path, chromium=args.chromium)
            except tools.ToolMissing as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
            except RuntimeError as error:  # no scores from this run: say so and go on
                print(f"    {error}", file=sys.stderr)
                continue
            runs.append(tools.scores(report))
            for line in tools.shortfalls(report):
                print(f"    {line}", file=sys.stderr)
        if not runs:
            print(f"{name:<10} Lighthouse failed on every run (above)")
            continue
        cells = []
        for category in CATEGORIES:
            each = [round(run[category] * 100) for run in runs]
            median = round(statistics.median(each))
            # The spread of the runs, where there is one: "99 (95–100)".
            cells.append(f"{median} ({min(each)}–{max(each)})" if len(set(each)) > 1 else median)
        print(f"{name:<10} " + " ".join(f"{cell:>15}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
