"""A JupyterLab on a temporary copy of the course, driven by Debian's chromium through playwright.

Used by tests/test_browser.py and tests/test_formgrader.py. The server listens on 127.0.0.1 with a token and its
own runtime, config and data folders, so it never touches the developer's JupyterLab; the news popup is switched off
because it covers outputs.
Kernels outlive the browser: every session is deleted when a notebook is closed.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from autograder import nbgrader_cli
from support.courses import REPO
from support.ports import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: `pip install -e .[test]`"
    return None


@contextlib.contextmanager
def chromium():
    """Debian's chromium, headless, through playwright (closed on exit)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def offline_page(browser, outside: list[str], **context_options):
    """A page in a new context of ``browser`` where every request that is not for a local file is aborted and its
    URL appended to ``outside``: a self-contained page must leave it empty."""
    context = browser.new_context(**context_options)
    context.route(lambda url: not url.startswith("file:"),
                  lambda route: (outside.append(route.request.url), route.abort()))
    return context.new_page()


# The course's Jupyter server configuration for its teacher (`make teacher-lab` puts it on JUPYTER_CONFIG_PATH).
TEACHER_CONFIG = REPO / "jupyter-config"


class Lab:
    """``Lab(root, home)``: JupyterLab serving ``root``; ``home`` holds its private folders. ``teacher``: with the
    course's server configuration for its teacher, as `make teacher-lab` starts it."""

    def __init__(self, root: Path, home: Path, env: dict[str, str] | None = None, teacher: bool = False):
        self.root, self.token = Path(root), "browser-test"
        self.env = nbgrader_cli.environment(env)     # the venv's bin first on PATH, as `make lab` does
        if teacher:
            self.env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
                p for p in (str(TEACHER_CONFIG), self.env.get("JUPYTER_CONFIG_PATH")) if p)
        for var in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR"):
            self.env[var] = str(home / var.lower())
        settings = Path(self.env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        self.port = free_port()
        self.log = open(home / "lab.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
             f"--port={self.port}", f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}"],
            cwd=self.root, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"JupyterLab did not start; see {home / 'lab.log'}")
            time.sleep(0.3)

    def url(self, path: str, **query) -> str:
        extra = "".join(f"&{k}" if v is True else f"&{k}={v}" for k, v in query.items())
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}?token={self.token}{extra}"

    def login(self, page) -> None:
        """Give the browser the server's login cookie for every path. nbgrader's formgrader pages accept the token
        in their URL but set the cookie only for their own folder, so a page opened straight at
        ``/formgrader/<page>/<x>?token=...`` loads but its API calls are redirected to /login (the page stays at
        "Loading, please wait...")."""
        page.goto(self.url("api/status"))

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("api/status"), timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def close_sessions(self) -> None:
        for session in self.api("api/sessions"):
            self.api(f"api/sessions/{session['id']}", method="DELETE")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def copy_course(src: Path, dest: Path) -> Path:
    """The parts of the course JupyterLab needs (never the developer's own working folders)."""
    dest.mkdir(parents=True)
    shutil.copy2(src / "nbgrader_config.py", dest)
    for folder in ("source", "release"):
        shutil.copytree(src / folder, dest / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


STATUS = "#jp-main-statusbar"
# The code cells asked for have run: the kernel is idle, no cell is queued or running ([*]) and each of them shows an
# execution count ([12]), or a cell failed (Run All stops there and leaves the cells below it unrun). The kernel
# goes idle between two cells of a Run All while JupyterLab renders a markdown cell, so the status bar alone is not
# enough, and waiting for it twice a little apart was a race. ``cells``: the indices (among code cells, negative
# from the end) to wait for, none for only an idle kernel; an empty code cell never gets a count, so it is not among
# them.
_RAN = r"""([panel, status, cells, stopAtError]) => {
    const bar = document.querySelector(status);
    if (!bar || !bar.innerText.includes('Idle')) return false;
    const all = [...document.querySelectorAll(panel + ' .jp-CodeCell')];
    const prompt = c => c ? c.querySelector('.jp-InputPrompt').textContent : '';
    if (all.some(c => prompt(c).includes('*'))) return false;
    if (cells.every(i => /\[\d+\]/.test(prompt(all.at(i))))) return true;
    return stopAtError && all.some(c => c.querySelector("[data-mime-type='application/vnd.jupyter.stderr']"));
}"""


def wait_ran(page, cells: list[int], stop_at_error: bool = False, timeout: float = 300_000) -> None:
    page.wait_for_function(_RAN, arg=[PANEL, STATUS, cells, stop_at_error], timeout=timeout)


def open_notebook(page, lab: Lab, path: str) -> None:
    """Open ``path`` in a fresh workspace and wait for its kernel to be idle (a Run All clicked before it is ready
    would be queued by JupyterLab anyway)."""
    page.goto(lab.url(f"lab/tree/{path}", reset=True))
    page.wait_for_selector(f"{PANEL} .jp-Notebook", timeout=60_000)
    wait_ran(page, [], timeout=60_000)
    page.click(f"{PANEL} .jp-Cell >> nth=0")


def run_all(page, nb, timeout: float = 300_000) -> None:
    """Run All on the open notebook, whose content is ``nb``, and wait until every non-empty code cell has run or
    one failed."""
    page.click("text=Run", timeout=10_000)
    page.click("[data-command='runmenu:run-all']")
    code = [c for c in nb.cells if c.cell_type == "code"]
    wait_ran(page, [i for i, c in enumerate(code) if c.source.strip()], stop_at_error=True, timeout=timeout)


def run_code(page, code: str, timeout: float = 60_000) -> str:
    """Append a code cell at the end of the notebook, run it, and return its text output (a probe into the
    kernel, e.g. to read a widget's state after a click)."""
    page.click(f"{PANEL} .jp-Cell >> nth=-1")
    page.keyboard.press("Escape")
    page.keyboard.press("b")                                   # insert a cell below, in command mode
    page.keyboard.press("Enter")                               # edit it
    page.keyboard.insert_text(code)
    page.keyboard.press("Shift+Enter")                         # runs it and adds an empty cell after it
    wait_ran(page, [-2], timeout=timeout)
    cell = page.locator(f"{PANEL} .jp-CodeCell").nth(-2)
    return cell.locator(".jp-OutputArea").inner_text()
