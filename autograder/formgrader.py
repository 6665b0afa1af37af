"""The formgrader's ⚡ Autograde button grades with this autograder, in its sandbox.

nbgrader's button posts to ``/formgrader/api/submission/<assignment>/<student>/autograde``, whose handler runs
plain ``nbgrader autograde`` (``NbGraderAPI.autograde``: nbgrader's ``Autograde`` converter, in the server's own
process, unsandboxed, with no decoys, no scan and no record for our feedback and report). Nothing in nbgrader's
configuration changes that: the handler builds ``NbGraderAPI`` by name (formgrader/base.py) and the API builds
``Autograde`` by name (apps/api.py); no traitlet names either class.

So this Jupyter server extension answers that URL itself, before nbgrader's formgrader does (extensions load in
alphabetical order, and tornado tries the handlers of the first loaded first): it runs
``python -m autograder grade <assignment> --student <student> --force`` on the course, in a process of its own, and
answers as nbgrader's handler does (``{"success", "log", "error"}``), so the formgrader's page shows its usual
"Successfully autograded" window with our grader's log, then the new score. pyproject.toml enables the extension
(``jupyter-config/``, installed into ``etc/jupyter/jupyter_server_config.d``).
"""
from __future__ import annotations

import asyncio
import json
import sys

from jupyter_server.utils import url_path_join
from nbgrader.server_extensions.formgrader.base import BaseApiHandler, check_notebook_dir, check_xsrf
from tornado import web

from . import nbgrader_cli

ROUTE = r"/formgrader/api/submission/([^/]+)/([^/]+)/autograde"


def command(assignment: str, student: str) -> list[str]:
    """What the button runs (in the course's root)."""
    return [sys.executable, "-m", "autograder", "grade", assignment, "--student", student, "--force"]


async def run(root: str, assignment: str, student: str) -> dict:
    """Grade one submission with the autograder; the answer nbgrader's handler would give."""
    process = await asyncio.create_subprocess_exec(
        *command(assignment, student), cwd=root, env=nbgrader_cli.environment(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate()
    log = output.decode("utf-8", "replace")
    header = f"$ python -m autograder grade {assignment} --student {student} --force\n"
    if process.returncode == 0:
        return {"success": True, "log": header + log}
    return {"success": False, "log": header + log,
            "error": f"python -m autograder grade exited with status {process.returncode}: see the log above"}


class AutogradeHandler(BaseApiHandler):
    """nbgrader's ``AutogradeHandler``, grading with this autograder."""

    @web.authenticated
    @check_xsrf
    @check_notebook_dir
    async def post(self, assignment_id: str, student_id: str) -> None:
        self.write(json.dumps(await run(self.coursedir.root, assignment_id, student_id)))


def _jupyter_server_extension_points():
    return [{"module": "autograder.formgrader"}]


def _load_jupyter_server_extension(serverapp) -> None:
    web_app = serverapp.web_app
    web_app.add_handlers(".*$", [(url_path_join(web_app.settings["base_url"], ROUTE), AutogradeHandler)])
    serverapp.log.info("autograder: the formgrader's Autograde button runs `python -m autograder grade`")
