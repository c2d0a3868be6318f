"""The demo posts, read from data files: `posts/demo/posts.json` plus one body file per post.

`posts/demo/README.md` describes the format. `read_demo_posts` checks everything before
returning and raises `DemoDataError` naming the file and every problem it found; it never
touches the database (`manage.py load_demo` does that).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils import timezone

from .models import BodyFormat, Kind, Post

DEMO_DIR = Path(__file__).resolve().parent / "demo"
POSTS_FILE = "posts.json"
BODIES_DIR = "bodies"
# A body file's extension says how the editor would have written it.
BODY_FORMATS = {".md": BodyFormat.MARKDOWN, ".html": BodyFormat.HTML}

REQUIRED_KEYS = ("slug", "title", "date", "status", "categories")
OPTIONAL_KEYS = ("kind", "link", "author", "excerpt", "audio_url", "cover")

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


def demo_date(spec: str, today: date) -> datetime:
    """The aware datetime for a relative date such as "-12d 08:30", counted from `today`.

    The time is wall-clock time in the current time zone (settings.TIME_ZONE).
    """
    match = _DATE.fullmatch(spec)
    if match is None:
        raise ValueError(
            f'date {spec!r} is not like "-12d 08:30" (days from the load day, then HH:MM)'
        )
    day = today + timedelta(days=int(match["days"]))
    return timezone.make_aware(
        datetime.combine(day, time(int(match["hour"]), int(match["minute"])))
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
        if key == "categories":
            if value is not None and not (
                isinstance(value, list) and all(isinstance(s, str) for s in value)
            ):
                problems.append("'categories' must be a list of category slugs")
        elif value is not None and not isinstance(value, str):
            problems.append(f"{key!r} must be a string, not {_kind(value)}")
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
    for key in ("link", "audio_url"):
        if entry.get(key):
            try:
                _is_web_url(entry[key])
            except ValidationError:
                problems.append(f"{key!r} is not an http(s) address: {entry[key]!r}")
    cover = entry.get("cover", "")
    if cover and (Path(cover).is_absolute() or ".." in Path(cover).parts):
        problems.append(f"cover {cover!r} must be a path inside the data directory")
    return problems


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
    )


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )
