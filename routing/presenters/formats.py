"""How the staff pages write dates and times: one format everywhere, times in the
organisation's own zone with the zone named, since its deadlines end at midnight there."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.utils import dateformat

# Django date-format strings, so templates use the same ones: ``{{ day|date:"j M Y" }}``.
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"


def format_date(day: date | str | None) -> str:
    """``2 Dec 2026``; an ISO string (as events store dates) is read first; None is empty."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    if isinstance(day, datetime):
        day = day.date()
    return dateformat.format(day, DATE_FORMAT)


def format_datetime(moment: datetime | None, zone: str) -> str:
    """``2 Dec 2026, 14:05 (Europe/Paris)``: the instant in ``zone``, which is named."""
    if moment is None:
        return ""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return (
        f"{dateformat.format(local, DATE_FORMAT)}, {dateformat.format(local, TIME_FORMAT)} ({zone})"
    )
