"""End-to-end tests: the real site (gunicorn + the task worker) on a fresh database, driven by headless Chromium.

The site is set up the way `make run` sets it up (migrate, import_regions, load_demo, collectstatic), once per
test run: each pytest-xdist worker's site starts from its own copy of it (a temporary SQLite file, or a
`fawang_e2e_<worker>` PostgreSQL database made from a template when the suite runs on PostgreSQL), so these tests
see what a user of a fresh deployment sees.

The site's clock is pinned: the server, the task worker and every management command run under libfaketime
(Debian's libfaketime, installed by bin/system-deps) with one offset that makes their local time today 10:00
Asia/Shanghai when the first site is set up, moving on from there. So a test that needs the working day ahead of it (extra
hours today, a check-in on the day of the slot) runs the same at 23:50 as at noon; ``Site.now()`` is the site's
time. The browser keeps the real clock; no page reads it.

Management commands (the set-up's, and ``Site.manage``) are run by one process per site that has set Django up
once and forks a child per command (fawang/testing/commands.py), and collectstatic's compressed output is kept across
runs while the static sources stay the same (``_collect_static``).
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fawang.testing.commands import Commands, process_env
from fawang.testing.migrated import copy_database, database_from_template, locked, server_url

ROOT = Path(__file__).resolve().parents[2]
# Debian's build of Chromium's headless shell (the browser Playwright's own headless mode runs): the same Chromium
# without the desktop browser around it, about 60% less CPU for the same pages than `chromium --headless`.
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# How `make run` sets a site up (prepare_site), with law search on a subset (seconds, not minutes): the 法律援助 and
# labour laws, the 民法典 with its interpretations, and their index in var/.
SET_UP = (
    ["migrate", "--no-input", "-v0"],
    ["import_regions", "35", "--quiet-progress"],
    ["load_demo"],
    [
        "import_laws",
        *("--only", "法律援助", "--only", "劳动合同法", "--only", "劳动法", "--only", "农民工工资"),
        *("--only", "民法典", "--quiet-progress"),
    ],
    ["build_law_index", "--quiet-progress"],
)
# collectstatic, the last step, compresses every static file (whitenoise: gzip and brotli), ~50 s of CPU, for the
# same output while the sources stay the same. Its output is kept here under the fingerprint of those sources that
# `make db` keeps beside its own (prepare_site.static_fingerprint: each file's path, size and modification time,
# and the storage), and a run whose sources match copies it instead.
STATIC_CACHE = ROOT / "var" / "e2e-static"
FINGERPRINT = "from fawang.portal.management.commands.prepare_site import static_fingerprint; print(static_fingerprint())"


def _step(commands: Commands, *args: str) -> None:
    try:
        commands.run(*args)
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"站点准备失败：{exc.cmd}\n{exc.stderr}") from exc


def _collect_static(commands: Commands, static_root: Path) -> None:
    """The site's collected static files in ``static_root``: collectstatic's output, or a copy of it kept from
    an earlier run with the same static sources."""
    fingerprint = commands.run("shell", "-c", FINGERPRINT).split()[-1]
    STATIC_CACHE.mkdir(parents=True, exist_ok=True)
    with locked(STATIC_CACHE, "lock"):
        kept = STATIC_CACHE / fingerprint
        if not (kept / "staticfiles.json").exists():
            _step(commands, "collectstatic", "--no-input", "-v0")
            part = kept.with_name(kept.name + ".part")  # whole or not at all: renamed once copied
            shutil.rmtree(part, ignore_errors=True)
            shutil.copytree(static_root, part)
            part.rename(kept)
        else:
            shutil.copytree(kept, static_root, dirs_exist_ok=True)
        for other in STATIC_CACHE.iterdir():  # one kept: the sources' current state
            if other.is_dir() and other != kept:
                shutil.rmtree(other, ignore_errors=True)


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def _site_env(database_url: str, var: Path, clock: dict[str, str]) -> dict[str, str]:
    return process_env(
        {
            "DATABASE_URL": database_url,
            "FAWANG_VAR_DIR": str(var),
            "FAWANG_TESTING": "0",
            "FAWANG_DEMO": "1",  # as `make run` sets it
            "SESSION_IDLE_MINUTES": "60",
            **clock,
        }
    )


def _set_up_once(shared: Path, migrated: Path | str) -> dict[str, Any]:
    """The site's database and var/ (keys, law index, static files), set up once per test run however many
    pytest-xdist workers start a site: the first to come builds them under ``shared`` (a PostgreSQL run: into a
    template database) while the others wait on a lock; each then starts from a copy. All share the builder's
    clock offset, so the demo's times stay in the past of every site's clock."""
    with locked(shared, "e2e-site.lock"):
        ready = shared / "e2e-site.json"
        if ready.exists():
            return dict(json.loads(ready.read_text()))
        build = shared / "e2e-site"
        build.mkdir(exist_ok=True)
        if _on_postgres():
            template = f"{os.environ.get('FAWANG_TEST_DB', 'fawang')}_e2e_template"
            # The run's migrated template database (fawang/testing/migrated.py): the migrate below finds it up
            # to date.
            assert isinstance(migrated, str)
            url = database_from_template(server_url(), template, migrated)
        else:
            # The run's migrated database (conftest.py's migrated_sqlite): the migrate below finds it up to date.
            assert isinstance(migrated, Path)
            copy_database(migrated, build / "e2e.sqlite3")
            template, url = "", f"sqlite:///{build / 'e2e.sqlite3'}"
        offset, clock = _clock(dt.datetime.now(dt.UTC))
        commands = Commands(_site_env(url, build / "var", clock))
        try:
            for args in SET_UP:
                _step(commands, *args)
            _collect_static(commands, build / "var" / "static")
        finally:
            commands.close()
        built = {"offset": offset, "clock": clock, "template": template, "dir": str(build)}
        ready.write_text(json.dumps(built))
        return built


def _copy_of(built: dict[str, Any], tmp: Path, shared: Path) -> str:
    """This worker's own copy of the built site: var/ copied, the database copied (SQLite's backup) or made from the
    template (PostgreSQL); its URL."""
    build = Path(built["dir"])
    shutil.copytree(build / "var", tmp / "var", symlinks=True)
    if not built["template"]:
        copy_database(build / "e2e.sqlite3", tmp / "e2e.sqlite3")
        return f"sqlite:///{tmp / 'e2e.sqlite3'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{os.environ.get('FAWANG_TEST_DB', 'fawang')}_e2e_{worker}"
    with locked(shared, "e2e-site.lock"):  # one copy of the template at a time
        return database_from_template(server_url(), name, built["template"])


SHANGHAI = ZoneInfo("Asia/Shanghai")
SITE_HOUR = 10  # the site's local time when it starts


def _clock(now: dt.datetime) -> tuple[int, dict[str, str]]:
    """The offset in seconds that makes ``now`` today's SITE_HOUR:00 in Shanghai, and the environment that applies
    it to a process (the multi-threaded libfaketime, for gunicorn's threads). Monotonic time is faked as well:
    with it left real, libfaketime hands Python's sleeps an absolute deadline it cannot keep (EINVAL)."""
    libraries = sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1"))
    if not libraries:
        pytest.fail("没有找到 libfaketime：请运行 make system-deps（make test 会自动安装）。")
    local = now.astimezone(SHANGHAI)
    offset = round((local.replace(hour=SITE_HOUR, minute=0, second=0, microsecond=0) - local).total_seconds())
    return offset, {
        "LD_PRELOAD": libraries[0],
        "FAKETIME": f"{offset:+d}",
    }


class Site:
    def __init__(self, url: str, env: dict[str, str], offset: int, commands: Commands) -> None:
        self.url = url
        self.env = env
        self.offset = offset
        self.commands = commands

    def now(self) -> dt.datetime:
        """The site's time (aware, Asia/Shanghai): the real time moved by the site's clock offset."""
        return dt.datetime.now(SHANGHAI) + dt.timedelta(seconds=self.offset)

    def manage(self, *args: str) -> str:
        """Run a management command against the site's database (for checks a user cannot make in a browser)."""
        return self.commands.run(*args)


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest, run_dir: Path) -> Iterator[Site]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"没有找到 {CHROMIUM}：请运行 make system-deps（make test 会自动安装）。")
    # The run's migrated database (conftest.py): a template database on PostgreSQL, a file on SQLite.
    migrated: Path | str = request.getfixturevalue(
        "migrated_postgres" if _on_postgres() else "migrated_sqlite"
    )
    shared = run_dir  # the run's temporary directory, which its pytest-xdist workers share
    built = _set_up_once(shared, migrated)
    with tempfile.TemporaryDirectory(prefix="fawang-e2e-") as tmp_name:
        tmp = Path(tmp_name)
        env = _site_env(_copy_of(built, tmp, shared), tmp / "var", built["clock"])
        offset = int(built["offset"])
        py = [sys.executable, str(ROOT / "manage.py")]
        port = _free_port()
        log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed after the server stops
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "fawang.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                # The application is loaded once, in the master, before it forks the two workers (as bin/serve's
                # workers each load it: ~1.7 s of CPU apiece).
                "--preload",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            [*py, "db_worker", "--no-startup-delay", "--skip-checks"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        commands = Commands(env)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError("站点未能启动：\n" + (tmp / "server.log").read_text()[-3000:])
            yield Site(url, env, offset, commands)
        finally:
            commands.close()
            for proc in (server, worker):
                proc.terminate()
            for proc in (server, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            log.close()


class _Chromium:
    """One Chromium for each stretch of end-to-end tests a process runs in a row (not one per module: a launch and
    Playwright's driver cost about a second of CPU), stopped before the process runs any other test: Playwright's
    sync API keeps an event loop running in the worker's main thread while it is open, and a Django test that the
    same pytest-xdist worker runs afterwards then fails with SynchronousOnlyOperation (seen when --dist loadfile
    sent an e2e module before other modules). Every test still starts from fresh browser contexts, and those it
    opened are closed when it ends (``browser``)."""

    def __init__(self) -> None:
        self.playwright: Any = None
        self.browser: Any = None

    def get(self) -> Any:
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        return self.browser

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.playwright.stop()
            self.browser = self.playwright = None


_CHROMIUM = _Chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the test's own teardown: Chromium stops when the next test is not an end-to-end one (or none)."""
    try:
        return (yield)
    finally:
        if nextitem is None or Path(__file__).parent not in Path(nextitem.path).parents:
            _CHROMIUM.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    """The running Chromium; the browser contexts the test opens on it are closed when it ends (a page left
    polling the site would go on costing CPU in the tests after it)."""
    b = _CHROMIUM.get()
    before = set(b.contexts)
    yield b
    for context in b.contexts:
        if context not in before:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test, desktop-sized."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized browser context (the public portal and the WeChat H5 are used on phones)."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(30000)
    pg = context.new_page()
    yield pg
    context.close()


def new_page(browser: Any, *, mobile: bool = False) -> Any:
    """A page in its own browser context (its own cookies), for tests with several people at once."""
    size = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = browser.new_context(locale="zh-CN", viewport=size, is_mobile=mobile, has_touch=mobile)
    context.set_default_timeout(30000)
    return context.new_page()


def sign_in(page: Any, site: Site, username: str, password: str = "fawang-demo-2026") -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(
        lambda url: "/console/" in url or "/accounts/login/verify/" in url or "/accounts/password/" in url
    )
    if "/accounts/password/" in page.url:
        # A new account's first sign-in: the password the administrator set is replaced first.
        page.get_by_label(re.compile("^原密码")).fill(password)
        page.get_by_label(re.compile("^新密码")).fill(f"{password}-own")
        page.get_by_label(re.compile("^再次输入新密码")).fill(f"{password}-own")
        page.get_by_role("button", name="修改密码").click()
        page.wait_for_url(lambda url: "/accounts/password/" not in url)
        return
    # Supervisors and administrators sign in with a second factor; the demo shows their current code (README). A
    # code used once is refused after (fawang/accounts/tests/test_second_factor.py), and on the worker's shared site
    # the demo account's earlier sign-ins were other tests': with none left to show, the step they used is forgotten,
    # as on a site of this test's own, rather than waiting for the site's clock to reach an unused step (up to 30 s
    # a sign-in: a run signs sm_supervisor in eight times, most of them a whole step after the one before).
    for _attempt in range(4):
        if "/accounts/login/verify/" not in page.url:
            break
        shown = page.locator("[data-demo-code]")
        if shown.count():
            page.get_by_role("textbox", name="动态口令").fill(shown.inner_text())
            # The answer is the next page (the console, or this form again with an error): wait for it, not for
            # the load state of the page being left, which would read the old form's URL and code again.
            with page.expect_navigation():
                page.get_by_role("button", name="验证并登录").click()
        else:
            site.manage(
                "shell",
                "-c",
                "from fawang.accounts.models import User; "
                f"User.objects.filter(username={username!r}).update(totp_last_step=None)",
            )
            page.reload()
    page.wait_for_url(f"{site.url}/console/**")
