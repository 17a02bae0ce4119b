"""Publication dates at the precision the source gives them.

"2026" is a year, not 1 January 2026: it is kept as an interval of days, so
"was it published by 23 June 2026?" can be answered yes, no or "uncertain".
"""

import calendar
import re
from datetime import date

from ..errors import UnusableInput

FORMS = (
    (re.compile(r"^(\d{4})$"), "gYear"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "gYearMonth"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "date"),
)


def parse(text: str) -> tuple[str, date, date]:
    """(XSD datatype local name, first day, last day) of YYYY, YYYY-MM or YYYY-MM-DD."""
    text = str(text).strip()
    for pattern, datatype in FORMS:
        match = pattern.match(text)
        if not match:
            continue
        parts = [int(p) for p in match.groups()]
        try:
            if datatype == "gYear":
                return datatype, date(parts[0], 1, 1), date(parts[0], 12, 31)
            if datatype == "gYearMonth":
                last = calendar.monthrange(parts[0], parts[1])[1]
                return datatype, date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
            day = date(*parts)
            return datatype, day, day
        except ValueError:
            break
    raise UnusableInput(f"not a date: {text!r}; write YYYY, YYYY-MM or YYYY-MM-DD")


def as_of_day(text: str) -> date:
    """The day of an as-of request: a full YYYY-MM-DD only."""
    datatype, first, _ = parse(text)
    if datatype != "date":
        raise UnusableInput(f"as-of wants a full date YYYY-MM-DD, got {text!r}")
    return first


def relation(published: tuple[date, date] | None, day: date) -> str:
    """'before' (surely published by `day`), 'after' (surely not), 'uncertain' or 'undated'."""
    if published is None:
        return "undated"
    first, last = published
    if last <= day:
        return "before"
    if first > day:
        return "after"
    return "uncertain"
