"""Browser quality of every kind of reader page, measured in Chromium: axe-core finds no WCAG 2.1
A or AA violation on a phone or a desktop, nothing shifts while a page loads on a phone, and
Lighthouse (on a phone) scores accessibility, best practices and SEO in full on demo content.

axe-core and Lighthouse come from npm, pinned in tests/browser/package-lock.json; `bash
.ci/test` installs them. Lighthouse's performance score is a timing figure and is not asserted
here: tests/browser/lighthouse_scores.py measures it (docs/benchmarks.md, "Lighthouse").
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from posts.models import Post
from tests.browser import tools
from tests.conftest import PHONE, chromium_path, open_page
from tests.factories import make_post
from tests.kind_posts import make_kind_posts
from tests.posts.test_browser import open_facets
from tests.posts.test_card_covers import with_cover

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "How a regional hospital group redesigned its patient portal with nurses and patients"
LONG_BODY = (
    "<h2>Where it started</h2><p>"
    + " ".join(["Patients told us the portal felt like paperwork, so we started over."] * 8)
    + "</p><ul><li>Nurses first</li><li>Patients second</li></ul>"
)
SERIES = "stop-it-mini-series"


@pytest.fixture
def hub(hub_categories) -> dict[str, str]:
    """A hub with a post of every kind, a series, covers, an upcoming event and enough posts to
    page; returns the address of each kind of page."""
    now = timezone.now()
    portal = with_cover(
        make_post(
            title=LONG_TITLE,
            body=LONG_BODY,
            categories=["cx-design", "patient-experience", "healthcare-sector"],
            link="https://example.org/portal",
            days_ago=1,
        )
    )
    make_post(
        title="Designing with patients at the bedside",
        categories=["cx-design", "patient-experience"],
        days_ago=3,
    )
    kinds = make_kind_posts()
    make_post(
        title="Pharma CX meetup in Zurich",
        kind="event",
        categories=["cx-community-events"],
        event_start=now + timedelta(days=20),
        event_end=now + timedelta(days=20, hours=2),
        event_place="Zurich",
        days_ago=2,
    )
    parts = [
        make_post(title=f"Stop it, part {n}", categories=[SERIES, "cx-strategy"], days_ago=30 - n)
        for n in range(1, 4)
    ]
    for n in range(24):
        make_post(title=f"Inspiration {n}", categories=["cx-strategy"], days_ago=40 + n)
    month = timezone.localtime(portal.published_at)
    return {
        "home": "/",
        "category": "/category/cx-design/",
        "two facets": "/?topic=cx-design&focus=patient-experience",
        "search results": "/?q=portal",
        "archive": "/archive/",
        "archive year": f"/archive/{month:%Y}/",
        "archive month": f"/archive/{month:%Y}/{month:%m}/",
        "article": portal.get_absolute_url(),
        "podcast": kinds["podcast"].get_absolute_url(),
        "event": kinds["event"].get_absolute_url(),
        "quote": kinds["quote"].get_absolute_url(),
        "case study": kinds["case-study"].get_absolute_url(),
        "series part": parts[1].get_absolute_url(),
        "events": "/events/",
        "subscribe": "/subscribe/",
        "404": "/no-such-page/",
    }


@pytest.fixture(scope="session")
def axe() -> str:
    try:
        return tools.axe_source()
    except tools.ToolMissing as missing:
        pytest.fail(str(missing))


AXE_RUN = """tags => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then(result => result.violations)"""


def axe_violations(page, axe: str, where: str) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it stands, one line per failing
    element: rule, what it asks, the element and what is wrong with it."""
    page.evaluate(axe)  # evaluated, not a <script>: the page's CSP rightly refuses inline code
    lines = []
    for violation in page.evaluate(AXE_RUN, tools.WCAG_21_AA):
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"    {node['target']}: {summary}")
    return lines


def test_axe_finds_no_wcag_21_aa_violation_on_any_kind_of_page(live_server, page, hub, axe):
    found = []
    for name, path in hub.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        found += axe_violations(page, axe, f"{name} ({path})")
    # On a phone the category navigation starts folded, so axe saw none of it: unfold it.
    page.goto(live_server.url + hub["two facets"])
    open_facets(page)
    found += axe_violations(page, axe, "two facets, navigation unfolded")
    assert not found, "axe-core found WCAG 2.1 AA violations:\n" + "\n".join(found)
    assert [e for e in page.js_errors if "status of 404" not in e] == []


def test_axe_reports_what_it_finds(live_server, chromium, axe, hub_categories):
    # The check above passes only if axe runs and reports: a page that breaks the rules fails.
    with open_page(chromium, **PHONE) as page:
        page.goto(live_server.url + "/")
        page.evaluate(
            """() => {
              document.documentElement.removeAttribute("lang");
              const img = document.createElement("img");
              img.src = "/static/favicon.svg";
              document.querySelector("main").prepend(img);
            }"""
        )
        found = "\n".join(axe_violations(page, axe, "broken home"))
    assert "html-has-lang" in found
    assert "image-alt" in found


# Sums the layout shifts of the page so far (a reader's input excluded), a second after load.
CLS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1000);
})"""


def test_no_layout_shift_on_load_on_a_phone_on_any_kind_of_page(live_server, chromium, hub):
    shifts = {}
    with open_page(chromium, **PHONE) as phone:
        for name, path in hub.items():
            phone.goto(live_server.url + path)
            phone.wait_for_load_state("load")
            shifts[name] = phone.evaluate(CLS)
        errors = [e for e in phone.js_errors if "status of 404" not in e]
    assert {name: cls for name, cls in shifts.items() if cls >= 0.1} == {}, shifts
    assert errors == []


# Lighthouse ------------------------------------------------------------------------------------

# A post of the demo content with a long body, categories, a source link and related posts.
DEMO_POST = "railway-app-lessons-for-patient-journeys"
AUDITED = ("accessibility", "best-practices", "seo")


@pytest.fixture
def demo(hub_categories):
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    return {
        "home": "/",
        "category": "/category/cx-strategy/",
        "post": Post.objects.published().get(slug=DEMO_POST).get_absolute_url(),
    }


def test_lighthouse_on_a_phone_scores_accessibility_best_practices_and_seo_in_full(
    live_server, demo
):
    # Lighthouse is a node program driving a Chromium of its own against the live server.
    found = {}
    for name, path in demo.items():
        try:
            report = tools.lighthouse(
                live_server.url + path, categories=AUDITED, chromium=chromium_path()
            )
        except tools.ToolMissing as missing:
            pytest.fail(str(missing))
        got = tools.scores(report)
        assert set(got) == set(AUDITED), got  # every category ran and was scored
        if any(score != 1 for score in got.values()):
            found[name] = [f"{name} ({path}): {got}", *tools.shortfalls(report)]
    assert not found, "\n".join(line for lines in found.values() for line in lines)
