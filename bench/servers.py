"""Starting, loading and stopping the servers under test, on 127.0.0.1 only.

Each server runs in its own process group (start_new_session), so stopping it stops
its workers too; `stop` signals only the group of a process this module started.
Logs go to files beside the results.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
SERVER_NAMES = ("chipkg", "oxigraph", "rdflib-endpoint")
LAUNCHED: list["Server"] = []       # every server started, until stopped (see run.py)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def tool(name: str) -> str | None:
    """An executable next to this Python first (the venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


@dataclass
class Server:
    name: str
    path: str                          # the SPARQL query endpoint's path
    port: int = 0
    process: subprocess.Popen | None = None
    startup_seconds: float = 0.0       # process start until it answers, data loaded
    notes: list[str] = field(default_factory=list)
    restart: Callable[[], "Server"] | None = None   # starts the same server again

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"

    def query_target(self, query: str) -> str:
        return f"{self.path}?{urllib.parse.urlencode({'query': query})}"

    def rss_mb(self) -> float | None:
        """Resident memory of the server process and all its descendants."""
        if not self.process:
            return None
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry.name))
        total, todo = 0, [self.process.pid]
        while todo:
            pid = todo.pop()
            todo += children.get(pid, [])
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        group = self.process.pid            # the process group this module created
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def _launch(server: Server, argv: list[str], log: Path, env: dict | None = None) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "ab")
    server.process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True,
                                      env={**os.environ, **(env or {})})
    LAUNCHED.append(server)
    out.close()


def _wait_until(server: Server, target: str, deadline: float, want=(200,)) -> None:
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with code {server.process.returncode} "
                               "during start-up (see its log)")
        try:
            conn = http.client.HTTPConnection(HOST, server.port, timeout=30)
            conn.request("GET", target)
            status = conn.getresponse().status
            conn.close()
            if status in want:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{server.name} not ready after start-up timeout")
        time.sleep(0.2)


def start_chipkg(data: Path, sources: Path, logs: Path, timeout_s: float, startup_timeout: float,
                 extra: list[str], workers: int) -> Server:
    server = Server("chipkg", "/sparql", free_port())
    chipkg = tool("chipkg")
    argv = [chipkg, "serve", "--data", str(data), "--no-default-graph", "--host", HOST,
            "--port", str(server.port), "--workers", str(workers), "--timeout", str(int(timeout_s))]
    help_text = subprocess.run([chipkg, "serve", "--help"], capture_output=True, text=True).stdout
    if "--sources" in help_text:
        argv += ["--sources", str(sources)]
    argv += extra
    server.notes.append(" ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv)))
    began = time.monotonic()
    _launch(server, argv, logs / "chipkg.log", {"CHIPKG_SOURCES": str(sources)})
    _wait_until(server, "/-/health", began + startup_timeout)
    server.startup_seconds = time.monotonic() - began
    return server


def start_oxigraph(data: Path, logs: Path, startup_timeout: float) -> Server:
    # No --timeout-s: with it, oxigraph serve 0.5 starts a thread per query and, at a few
    # thousand ASK {} per second from 8 clients, fails to create them (os error 11), answers
    # 500 and then dies ("failed to set up alternative stack guard page"). Without it, a query
    # the client gives up on keeps running, so run.py restarts the server after a timeout.
    server = Server("oxigraph", "/query", free_port())
    argv = [tool("oxigraph"), "serve", "--bind", f"{HOST}:{server.port}", "--union-default-graph"]
    server.notes.append("oxigraph serve (in memory) --union-default-graph; data POSTed to /store")
    began = time.monotonic()
    _launch(server, argv, logs / "oxigraph.log")
    _wait_until(server, server.query_target("ASK {}"), began + 60)
    with open(data, "rb") as body:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=startup_timeout)
        conn.request("POST", "/store", body=body,
                     headers={"Content-Type": "application/n-quads",
                              "Content-Length": str(data.stat().st_size)})
        response = conn.getresponse()
        response.read()
        conn.close()
    if response.status not in (200, 201, 204):
        raise RuntimeError(f"oxigraph refused the data: HTTP {response.status}")
    server.startup_seconds = time.monotonic() - began
    return server


def start_rdflib_endpoint(data: Path, logs: Path, startup_timeout: float) -> Server:
    server = Server("rdflib-endpoint", "/", free_port())
    argv = [tool("rdflib-endpoint"), "serve", str(data), "--host", HOST, "--port", str(server.port)]
    server.notes.append("rdflib-endpoint serve FILE (rdflib memory store, default union)")
    began = time.monotonic()
    _launch(server, argv, logs / "rdflib-endpoint.log")
    _wait_until(server, server.query_target("ASK {}"), began + startup_timeout)
    server.startup_seconds = time.monotonic() - began
    return server


def chipkg_serve_available() -> bool:
    chipkg = tool("chipkg")
    if not chipkg:
        return False
    done = subprocess.run([chipkg, "serve", "--help"], capture_output=True, text=True)
    return done.returncode == 0
