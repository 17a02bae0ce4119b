"""Hostile-input helpers the other route tests can reuse: extend the lists when a route lands.

* NAMED_ROUTES: routes that take a name or path from the URL (path traversal is tried on each);
* `html_views`: request targets that render data or request text as HTML (XSS is tried on each);
* `active_content`: what of an injected payload would run in a browser;
* `Listener`: a loopback socket that records every connection made to it.
"""

import socket
import threading
from html.parser import HTMLParser
from urllib.parse import quote

# "{}" is where the name goes; entity pages (/id/{}), graphs (/graph/{}), downloads
# (/downloads/{}) and pictures (/pictures/{}) join this list when they are merged.
NAMED_ROUTES = ["/queries/{}", "/static/{}"]
TRAVERSALS = ["../../pyproject.toml", "..%2F..%2Fpyproject.toml", "%2e%2e%2f%2e%2e%2fpyproject.toml",
              "....//....//pyproject.toml", "..\\..\\pyproject.toml", "/etc/passwd",
              "%2Fetc%2Fpasswd", "..%252F..%252Fpyproject.toml", "deals-by-evidence%00.rq",
              "%2e%2e", "~root", ".", "..", "%00"]
# substrings of the files a traversal would reach (pyproject.toml, /etc/passwd)
LEAKS = [b"[build-system]", b"root:x:0:0", b"root:*:0:0"]

XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">"


def html_views(subject_iri: str) -> list[str]:
    """Paths of every HTML view, with hostile data (labels of `subject_iri`) or hostile request
    text reaching each."""
    reflected = "SELECT ?x WHERE { BIND('''" + XSS + "''' AS ?x) }"
    return [
        "/",
        "/queries",
        "/sparql?format=html&query=" + quote("SELECT ?s ?p ?label WHERE { ?s ?p ?label }"),
        "/sparql?format=html&query=" + quote(f"DESCRIBE <{subject_iri}>"),
        "/sparql?format=html&query=" + quote("CONSTRUCT WHERE { ?s ?p ?o }"),
        "/sparql?format=html&query=" + quote("ASK { ?s ?p ?o }"),
        "/sparql?format=html&query=" + quote(reflected),
        "/sparql?format=html&query=" + quote("# </textarea></pre>" + XSS + "\nASK {}"),
        "/queries/claims-about?format=html&org=" + quote(subject_iri),
        "/queries/claims-about?format=html&org=" + quote(XSS),
        "/queries/deals-by-evidence?format=html&" + quote(XSS) + "=" + quote(XSS),
    ]


class ScriptFinder(HTMLParser):
    """What of the payload would run in a browser: its marker (`alert`) inside a script
    element or an event-handler attribute, or a javascript: / vbscript: URL. The page's own
    scripts (without the marker) are left alone."""

    MARKER = "alert"

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and self.MARKER in value:
                self.found.append(f"<{tag} {name}={value}>")
            if name in ("href", "src", "action", "formaction") and value.startswith(
                    ("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and self.MARKER in data:
            self.found.append(f"<script>{data[:60]}")


def active_content(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    return finder.found


class Listener:
    """A TCP socket on loopback that accepts and counts connections (and closes them)."""

    def __init__(self, host: str = "127.0.0.1"):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family)
        self.socket.bind((host, 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.connections: list = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, address = self.socket.accept()
            except OSError:
                return
            self.connections.append(address)
            connection.close()

    def close(self):
        self.socket.close()
