"""Fixtures of the browser tests: a real `chipkg serve`, Debian's Chromium, screenshots.

    base_url     http://127.0.0.1:PORT of a `chipkg serve` subprocess on a free port, serving
                 the shipped graph (session); its whole process group is stopped at the end
    fictional_url  the same, serving the shipped graph plus the compiled fictional articles
    page         a Playwright sync Page in /usr/bin/chromium, fresh context per test
    screenshot   screenshot(name) saves build/screenshots/<name>.png of the current page
                 (full_page=False for the viewport, of=another page or an element)

Playwright drives the system's Chromium through `executable_path`; nothing is
downloaded (`playwright install` is never run). A missing Chromium fails the tests
with the Debian package to install, never skips them.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_SECONDS = 120         # validation of the shipped graph with quotes, on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/-/health", timeout=2) as response:
            return response.status == 200 and json.load(response)["status"] == "ready"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _stop(process: subprocess.Popen) -> None:
    """Stop gunicorn's master and workers together: they share the process group."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _serve(tmp_path_factory, *arguments: str):
    """Run `chipkg serve ARGUMENTS` on a free port until it is healthy; yield its URL."""
    chipkg = Path(sys.executable).parent / "chipkg"
    assert chipkg.is_file(), f"{chipkg} not found: run scripts/setup test"
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen([str(chipkg), "serve", "--port", str(port), "--workers", "1", *arguments],
                                   cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"chipkg serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"chipkg serve not healthy after {START_SECONDS} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> str:
    yield from _serve(tmp_path_factory)


@pytest.fixture(scope="session")
def fictional_url(tmp_path_factory, sources) -> str:
    """The shipped graph plus the fictional articles of tests/fixtures, compiled by
    `chipkg compile`: claims with several attestations, one of them in conflict."""
    import shutil
    folder = tmp_path_factory.mktemp("fictional")
    shutil.copytree(ROOT / "tests" / "fixtures" / "sources", folder / "sources")
    for text in sources.glob("*.txt"):
        shutil.copy(text, folder / "sources")
    chipkg = Path(sys.executable).parent / "chipkg"
    done = subprocess.run([str(chipkg), "compile", str(ROOT / "tests" / "fixtures" / "claims"),
                           "--sources", str(folder / "sources"), "--output-dir", str(folder / "kg")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = [arg for trig in sorted((folder / "kg").glob("*.trig")) for arg in ("--data", str(trig))]
    yield from _serve(tmp_path_factory, *data, "--sources", str(folder / "sources"))


@pytest.fixture(scope="session")
def _browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: install the Debian package 'chromium' "
                    "(scripts/debian-packages installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_browser):
    context = _browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, *, full_page: bool = True, of=None) -> Path:
        """Save the page (or `of`, another page or an element) as build/screenshots/<name>.png."""
        path = SCREENSHOTS / f"{name}.png"
        target = of if of is not None else page
        if hasattr(target, "goto"):
            target.screenshot(path=str(path), full_page=full_page)
        else:
            target.screenshot(path=str(path))
        return path
    return take
