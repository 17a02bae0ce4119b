"""Progress of a long validation: shown on a terminal, silent in CI logs.

A run of a million triples takes seconds; on a terminal each phase prints one
line with its time, so a wait is explained. When stderr is not a terminal, or
CI=true, nothing is printed (CI logs stay the report), unless
CHIPKG_PROGRESS=1 asks for it (CHIPKG_PROGRESS=0 silences a terminal).
"""

import os
import sys
import time
from contextlib import contextmanager


class Progress:
    def __init__(self, enabled: bool, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()

    @classmethod
    def quiet(cls) -> "Progress":
        return cls(False)

    @classmethod
    def for_terminal(cls, stream=None) -> "Progress":
        stream = stream or sys.stderr
        wanted = os.environ.get("CHIPKG_PROGRESS")
        if wanted in ("0", "1"):
            return cls(wanted == "1", stream)
        in_ci = os.environ.get("CI", "").lower() in ("true", "1")
        return cls(not in_ci and stream.isatty(), stream)

    def say(self, text: str) -> None:
        if self.enabled:
            print(f"chipkg: [{time.monotonic() - self.started:6.1f} s] {text}", file=self.stream,
                  flush=True)

    @contextmanager
    def phase(self, name: str):
        begun = time.monotonic()
        self.say(f"{name} ...")
        yield
        self.say(f"{name}: done in {time.monotonic() - begun:.1f} s")
