"""Two hub instances, as on two machines, share one database and one Redis: what an editor
changes through one is what the other serves on the very next request.

Two gunicorn processes with production settings listen on two loopback ports. They use the
test's database (PostgreSQL; on SQLite, a database file both open) and the throwaway Redis that
.ci/test starts (TEST_REDIS_URL) as their cache (REDIS_URL). The editor works through instance
A's admin over HTTP, posting its forms the way a browser does; readers ask instance B. Counts,
page totals and feed validators are cached under the content version (cxhub/content_version.py),
so nothing either instance cached before an edit can be served after it.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.apps import apps
from django.db import connection
from django.utils import timezone

from cxhub import cache, content_version
from newsroom.models import FeedSource, NewsItem
from posts.models import Category, Post
from tests import databases
from tests.factories import make_post
from tests.posts.admin_support import PASSWORD, make_editor, split_datetime
from tests.test_production import free_port, wait_for_port
from tests.test_settings import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent
HOST = "hub.example.org"
HOW_TO_RUN = (
    "`bash .ci/test tests/test_two_instances.py` starts a throwaway Redis for these tests; or "
    "start one yourself (redis-server --port 6390 --save '') and set "
    "TEST_REDIS_URL=redis://127.0.0.1:6390/0 (its keys are not cleared, but it should hold "
    "nothing you need)."
)


# --- the shared services --------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.fail(f"TEST_REDIS_URL is not set. {HOW_TO_RUN}")
    try:
        redis.Redis.from_url(url, socket_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"No Redis answers at TEST_REDIS_URL={url} ({error}). {HOW_TO_RUN}")
    return url


@pytest.fixture
def redis_client(redis_url):
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    yield client
    client.close()


@pytest.fixture
def database(tmp_path, transactional_db) -> Iterator[str]:
    """DATABASE_URL of the test's database for the instances. Transactional, so that they see
    what the test writes; on SQLite a file, as an in-memory database has no other users."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        url = f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        _hub_categories()  # a transactional test before this one flushed them away
        yield f"{url}/{s['NAME']}"
    else:
        with databases.sqlite_file_as_default(tmp_path / "hub.sqlite3") as path:
            yield f"sqlite:///{path}"


def _hub_categories() -> None:
    migration = importlib.import_module("posts.migrations.0002_hub_categories")
    migration.create_categories(apps, None)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    # Production pages link hashed static files; collecting them needs no database.
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=_environment(STATIC_ROOT=str(root)), check=True, capture_output=True,
    )  # fmt: skip
    return root


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    return env | PRODUCTION_ENV | extra


# --- the two instances ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def __getitem__(self, header: str) -> str:
        return self.headers.get(header, "")


@dataclass
class Browser:
    """One browser talking to one instance the way the TLS proxy in front would pass it on:
    Host, X-Forwarded-Proto and X-Real-IP set, redirects not followed. Browsers made with the
    same `cookies` are one person whose requests a load balancer sends to either instance."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **headers: str) -> Answer:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: list[tuple[str, str]]) -> Answer:
        # Django checks the Origin of a form posted over HTTPS against the host (CSRF).
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}",
        }
        return self.request("POST", path, body=urlencode(data).encode(), headers=headers)

    def request(self, method: str, path: str, *, body=None, headers=None) -> Answer:
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Real-IP": "192.0.2.7"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent |= {name.replace("_", "-"): value for name, value in (headers or {}).items()}
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Answer(response.status, response.headers, text)


@dataclass
class Instance:
    name: str
    port: int
    log: Path

    def browser(self, cookies: dict[str, str] | None = None) -> Browser:
        return Browser(self.port, {} if cookies is None else cookies)


@contextlib.contextmanager
def running(env: dict[str, str], *names: str) -> Iterator[list[Instance]]:
    """gunicorns with production settings, one worker each; no error in their logs."""
    started: list[tuple[Instance, subprocess.Popen]] = []
    try:
        for name in names:
            port, log = free_port(), Path(env["MEDIA_ROOT"]).parent / f"gunicorn-{name}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "cxhub.wsgi", "--bind",
                     f"127.0.0.1:{port}", "--workers", "1"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            started.append((Instance(name, port, log), process))
        for instance, _ in started:
            wait_for_port(instance.port, seconds=30)
        yield [instance for instance, _ in started]
    finally:
        for _, process in started:
            process.terminate()
            process.wait(timeout=15)
    for instance, _ in started:
        log = instance.log.read_text()
        assert "Traceback" not in log, f"instance {instance.name} logged an error:\n{log}"


def instance_environment(database: str, redis_url: str, static_root: Path, tmp_path: Path):
    return _environment(
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp_path / "media"),
    )


@pytest.fixture
def instances(database, redis_url, static_root, tmp_path) -> Iterator[tuple[Instance, Instance]]:
    """Instances A and B: two gunicorns sharing the database, the cache and the media folder."""
    env = instance_environment(database, redis_url, static_root, tmp_path)
    with running(env, "A", "B") as (a, b):
        yield a, b


# --- an editor in the admin, over HTTP --------------------------------------------------------


class Forms(HTMLParser):
    """Each form of a page: its id and what a browser submits with it (buttons, files aside)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.fields: list[tuple[str, str]] | None = None  # of the form being read
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attributes) -> None:
        a = {k: v or "" for k, v in attributes}
        if tag == "form":
            self.fields = []
            self.forms.append((a.get("id", ""), self.fields))
            return
        name = a.get("name")
        if self.fields is None or (not name and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            checkable = kind in ("checkbox", "radio")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if checkable and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if checkable else "")))
        elif tag == "select":
            self._select = (name, "multiple" in a, [], [])  # name, multiple, chosen, all
        elif tag == "option" and self._select is not None:
            self._select[3].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.fields = None
        elif tag == "select" and self._select is not None and self.fields is not None:
            name, multiple, chosen, options = self._select
            # A single choice with none selected sends its first option.
            self.fields += [(name, v) for v in chosen or ([] if multiple else options[:1])]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.fields is not None:
            name, text = self._textarea
            self.fields.append((name, text.removeprefix("\n")))  # as browsers read it
            self._textarea = None


def form_of(page: Answer, form: str, **changes: str | list[str]) -> list[tuple[str, str]]:
    """The data of a form, identified by its id or by a field only it has, with `changes`."""
    parser = Forms()
    parser.feed(page.text)
    found = [f for id_, f in parser.forms if id_ == form or any(k == form for k, _ in f)]
    assert found, f"no form {form} on the page"
    data = [(k, v) for k, v in found[0] if k not in changes]
    for name, value in changes.items():
        data += [(name, v) for v in ([value] if isinstance(value, str) else value)]
    return data


def errors_in(page: Answer) -> str:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.text, re.S)
    return " | ".join(unescape(re.sub(r"<[^>]+>", " ", e)).strip() for e in found)


class Editor:
    """An editor signed in through one instance's admin."""

    def __init__(self, browser: Browser, username: str):
        self.browser = browser
        login = "/admin/login/?next=/admin/"
        page = browser.get(login)
        data = form_of(page, "login-form", username=username, password=PASSWORD)
        answer = browser.post(login, data)
        assert answer.status == 302, f"sign-in failed: {errors_in(answer) or answer.status}"

    def save(self, path: str, form_id: str, **changes: str | list[str]) -> None:
        """Open an admin form, change fields, save it; the admin answers with a redirect."""
        page = self.browser.get(path)
        assert page.status == 200, f"{path}: {page.status}"
        answer = self.browser.post(path, form_of(page, form_id, _save="Save", **changes))
        assert answer.status == 302, f"{path} not saved: {errors_in(answer) or answer.status}"

    def edit_post(self, post: Post, **changes: str | list[str]) -> None:
        self.save(f"/admin/posts/post/{post.pk}/change/", "post_form", **changes)

    def add_post(self, **changes: str | list[str]) -> None:
        self.save("/admin/posts/post/add/", "post_form", **changes)

    def edit_category(self, category: Category, **changes: str) -> None:
        self.save(f"/admin/posts/category/{category.pk}/change/", "category_form", **changes)

    def delete_post(self, post: Post) -> None:
        path = f"/admin/posts/post/{post.pk}/delete/"
        answer = self.browser.post(path, form_of(self.browser.get(path), "post"))
        assert answer.status == 302, f"{post} not deleted: {answer.status}"

    def merge_categories(self, merged: list[Category], *, into: Category) -> None:
        changelist = "/admin/posts/category/"
        chosen = {"action": "merge_categories", "_selected_action": [str(c.pk) for c in merged]}
        page = self.browser.post(
            changelist, form_of(self.browser.get(changelist), "changelist-form", **chosen)
        )
        assert page.status == 200, page.status
        answer = self.browser.post(changelist, form_of(page, "apply", target=str(into.pk)))
        assert answer.status == 302, f"not merged: {errors_in(answer) or answer.status}"

    def approve(self, item: NewsItem) -> None:
        queue = "/admin/newsroom/newsitem/"
        page = self.browser.get(queue)
        assert f'name="approve" value="{item.pk}"' in page.text, "the item is not in the queue"
        answer = self.browser.post(
            f"{queue}decide/", form_of(page, "queue-decision", approve=str(item.pk))
        )
        assert answer.status == 302, answer.status
        follow = self.browser.get(answer["Location"])
        assert "it is published" in follow.text, "no approval message"


# --- what readers see ----------------------------------------------------------------------


HOME, CATEGORY, FILTERED, FEED = "/", "/category/cx-design/", "/?topic=cx-design", "/feed/"


def total(page: Answer) -> int:
    return int(re.search(r'<p class="result-count"[^>]*>(\d+) posts?</p>', page.text).group(1))


def count_of(page: Answer, query: str) -> int:
    """The count shown next to a filter option, e.g. "format=real-life-examples"."""
    link = re.escape(f"?topic=cx-design&amp;{query}")
    pattern = rf'href="/{link}"[^>]*>\s*<span class="option__name">[^<]*</span>\s*'
    found = re.search(pattern + r'<span class="count"[^>]*>(\d+)</span>', page.text)
    assert found, f"no count for {query}"
    return int(found.group(1))


def validators(browser: Browser, paths: list[str]) -> dict[str, str]:
    etags = {}
    for path in paths:
        answer = browser.get(path)
        assert answer.status == 200, path
        assert answer["ETag"], path
        etags[path] = answer["ETag"]
    return etags


def assert_changed(browser: Browser, etags: dict[str, str]) -> dict[str, str]:
    """Each page answers a conditional GET with its old ETag with 200 and a new ETag, and a
    304 to the new one; returns the new ETags."""
    fresh = {}
    for path, etag in etags.items():
        answer = browser.get(path, If_None_Match=etag)
        assert answer.status == 200, f"{path}: still {answer.status} for the old ETag"
        assert answer["ETag"] != etag, path
        fresh[path] = answer["ETag"]
        assert browser.get(path, If_None_Match=answer["ETag"]).status == 304, path
    return fresh


@pytest.fixture
def editor(database):
    # Default password hasher, as in production: the instances check this hash.
    return make_editor(username="eve")


def test_an_edit_through_one_instance_is_served_at_once_by_the_other(instances, editor):
    a, b = instances
    alpha = make_post(title="Alpha", categories=["cx-design", "real-life-examples"], days_ago=1)
    beta = make_post(title="Beta", categories=["cx-design", "conceptual-cases"], days_ago=2)
    source = FeedSource.objects.create(name="Northwind", feed_url="https://northwind.example/f")
    gamma = make_post(title="Gamma from Northwind", categories=["cx-design"], status="draft")
    item = NewsItem.objects.create(
        post=gamma, source=source, title=gamma.title, original_date=timezone.now()
    )
    paths = [HOME, CATEGORY, alpha.get_absolute_url(), FEED, FILTERED]
    reader_a, reader_b = a.browser(), b.browser()
    # Both instances warm their (shared) cache: counts, totals, feed validators.
    validators(reader_a, paths)
    etags = validators(reader_b, paths)
    page = reader_b.get(FILTERED)
    assert (total(page), count_of(page, "format=real-life-examples")) == (2, 1)
    assert "Gamma" not in reader_b.get(HOME).text

    desk = Editor(a.browser(), editor.username)

    desk.edit_post(alpha, title="Alpha, rewritten")
    for path in (HOME, CATEGORY, alpha.get_absolute_url(), FEED):
        assert "Alpha, rewritten" in reader_b.get(path).text, path
    etags = assert_changed(reader_b, etags)
    # One instance's validators are the other's: a front cache may revalidate with either.
    for path, etag in etags.items():
        assert reader_a.get(path, If_None_Match=etag).status == 304, path

    topic = Category.objects.get(slug="cx-design")
    form = Category.objects.get(slug="real-life-examples")
    desk.add_post(
        title="Delta, just published",
        body_source="A new story.",
        status="published",
        categories_topic=[str(topic.pk)],
        categories_format=[str(form.pk)],
        **split_datetime(timezone.now() - timedelta(minutes=1)),
    )
    delta = Post.objects.get(title="Delta, just published")
    page = reader_b.get(FILTERED)
    assert (total(page), count_of(page, "format=real-life-examples")) == (3, 2)
    for path in (HOME, CATEGORY, FEED):
        assert "Delta, just published" in reader_b.get(path).text, path
    assert reader_b.get(delta.get_absolute_url()).status == 200
    etags = assert_changed(reader_b, etags)

    desk.edit_category(topic, name="about CX design and delivery")
    assert "Posts about CX design and delivery" in reader_b.get(CATEGORY).text
    assert "about CX design and delivery" in reader_b.get(FILTERED).text
    assert ">about CX design and delivery</category>" in reader_b.get(FEED).text
    etags = assert_changed(reader_b, etags)

    desk.approve(item)
    page = reader_b.get(FILTERED)
    assert total(page) == 4
    for path in (HOME, CATEGORY, FEED):
        assert "Gamma from Northwind" in reader_b.get(path).text, path
    etags = assert_changed(reader_b, etags)

    desk.merge_categories([Category.objects.get(slug="conceptual-cases")], into=form)
    page = reader_b.get(FILTERED)
    assert count_of(page, "format=real-life-examples") == 3  # Alpha, Delta and now Beta
    assert "conceptual-cases" not in page.text
    moved = reader_b.get("/category/conceptual-cases/")
    assert (moved.status, moved["Location"]) == (301, "/category/real-life-examples/")
    etags = assert_changed(reader_b, etags)

    for path in (HOME, CATEGORY, FEED):
        assert ">Beta<" in reader_b.get(path).text, path
    desk.delete_post(beta)
    page = reader_b.get(FILTERED)
    assert (total(page), count_of(page, "format=real-life-examples")) == (3, 2)
    for path in (HOME, CATEGORY, FEED):
        assert ">Beta<" not in reader_b.get(path).text, path
    assert reader_b.get(beta.get_absolute_url()).status == 404
    assert_changed(reader_b, {k: v for k, v in etags.items() if k != beta.get_absolute_url()})


def test_staff_never_get_a_cached_page_from_either_instance(instances, editor):
    a, b = instances
    make_post(title="Published", categories=["cx-design"], days_ago=1)
    draft = make_post(title="Draft in the making", categories=["cx-design"], status="draft")
    visitor_b = b.browser()
    etags = validators(visitor_b, [HOME, CATEGORY, FILTERED])

    # Signed in through A; sessions live in the database, so B knows the editor too.
    staff_a = a.browser()
    Editor(staff_a, editor.username)
    staff_b = b.browser(staff_a.cookies)
    for path in (HOME, CATEGORY, FILTERED, draft.get_absolute_url()):
        answer = staff_b.get(path, If_None_Match=etags.get(path, '"any"'))
        assert answer.status == 200, path
        assert answer["Cache-Control"] == "private, no-store", path
        assert not answer["ETag"], path
        assert "Cookie" in answer["Vary"], path
    assert "Draft in the making" in staff_b.get(draft.get_absolute_url()).text

    # What staff saw through B went into no cache visitors read, on either instance.
    for visitor in (a.browser(), visitor_b):
        page = visitor.get(FILTERED)
        assert "Draft in the making" not in page.text
        assert total(page) == 1
        assert visitor.get(draft.get_absolute_url()).status == 404
        assert visitor.get(HOME, If_None_Match=etags[HOME]).status == 304


def test_a_scheduled_post_appears_through_both_instances_at_its_time(instances, editor):
    a, b = instances
    make_post(title="Already out", categories=["cx-design"], days_ago=1)
    readers = [a.browser(), b.browser()]
    etags = [validators(reader, [HOME, FEED]) for reader in readers]
    desk = Editor(a.browser(), editor.username)
    # In whole seconds, as the admin's time field takes them: 4 to 5 s from now.
    due = (timezone.now() + timedelta(seconds=5)).replace(microsecond=0)
    desk.add_post(
        title="Comes out by itself",
        body_source="Scheduled.",
        status="published",
        **split_datetime(due),
    )
    for reader in readers:
        left = (due - timezone.now()).total_seconds()
        assert left > 1, f"{left:.1f} s before the post's time: too late to check (busy machine)"
        home = reader.get(HOME)
        assert "Comes out by itself" not in home.text
        assert "Comes out by itself" not in reader.get(FEED).text
        # No shared cache may keep the page past the moment it changes by itself.
        max_age = int(re.search(r"max-age=(\d+)", home["Cache-Control"]).group(1))
        assert max_age <= 5

    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.2)
    for reader, old in zip(readers, etags, strict=True):
        for path in (HOME, FEED):
            answer = reader.get(path, If_None_Match=old[path])
            assert answer.status == 200, path
            assert "Comes out by itself" in answer.text, path


def test_the_instances_share_one_cache_in_redis(instances, redis_client):
    a, b = instances
    make_post(title="Counted", categories=["cx-design", "real-life-examples"], days_ago=1)
    path = "/?topic=cx-design&format=real-life-examples"
    token = content_version.current().token
    mine = f"*cxhub:{token}:*"
    assert not list(redis_client.scan_iter(match=mine))

    first = a.browser().get(path)
    assert first.status == 200
    stored = set(redis_client.scan_iter(match=mine))
    assert stored, "instance A stored nothing in Redis"

    hits = redis_client.info("stats")["keyspace_hits"]
    second = b.browser().get(path)
    assert second.status == 200
    assert second["ETag"] == first["ETag"]
    # B found what A had built (the whole page, kept for visitors): it read it and computed
    # nothing to store again.
    assert set(redis_client.scan_iter(match=mine)) == stored
    assert redis_client.info("stats")["keyspace_hits"] >= hits + 1


def test_pages_are_served_while_redis_is_away_and_it_is_used_again_when_back(
    database, static_root, tmp_path
):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(f"redis-server is not installed. {HOW_TO_RUN}")
    make_post(title="Still here", categories=["cx-design"], days_ago=1)
    port = free_port()  # nothing listens there yet
    env = instance_environment(database, f"redis://127.0.0.1:{port}/0", static_root, tmp_path)
    with running(env, "A") as (a,):
        reader = a.browser()
        etag = reader.get(HOME)["ETag"]
        for path in (HOME, CATEGORY, FILTERED, FEED):
            answer = reader.get(path)
            assert answer.status == 200, path
            assert "Still here" in answer.text, path
        assert reader.get(HOME, If_None_Match=etag).status == 304

        folder = tmp_path / "redis"
        folder.mkdir()
        back = subprocess.Popen(
            [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly",
             "no", "--dir", str(folder), "--logfile", str(folder / "log")],
        )  # fmt: skip
        try:
            client = redis.Redis(port=port, socket_timeout=5)
            wait_for_port(port)
            # The instance leaves Redis alone for a few seconds after a failure, then uses it.
            deadline = time.monotonic() + cache.RETRY_AFTER + 10
            while not client.keys("*cxhub:*") and time.monotonic() < deadline:
                assert reader.get(FILTERED).status == 200
                time.sleep(0.5)
            assert client.keys("*cxhub:*"), "the instance did not use Redis once it was back"
            client.close()
        finally:
            back.terminate()
            back.wait(timeout=10)
    log = (tmp_path / "gunicorn-A.log").read_text()
    assert log.count("Redis unavailable") == 1, log
