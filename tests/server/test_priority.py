"""A query still running after QUERY_DEMOTE_AFTER_SECONDS runs at nice 19, and its thread
ends with it (a thread's priority cannot be raised back); short queries keep nice 0."""

import threading
import time
from pathlib import Path

from chipkg.server import create_app

from endpoint_helpers import SLOW


def nice_of(thread_id: int) -> int:
    fields = Path(f"/proc/self/task/{thread_id}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])


def test_long_query_is_demoted_and_its_thread_retires(shipped):
    app = create_app({"QUERY_DEMOTE_AFTER_SECONDS": 0.2, "QUERY_TIMEOUT_SECONDS": 30}, shipped)
    engine = app.extensions["chipkg"].ready().engine
    client = app.test_client()
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    query_threads = lambda: {t.native_id for t in threading.enumerate() if t.name == "chipkg-query"}
    short = query_threads()
    assert short and all(nice_of(t) == 0 for t in short)
    seen = {}
    runner = threading.Thread(target=lambda: seen.update(status=client.get(
        "/sparql", query_string={"query": SLOW}).status_code))
    runner.start()
    time.sleep(0.6)
    demoted = {t for t in query_threads() if nice_of(t) == 19}
    runner.join(60)
    assert seen["status"] == 200
    assert len(demoted) == 1
    time.sleep(0.2)
    assert not demoted & query_threads()                # it ended with its query
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    assert all(nice_of(t) == 0 for t in query_threads())
    assert engine.demote_after == 0.2
