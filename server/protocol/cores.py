"""Long queries take turns on LONG_QUERY_CORES cores, so short ones always find a core free.

Measured with bench/load.py (2 cores, 16 clients, runaway queries as 10% of requests):
demoted to SCHED_IDLE, the runaways still kept both cores busy until their timeout, and
normal requests were 3.7-4.3x slower at p95 than alone. The time went before Flask saw the
request (gunicorn's accept) and into each thread handoff of a page: a waking thread finds
every core taken by idle-class work, and often waits a scheduler tick for one. With the
runaways stopped once found long, the same run gave 2.0x. So a query process found long
(`Engine._wait`) is stopped (SIGSTOP) and runs only while it holds one of the slots, for
QUANTUM seconds at a time, then stops again and lets another long query have the slot.

The slots are shared by every worker of a `chipkg serve`: each is a file locked with flock(),
made by the gunicorn master before it forks and unlinked at once (nothing is left on disk).
A worker takes a slot by opening the file again through /proc/self/fd, which gives it an
open file of its own to lock. A lock belongs to its open file, so the kernel releases the
slot when its worker dies, and no crash can leave a slot taken.
"""

import fcntl
import os
import tempfile
import time


def default_slots() -> int:
    """Every core but one, and at least one."""
    return max(1, len(os.sched_getaffinity(0)) - 1)


class Cores:
    QUANTUM = 0.2       # seconds a long query runs before another may have its slot
    POLL = 0.01         # how often a stopped long query looks for a free slot

    def __init__(self, slots: int):
        """Raises OSError where slots cannot be made (no temporary folder, no /proc)."""
        self._files = []
        for _ in range(slots):
            handle, name = tempfile.mkstemp(prefix="chipkg-core-")
            os.unlink(name)
            self._files.append(handle)
            os.close(os.open(f"/proc/self/fd/{handle}", os.O_RDONLY | os.O_CLOEXEC))

    def take(self) -> int | None:
        """A locked descriptor for a free slot (close it to give the slot back), or None."""
        for handle in self._files:
            mine = os.open(f"/proc/self/fd/{handle}", os.O_RDONLY | os.O_CLOEXEC)
            try:
                fcntl.flock(mine, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(mine)
                continue
            return mine
        return None

    def share(self, evaluator, done, deadline: float, stop=lambda: False) -> None:
        """Run the long query of `evaluator` in turns until `done` (an Event) is set, the
        deadline passes or `stop()` is true; it is stopped whenever it holds no slot."""
        evaluator.pause()
        while not done.is_set() and not stop():
            left = deadline - time.perf_counter()
            if left <= 0:
                return
            slot = self.take()
            if slot is None:
                done.wait(min(self.POLL, left))
                continue
            try:
                evaluator.resume()
                if not done.wait(min(self.QUANTUM, left)):
                    evaluator.pause()
            finally:
                os.close(slot)
            if not done.is_set():       # a moment for a waiting query to take the slot
                done.wait(min(self.POLL, max(0.0, deadline - time.perf_counter())))
