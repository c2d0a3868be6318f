import io
import json
import shutil
from datetime import date, time, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.utils import timezone
from PIL import Image

from posts.demo_data import DEMO_DIR, demo_date, read_demo_posts
from posts.markup import render_body, sanitiser_report
from posts.models import BodyFormat, Category, EventStatus, Kind, Post

DEMO_ENTRIES = json.loads((DEMO_DIR / "posts.json").read_text(encoding="utf-8"))


def load(*args: str, **options) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def local(moment) -> tuple[date, str]:
    moment = timezone.localtime(moment)
    return moment.date(), f"{moment:%H:%M}"


@pytest.mark.django_db
def test_demo_content_loads_enough_published_posts_across_years_and_categories():
    load()
    published = Post.objects.published()
    assert published.count() >= 60
    assert len({d.year for d in published.values_list("published_at", flat=True)}) >= 5
    for category in Category.objects.all():
        assert published.filter(categories=category).exists(), category.name
    assert Post.objects.filter(status=Post.Status.DRAFT).exists()
    assert Post.objects.count() == len(DEMO_ENTRIES)


@pytest.mark.django_db
def test_loader_creates_every_post_in_the_file_with_its_markdown_source():
    load()
    posts = {post.slug: post for post in Post.objects.all()}
    assert set(posts) == {entry["slug"] for entry in DEMO_ENTRIES}
    for entry in DEMO_ENTRIES:
        post = posts[entry["slug"]]
        source = (DEMO_DIR / "bodies" / f"{post.slug}.md").read_text(encoding="utf-8").strip()
        # Stored as an editor's Markdown post: the admin shows the source, readers the HTML.
        assert (post.body_format, post.body_source) == (BodyFormat.MARKDOWN, source)
        assert post.body.startswith("<"), post.slug
        assert post.title == entry["title"]
        assert post.status == entry["status"]
        assert post.link == entry.get("link", "")
        assert post.author_name == entry.get("author", "")
        assert sorted(post.categories.values_list("slug", flat=True)) == sorted(entry["categories"])


def test_demo_bodies_lose_nothing_to_the_sanitiser():
    for post in read_demo_posts(today=date(2026, 1, 1)):
        assert sanitiser_report(render_body(post.body_source, post.body_format)) == [], post.slug


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first = load()
    assert f"{len(DEMO_ENTRIES)} post(s) created, 0 already present" in first
    snapshot = (Post.objects.count(), Post.objects.aggregate(Max("updated_at")))
    second = load()
    assert f"0 post(s) created, {len(DEMO_ENTRIES)} already present" in second
    assert (Post.objects.count(), Post.objects.aggregate(Max("updated_at"))) == snapshot


@pytest.mark.django_db
def test_loader_leaves_an_edited_demo_post_alone():
    load()
    post = Post.objects.get(slug=DEMO_ENTRIES[0]["slug"])
    post.title = "Edited by the editor"
    post.save()
    load()
    assert Post.objects.get(pk=post.pk).title == "Edited by the editor"


@pytest.mark.django_db
def test_the_scheduled_demo_post_is_in_the_future_and_hidden_from_readers(client):
    before = timezone.now()
    load()
    scheduled = Post.objects.scheduled()
    assert scheduled.count() == 1
    post = scheduled.get()
    assert post.published_at > before + timedelta(days=7)
    assert post.is_scheduled
    assert not Post.objects.published().filter(pk=post.pk).exists()
    assert client.get(post.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_newest_published_demo_post_is_from_the_last_few_days():
    load()
    newest = Post.objects.published().newest_first().first()
    assert timezone.now() - timedelta(days=3) < newest.published_at <= timezone.now()
    assert local(newest.published_at)[0] == timezone.localdate() - timedelta(days=1)


@pytest.mark.django_db
def test_demo_drafts_stay_drafts(client):
    load()
    draft_slugs = {e["slug"] for e in DEMO_ENTRIES if e["status"] == "draft"}
    assert draft_slugs
    assert set(Post.objects.drafts().values_list("slug", flat=True)) == draft_slugs
    for post in Post.objects.drafts():
        assert client.get(post.get_absolute_url()).status_code == 404


def test_relative_dates_count_from_the_load_day():
    spring = {p.slug: p.published_at for p in read_demo_posts(today=date(2026, 3, 31))}
    autumn = {p.slug: p.published_at for p in read_demo_posts(today=date(2031, 11, 2))}
    shift = date(2031, 11, 2) - date(2026, 3, 31)
    for slug, moment in spring.items():
        day, clock = local(moment)
        # Same wall-clock time, the whole calendar moved by the distance between the two days,
        # across daylight-saving changes too.
        assert local(autumn[slug]) == (day + shift, clock), slug
    entry = DEMO_ENTRIES[0]
    days = int(entry["date"].split("d")[0])
    assert local(spring[entry["slug"]]) == (
        date(2026, 3, 31) + timedelta(days=days),
        entry["date"].split()[1],
    )


def test_demo_date_format():
    today = date(2026, 3, 29)  # clocks go forward in Zurich that night
    assert local(demo_date("-1d 07:30", today)) == (date(2026, 3, 28), "07:30")
    assert local(demo_date("+0d 23:59", today)) == (date(2026, 3, 29), "23:59")
    assert local(demo_date("+14d 09:00", today)) == (date(2026, 4, 12), "09:00")
    assert timezone.is_aware(demo_date("-1d 07:30", today))
    for bad in ("-1 07:30", "1d 07:30", "-1d 7:30", "-1d 24:00", "yesterday", "-1d 07:30:00"):
        with pytest.raises(ValueError, match="not like"):
            demo_date(bad, today)


@pytest.mark.django_db
def test_load_demo_today_option_moves_every_date():
    load("--today=2030-01-15")
    for entry in DEMO_ENTRIES:
        days, clock = entry["date"].split()
        post = Post.objects.get(slug=entry["slug"])
        day = date(2030, 1, 15) + timedelta(days=int(days.removesuffix("d")))
        assert local(post.published_at) == (day, clock), entry["slug"]
    with pytest.raises(CommandError, match="2030-13-01"):
        load("--today=2030-13-01")


@pytest.mark.django_db
def test_every_category_page_of_the_demo_hub_is_browsable(client):
    load()
    for category in Category.objects.all():
        response = client.get(category.get_absolute_url())
        assert response.status_code == 200, category.slug
        assert response.context["page"].paginator.count > 0, category.slug


@pytest.mark.django_db
def test_demo_posts_render(client):
    load()
    for post in Post.objects.published()[:100]:
        assert client.get(post.get_absolute_url()).status_code == 200


# --- other data directories ----------------------------------------------------------------


def write_data(directory: Path, entries: list, bodies: dict[str, str]) -> Path:
    (directory / "bodies").mkdir(parents=True, exist_ok=True)
    (directory / "posts.json").write_text(json.dumps(entries), encoding="utf-8")
    for name, text in bodies.items():
        (directory / "bodies" / name).write_text(text, encoding="utf-8")
    return directory


def entry(**changes) -> dict:
    return {
        "slug": "a-demo-post",
        "title": "A demo post",
        "date": "-3d 08:00",
        "status": "published",
        "categories": ["cx-design"],
    } | changes


@pytest.mark.django_db
def test_loader_reads_another_data_dir_with_html_bodies_and_covers(tmp_path):
    data = write_data(
        tmp_path,
        [
            entry(cover="covers/wide.png", kind="podcast", audio_url="https://example.org/a.mp3"),
            entry(slug="an-html-post", title="An HTML post", status="draft", date="+2d 10:15"),
        ],
        {
            "a-demo-post.md": "Some **bold** text.\n",
            "an-html-post.html": "<p>Hi <em>you</em></p>\n",
        },
    )
    (data / "covers").mkdir()
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 400), "teal").save(buffer, format="PNG")
    (data / "covers" / "wide.png").write_bytes(buffer.getvalue())

    out = load("--today=2026-05-10", data_dir=data)

    assert "2 post(s) created, 0 already present" in out
    markdown_post = Post.objects.get(slug="a-demo-post")
    assert markdown_post.body == "<p>Some <strong>bold</strong> text.</p>"
    assert markdown_post.kind == "podcast"
    assert markdown_post.cover.width == 1200  # prepared like an editor's upload
    stored = Post.objects.values_list("cover_width", "cover_height").get(pk=markdown_post.pk)
    assert stored == (1200, 300)  # kept for cards, which never open the file
    assert local(markdown_post.published_at) == (date(2026, 5, 7), "08:00")
    html_post = Post.objects.get(slug="an-html-post")
    assert (html_post.body_format, html_post.body_source) == ("html", "<p>Hi <em>you</em></p>")
    assert html_post.status == Post.Status.DRAFT
    assert local(html_post.published_at) == (date(2026, 5, 12), "10:15")


@pytest.mark.django_db
def test_missing_categories_are_left_out_with_a_warning(tmp_path):
    data = write_data(
        tmp_path, [entry(categories=["cx-design", "no-such-category"])], {"a-demo-post.md": "Hi"}
    )
    err = StringIO()
    call_command("load_demo", data_dir=data, stdout=StringIO(), stderr=err)
    assert "no longer exist" in err.getvalue()
    assert "no-such-category" in err.getvalue()
    post = Post.objects.get(slug="a-demo-post")
    assert list(post.categories.values_list("slug", flat=True)) == ["cx-design"]


MALFORMED = {
    "unknown key": ([entry(date="-3d 08:00", published="2020-01-01")], "unknown key 'published'"),
    "missing key": ([{k: v for k, v in entry().items() if k != "status"}], "missing key 'status'"),
    "missing body": ([entry(slug="no-body")], "no body file: expected bodies/no-body.md"),
    "bad date": ([entry(date="2020-06-12T08:30")], "date '2020-06-12T08:30' is not like"),
    "bad status": ([entry(status="scheduled")], "status 'scheduled' is not one of"),
    "bad media kind": ([entry(kind="tweet")], "kind 'tweet' is not one of"),
    "bad link": ([entry(link="javascript:alert(1)")], "'link' is not an http(s) address"),
    "wrong type": ([entry(categories="cx-design")], "'categories' must be a list"),
    "duplicate slug": ([entry(), entry()], "this slug appears earlier in the file"),
    "not an object": ([entry(), "a-demo-post"], "entry 2: expected an object, found a string"),
    "not a list": ({"posts": []}, "expected a list of posts, found an object"),
    "missing cover": ([entry(cover="covers/none.jpg")], "cover image"),
    "cover outside": ([entry(cover="../../etc/passwd")], "must be a path inside"),
    "event without start": ([entry(kind="event")], "an event needs 'event_start'"),
    "event key on an article": (
        [entry(event_place="Basel")],
        "'event_place' is for kind event",
    ),
    "bad event date": (
        [entry(kind="event", event_start="next Tuesday")],
        "event_start: date 'next Tuesday' is not like",
    ),
    "end before start": (
        [entry(kind="event", event_start="+3d 10:00", event_end="+2d 10:00")],
        "'event_end' is before 'event_start'",
    ),
    "bad time zone": (
        [entry(kind="event", event_start="+3d 10:00", event_timezone="Europe/Atlantis")],
        "event_timezone 'Europe/Atlantis' is not a time zone name",
    ),
    "bad event status": (
        [entry(kind="event", event_start="+3d 10:00", event_status="maybe")],
        "event_status must be one of",
    ),
    "online as text": (
        [entry(kind="event", event_start="+3d 10:00", event_online="yes")],
        "'event_online' must be true or false, not a string",
    ),
    "bad duration": ([entry(kind="video", media_duration="long")], "media_duration 'long'"),
    "quote without quotation": ([entry(kind="quote")], "a quote needs 'quote_text'"),
    "outcomes as text": (
        [entry(kind="case-study", case_outcomes="90 %")],
        "'case_outcomes' must be a list of strings",
    ),
    "part zero": ([entry(series_part=0)], "'series_part' must be a whole number from 1"),
    "part as text": ([entry(series_part="2")], "'series_part' must be a whole number from 1"),
}


@pytest.mark.parametrize("case", MALFORMED)
@pytest.mark.django_db
def test_a_malformed_data_file_stops_the_loader_before_it_writes(tmp_path, case):
    entries, problem = MALFORMED[case]
    data = write_data(tmp_path, entries, {"a-demo-post.md": "Body"})
    with pytest.raises(CommandError) as raised:
        load(data_dir=data)
    message = str(raised.value)
    assert str(data / "posts.json") in message
    assert problem in message
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_every_problem_is_reported_at_once_with_its_entry(tmp_path):
    data = write_data(
        tmp_path,
        [entry(), entry(slug="second", status="live", colour="red")],
        {"a-demo-post.md": "Body", "orphan.md": "Nobody's body", "a-demo-post.html": "<p>Two</p>"},
    )
    with pytest.raises(CommandError) as raised:
        load(data_dir=data)
    message = str(raised.value)
    assert "entry 1 (a-demo-post): two body files, keep one: a-demo-post.html, a-demo-post.md" in (
        message
    )
    assert "entry 2 (second): unknown key 'colour'" in message
    assert "entry 2 (second): status 'live'" in message
    assert "entry 2 (second): no body file" in message
    assert f"{data / 'bodies' / 'orphan.md'}: no entry with slug 'orphan'" in message


@pytest.mark.django_db
def test_invalid_json_names_the_file_and_the_place(tmp_path):
    data = write_data(tmp_path, [], {})
    (data / "posts.json").write_text('[\n  {"slug": "x",}\n]\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"posts\.json: not valid JSON: .* line 2, column"):
        load(data_dir=data)
    shutil.rmtree(data / "bodies")
    (data / "posts.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bodies: directory not found"):
        load(data_dir=data)
    with pytest.raises(CommandError, match=r"nowhere[/\\]posts\.json: file not found"):
        load(data_dir=tmp_path / "nowhere")


# ----- typed content -----


@pytest.mark.django_db
def test_demo_has_every_kind_upcoming_and_past_events_and_a_cancelled_one():
    load()
    published = Post.objects.published()
    assert set(published.values_list("kind", flat=True)) == set(Kind.values)
    now = timezone.now()
    events = published.filter(kind=Kind.EVENT)
    assert events.filter(event_until__gt=now).count() >= 2
    assert events.filter(event_until__lte=now).count() >= 5
    assert events.filter(event_until__gt=now, event_status=EventStatus.CANCELLED).exists()
    assert events.filter(event_until__lte=now, event_status=EventStatus.CANCELLED).exists()
    assert not events.filter(event_start__isnull=True).exists()
    assert events.filter(event_online=True, event_price="free").exists()
    # A real one: the free webinar of 29 November 2021, 13:00-13:45 CET, counted back from
    # the load day so that it falls on its real day when loaded on 30 November 2026.
    webinar = events.get(slug="health-economics-what-clinicians-need-webinar")
    berlin = webinar.event_zone
    start, end = webinar.event_start.astimezone(berlin), webinar.event_end.astimezone(berlin)
    assert (start.time(), end - start) == (time(13, 0), timedelta(minutes=45))
    assert start.date() == timezone.localdate() - timedelta(days=1827)


@pytest.mark.django_db
def test_demo_recordings_quotes_and_case_studies_carry_their_fields():
    load()
    published = Post.objects.published()
    podcasts = published.filter(kind=Kind.PODCAST)
    assert podcasts.count() >= 3
    assert not podcasts.filter(media_duration__isnull=True).exists()
    assert published.filter(kind=Kind.VIDEO, media_duration__isnull=False).exists()
    for quote in published.filter(kind=Kind.QUOTE):
        assert quote.quote_text and quote.quote_author, quote.slug
    dbs = published.get(slug="dbs-reinvents-banking-with-journey-maps")
    assert dbs.kind == Kind.CASE_STUDY
    assert dbs.outcomes == ["239 million customer service hours saved in 3 years"]
    assert published.filter(kind=Kind.CASE_STUDY).exclude(case_outcomes="").count() >= 3


@pytest.mark.django_db
def test_demo_stop_it_series_is_numbered_in_the_order_it_was_written(client):
    load()
    series = Post.objects.in_category(Category.objects.get(slug="stop-it-mini-series"))
    in_order = list(series.in_reading_order().values_list("series_part", "published_at"))
    assert [part for part, _ in in_order] == list(range(1, len(in_order) + 1))
    assert len(in_order) >= 5
    dates = [published for _, published in in_order]
    assert dates == sorted(dates)
    first = series.get(series_part=1)
    assert f"Part 1 of {len(in_order)} in" in client.get(first.get_absolute_url()).text


def test_demo_event_times_are_in_the_events_own_zone():
    posts = {p.slug: p for p in read_demo_posts(today=date(2026, 3, 1))}
    talk = posts["cx-3-0-conference-omnichannel-talk"].fields
    assert talk["event_start"].tzinfo.key == "Europe/Berlin"
    assert (talk["event_start"].hour, talk["event_start"].minute) == (9, 0)
