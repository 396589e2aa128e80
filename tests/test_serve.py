"""`tutor serve`: loopback by default, a warning elsewhere, one-line errors; and the real thing in a
headless Chromium driven by Playwright: the page loads, the home screen's first topic appears, keys
typed in the page open the topic and answer a question, and the answer is in the data dir.

The browser test needs Debian's ``chromium`` (the CI script installs it when missing) and the
``playwright`` package (the test extra); it skips, saying which is missing, only when there is none.
Its screenshots are kept in tests/artifacts/ (not in git) for a person to look at."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.serve import app_command, is_loopback
from tutor.store import Store

TESTS = Path(__file__).resolve().parent
ARTIFACTS = TESTS / "artifacts"


@pytest.mark.parametrize("host,loop", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
                                       ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                       ("::", False), ("example.org", False)])
def test_loopback_hosts(host, loop):
    assert is_loopback(host) is loop


def test_the_app_command_is_quoted(tmp_path):
    class A:
        lang, data_dir, content = "ko", str(tmp_path / "my data; rm -rf x"), [str(tmp_path / "c d")]

    cmd = app_command(A)
    assert cmd.startswith(f"{sys.executable} -m tutor --lang ko --data-dir '")
    assert "'" + str(tmp_path / "my data; rm -rf x") + "'" in cmd and "--content '" in cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def no_serving(monkeypatch):
    """Server.serve replaced: what the command says before serving, without serving."""
    from textual_serve.server import Server

    calls = []
    monkeypatch.setattr(Server, "serve", lambda self, debug=False: calls.append((self.host, self.port)))
    return calls


def test_loopback_by_default_and_a_warning_elsewhere(tmp_path, capsys, no_serving):
    port = _free_port()
    assert main(["serve", "--port", str(port), "--data-dir", str(tmp_path), "--lang", "en"]) == 0
    assert no_serving == [("127.0.0.1", port)]
    assert "warning" not in capsys.readouterr().err
    assert main(["serve", "--host", "0.0.0.0", "--port", str(port), "--data-dir", str(tmp_path), "--lang", "ko"]) == 0
    err = capsys.readouterr().err
    assert "경고" in err and "0.0.0.0" in err and "--host 127.0.0.1" in err


def test_bad_ports_and_a_taken_port_are_one_line(tmp_path, capsys, no_serving):
    for port in ("0", "70000"):
        assert main(["serve", "--port", port, "--data-dir", str(tmp_path)]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert main(["serve", "--port", str(s.getsockname()[1]), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tutor serve: cannot listen on 127.0.0.1:") and len(err.strip().splitlines()) == 1
    assert no_serving == []


# ----------------------------------------------------------------------------- in a real browser

CONTENT = """
topic: webcheck
order: 1
title: {ko: 브라우저 점검, en: Browser check}
summary: {ko: 브라우저에서 답하기, en: Answering in a browser}
requires: []
source: []
cards:
  - id: webcheck.card
    title: {ko: 덧셈, en: Addition}
    body: {ko: "2 더하기 3 은 5 입니다.", en: "Two plus three is five."}
questions:
  - id: webcheck.q.sum
    kind: numeric
    prompt: {ko: "2 + 3 은?", en: "What is 2 + 3?"}
    answer: {value: 5}
    tolerance: {atol: 0.001}
    explain: {ko: "5 입니다.", en: "It is 5."}
"""

# Everything the app writes reaches the page through one websocket; the terminal draws it on a
# canvas, so the test reads the same stream the terminal reads (a wrapper records it).
RECORD = """
(() => {
  const Orig = window.WebSocket;
  const dec = new TextDecoder();
  window.__tutorOut = [];
  window.WebSocket = class extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        if (typeof d === 'string') window.__tutorOut.push(d);
        else if (d instanceof ArrayBuffer) window.__tutorOut.push(dec.decode(d));
        else if (d instanceof Blob) d.arrayBuffer().then((b) => window.__tutorOut.push(dec.decode(b)));
      });
    }
  };
})();
"""
WAIT_MS = 45_000   # each wait in the page (the machine may be busy)


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.slow
def test_the_tutor_in_a_real_browser(tmp_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright, in the test extra)")
    browser_path = _browser()
    if browser_path is None:
        pytest.skip("no Chromium found: install it with `apt-get install -y chromium` (.ci/run does when it can)")
    content = tmp_path / "content"
    content.mkdir()
    (content / "webcheck.yaml").write_text(CONTENT, encoding="utf-8")
    data = tmp_path / "data"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("TUTOR_DATA_DIR", "TUTOR_LANG")}
    env.update(TUTOR_NOW="2026-12-07T09:00", PYTHONPATH=os.pathsep.join(
        [str(TESTS.parent), env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    server = subprocess.Popen([sys.executable, "-m", "tutor", "--content", str(content), "serve", "--port", str(port),
                               "--data-dir", str(data), "--lang", "en"],
                              env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, f"tutor serve ended: {server.communicate(timeout=5)[1][-500:]}"
                assert time.monotonic() < deadline, "tutor serve did not listen within 30 s"
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, headless=True,
                                        args=["--no-sandbox", "--disable-gpu"], timeout=WAIT_MS)
            try:
                page = browser.new_page(viewport={"width": 1000, "height": 700})
                page.set_default_timeout(WAIT_MS)
                page.add_init_script(RECORD)
                page.goto(f"http://127.0.0.1:{port}/", timeout=WAIT_MS)
                assert "ML Tutor" in page.title() or page.title() == ""

                def shown_after(mark: int, text: str) -> int:
                    """Wait until ``text`` arrives after ``mark`` (characters received so far)."""
                    page.wait_for_function(
                        "([m, t]) => window.__tutorOut && window.__tutorOut.join('').slice(m).includes(t)",
                        arg=[mark, text], timeout=WAIT_MS)
                    return page.evaluate("() => window.__tutorOut.join('').length")

                mark = shown_after(0, "Browser check")          # the home screen's first topic
                page.screenshot(path=str(ARTIFACTS / "serve-home.png"))
                page.focus("textarea.xterm-helper-textarea")    # keys go to the terminal
                page.keyboard.press("Enter")                    # open the topic: its lesson
                mark = shown_after(mark, "Addition")
                page.keyboard.press("p")                        # practise: the question
                mark = shown_after(mark, "What is 2 + 3?")
                page.keyboard.type("5")
                page.keyboard.press("Enter")
                shown_after(mark, "Correct")
                page.screenshot(path=str(ARTIFACTS / "serve-answered.png"))
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate(timeout=5)
    with Store.open(data) as s:
        got = [(a["item_id"], a["answer"], a["correct"]) for a in s.attempts()]
    assert got == [("webcheck.q.sum", {"value": "5"}, True)]
    assert (ARTIFACTS / "serve-answered.png").stat().st_size > 10_000


@pytest.mark.parametrize("bind, browser_host", [("0.0.0.0", "192.168.1.5:8000"), ("127.0.0.1", "localhost:8123")])
def test_the_page_sends_the_browser_to_the_address_it_used(tmp_path, bind, browser_host):
    """With --host 0.0.0.0 the page's websocket URL is the address the browser typed, never ws://0.0.0.0."""
    import asyncio

    from aiohttp.test_utils import TestClient, TestServer

    from tutor.serve import make_server

    class A:
        lang, data_dir, content, port = "en", str(tmp_path), None, 8000

    server = make_server(A, bind)

    async def page() -> str:
        async with TestClient(TestServer(await server._make_app())) as client:
            resp = await client.get("/", headers={"Host": browser_host})
            assert resp.status == 200
            return await resp.text()

    html = asyncio.run(page())
    assert f"ws://{browser_host}/ws" in html
    assert "0.0.0.0" not in html


def test_a_wildcard_bind_prints_a_reachable_address():
    from tutor.serve import shown_url

    assert shown_url("0.0.0.0", 8000) == "http://localhost:8000"
    assert shown_url("::", 8000) == "http://localhost:8000"
    assert shown_url("::1", 9000) == "http://[::1]:9000"
    assert shown_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
