"""The claims browser, /claims: every claim, filtered, sorted, counted per level.

Datasette-style: filters in the query string (`level` repeatable, `org`,
`deal`, `type`, `source`, `about`), `sort` (`level`, the default, then confidence;
`-confidence` most sure first; `confidence` least sure first), facet counts per
evidence level under the other filters, and the same view as HTML, JSON
(`format=json`) or CSV (`format=csv`, formula prefixes neutralised). At most
CLAIMS_MAX_ROWS rows per answer (`limit=` may ask fewer); a cut is always said,
with the total. Filter values are IRIs bound by a VALUES block (queries.bind); only the fixed
fragments below and the level notations of the scheme make up the text.
"""

import csv
import io

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..errors import bad_request, not_acceptable
from ..negotiate import negotiate
from . import present
from .queries import Ran, dataset_cache, select

blueprint = Blueprint("linked_claims", __name__)

CK = "https://w3id.org/chipkg/ontology#"
FILTERS = {   # parameter: (pattern, namespace of a bare local name)
    "org": ("?claim schema:about ?f_org .", "id"),
    "deal": ("?claim schema:about ?f_deal .", "id"),
    "type": ("?claim schema:about ?typed . ?typed a ck:Deal ; ck:dealType ?f_type .", "ck"),
    "source": ("?claim prov:wasDerivedFrom ?f_source .", "id"),
    # what an entity page lists: claims about it, taken from it or quoting it
    "about": ("?claim (schema:about|prov:wasDerivedFrom|ck:hasQuote) ?f_about .", "id"),
}
SORTS = {"level": "DESC(?rank) DESC(?conf) ?claim", "-confidence": "DESC(?conf) DESC(?rank) ?claim",
         "confidence": "ASC(?conf) ?claim"}
OFFERED = ["text/html", "application/json", "text/csv"]


def _iri(name: str, value: str) -> ox.NamedNode:
    namespace = FILTERS[name][1]
    if value.startswith(("http://", "https://")):
        iri = value
    elif namespace == "ck":
        iri = CK + value
    else:
        iri = present.data_iri("id", value)
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise bad_request(f"{name}={value!r} is not an IRI or local name") from None


def _where(bound: dict) -> str:
    return "\n  ".join(["?claim a ck:Claim ; ck:evidenceLevel ?level .",
                        "?level skos:notation ?notation ; ck:rank ?rank ."]
                       + [FILTERS[name[2:]][0] for name in bound])


def _levels() -> list[str]:
    wanted = [v.strip().upper() for v in request.args.getlist("level") if v.strip()]
    unknown = [v for v in wanted if v not in present.LEVELS]
    if unknown:
        raise bad_request(f"unknown evidence level {', '.join(unknown)}; use "
                          + ", ".join(present.LEVELS))
    return [n for n in present.LEVELS if n in wanted]


def _limit() -> int:
    cap = current_app.config["CLAIMS_MAX_ROWS"]
    text = request.args.get("limit", "")
    if not text:
        return cap
    if not text.isdigit() or int(text) < 1:
        raise bad_request("limit must be a positive integer")
    return min(int(text), cap)


def query_texts(bound: dict, levels: list[str], sort: str, limit: int) -> tuple[str, str]:
    keys = " ".join(f"?{name}" for name in bound)     # the f_ names of the bound filters
    level_filter = ("FILTER(?notation IN (" + ", ".join(f'"{n}"' for n in levels) + "))"
                    if levels else "")
    facets = (f"SELECT {keys} ?notation ?rank (COUNT(DISTINCT ?claim) AS ?claims) WHERE {{\n  "
              f"{_where(bound)}\n}} GROUP BY {keys} ?notation ?rank ORDER BY DESC(?rank)")
    # only what sorting needs; the rows shown get their details afterwards (CLAIM_DETAILS)
    rows = (f"SELECT DISTINCT ?claim ?notation ?rank ?conf WHERE {{\n  "
            f"{_where(bound)}\n  {level_filter}\n"
            "  OPTIONAL { ?claim ck:confidence ?conf }\n"
            f"}}\nORDER BY {SORTS[sort]}\nLIMIT {limit + 1}")
    return facets, rows


def _details(found: list[dict], ran: list) -> dict:
    """Label, text, source and first quote of each claim shown, asked for those claims only."""
    if not found:
        return {}
    bound = {"claim": [r["claim"] for r in found]}
    asked = {name: select(name, bound) for name in ("claim-core", "claim-sources", "claim-quotes")}
    ran.extend(asked.values())
    details: dict[str, dict] = {r["claim"].value: {} for r in found}
    for name, results in asked.items():
        for row in results.rows:
            kept = details[row["claim"].value]
            for key, value in row.items():
                if value is not None and key not in kept:
                    kept[key] = value
    return details


def _ran(name: str, text: str, bound: dict) -> Ran:
    return select(name, bound, text)


def _choices() -> dict:
    cache = dataset_cache()
    if "claim-choices" not in cache:
        cache["claim-choices"] = {"about": []}
        cache["claim-choices"] |= {
            name: [(present.local_path(r["o"].value) or r["o"].value,
                    r["o"].value.rpartition("#")[2] if name == "type" else
                    (present.local_path(r["o"].value) or r["o"].value).rpartition("/")[2],
                    r["label"].value if r["label"] else present.text(r["o"]))
                   for r in select(f"choices-{name}").rows]
            for name in FILTERS if name != "about"}
    return cache["claim-choices"]


@blueprint.get("/claims")
def claims():
    wanted = request.args.get("format", "").strip().lower()
    chosen = {"html": "text/html", "json": "application/json", "csv": "text/csv"}.get(wanted)
    if wanted and chosen is None:
        raise not_acceptable(OFFERED)
    chosen = chosen or negotiate(request.headers.get("Accept"), OFFERED)
    if chosen is None:
        raise not_acceptable(OFFERED)
    given = {name: request.args.get(name, "").strip() for name in FILTERS}
    bound = {f"f_{name}": _iri(name, value) for name, value in given.items() if value}
    levels = _levels()
    sort = request.args.get("sort", "level")
    if sort not in SORTS:
        raise bad_request(f"sort must be one of {', '.join(SORTS)}")
    limit = _limit()
    facets_text, rows_text = query_texts(bound, levels, sort, limit)
    facets, found = _ran("facets", facets_text, bound), _ran("claims", rows_text, bound)
    counts = {r["notation"].value: int(r["claims"].value) for r in facets.rows}
    total = sum(n for level, n in counts.items() if not levels or level in levels)
    ran = [facets, found]
    details = _details(found.rows[:limit], ran)
    rows = [_row({**r, **details[r["claim"].value]}) for r in found.rows[:limit]]
    truncated = len(found.rows) > limit
    if chosen == "text/csv":
        response = Response(_csv(rows), content_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="claims.csv"'
    elif chosen == "application/json":
        response = jsonify({"filters": {**{k: v for k, v in given.items() if v}, "level": levels},
                            "sort": sort, "limit": limit, "total": total, "truncated": truncated,
                            "facets": {"level": counts}, "claims": rows})
    else:
        level_info = select("level-info", {"level": ox.NamedNode(present.LEVEL_IRIS[levels[0]])}).rows \
            if len(levels) == 1 else []
        response = Response(render_template(
            "claims.html", rows=rows, counts=counts, levels=levels, total=total, truncated=truncated,
            limit=limit, sort=sort, given=given, choices=_choices(), ran=ran,
            level_info=level_info[0] if level_info else None, all_levels=present.LEVELS,
            links=_links(levels)), content_type="text/html; charset=utf-8")
    response.headers["Chipkg-Truncated"] = "true" if truncated else "false"
    response.headers["Chipkg-Row-Limit"] = str(limit)
    response.vary.add("Accept")
    return response


def _links(levels: list[str]) -> dict:
    """Where each facet (toggling one level) and each other format of this view leads."""
    base = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in ("format", "level")}
    found = {}
    for n in present.LEVELS:
        chosen = [m for m in levels if m != n] if n in levels else [*levels, n]
        found[n] = url_for("linked_claims.claims", **base, level=chosen)
    for fmt in ("json", "csv"):
        found[fmt] = url_for("linked_claims.claims", **base, level=levels, format=fmt)
    return found


def _row(r: dict) -> dict:
    conf = present.confidence(r.get("conf"))
    source = r.get("source")
    return {"claim": r["claim"].value, "href": present.local_path(r["claim"].value),
            "label": r["label"].value if r.get("label") else present.text(r["claim"]),
            "text": r["text"].value if r.get("text") else "",
            "level": r["notation"].value, "confidence": conf, "confidence_word": present.icd_word(conf),
            "source": source.value if source else "",
            "source_href": present.local_path(source.value) if source else None,
            "source_label": r["sourceLabel"].value if r.get("sourceLabel") else "",
            "quote": r["exact"].value if r.get("exact") else "",
            "in_conflict": present.is_true(r.get("conflict"))}


COLUMNS = ("claim", "label", "text", "level", "confidence", "confidence_word", "source",
           "source_label", "quote", "in_conflict")


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([present.csv_safe("" if row[c] is None else str(row[c])) for c in COLUMNS])
    return out.getvalue()
