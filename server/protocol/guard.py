"""Checks on a query's text before it reaches the engine, from one cheap lexer pass.

The lexer reads strings, IRIs (with \\u escapes), comments and prefixed names
(with \\-escapes) as SPARQL does, so the brackets, quotes and ``#`` inside them
are not structure. From its tokens come:

* the nesting depth of ``{ ( [``. Oxigraph parses and evaluates recursively: a
  query nested about a thousand levels deep overflows a thread's stack and kills
  the worker, so anything deeper than MAX_QUERY_DEPTH is refused with 400. In
  case the engine reads a string, IRI or comment differently (``?a<((1))>?b`` is
  an IRI to this lexer but brackets to the engine), the brackets inside those
  tokens count for safety: their deepest nesting, and any left unclosed, add to
  the depth checked (not to the structure the NOT EXISTS rewrite reads);
* the number of operators and separators (punctuation other than brackets, the
  ``^^`` of typed literals excepted) and of the keywords UNION, OPTIONAL, MINUS,
  FILTER, BIND, EXISTS, GRAPH, SERVICE. Oxigraph also recurses along chains such as
  ``!!!!x``, ``a || b || ...``, ``?s ?p ?o ; ?p ?o ; ...`` or ``{} UNION {} ...``:
  ten thousand of them crash an 8 MB thread stack. Queries run on 256 MB stacks
  (`engine`), and more than MAX_QUERY_OPERATORS is refused with 400;
* the query form (SELECT, CONSTRUCT, DESCRIBE, ASK) for content negotiation, and
  an update sent as a query, refused with 403 (the endpoint is read-only);
* ``SERVICE`` targets: each must be on SERVICE_ALLOW_LIST, or the query is refused
  with 403, so no query can make the server fetch arbitrary URLs;
* ``FROM`` / ``FROM NAMED``: the query names its own dataset.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

from ..errors import bad_request, forbidden, read_only

_TOKEN = re.compile(r"""\s*(?:
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<datatype>\^\^)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<word>(?:[^\s{}()\[\]<>"'\#,;.?$=!&|*/+^\\]|\\.)+(?:\.(?:[^\s{}()\[\]<>"'\#,;.?$=!&|*/+^\\]|\\.)+)*)
  | (?P<other>\S)
)""", re.VERBOSE | re.DOTALL)

FORMS = {"SELECT": "select", "CONSTRUCT": "construct", "DESCRIBE": "describe", "ASK": "ask"}
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
GRAPH_FORMS = ("construct", "describe")
# keywords that chain patterns, like operators chain expressions
_CHAINING = {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "EXISTS", "GRAPH", "SERVICE"}


class Token(NamedTuple):
    kind: str       # string, iri, open, close, datatype, var, word, other
    text: str
    start: int
    end: int
    depth: int      # brackets open before this token (structure: code brackets only)


@dataclass(frozen=True)
class QueryShape:
    text: str
    tokens: tuple[Token, ...]
    form: str | None                # select, construct, describe, ask; None if not found
    depth: int
    names_dataset: bool             # FROM or FROM NAMED
    prefixes: dict

    @property
    def kind(self) -> str:
        """"graph" for CONSTRUCT/DESCRIBE, "results" otherwise (also when the form is unknown)."""
        return "graph" if self.form in GRAPH_FORMS else "results"


def tokenize(text: str) -> tuple[list[Token], int, int]:
    """The tokens (without comments), the nesting depth to check against the limit, and
    the number of operators (see `inspect`)."""
    tokens, depth, unclosed, deepest, operators = [], 0, 0, 0, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:        # trailing whitespace
            continue
        value = match.group(kind)
        if kind == "other" or (kind == "word" and value.upper() in _CHAINING):
            operators += 1
        if kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "open":
            deepest = max(deepest, depth + unclosed + 1)
        elif kind in ("string", "iri", "comment") and any(c in value for c in "([{"):
            peak, left_open = _brackets(value)
            deepest = max(deepest, depth + unclosed + peak)
            unclosed += left_open
        if kind != "comment":
            tokens.append(Token(kind, value, match.start(kind), match.end(kind), depth))
        if kind == "open":
            depth += 1
    return tokens, deepest, operators


def _brackets(text: str) -> tuple[int, int]:
    """The deepest nesting of brackets in `text`, and how many it leaves open."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}" and depth:
            depth -= 1
    return deepest, depth


# No word boundaries: Oxigraph reads `?s ?p 1SERVICE <...>` as the number 1 and the keyword
# SERVICE, so a keyword glued to a number must still send the query through the lexer.
_NEEDS_TOKENS = re.compile(r"SERVICE|FROM|EXISTS", re.IGNORECASE)
_FIRST_WORD = re.compile(r"(?:\s+|\#[^\r\n]*|PREFIX\s*[^\s:<]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>)*"
                         r"([A-Za-z]+)", re.IGNORECASE)


def inspect(text: str, max_depth: int, service_allow_list: list[str],
            max_operators: int = 10_000) -> QueryShape:
    """The shape of a query; raise SparqlError if it is too deep or too long a chain, an
    update, or calls SERVICE."""
    brackets = text.count("{") + text.count("(") + text.count("[")
    if brackets <= max_depth and len(text) <= max_operators and not _NEEDS_TOKENS.search(text):
        # Cheap and exact enough: no nesting or chain can pass the limits (each level needs a
        # bracket, each operator a character), and nothing needs the tokens. The form only
        # steers content negotiation; a missed update is still refused by the engine's parser.
        first = _FIRST_WORD.match(text)
        word = first.group(1).upper() if first else ""
        if word in UPDATES:
            raise read_only()
        return QueryShape(text, (), FORMS.get(word), brackets, False, {})
    tokens, depth, operators = tokenize(text)
    if depth > max_depth:
        raise bad_request(f"query nested {depth} levels deep; the limit is {max_depth} "
                          "(deeper queries could crash the engine)")
    if operators > max_operators:
        raise bad_request(f"query has {operators} operators, separators and pattern keywords; the "
                          f"limit is {max_operators} (longer chains could crash the engine; "
                          "use VALUES for long lists)")
    form, prefixes, names_dataset = None, {}, False
    previous = ""
    for index, token in enumerate(tokens):
        if token.kind != "word":
            if token.kind == "iri" and previous == "PREFIX_NAME":
                prefixes[tokens[index - 1].text[:-1]] = token.text[1:-1]
            previous = ""
            continue
        upper = token.text.upper()
        if previous == "PREFIX":
            previous = "PREFIX_NAME"
            continue
        previous = upper
        if token.depth == 0:
            if form is None and upper in FORMS:
                form = FORMS[upper]
            elif form is None and upper in UPDATES:
                raise read_only()
            elif upper == "FROM":
                names_dataset = True
        if upper == "SERVICE":
            _check_service(tokens, index, prefixes, service_allow_list)
        elif _hides_service(token.text, prefixes):
            raise forbidden(f"{token.text[:60]!r} reads as SERVICE run together with another "
                            "token (Oxigraph splits `1SERVICE` into 1 and SERVICE); put a space "
                            "before SERVICE so its endpoint can be checked against the allow list")
    return QueryShape(text, tuple(tokens), form, depth, names_dataset, prefixes)


def _hides_service(word: str, prefixes: dict) -> bool:
    """Could the engine read a SERVICE keyword inside this word token? Only in the part before
    any ':' (a local name is read whole), and not when that part is a declared prefix."""
    head, colon, _ = word.partition(":")
    return "SERVICE" in head.upper() and not (colon and head in prefixes)


def _check_service(tokens: list[Token], index: int, prefixes: dict, allowed: list[str]) -> None:
    following = tokens[index + 1:index + 3]
    if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
        following = following[1:]
    target = following[0] if following else None
    iri = None
    if target is not None and target.kind == "iri":
        iri = target.text[1:-1]
    elif target is not None and target.kind == "word" and ":" in target.text:
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            iri = prefixes[prefix] + local
    if iri is None:
        raise forbidden("SERVICE needs a fixed endpoint IRI here (federation is limited to an "
                        "allow list)")
    if iri not in allowed:
        raise forbidden(f"SERVICE <{iri}> is not allowed: federated queries may only call "
                        + (", ".join(f"<{a}>" for a in allowed) if allowed
                           else "no endpoint (federation is off on this server)"))
