"""Real processes for the fault and e2e tests: a `chipkg serve` on a free loopback port, and
a kill at a chosen moment. Reusable by any test (tests/ is on sys.path via its conftest):

    with Serve(["--data", path], env={...}) as server:      # waits for /-/health
        status, headers, body = server.get("/sparql?query=...")

    landed = kill_during(argv, lambda: any(target.parent.glob(".build.new-*")))

`kill_during` SIGKILLs a command the moment a condition on the file system holds (e.g. its
temporary output appeared) — the export and push commands can be tested the same way: kill
them mid-write, then check the previous output is still complete.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

CLI = [sys.executable, "-c", "from chipkg.cli import cli; cli()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(port: int, path: str, headers: dict | None = None, method: str = "GET",
             body: bytes | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def stat_fields(path: Path | str) -> list[str]:
    """The fields of a /proc stat file (`/proc/<pid>/stat`, `.../task/<tid>/stat`) after the
    command name: state, ppid, ...; OSError if the process or thread has gone."""
    return Path(path).read_text().rsplit(")", 1)[1].split()


def _stats() -> dict[int, list[str]]:
    """pid -> the fields of /proc/<pid>/stat after the command name (state, ppid, ...)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = stat_fields(entry / "stat")
            except OSError:
                pass
    return found


def _ticks(fields: list[str]) -> int:
    return int(fields[11]) + int(fields[12])                    # utime + stime


def children(pid: int) -> dict[int, int]:
    """Child pid -> CPU ticks used (user + system), from /proc."""
    return {child: _ticks(fields) for child, fields in _stats().items() if int(fields[1]) == pid}


def descendants(pid: int, stats: dict | None = None) -> list[int]:
    """Every process below `pid` (workers, and the query processes under them), from /proc."""
    parents: dict[int, list[int]] = {}
    for member, fields in (stats or _stats()).items():
        parents.setdefault(int(fields[1]), []).append(member)
    found, todo = [], list(parents.get(pid, []))
    while todo:
        member = todo.pop()
        found.append(member)
        todo.extend(parents.get(member, []))
    return found


def tree_busy_ticks(pid: int) -> int:
    """CPU ticks used so far by the live processes below `pid` (a process that ended no
    longer counts: the sum over a second shows whether anything is still computing)."""
    stats = _stats()
    return sum(_ticks(stats[member]) for member in descendants(pid, stats))


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and its descendants (pages they share counted once per
    process: see tree_pss_bytes)."""
    return _tree_sum(pid, "status", "VmRSS:")


def tree_pss_bytes(pid: int) -> int:
    """Proportional memory of a process tree: each shared page divided among its sharers, so
    forked copies of one loaded store count once, which RSS cannot tell."""
    return _tree_sum(pid, "smaps_rollup", "Pss:")


def _tree_sum(pid: int, table: str, key: str) -> int:
    total = 0
    for member in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{member}/{table}").read_text().splitlines():
                if line.startswith(key):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            pass
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used by a process tree: its live members and the children they reaped."""
    stats = _stats()
    total = sum(sum(int(f) for f in stats[member][11:15])      # utime, stime, cutime, cstime
                for member in [pid, *descendants(pid, stats)] if member in stats)
    return total / os.sysconf("SC_CLK_TCK")


class Serve:
    """`chipkg serve ARGS` on a free loopback port, its output in `log`; stopped on exit."""

    def __init__(self, args: list[str], env: dict | None = None, log: Path | None = None,
                 ready_seconds: float = 90):
        self.port = free_port()
        self.args = ["serve", "--port", str(self.port), *args]
        self.env = {**os.environ, **(env or {})}
        self.log = log or Path(os.environ.get("TMPDIR", "/tmp")) / f"chipkg-serve-{self.port}.log"
        self.ready_seconds = ready_seconds
        self.process: subprocess.Popen | None = None

    def start(self) -> "Serve":
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(CLI + self.args, stdout=out, stderr=subprocess.STDOUT,
                                            env=self.env, start_new_session=True)
        deadline = time.monotonic() + self.ready_seconds
        while True:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if self.get("/-/health")[0] == 200:
                    return self
            except OSError:
                pass
            assert time.monotonic() < deadline, "server not ready:\n" + self.log.read_text()
            time.sleep(0.2)

    def get(self, path: str, headers: dict | None = None, **options):
        return http_get(self.port, path, headers, **options)

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers) at once: a crash."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> "Serve":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def kill_during(argv: list[str], condition, timeout: float = 120, env: dict | None = None,
                cwd: Path | None = None) -> bool:
    """Run `argv`; SIGKILL it as soon as `condition()` is true. True if it was killed so
    (mid-write), False if it ended first."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})}, cwd=cwd)
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None:
            if condition():
                process.send_signal(signal.SIGKILL)
                process.wait(10)
                return True
            assert time.monotonic() < deadline, f"{argv} still running after {timeout} s"
            time.sleep(0.0005)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
