"""`make lab` as the README says: it copies the release to the student's folder and serves JupyterLab with
the nbgrader extension there."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest

from support.courses import REPO
from support.ports import free_port

pytestmark = pytest.mark.slow


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_make_lab_serves_the_students_copy(tmp_path, language):
    """`make lab` (English) and `make lab LANG=fr` (the French edition, JupyterLab in French)."""
    if not (REPO / ".venv" / "bin" / "python").exists():
        pytest.skip("make lab uses .venv, which `make test` creates")
    port, token, work = free_port(), "t0ken", tmp_path / "work"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)   # as a fresh shell
    for var, sub in (("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"),
                     ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "ipython")):
        env[var] = str(tmp_path / sub)
    args = f"--no-browser --allow-root --ServerApp.ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    env["LANG"] = "fr" if language == "fr" else "C.UTF-8"
    settings = tmp_path / "lab-settings"
    lab = subprocess.Popen(["make", "-s", "lab", f"WORK={work}", f"LAB_ARGS={args}", f"LANG={env['LANG']}",
                            f"LAB_SETTINGS={settings}"], cwd=REPO, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _get(f"http://127.0.0.1:{port}/api/status?token={token}")[0] == 200:
                    break
            except OSError:
                pass
            assert lab.poll() is None, lab.stdout.read().decode()
            assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
            time.sleep(0.5)
        released = sorted(p.name for p in (REPO / "release").iterdir() if p.is_dir())
        assert sorted(p.name for p in work.iterdir()) == released
        _, body = _get(f"http://127.0.0.1:{port}/api/contents?token={token}")
        assert sorted(item["name"] for item in json.loads(body)["content"]) == released
        _, page = _get(f"http://127.0.0.1:{port}/lab?token={token}")
        assert b"@jupyter/nbgrader" in page, "the nbgrader lab extension is not loaded"
        notebooks = sorted(p.name for p in work.rglob("*.ipynb"))
        suffix = ".fr.ipynb" if language == "fr" else ".ipynb"
        assert notebooks and all(n.endswith(suffix) and (language == "fr" or ".fr." not in n) for n in notebooks), (
            f"make lab LANG={env['LANG']} copied {notebooks}")
        _, body = _get(f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/translation-extension:plugin"
                       f"?token={token}")
        locale = json.loads(body)["settings"].get("locale", "en")
        assert locale == ("fr_FR" if language == "fr" else "en"), f"JupyterLab's language is {locale}"
        if language == "fr":    # the language pack is installed and JupyterLab serves its French
            _, body = _get(f"http://127.0.0.1:{port}/lab/api/translations/fr_FR?token={token}")
            strings = json.dumps(json.loads(body)["data"], ensure_ascii=False)
            assert "Fichier" in strings, "JupyterLab has no French (jupyterlab-language-pack-fr-FR)"
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
    assert not list((REPO / "release").rglob(".ipynb_checkpoints")), "make lab must never touch release/"
