"""An event's date and place in words, as readers see them on the events pages.

Times are shown in the event's own zone with the zone named ("Tue 13 Apr 2021, 13:00–13:45 CEST
(Europe/Berlin)"): a reader elsewhere converts once, knowingly, instead of trusting a zone the
page guessed. All-day events show dates only. English names are written out here rather than
taken from strftime, whose day and month names follow the process locale.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(value: date) -> str:
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def clock(value: datetime) -> str:
    return f"{value:%H:%M}"


def zone_abbreviation(value: datetime) -> str:
    # Zones without a common abbreviation give their offset ("+03"): say what it is.
    name = value.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name


def zone_label(zone: ZoneInfo) -> str:
    return str(zone.key)


def when(start: datetime, end: datetime | None, *, all_day: bool, zone: ZoneInfo) -> str:
    """The event's dates (and times) in its own zone, in words."""
    first = start.astimezone(zone)
    last = end.astimezone(zone) if end is not None else None
    if all_day:
        if last is None or last.date() == first.date():
            return day(first.date())
        return f"{day(first.date())} – {day(last.date())}"
    named = f" ({zone_label(zone)})" if zone_label(zone) != zone_abbreviation(first) else ""
    if last is None or last == first:
        return f"{day(first.date())}, {clock(first)} {zone_abbreviation(first)}{named}"
    if last.date() == first.date() and first.tzname() == last.tzname():
        return (
            f"{day(first.date())}, {clock(first)}–{clock(last)} {zone_abbreviation(first)}{named}"
        )
    return (
        f"{day(first.date())}, {clock(first)} {zone_abbreviation(first)} – "
        f"{day(last.date())}, {clock(last)} {zone_abbreviation(last)}{named}"
    )


def last_day(start: datetime, end: datetime | None, *, zone: ZoneInfo) -> date:
    """The last local date an all-day event runs on (included)."""
    return (end or start).astimezone(zone).date()


def day_after(value: date) -> date:
    return value + timedelta(days=1)
