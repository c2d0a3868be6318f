"""A small iCalendar writer (RFC 5545): just what the hub's calendars need, nothing parsed.

Pure: values in, bytes out. Lines end in CRLF and are folded at 75 octets without splitting a
UTF-8 sequence (3.1); TEXT values are escaped (3.3.11); times are UTC ("…Z") or, for all-day
events, DATE values with an exclusive end (3.6.1), so no VTIMEZONE is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

CRLF = b"\r\n"
LINE_OCTETS = 75  # RFC 5545 3.1: "Lines of text SHOULD NOT be longer than 75 octets"


def escape_text(value: str) -> str:
    """A TEXT value (3.3.11): backslash, semicolon, comma and newline escaped; other control
    characters, which TEXT does not allow, dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c == "\n" or c == "\t" or not _is_control(c))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _is_control(c: str) -> bool:
    return ord(c) < 0x20 or ord(c) == 0x7F


def param_value(value: str) -> str:
    """A parameter value (3.2): quoted when it holds ; : or , ; DQUOTE and controls dropped."""
    value = "".join(c for c in value if c != '"' and not _is_control(c))
    return f'"{value}"' if any(c in value for c in ";:,") else value


def fold(line: str) -> bytes:
    """One content line, folded: each physical line at most 75 octets, continuation lines
    starting with a space (which counts), never cutting a UTF-8 sequence."""
    data = line.encode("utf-8")
    out = []
    limit = LINE_OCTETS
    while len(data) > limit:
        cut = limit
        # 0b10xxxxxx is a continuation byte: back up to the start of its character.
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        out.append(data[:cut])
        data = data[cut:]
        limit = LINE_OCTETS - 1  # the leading space of the next line
    out.append(data)
    return (CRLF + b" ").join(out) + CRLF


def utc_stamp(moment: datetime) -> str:
    """DATE-TIME in UTC, form #2 of 3.3.5: 20260424T200000Z (seconds kept, no fractions)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def date_value(day: date) -> str:
    return day.strftime("%Y%m%d")


class Status:
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Event:
    uid: str
    stamp: datetime
    sequence: int
    summary: str
    # Timed events: start (and end) as aware datetimes. All-day events: start_date and
    # end_date, the end the day after the last day (exclusive, as 3.6.1 says for DATE).
    start: datetime | None = None
    end: datetime | None = None
    start_date: date | None = None
    end_date: date | None = None
    description: str = ""
    url: str = ""
    location: str = ""
    status: str = Status.CONFIRMED

    def lines(self) -> list[str]:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{escape_text(self.uid)}",
            f"DTSTAMP:{utc_stamp(self.stamp)}",
            f"SEQUENCE:{self.sequence}",
        ]
        if self.start_date is not None:
            lines.append(f"DTSTART;VALUE=DATE:{date_value(self.start_date)}")
            if self.end_date is not None:
                lines.append(f"DTEND;VALUE=DATE:{date_value(self.end_date)}")
        elif self.start is not None:
            lines.append(f"DTSTART:{utc_stamp(self.start)}")
            # Without DTEND a timed event ends when it starts (3.6.1): fine for an open end.
            if self.end is not None and self.end > self.start:
                lines.append(f"DTEND:{utc_stamp(self.end)}")
        lines.append(f"SUMMARY:{escape_text(self.summary)}")
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.url:
            # URL is of value type URI, not TEXT: no escaping, but no line break either.
            lines.append(f"URL:{''.join(c for c in self.url if not _is_control(c))}")
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        lines.append(f"STATUS:{self.status}")
        lines.append("END:VEVENT")
        return lines


def calendar(
    events: Iterable[Event],
    *,
    prodid: str,
    name: str = "",
    description: str = "",
    refresh_minutes: int | None = None,
) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) holding `events`, as bytes ready to send."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(prodid)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        # RFC 7986 NAME, and the older X-WR-CALNAME most calendar apps read.
        lines += [f"NAME:{escape_text(name)}", f"X-WR-CALNAME:{escape_text(name)}"]
    if description:
        lines.append(f"X-WR-CALDESC:{escape_text(description)}")
    if refresh_minutes:
        # How often a subscribed calendar should be fetched again (RFC 7986 5.7).
        lines += [
            f"REFRESH-INTERVAL;VALUE=DURATION:PT{refresh_minutes}M",
            f"X-PUBLISHED-TTL:PT{refresh_minutes}M",
        ]
    for event in events:
        lines += event.lines()
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)
