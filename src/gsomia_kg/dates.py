"""Partial dates: parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` and ``YYYY-MM-DDTHH:MMZ`` keeping their precision."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_FORMS = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})Z)?)?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date with its precision; ``earliest``/``latest`` are the first and last day it can denote."""

    lexical: str
    precision: str  # minute | day | month | year
    earliest: dt.date
    latest: dt.date

    @property
    def xsd_type(self) -> str:
        """The XML Schema datatype (local name) of the lexical form."""
        return {"minute": "dateTime", "day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]


def parse_partial_date(text: str) -> PartialDate:
    """Parse a partial date or raise ``ValueError`` with a message a curator understands.

    >>> parse_partial_date("2016-11").latest
    datetime.date(2016, 11, 30)
    >>> parse_partial_date("2016").precision
    'year'
    """
    m = _FORMS.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MMZ")
    year, month, day, hour, minute = m.groups()
    y = int(year)
    if y < 1:
        raise ValueError(f"{text!r}: year 0000 does not exist")
    if month is None:
        return PartialDate(text, "year", dt.date(y, 1, 1), dt.date(y, 12, 31))
    mo = int(month)
    if not 1 <= mo <= 12:
        raise ValueError(f"{text!r}: month {month} does not exist")
    last = calendar.monthrange(y, mo)[1]
    if day is None:
        return PartialDate(text, "month", dt.date(y, mo, 1), dt.date(y, mo, last))
    d = int(day)
    if not 1 <= d <= last:
        raise ValueError(f"{text!r}: day {day} does not exist in {year}-{month}")
    date = dt.date(y, mo, d)
    if hour is None:
        return PartialDate(text, "day", date, date)
    if int(hour) > 23 or int(minute) > 59:
        raise ValueError(f"{text!r}: time {hour}:{minute} does not exist")
    return PartialDate(f"{year}-{month}-{day}T{hour}:{minute}:00Z", "minute", date, date)
