"""End to end in headless Chromium: `assay serve` on a free port, sign in, overview, drill down to a
failing resource, filter, diff. Screenshots go to the test's tmp dir (and to $ASSAY_SCREENSHOTS if set)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORDS, copy_store
from tests.web.seed import SANDBOX

CHROMIUM = "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("e2e-store")
    copy_store(template, path).close()
    port = free_port()
    env = {**os.environ, "ASSAY_WEB_SECRET": "e2e-signing-secret"}
    proc = subprocess.Popen([sys.executable, "-m", "assay", "serve", "--port", str(port),
                             "--db", f"sqlite:///{path / 'assay.db'}"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/login", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read() if proc.stdout else ""
                    raise RuntimeError(f"assay serve did not start: {out}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture()
def shots(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    yield folder
    keep = os.environ.get("ASSAY_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for png in folder.glob("*.png"):
            shutil.copy2(png, Path(keep) / png.name)


def test_sign_in_drill_down_filter_and_diff(server: str, browser: Browser, shots: Path) -> None:
    page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # Signed out, any page leads to the sign-in form.
    page.goto(server + "/criteria/CC6.1")
    expect(page).to_have_url(f"{server}/login?next=%2Fcriteria%2FCC6.1")
    page.fill("#username", "viewer")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Wrong user name or password")
    page.fill("#username", "viewer")
    page.fill("#password", PASSWORDS["viewer"])
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server}/criteria/CC6.1")

    # The overview: completeness first, categories, the 61 criteria.
    page.goto(server + "/")
    expect(page.locator("main .banner").first).to_contain_text("COMPLETE scan #3")
    expect(page.locator(".tile")).to_have_count(61)
    page.screenshot(path=str(shots / "1-overview.png"), full_page=True)

    # Click 1: the failing criterion's tile; its failing resources are listed at once.
    page.click("a.tile[href^='/criteria/CC6.1?']")
    expect(page.locator("h1")).to_contain_text("CC6.1")
    rows = page.locator("table.findings tbody tr")
    expect(rows).to_have_count(5)
    page.screenshot(path=str(shots / "2-criterion.png"), full_page=True)

    # Click 2: one failing resource, with why it fails and how to fix it.
    page.click("table.findings tbody tr >> nth=0 >> a[href^='/findings/']")
    expect(page.locator("h2", has_text="How to fix it")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("prod-public")
    page.screenshot(path=str(shots / "3-failing-resource.png"), full_page=True)

    # Filter: the resource search, narrowed by a select (applied on change by assay.js).
    page.click("nav >> text=Resources")
    page.select_option("select[name=status]", "fail")
    expect(page).to_have_url(re.compile(r"status=fail"))
    page.select_option("select[name=account]", SANDBOX)
    expect(page).to_have_url(re.compile(f"account={SANDBOX}"))
    expect(page.locator("table.findings tbody tr")).to_have_count(1)
    expect(page.locator("table.findings")).to_contain_text("sbx-norotate")
    page.screenshot(path=str(shots / "4-filtered.png"), full_page=True)

    # Diff: pick two scans, compare, look at what was resolved.
    page.click("nav >> text=Diff")
    page.select_option("select[name=old]", "1")
    page.select_option("select[name=new]", "3")
    page.click("#diff-form button[type=submit]")
    expect(page.locator(".tabs")).to_contain_text("New failures (1)")
    page.click(".tabs >> text=Resolved")
    expect(page.locator("table.diff")).to_contain_text("prod-norotate")
    page.screenshot(path=str(shots / "5-diff.png"), full_page=True)

    # Sign out: the session is gone.
    page.click("header button[type=submit]")
    expect(page).to_have_url(f"{server}/login")
    page.goto(server + "/")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    expected = "the server responded with a status of 401"  # the wrong password, on purpose
    assert [p for p in problems if expected not in p] == [], problems  # no CSP violation, no script error
    assert all(url.startswith(server) for url in requests), "every asset is served locally"
    assert len(list(shots.glob("*.png"))) == 5
