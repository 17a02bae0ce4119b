"""Finding a quote in its source text and writing the Web Annotation selectors.

People copy quotes as plain text; offsets in code points are what nobody gets
right by hand. A quote is anchored only when it occurs verbatim; otherwise the
nearest passages are offered with their offsets, so the author picks one and
nothing is ever guessed.
"""

import difflib
from dataclasses import dataclass

from ..errors import UnusableInput

CONTEXT = 32            # code points of prefix and suffix, as in the shipped graph


@dataclass(frozen=True)
class Anchor:
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def occurrences(text: str, exact: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of `exact`."""
    found, at = [], text.find(exact)
    while at >= 0:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def anchor_at(text: str, exact: str, start: int) -> Anchor:
    end = start + len(exact)
    return Anchor(exact, start, end, text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])


def locate(text: str, exact: str, *, occurrence: int | None = None, start: int | None = None,
           where: str = "") -> Anchor:
    """The one place `exact` stands in `text`, or UnusableInput that says what to do."""
    if not exact:
        raise UnusableInput(f"{where}: the quote is empty")
    starts = occurrences(text, exact)
    if not starts:
        raise UnusableInput(f"{where}: quote not found verbatim in the source: {_short(exact)!r}. "
                            + suggestions_text(text, exact))
    if start is not None:
        if start not in starts:
            raise UnusableInput(f"{where}: the quote does not start at {start}; it occurs at "
                                f"{', '.join(map(str, starts))}")
        return anchor_at(text, exact, start)
    if occurrence is not None:
        if not 1 <= occurrence <= len(starts):
            raise UnusableInput(f"{where}: occurrence {occurrence} asked, but the quote occurs "
                                f"{len(starts)} time(s)")
        return anchor_at(text, exact, starts[occurrence - 1])
    if len(starts) > 1:
        listed = "; ".join(f"occurrence {n} at {s}: ...{text[max(0, s - 20):s]!r}"
                           for n, s in enumerate(starts, 1))
        raise UnusableInput(f"{where}: the quote occurs {len(starts)} times; say which with "
                            f"'occurrence: N' or 'start: OFFSET' ({listed})")
    return anchor_at(text, exact, starts[0])


def suggest(text: str, exact: str, count: int = 3) -> list[tuple[float, int, str]]:
    """(similarity, start, passage) of the passages of `text` closest to `exact`.

    Candidate windows of the quote's length start at every word boundary; the
    best are then re-scored with difflib. Exactness is not implied: these are
    offered to a person, never written into the graph.
    """
    size = len(exact)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in " \n" and i + 1 < len(text)]
    wanted = set(exact.lower().split())
    rough = []
    for s in starts:
        window = text[s:s + size]
        rough.append((len(wanted & set(window.lower().split())), -s))
    rough.sort(reverse=True)
    scored = []
    for _, negative in rough[:40]:
        s = -negative
        window = text[s:s + size]
        ratio = difflib.SequenceMatcher(None, exact, window, autojunk=False).ratio()
        scored.append((round(ratio, 3), s, window))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[tuple[float, int, str]] = []
    for item in scored:
        if all(abs(item[1] - other[1]) >= size // 2 for other in chosen):
            chosen.append(item)
        if len(chosen) == count:
            break
    return chosen


def suggestions_text(text: str, exact: str) -> str:
    found = suggest(text, exact)
    if not found:
        return "The source is empty."
    return "Closest passages: " + "; ".join(
        f"at {start} (similarity {ratio:.2f}): {_short(passage)!r}" for ratio, start, passage in found)


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."
