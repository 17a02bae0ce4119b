"""Downloads for people: `download=1` makes an answer a file, and CSV/TSV safe to open.

SPARQL 1.1 CSV and TSV are W3C formats read by programs: `/sparql` serves them exactly,
and a literal ``=HYPERLINK("http://evil", "x")`` comes back as written. Opened in a
spreadsheet, such a cell is a formula (CSV injection). So the neutralising belongs where a
person is about to open the file, not in the protocol: the download links of the HTML pages
carry ``download=1``, which adds ``Content-Disposition: attachment`` and, for CSV and TSV,
puts a ``'`` before every cell that starts with ``= + - @``, TAB or CR and is not a number
(spreadsheets read ``'=...`` as text). ``Chipkg-Neutralised-Cells`` says how many were.
"""

import csv
import io
import re

from flask import Response

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISED = "Chipkg-Neutralised-Cells"
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def wants_download(args) -> bool:
    return args.get("download", "").lower() in ("1", "true", "yes")


def _risky(text: str) -> bool:
    return text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text)


def neutralise_csv(body: str) -> tuple[str, int]:
    rows = list(csv.reader(io.StringIO(body, newline="")))
    count = 0
    for row in rows:
        for index, cell in enumerate(row):
            if _risky(cell):
                row[index] = "'" + cell
                count += 1
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue(), count


def neutralise_tsv(body: str) -> tuple[str, int]:
    """TSV cells are RDF terms: a literal is quoted, ``"=x"``, and a spreadsheet drops the
    quotes, so the mark goes inside them."""
    count = 0
    lines = body.split("\n")
    for number, line in enumerate(lines):
        cells = line.split("\t")
        for index, cell in enumerate(cells):
            inner = cell[1:] if cell.startswith('"') else cell
            if _risky(inner):
                cells[index] = ("\"'" + inner) if cell.startswith('"') else "'" + cell
                count += 1
        lines[number] = "\t".join(cells)
    return "\n".join(lines), count


def as_download(response: Response, format_name: str) -> Response:
    """`response` (an answer in format `format_name`) as a file for a person to open."""
    if format_name in ("csv", "tsv"):
        text = response.get_data(as_text=True)
        text, count = (neutralise_csv if format_name == "csv" else neutralise_tsv)(text)
        response.set_data(text.encode("utf-8"))
        response.headers[NEUTRALISED] = str(count)
    response.headers["Content-Disposition"] = f'attachment; filename="chipkg-results.{format_name}"'
    return response
