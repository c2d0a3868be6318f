"""The demo posts, read from data files: `posts/demo/posts.json` plus one body file per post.

`posts/demo/README.md` describes the format. `read_demo_posts` checks everything before
returning and raises `DemoDataError` naming the file and every problem it found; it never
touches the database (`manage.py load_demo` does that).
"""

from __future__ import annotations

import json
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils import timezone
from django.utils.dateparse import parse_duration

from .models import BodyFormat, EventStatus, Kind, Post, Price, valid_time_zone

DEMO_DIR = Path(__file__).resolve().parent / "demo"
POSTS_FILE = "posts.json"
BODIES_DIR = "bodies"
# A body file's extension says how the editor would have written it.
BODY_FORMATS = {".md": BodyFormat.MARKDOWN, ".html": BodyFormat.HTML}

REQUIRED_KEYS = ("slug", "title", "date", "status", "categories")
# The fields of the post's kind, by the model's names, with the JSON type of their values.
KIND_KEYS: dict[str, type] = {
    "event_start": str, "event_end": str, "event_all_day": bool, "event_timezone": str,
    "event_place": str, "event_online": bool, "event_registration_url": str,
    "event_organiser": str, "event_price": str, "event_status": str,
    "media_url": str, "media_duration": str, "media_host": str,
    "quote_text": str, "quote_author": str,
    "case_organisation": str, "case_outcomes": list,
    "series_part": int,
}  # fmt: skip
OPTIONAL_KEYS = ("kind", "link", "author", "excerpt", "audio_url", "cover", *KIND_KEYS)
# Which kinds a group of keys belongs to; the series part goes with any kind.
KEYS_OF_KINDS = {
    "event_": {Kind.EVENT},
    "media_": {Kind.PODCAST, Kind.WEBINAR, Kind.VIDEO},
    "quote_": {Kind.QUOTE},
    "case_": {Kind.CASE_STUDY},
}

# "-12d 08:30": 08:30 local time, twelve days before the day the demo is loaded.
_DATE = re.compile(r"(?P<days>[+-]\d{1,5})d (?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)")
_is_web_url = URLValidator(schemes=["http", "https"])


class DemoDataError(Exception):
    """The demo data files are not as `posts/demo/README.md` describes."""


@dataclass(frozen=True)
class DemoPost:
    slug: str
    title: str
    status: str
    published_at: datetime
    body_source: str
    body_format: str
    categories: tuple[str, ...]
    kind: str = Kind.ARTICLE
    link: str = ""
    author: str = ""
    excerpt: str = ""
    audio_url: str = ""
    cover: Path | None = None
    # The kind's own fields, by their names on Post (event times already aware).
    fields: dict = field(default_factory=dict)


def demo_date(spec: str, today: date, zone: tzinfo | None = None) -> datetime:
    """The aware datetime for a relative date such as "-12d 08:30", counted from `today`.

    The time is wall-clock time in `zone`, by default the current time zone
    (settings.TIME_ZONE).
    """
    match = _DATE.fullmatch(spec)
    if match is None:
        raise ValueError(
            f'date {spec!r} is not like "-12d 08:30" (days from the load day, then HH:MM)'
        )
    day = today + timedelta(days=int(match["days"]))
    return timezone.make_aware(
        datetime.combine(day, time(int(match["hour"]), int(match["minute"]))), zone
    )


def read_demo_posts(data_dir: Path = DEMO_DIR, *, today: date) -> list[DemoPost]:
    """Every demo post in file order, dated relative to `today`; DemoDataError if malformed."""
    data_dir = Path(data_dir)
    posts_file = data_dir / POSTS_FILE
    bodies_dir = data_dir / BODIES_DIR
    try:
        entries = json.loads(posts_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoDataError(f"{posts_file}: file not found.") from None
    except UnicodeDecodeError as error:
        raise DemoDataError(f"{posts_file}: not UTF-8 text ({error.reason}).") from None
    except json.JSONDecodeError as error:
        raise DemoDataError(
            f"{posts_file}: not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None
    if not isinstance(entries, list):
        raise DemoDataError(f"{posts_file}: expected a list of posts, found {_kind(entries)}.")

    body_files = _body_files(bodies_dir)
    problems: list[str] = []
    posts: list[DemoPost] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        found = _entry_problems(entry, body_files)
        name = f"entry {number}"
        if isinstance(entry, dict) and isinstance(entry.get("slug"), str):
            name += f" ({entry['slug']})"
            if entry["slug"] in seen:
                found.append("this slug appears earlier in the file")
            seen.add(entry["slug"])
        if found:
            problems.extend(f"{name}: {problem}" for problem in found)
            continue
        try:
            posts.append(_demo_post(entry, body_files[entry["slug"]], data_dir, today))
        except DemoDataError as error:
            problems.append(f"{name}: {error}")
    for slug, paths in sorted(body_files.items()):
        if slug not in seen:
            problems.extend(f"{path}: no entry with slug {slug!r}" for path in paths)
    if problems:
        raise DemoDataError(
            f"{posts_file}: {len(problems)} problem(s):\n" + "\n".join(f"- {p}" for p in problems)
        )
    return posts


def _body_files(bodies_dir: Path) -> dict[str, list[Path]]:
    if not bodies_dir.is_dir():
        raise DemoDataError(f"{bodies_dir}: directory not found.")
    files: dict[str, list[Path]] = {}
    for path in sorted(bodies_dir.iterdir()):
        if path.suffix in BODY_FORMATS and path.is_file():
            files.setdefault(path.stem, []).append(path)
    return files


def _entry_problems(entry: object, body_files: dict[str, list[Path]]) -> list[str]:
    if not isinstance(entry, dict):
        return [f"expected an object, found {_kind(entry)}"]
    known = set(REQUIRED_KEYS) | set(OPTIONAL_KEYS)
    unknown = [
        f"unknown key {key!r} (known: {', '.join(sorted(known))})"
        for key in entry
        if key not in known
    ]
    problems = [f"missing key {key!r}" for key in REQUIRED_KEYS if key not in entry]
    for key in (*REQUIRED_KEYS, *OPTIONAL_KEYS):
        value = entry.get(key)
        expected = KIND_KEYS.get(key, list if key == "categories" else str)
        if value is None:
            continue
        if expected is list:
            if not (isinstance(value, list) and all(isinstance(s, str) for s in value)):
                what = "category slugs" if key == "categories" else "strings"
                problems.append(f"{key!r} must be a list of {what}")
        elif expected is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(f"{key!r} must be a whole number from 1, not {value!r}")
        elif not isinstance(value, expected):
            problems.append(f"{key!r} must be {_kind(expected())}, not {_kind(value)}")
    if problems:  # the checks below need every value there, with its type
        return unknown + problems
    problems = unknown

    slug = entry["slug"]
    try:
        validate_slug(slug)
    except ValidationError:
        problems.append(f"slug {slug!r} is not a slug (letters, digits, '-' and '_')")
    else:
        paths = body_files.get(slug, [])
        if not paths:
            problems.append(f"no body file: expected bodies/{slug}.md or bodies/{slug}.html")
        elif len(paths) > 1:
            problems.append(f"two body files, keep one: {', '.join(p.name for p in paths)}")
    for key, limit in (("slug", 200), ("title", 300), ("author", 200)):
        if len(entry.get(key, "")) > limit:
            problems.append(f"{key!r} is longer than {limit} characters")
    if not entry["title"].strip():
        problems.append("'title' is empty")
    try:
        demo_date(entry["date"], date(2000, 1, 1))
    except ValueError as error:
        problems.append(str(error))
    if entry["status"] not in Post.Status.values:
        problems.append(f"status {entry['status']!r} is not one of {', '.join(Post.Status.values)}")
    kind = entry.get("kind", "")
    if kind and kind not in Kind.values:
        problems.append(f"kind {kind!r} is not one of {', '.join(Kind.values)} (or absent)")
    problems += _kind_problems(entry)
    for key in ("link", "audio_url", "event_registration_url", "media_url"):
        if entry.get(key):
            try:
                _is_web_url(entry[key])
            except ValidationError:
                problems.append(f"{key!r} is not an http(s) address: {entry[key]!r}")
    cover = entry.get("cover", "")
    if cover and (Path(cover).is_absolute() or ".." in Path(cover).parts):
        problems.append(f"cover {cover!r} must be a path inside the data directory")
    return problems


def _kind_problems(entry: dict) -> list[str]:
    problems = []
    kind = entry.get("kind") or Kind.ARTICLE
    for key in KIND_KEYS:
        prefix = next((p for p in KEYS_OF_KINDS if key.startswith(p)), None)
        if key in entry and prefix is not None and kind not in KEYS_OF_KINDS[prefix]:
            problems.append(f"{key!r} is for kind {' or '.join(sorted(KEYS_OF_KINDS[prefix]))}")
    if kind == Kind.EVENT and "event_start" not in entry:
        problems.append("an event needs 'event_start'")
    if kind == Kind.QUOTE and not entry.get("quote_text", "").strip():
        problems.append("a quote needs 'quote_text'")
    try:
        valid_time_zone(entry.get("event_timezone") or settings.TIME_ZONE)
    except ValidationError:
        problems.append(f"event_timezone {entry['event_timezone']!r} is not a time zone name")
    times = {}
    for key in ("event_start", "event_end"):
        if key in entry:
            try:
                times[key] = demo_date(entry[key], date(2000, 1, 1), zoneinfo.ZoneInfo("UTC"))
            except ValueError as error:
                problems.append(f"{key}: {error}")
    if len(times) == 2 and times["event_end"] < times["event_start"]:
        problems.append("'event_end' is before 'event_start'")
    if entry.get("event_status", EventStatus.SCHEDULED) not in EventStatus.values:
        problems.append(f"event_status must be one of {', '.join(EventStatus.values)}")
    if entry.get("event_price", "") not in Price.values:
        problems.append(f"event_price must be one of {', '.join(Price.values[1:])} (or absent)")
    if "media_duration" in entry and not parse_duration(entry["media_duration"]):
        problems.append(f'media_duration {entry["media_duration"]!r} is not like "1:02:03"')
    return problems


def _kind_fields(entry: dict, today: date) -> dict:
    fields = {key: entry[key] for key in KIND_KEYS if key in entry}
    zone = zoneinfo.ZoneInfo(entry.get("event_timezone") or settings.TIME_ZONE)
    for key in ("event_start", "event_end"):
        if key in fields:
            fields[key] = demo_date(fields[key], today, zone)
    if "media_duration" in fields:
        fields["media_duration"] = parse_duration(fields["media_duration"])
    if "case_outcomes" in fields:
        fields["case_outcomes"] = "\n".join(fields["case_outcomes"])
    return fields


def _demo_post(entry: dict, body_paths: list[Path], data_dir: Path, today: date) -> DemoPost:
    (body_path,) = body_paths
    try:
        body_source = body_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DemoDataError(f"{body_path} is not UTF-8 text ({error.reason})") from None
    cover = data_dir / entry["cover"] if entry.get("cover") else None
    if cover is not None and not cover.is_file():
        raise DemoDataError(f"cover image {cover} not found")
    return DemoPost(
        slug=entry["slug"],
        title=entry["title"],
        status=entry["status"],
        published_at=demo_date(entry["date"], today),
        body_source=body_source.strip(),
        body_format=BODY_FORMATS[body_path.suffix],
        categories=tuple(entry["categories"]),
        kind=entry.get("kind") or Kind.ARTICLE,
        link=entry.get("link", ""),
        author=entry.get("author", ""),
        excerpt=entry.get("excerpt", ""),
        audio_url=entry.get("audio_url", ""),
        cover=cover,
        fields=_kind_fields(entry, today),
    )


def _kind(value: object) -> str:
    return {
        dict: "an object", list: "a list", str: "a string", type(None): "null",
        bool: "true or false", int: "a number",
    }.get(type(value), type(value).__name__)  # fmt: skip
