#!/usr/bin/env python3
"""The long fuzzing run of the HTTP layer: the CI test's strategies and invariant
(tests/server/fuzz_http.py), with many more examples. In process, bounded by --examples.

    .venv/bin/python bench/fuzz.py --examples 5000

Prints the number of examples run and any failing request (Hypothesis shrinks it first);
exit 1 on a failure.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "server"))

from hypothesis import given, settings  # noqa: E402

from fuzz_http import check, requests, send, tiny_app  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None)
    options = parser.parse_args()
    app = tiny_app()
    seen = {"n": 0, "statuses": {}}

    @settings(max_examples=options.examples, deadline=None, database=None)
    @given(requests(app))
    def run(request):
        response = send(app.test_client(), request)
        seen["n"] += 1
        seen["statuses"][response.status_code] = seen["statuses"].get(response.status_code, 0) + 1
        check(request, response)

    if options.seed is not None:
        from hypothesis import seed
        run = seed(options.seed)(run)
    began = time.monotonic()
    failed = False
    try:
        run()
    except AssertionError as error:
        failed = True
        print(f"FAILED: {error}", file=sys.stderr)
    healthy = app.test_client().get("/-/health").status_code == 200
    print(f"examples run: {seen['n']} in {time.monotonic() - began:.0f} s; statuses: "
          + ", ".join(f"{s}: {n}" for s, n in sorted(seen["statuses"].items()))
          + f"; healthy after: {healthy}")
    return 1 if failed or not healthy else 0


if __name__ == "__main__":
    sys.exit(main())
