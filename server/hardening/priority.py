"""Long queries yield the CPU to short ones: a query thread still running after
QUERY_DEMOTE_AFTER_SECONDS is lowered to nice 19.

Measured with bench/load.py: runaway queries (each burning a core until the timeout) made
every short query wait for the CPU, so a few hostile requests raised everyone's latency. Linux
schedules threads separately and lets a process lower a thread's priority, not raise it
back, so a demoted thread ends with its query instead of returning to the engine's pool.
Where the call is not available, nothing changes.
"""

import os
import threading

LOWEST = 19


def current_thread_id() -> int | None:
    return threading.get_native_id()


def demote(thread_id: int | None) -> bool:
    """Give the thread the lowest CPU priority; False if the system cannot."""
    if thread_id is None or not hasattr(os, "setpriority"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, thread_id, LOWEST)
    except OSError:
        return False
    return True
