"""Short queries first: a query that has used QUERY_DEMOTE_AFTER_CPU_SECONDS of CPU is long.

Measured with bench/load.py: runaway queries (each burning a core until the timeout) made
every short query wait for the CPU and took the query slots short queries need, so a few
hostile requests raised everyone's latency and got normal requests 503 "busy". A long query
therefore

* drops to nice 19 (`demote`): Linux schedules threads separately and lets a process lower a
  thread's priority, not raise it back, so a demoted thread ends with its query instead of
  returning to the engine's pool. Where the call is not available, nothing changes;
* moves from the short lane to the long lane (`Lanes.promote`), so the slots short queries
  use stay free for them; when the long lane is full it stays where it is.

The measure is the query thread's own CPU time, not the time since it started: under load a
short query waits for the CPU, and by the clock it would look long and be demoted behind
the very queries that made it wait (a feedback queue, as an OS scheduler keeps one).
"""

import ctypes
import os
import threading
import time

LOWEST = 19


def current_thread_id() -> int | None:
    return threading.get_native_id()


def thread_cpu_clock():
    """A function giving the CPU seconds the calling thread has used since this call; it may
    be called from any thread while this one lives (None where threads have no CPU clocks)."""
    try:
        clock = time.pthread_getcpuclockid(threading.get_ident())
        start = time.clock_gettime(clock)
    except (AttributeError, OSError):
        return None
    return lambda: time.clock_gettime(clock) - start


def process_cpu_clock(pid: int) -> int | None:
    """The clock id of process `pid`'s CPU time (clock_getcpuclockid), read with
    time.clock_gettime to the nanosecond; None where there is none. /proc/<pid>/stat counts
    in ticks of 10 ms, too coarse to notice a runaway in its first few milliseconds."""
    try:
        clock = ctypes.c_int()
        if ctypes.CDLL(None).clock_getcpuclockid(pid, ctypes.byref(clock)) != 0:
            return None
        time.clock_gettime(clock.value)
    except (AttributeError, OSError):
        return None
    return clock.value


def demote(thread_id: int | None) -> bool:
    """Give the thread the lowest nice value; False if the system cannot.

    Not SCHED_IDLE, though it gave short queries a slightly better p95 in bench/load.py: a
    thread that never gets a core while the machine is busy may hold the interpreter lock (a
    long query rendering its rows in Python), and then every thread of its worker waits for it;
    at nice 19 it still gets a slice now and then and lets go."""
    if thread_id is None or not hasattr(os, "setpriority"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, thread_id, LOWEST)
    except OSError:
        return False
    return True


def idle(thread_id: int) -> bool:
    """SCHED_IDLE for a thread that shares no lock with the serving threads (a query process's,
    server/protocol/isolation.py): it runs only on a core nothing else wants, and any serving
    thread that wakes takes the core from it at once. False if the system cannot."""
    try:
        os.sched_setscheduler(thread_id, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        return False
    return True


class Lanes:
    """The query slots of one process: `short` for queries until they are found long, then
    `long` for those moved there. A query enters the short lane (waiting up to `wait` seconds
    for a slot) and leaves from the lane it is in."""

    def __init__(self, short: int, long: int, wait: float):
        self._short = threading.BoundedSemaphore(short)
        self._long = threading.BoundedSemaphore(long) if long > 0 else None
        self._wait = wait

    def enter(self) -> bool:
        return (self._short.acquire(timeout=self._wait) if self._wait > 0
                else self._short.acquire(blocking=False))

    def promote(self) -> bool:
        """Move one query from the short lane to the long lane, if the long lane has room."""
        if self._long is None or not self._long.acquire(blocking=False):
            return False
        self._short.release()
        return True

    def leave(self, long: bool) -> None:
        (self._long if long else self._short).release()
