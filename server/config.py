"""Every setting and limit of the endpoint, with its default, in one place.

`create_app(config)` starts from these and overrides with the mapping it is
given; `chipkg serve` options and CHIPKG_* environment variables feed that
mapping (options win over the environment). docs/endpoint.md lists each one; a
test fails if one is undocumented.
"""

from collections.abc import Mapping

DEFAULTS = {
    # what is served
    "PROJECT_ROOT": None,           # folder holding ontology/, kg/, shapes/, queries/; None = this repository
    "DATA_FILES": [],               # extra RDF files served beside the shipped graph (any syntax, quads kept)
    "INCLUDE_SHIPPED_GRAPH": True,  # False with --no-default-graph: serve the ontology and DATA_FILES only
    "SOURCES_DIR": None,            # quote verification folder; None = $CHIPKG_SOURCES, else ../shared/sources
    "SKIP_QUOTES": False,           # validate with SHACL only, without checking quotes against sources
    # validation at start-up (issue 9)
    "VALIDATION_CACHE": True,       # reuse the result kept for the same input (data, shapes, sources, engine)
    "VALIDATION_CACHE_DIR": None,   # None = $CHIPKG_CACHE_DIR, else $XDG_CACHE_HOME/chipkg/validation
    "UNION_DEFAULT_GRAPH": True,    # default graph = union of all graphs unless the request names graphs
    "DATASET_LICENSE": "https://creativecommons.org/licenses/by/4.0/",  # VoID dcterms:license; None = omit
    # limits
    "QUERY_TIMEOUT_SECONDS": 30.0,  # a query still running then is answered with 503 and stopped
    "MAX_RESULT_ROWS": 10_000,      # SELECT rows / CONSTRUCT triples beyond this are cut, and the cut is signalled
    "MAX_REQUEST_BYTES": 1_000_000,  # request body cap (413) and URL query string cap (414)
    "MAX_QUERY_DEPTH": 128,         # deepest nesting of { ( [ accepted; deeper is refused with 400
    "MAX_QUERY_OPERATORS": 10_000,  # operators, separators and pattern keywords per query; more is 400
    "MAX_CONCURRENT_QUERIES": 8,    # per worker process; beyond it 503 + Retry-After
    "MAX_LONG_QUERIES": 8,          # per worker: long queries (see below) moved out of those slots
    "RETRY_AFTER_SECONDS": 1,       # Retry-After of a busy or timed-out answer
    # safety and query handling
    "SERVICE_ALLOW_LIST": [],       # endpoints SERVICE may call; empty = federation off
    "CORS_ALLOW_ORIGIN": "*",       # reads are public; None turns CORS off
    "REWRITE_NOT_EXISTS": True,     # rewrite FILTER NOT EXISTS to MINUS where provably equivalent
    "LOG_REQUESTS": True,           # one log line per request: method, path, status, duration, bytes
    # linked-data pages, pictures and the claims browser (web front)
    "PUBLIC_BASE": "https://w3id.org/chipkg/",  # base of the data's IRIs: /id/x answers for PUBLIC_BASE + id/x
    "DOT_PROGRAM": "dot",           # Graphviz dot, run to lay out the deal network; missing = pages say so
    "DOT_TIMEOUT_SECONDS": 10.0,    # dot still running then: the picture is left out, and the page says why
    "PICTURE_MAX_ITEMS": 300,       # deals in the network, events on the timeline; beyond, the cut is said
    "ENTITY_MAX_ITEMS": 50,         # claims per evidence level, and deals, on an entity page; the cut is said
    "CLAIMS_MAX_ROWS": 500,         # rows per /claims answer (limit= may ask fewer); beyond, the cut is said
    # linked-data downloads (/downloads, server/exports/)
    "EXPORT_DIR": None,             # serve this export folder (chipkg build/export) as is; None = make one
    "EXPORT_CACHE_DIR": None,       # exports made from the served files, by content hash; None = ~/.cache/chipkg/exports
    # evidence views (issue 8): as-of= and min-evidence= (server/views)
    "VIEW_CACHE_SIZE": 4,           # views kept built per worker; each is a store holding at most the whole data
    "VIEW_PRELOAD": [],             # views built before serving, e.g. "min-evidence=REP" (shared by workers)
    "AS_OF_UNCERTAIN": "exclude",   # a source dated only to a period containing the as-of day: "exclude" or "include"
    # hardening (issue 10): protocol exactness, fairness, reload
    "SLOT_WAIT_SECONDS": 0.5,       # a query finding every slot taken waits this long for one, then 503
    "QUERY_DEMOTE_AFTER_CPU_SECONDS": 0.05,  # a query that used this much CPU is long: nice 19,
                                    # long lane (server/hardening/priority.py); 0 = never
    "ISOLATE_QUERIES": True,        # chipkg serve: queries run in processes a timeout kills
                                    # (server/protocol/isolation.py); False = threads, worker retired
    "LONG_QUERY_CORES": None,       # long query processes run on this many cores at once, in turns
                                    # (server/protocol/cores.py); None = all but one; 0 = no turns
    "QUERY_BASE_IRI": None,         # base IRI resolving relative IRIs in queries; None = this endpoint's URL
    "FAIR_REQUESTS_PER_MINUTE": 600,    # per client and minute, then 429 + Retry-After; 0 = no limit
    "FAIR_QUERY_SECONDS_PER_MINUTE": 120.0,  # request seconds per client and minute, then 429; 0 = no limit
    "FAIR_EXEMPT_LOOPBACK": True,   # loopback clients have no budget (development, benchmarks)
    "TRUSTED_PROXIES": [],          # peer addresses whose X-Forwarded-For names the client
    "RELOAD_TOKEN": None,           # bearer token of POST /-/reload; None = the route is off (SIGHUP still works)
    "MAX_DATA_FILE_BYTES": 512_000_000,  # a data file larger than this is refused before it is parsed
    # external store (server/backends): serve from a SPARQL store instead of loading the files
    "BACKEND_URL": None,            # the store's SPARQL query endpoint (chipkg serve --backend); None = embedded
    "BACKEND_KIND": "auto",         # auto (Virtuoso by its Server header, else generic), sparql or virtuoso
    # server process (chipkg serve)
    "HOST": "127.0.0.1",
    "PORT": 8000,
    "WORKERS": 2,                   # gunicorn worker processes, forked from the loaded master
    "THREADS": None,                # gunicorn threads per worker; None = both lanes' slots + 2
}

ENV_PREFIX = "CHIPKG_"
NUMBERS_OR_NONE = ("THREADS", "LONG_QUERY_CORES")     # whole numbers whose default is None


def merged(config: Mapping | None) -> dict:
    """DEFAULTS overridden by `config`; unknown keys are refused (a typo must not pass silently)."""
    config = dict(config or {})
    unknown = sorted(k for k in config if k not in DEFAULTS and not k.startswith(("TESTING", "_")))
    if unknown:
        raise ValueError(f"unknown setting(s): {', '.join(unknown)}")
    return {**DEFAULTS, **config}


def from_environ(environ: Mapping[str, str]) -> dict:
    """Settings given as CHIPKG_<NAME> environment variables, converted to the default's type.

    Lists are separated by spaces or commas; booleans are 1/0, true/false, yes/no;
    an empty value or "none" means None for settings whose default may be None.
    """
    found = {}
    for name, default in DEFAULTS.items():
        text = environ.get(ENV_PREFIX + name)
        if text is None:
            continue
        found[name] = _convert(name, text.strip(), default)
    return found


def _convert(name: str, text: str, default):
    if isinstance(default, bool):
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{ENV_PREFIX}{name} must be true or false, got {text!r}")
    if isinstance(default, list):
        return [part for part in text.replace(",", " ").split() if part]
    if text.lower() in ("", "none"):
        return None
    if name in NUMBERS_OR_NONE:
        if not text.isdigit():
            raise ValueError(f"{ENV_PREFIX}{name} must be a whole number of 0 or more, got {text!r}")
        return int(text)
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    return text
