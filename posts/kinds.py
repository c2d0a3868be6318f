"""How the fields of a post's kind read: an event's date and time in its own zone, a
recording's duration. Pure functions of stored values, shared by pages, feeds and JSON-LD so
that all of them say the same thing (tests/posts/test_kinds.py).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from urllib.parse import urlsplit

EN_DASH = "\u2013"


def zone_abbreviation(moment: datetime) -> str:
    """The zone's short name at that moment, as readers know it ("CEST", "GMT"); zones that
    have none give an offset ("+03"), which reads better as "UTC+03"."""
    name = moment.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def day_range_text(first: date, last: date) -> str:
    """ "Tue 13 Apr 2021", "Tue 13 – Thu 15 Apr 2021", "Wed 31 Mar – Fri 2 Apr 2021",
    "Fri 31 Dec 2021 – Sat 1 Jan 2022": the shared month and year said once."""
    if last <= first:
        return day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        start = f"{first:%a} {first.day}"
    elif first.year == last.year:
        start = f"{first:%a} {first.day} {first:%b}"
    else:
        start = day_text(first)
    return f"{start} {EN_DASH} {day_text(last)}"


@dataclass(frozen=True)
class EventWhen:
    """An event's start and end in its own zone; `end` is None when only the start is known.
    For an all-day event both are read as days: the end's local date is its last day."""

    start: datetime
    end: datetime | None
    all_day: bool

    @classmethod
    def of(cls, start: datetime, end: datetime | None, all_day: bool, zone: tzinfo) -> EventWhen:
        local_end = end.astimezone(zone) if end and end > start else None
        return cls(start=start.astimezone(zone), end=local_end, all_day=all_day)

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return self.end.date() if self.end else self.start.date()

    @property
    def is_multi_day(self) -> bool:
        return self.last_day > self.first_day

    # The calendar leaf of pages and cards (templates/posts/kinds/_date_block.html): the first
    # day's month, its day (the range's in one month: "13–15") and year.
    @property
    def leaf_month(self) -> str:
        return f"{self.first_day:%b}"

    @property
    def leaf_days(self) -> str:
        first, last = self.first_day, self.last_day
        if last > first and (first.year, first.month) == (last.year, last.month):
            return f"{first.day}{EN_DASH}{last.day}"
        return str(first.day)

    @property
    def leaf_year(self) -> str:
        return f"{self.first_day.year:04d}"

    @property
    def time_text(self) -> str:
        """The times of a one-day event with the zone named: "13:00–13:45 CEST"; both zones
        when a daylight-saving change falls in between: "01:00 CET–04:00 CEST"."""
        start_zone = zone_abbreviation(self.start)
        if self.end is None:
            return f"{self.start:%H:%M} {start_zone}"
        end_zone = zone_abbreviation(self.end)
        if start_zone == end_zone:
            return f"{self.start:%H:%M}{EN_DASH}{self.end:%H:%M} {end_zone}"
        return f"{self.start:%H:%M} {start_zone}{EN_DASH}{self.end:%H:%M} {end_zone}"

    @property
    def text(self) -> str:
        """The whole date in words, e.g. "Tue 13 Apr 2021, 13:00–13:45 CEST"."""
        return " ".join(self.chunks)

    @property
    def chunks(self) -> tuple[str, ...]:
        """`text` in pieces that a narrow screen should not break: ("Tue 13 Apr 2021,",
        "13:00–13:45 CEST")."""
        if self.all_day:
            first, _, last = day_range_text(self.first_day, self.last_day).rpartition(EN_DASH)
            return (f"{first}{EN_DASH}", last.strip()) if first else (last,)
        if not self.is_multi_day:
            return (f"{day_text(self.first_day)},", self.time_text)
        end = self.end
        return (
            f"{day_text(self.first_day)},",
            f"{self.start:%H:%M} {zone_abbreviation(self.start)} {EN_DASH}",
            f"{day_text(end.date())},",
            f"{end:%H:%M} {zone_abbreviation(end)}",
        )

    @property
    def start_iso(self) -> str:
        """ISO 8601 with the zone's offset, or the date alone for an all-day event."""
        return self.first_day.isoformat() if self.all_day else self.start.isoformat()

    @property
    def end_iso(self) -> str:
        """As `start_iso`; for an all-day event the last day (included), "" without an end."""
        if self.all_day:
            return self.last_day.isoformat() if self.is_multi_day else ""
        return self.end.isoformat() if self.end else ""


def duration_text(duration: timedelta | None) -> str:
    """A recording's length as people say it: "42 min", "1 h 5 min", "2 h", "45 s"."""
    if duration is None or duration <= timedelta(0):
        return ""
    seconds = round(duration.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def duration_iso(duration: timedelta | None) -> str:
    """ISO 8601 duration for <time datetime> and schema.org: "PT42M", "PT1H5M30S"."""
    if duration is None or duration <= timedelta(0):
        return ""
    seconds = round(duration.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    parts.append(f"{seconds}S" if seconds else "")
    return "PT" + "".join(parts)


def media_file_type(url: str) -> str:
    """The type of a link that is an audio or video file itself ("video/mp4" for …/a.mp4),
    known from its name; "" for a page that plays it or anything else."""
    mime_type = mimetypes.guess_type(urlsplit(url).path)[0] or "" if url else ""
    return mime_type if mime_type.startswith(("video/", "audio/")) else ""
