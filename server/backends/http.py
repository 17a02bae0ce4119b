"""HTTP to an external store: one request helper with credentials, deadlines and clear failures.

Plain `http.client` rather than SPARQLWrapper: answers must be *streamed* (read
lazily by pyoxigraph's parsers and dropped after MAX_RESULT_ROWS, never held
whole), every read must respect one deadline for the whole answer (a socket
timeout alone restarts at each byte), and the adapter must choose the exact
request shape (form POSTs, repeated dataset parameters, Accept) that each store
understands. SPARQLWrapper reads the whole body and hides those choices.

Credentials never come from the command line: CHIPKG_STORE_USER and
CHIPKG_STORE_PASSWORD in the environment, else the netrc entry for the store's
host ($NETRC or ~/.netrc). They are sent only when the store's 401 asks,
with Digest if it asks for Digest (Virtuoso's `-auth` endpoints do), else Basic.
"""

import base64
import hashlib
import http.client
import netrc
import os
import re
import socket
import time
import urllib.parse
from dataclasses import dataclass

from ..errors import StoreUnreachable       # noqa: F401 (raised here, caught by callers)

# http.client refuses an answer with more than 100 header lines ("got more than 100
# headers"). Virtuoso echoes every default graph of the request as an
# `X-SPARQL-default-graph` header, so a dataset of more than about 100 source graphs
# (the 100k-triple synthetic graph has 292) could not be read at all. The limit is a
# module constant of http.client with no per-request setting; this process talks HTTP
# as a client only to stores, so it is raised here, once, for all of them.
STORE_MAX_HEADERS = 100_000
http.client._MAXHEADERS = max(http.client._MAXHEADERS, STORE_MAX_HEADERS)


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str


def credentials_for(url: str, environ=os.environ) -> Credentials | None:
    user, password = environ.get("CHIPKG_STORE_USER"), environ.get("CHIPKG_STORE_PASSWORD")
    if user is not None and password is not None:
        return Credentials(user, password)
    host = urllib.parse.urlsplit(url).hostname or ""
    path = environ.get("NETRC") or os.path.expanduser("~/.netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError):
        return None
    return Credentials(entry[0], entry[2] or "") if entry else None


class Deadline:
    """A point in time after which reading an answer stops."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()


class Readable:
    """The file interface pyoxigraph's parsers use, over a class's own `read`."""

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True


class Body(Readable):
    """A store's answer as a binary file for pyoxigraph: every read within the deadline."""

    def __init__(self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse,
                 deadline: Deadline, where: str):
        self.connection, self.response, self.deadline, self.where = connection, response, deadline, where

    def read(self, size: int = -1) -> bytes:
        left = self.deadline.left()
        if left <= 0:
            self.close()
            raise StoreUnreachable(f"{self.where} did not finish its answer within {self.deadline.seconds:g} s")
        try:
            if self.connection.sock is not None:
                self.connection.sock.settimeout(left)
            # read1: what has arrived (up to size), so a store that trickles meets the deadline
            data = self.response.read1(size if size is not None and size > 0 else 65536)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise StoreUnreachable(f"{self.where} broke off its answer: {error}") from None
        if not data or self.response.isclosed():
            self.close()
        return data

    def close(self) -> None:
        self.connection.close()

    def __del__(self):      # an answer dropped unread (cut at the row limit): free the socket
        self.connection.close()


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: Body

    def text(self, limit: int = 2000) -> str:
        return self.body.read(limit).decode("utf-8", "replace")


def request(method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
            timeout: float, credentials: Credentials | None = None) -> Reply:
    """Send one request; the reply's body streams. Raises StoreUnreachable if nothing comes back."""
    deadline = Deadline(timeout)
    headers = dict(headers or {})
    if credentials is not None and body is not None and len(body) > PREFLIGHT_BYTES:
        # A store that wants credentials may answer 401 and close the connection while a
        # large body is still being sent (Virtuoso did, past about 2 MB: "Connection reset
        # by peer"). Ask for the challenge with a bodiless HEAD first, then send once.
        probe = _send("HEAD", url, None, headers, deadline)
        probe.body.close()
        if probe.status == 401:
            headers["Authorization"] = _answer(credentials, probe.headers.get("WWW-Authenticate", ""),
                                               method, url)
    reply = _send(method, url, body, headers, deadline)
    challenge = reply.headers.get("WWW-Authenticate", "")
    # credentials only when asked for, in the scheme asked for (Virtuoso refuses a Digest
    # answer after an unasked-for Basic header)
    if reply.status == 401 and credentials is not None:
        reply.body.close()
        headers["Authorization"] = _answer(credentials, challenge, method, url)
        reply = _send(method, url, body, headers, deadline)
    return reply


PREFLIGHT_BYTES = 256 * 1024


def _answer(credentials: Credentials, challenge: str, method: str, url: str) -> str:
    return (_digest(credentials, challenge, method, url) if challenge.lower().startswith("digest")
            else _basic(credentials))


def _send(method, url, body, headers, deadline: Deadline) -> Reply:
    parts = urllib.parse.urlsplit(url)
    where = f"the store at {parts.scheme}://{parts.netloc}"
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=max(deadline.left(), 0.001))
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        reason = "timed out" if isinstance(error, (socket.timeout, TimeoutError)) else (
            getattr(error, "strerror", None) or str(error) or type(error).__name__)
        raise StoreUnreachable(f"{where} is not reachable: {reason}") from None
    return Reply(response.status, response.headers, Body(connection, response, deadline, where))


def _basic(credentials: Credentials) -> str:
    token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()
    return f"Basic {token}"


def _digest(credentials: Credentials, challenge: str, method: str, url: str) -> str:
    """RFC 7616 Digest (MD5, qop=auth), enough for stores that only take Digest."""
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge[len("digest"):]))
    parts = urllib.parse.urlsplit(url)
    uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731 (the scheme requires MD5)
    ha1 = md5(f"{credentials.user}:{fields.get('realm', '')}:{credentials.password}")
    ha2 = md5(f"{method}:{uri}")
    nonce, cnonce, count = fields.get("nonce", ""), os.urandom(8).hex(), "00000001"
    if "auth" in fields.get("qop", "").split(","):
        answer = md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        extra = f', qop=auth, nc={count}, cnonce="{cnonce}"'
    else:
        answer, extra = md5(f"{ha1}:{nonce}:{ha2}"), ""
    opaque = f', opaque="{fields["opaque"]}"' if "opaque" in fields else ""
    return (f'Digest username="{credentials.user}", realm="{fields.get("realm", "")}", nonce="{nonce}", '
            f'uri="{uri}", response="{answer}", algorithm=MD5{opaque}{extra}')
