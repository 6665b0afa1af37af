"""The course in a real browser: JupyterLab in Debian's chromium, driven by playwright.

For every source notebook: run all, no error or warning output, every widget rendered (as many as a plain
nbclient run of the same notebook produces), every figure shown, and one real interaction with each widget whose
result is checked in the page or, for numbers drawn into a PNG, by reading the widget's state in the kernel.
For the first release notebook: it runs until its first TODO raises NotImplementedError, and nothing before
fails (test_notebooks_run checks every release so, without the browser).
The nbgrader extension: Validate on a solved notebook reports success; the formgrader lists the assignments.

Screenshots of every widget state go to build/browser-screenshots/<test>/ (or $BROWSER_SCREENSHOTS).
Run these alone with `pytest -m browser`. Notebooks run with NBGRADER_EXECUTION set, so training is short.
"""
from __future__ import annotations

import copy
import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from support import nbrun
from support.courses import ASSIGNMENTS, REPO
from support.lab import PANEL, Lab, browser_missing, chromium, copy_course, open_notebook, run_all, run_code

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")]
COURSE = [a for a in ASSIGNMENTS if a.root == REPO]
ENV = {"NBGRADER_EXECUTION": "browser-test"}
SHOTS = REPO / os.environ.get("BROWSER_SCREENSHOTS", "build/browser-screenshots")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = copy_course(REPO, tmp_path_factory.mktemp("course") / "course")
    server = Lab(root, tmp_path_factory.mktemp("lab-home"), env=ENV)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, lab, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    lab.close_sessions()


def _shots(request):
    folder = SHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_EXPECTED: dict[str, tuple[int, int]] = {}


def _expected_for(assignment) -> tuple[int, int]:
    """``_expected_outputs`` of the assignment's source notebook, once per run (both editions draw the same)."""
    if assignment.name not in _EXPECTED:
        _EXPECTED[assignment.name] = _expected_outputs(assignment.source())
    return _EXPECTED[assignment.name]


def _expected_outputs(nb) -> tuple[int, int]:
    """(widget views, PNG figures) that a plain nbclient run of the notebook produces."""
    nb = copy.deepcopy(nb)
    old = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    return (sum(WIDGET_VIEW in o.get("data", {}) for o in outputs),
            sum("image/png" in o.get("data", {}) for o in outputs))


# --- one real interaction per kind of widget ------------------------------------------------------------------

def _set_readout(page, widget, slider_class: str, value: str) -> None:
    """Type a value into a slider's readout (the editable number beside it) and press Enter."""
    readout = widget.locator(f".{slider_class} .widget-readout").first
    readout.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(value)
    page.keyboard.press("Enter")


def _interact_gradient_flow(page, widget, index, shots):
    panel = widget.locator(".gradient-flow-panel")
    before = panel.inner_text()
    widget.locator(".gradient-flow-next").click()
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[panel.element_handle(), before])
    after = panel.inner_text()
    assert "step 2 of" in after, after
    widget.screenshot(path=str(shots / f"widget{index}_next.png"))
    if "∂e/∂d = 8" in after:                        # the document's f(a, b) = (a + b)(b + 1) at a = 3, b = 5
        _set_readout(page, widget, "gradient-flow-slider", "4")     # a = 4: de/dd = c = a + b = 9
        page.wait_for_function("el => el.innerText.includes('∂e/∂d = 9')", arg=panel.element_handle())
        widget.screenshot(path=str(shots / f"widget{index}_a4.png"))
    return f"GradientFlow: {after.splitlines()[0]}"


def _redraws(page, widget, image_class, action):
    """Do ``action`` and wait until the widget's picture (a PNG in an Image widget) is a new one."""
    image = widget.locator(f"img.{image_class}, .{image_class} img").first
    before = image.get_attribute("src")
    action()
    page.wait_for_function("([el, old]) => el.getAttribute('src') !== old", arg=[image.element_handle(), before])


def _probe(page, code: str) -> str:
    """Run a probe cell in the kernel; it prints PROBE OK after its own assertions on a widget's state."""
    output = run_code(page, code)
    assert "PROBE OK" in output, output
    return output.split("PROBE OK", 1)[1].strip().split("\n")[0]


def _interact_layer_gradients(page, widget, index, shots):
    _redraws(page, widget, "layer-gradients-figure", lambda: widget.locator(".layer-gradients-new-sample").click())
    widget.screenshot(path=str(shots / f"widget{index}_new_sample.png"))
    _probe(page, _PROBE_LAYER)
    return "LayerGradients: new sample"


_PROBE_LAYER = """\
import numpy as _np, ipywidgets as _w
from course.widgets import LayerGradients as _LG
_st = [w.state() for w in _w.Widget.widgets.values() if isinstance(w, _LG)]
assert _st and max(s["sample"] for s in _st) >= 2, [s["sample"] for s in _st]
for s in _st:
    assert all(s["ok"].values()), s["message"]
    _in, _dz, _down = ({k: _np.array(v) for k, v in s["inputs"].items()}, _np.array(s["upstream"]),
                       {k: _np.array(v) for k, v in s["downstream"].items()})
    if set(_in) == {"x", "W", "b"}:              # FC, document 003 eq. 12-13: the numbers drawn are these
        assert _np.allclose(_down["x"], _dz @ _in["W"].T) and _np.allclose(_down["W"], _in["x"].T @ _dz)
        assert _np.allclose(_np.ravel(_down["b"]), _np.ravel(_dz))
    elif set(_in) == {"x"}:                      # ReLU, §3.2
        assert _np.allclose(_down["x"], _dz * (_in["x"] > 0))
print("PROBE OK", len(_st))
"""


def _interact_loss_gradients(page, widget, index, shots):
    _redraws(page, widget, "loss-gradients-figure", lambda: _set_readout(page, widget, "loss-gradients-slider", "3"))
    widget.screenshot(path=str(shots / f"widget{index}_s_y_3.png"))
    _probe(page, _PROBE_LOSS)
    return "LossGradients: s_y = 3"


_PROBE_LOSS = """\
import numpy as _np, ipywidgets as _w
from course.widgets import LossGradients as _LG
_s = [w.state() for w in _w.Widget.widgets.values() if isinstance(w, _LG)][0]
_logits = _np.ravel(_s["logits"])
assert abs(_logits[_s["y"]] - 3.0) < 1e-9, _logits
_p = _np.exp(_logits - _logits.max()); _p /= _p.sum()
assert _np.allclose(_np.ravel(_s["probabilities"]), _p), (_s["probabilities"], _p)
_d = _p.copy(); _d[_s["y"]] -= 1
assert _np.allclose(_np.ravel(_s["ds"]), _d) and _s["ok"], (_s["ds"], _d)
print("PROBE OK")
"""

def _interact_stack_gradients(page, widget, index, shots):
    for _ in range(2):                                # loss -> layer L -> layer L - 1 (a ReLU)
        _redraws(page, widget, "stack-gradients-figure", lambda: widget.locator(".stack-gradients-next").click())
    widget.screenshot(path=str(shots / f"widget{index}_next_next.png"))
    return f"StackGradients: layer {_probe(page, _PROBE_STACK)}"


_PROBE_STACK = """\
import numpy as _np, ipywidgets as _w
from course.widgets import StackGradients as _SG
_s = [w.state() for w in _w.Widget.widgets.values() if isinstance(w, _SG)][0]
assert _s["selected"] == _s["order"][2], (_s["selected"], _s["order"])
assert all(_s["layer"]["ok"].values()) and all(_s["param_ok"].values()), (_s["layer"]["verdicts"], _s["param_verdicts"])
_k = _s["selected"]                               # the upstream gradient the widget shows is dc/dX^(k), measured
assert _np.allclose(_s["layer"]["upstream"],
                    _s["upstream"][str(_k)] if str(_k) in _s["upstream"] else _s["upstream"][_k])
print("PROBE OK", _k)
"""

def _interact_maxpool(page, widget, index, shots):
    _redraws(page, widget, "maxpool-routing-figure", lambda: widget.locator(".maxpool-routing-new-sample").click())
    widget.screenshot(path=str(shots / f"widget{index}_new_sample.png"))
    _probe(page, _PROBE_MAXPOOL)
    return "MaxPoolRouting: new sample"


_PROBE_MAXPOOL = """\
import numpy as _np, ipywidgets as _w
from course.widgets import MaxPoolRouting as _MP
_s = [w.state() for w in _w.Widget.widgets.values() if isinstance(w, _MP)][0]
_x, _up, _dx = (_np.array(_s[k]) for k in ("x", "upstream", "downstream"))
_want = _np.zeros_like(_x)                        # document 000 §3: the gradient goes to the max of each window
for _i in range(2):
    for _j in range(2):
        _win = _x[2 * _i:2 * _i + 2, 2 * _j:2 * _j + 2]
        _r, _c = _np.unravel_index(_np.argmax(_win), (2, 2))
        _want[2 * _i + _r, 2 * _j + _c] = _up[_i, _j]
assert _np.allclose(_dx, _want) and _s["ok"], (_dx, _want)
print("PROBE OK")
"""


def _interact_conv(page, widget, index, shots):
    select = widget.locator(".conv-gradients-position select")
    other = (select.evaluate("s => s.selectedIndex") + 1) % select.locator("option").count()
    _redraws(page, widget, "conv-gradients-figure", lambda: select.select_option(index=other))
    widget.screenshot(path=str(shots / f"widget{index}_weight{other}.png"))
    return f"ConvGradients: {_probe(page, _PROBE_CONV)}"


_PROBE_CONV = """\
import numpy as _np, ipywidgets as _w
from course.widgets import ConvGradients as _CG
_s = [w.state() for w in _w.Widget.widgets.values() if isinstance(w, _CG)][0]
_x, _y = _s["position"]
assert _s["view"] == "dw" and [_x, _y] != [1, 1], (_s["view"], _s["position"])   # moved off the first weight
_img, _up, _dw = (_np.array(_s[k]) for k in ("image", "upstream", "dw"))
_img, _up = _img.reshape(_img.shape[-2:]), _up.reshape(_up.shape[-2:])
_h, _w2 = _up.shape                               # eq. 16: dL/dW(x, y) = sum_ij dL/dout(i, j) Image(i + x, j + y)
assert _np.isclose(_dw.reshape(-1, *_dw.shape[-2:])[0][_x, _y], (_up * _img[_x:_x + _h, _y:_y + _w2]).sum())
assert all(_s["ok"].values()), _s["message"]
print("PROBE OK", f"weight ({_x}, {_y})")
"""

def _interact_dataflow(page, widget, index, shots):
    """A drawn computational graph (course.widgets.GraphDrawing): its picture loaded, and the reference graph of the
    source notebook shows no slip."""
    image = widget.locator(".dataflow-graph-figure")
    assert image.evaluate("img => img.complete && img.naturalWidth > 300"), "the graph's picture did not load"
    message = widget.locator(".dataflow-graph-message").inner_text()
    assert message.startswith("✓") and "✗" not in message, message
    image.screenshot(path=str(shots / f"graph{index}.png"))
    return "graph drawn, no slip"


INTERACTIONS = {"gradient-flow": _interact_gradient_flow, "dataflow-graph": _interact_dataflow,
                "layer-gradients": _interact_layer_gradients,
                "loss-gradients": _interact_loss_gradients, "stack-gradients": _interact_stack_gradients,
                "maxpool-routing": _interact_maxpool, "conv-gradients": _interact_conv}


def _interact_generic(page, widget, index, shots):
    """A widget this file has no specific check for: a click on its first button must redraw it."""
    buttons = widget.locator("button")
    if not buttons.count():
        return "no button"
    before = widget.inner_html()
    buttons.first.click()
    page.wait_for_function("([el, old]) => el.innerHTML !== old", arg=[widget.element_handle(), before])
    widget.screenshot(path=str(shots / f"widget{index}_clicked.png"))
    return "clicked its first button"


def _wait_for_count(page, selector: str, expected: int, timeout: float = 60_000) -> None:
    """Wait until the page holds at least `expected` elements matching `selector`: the widget manager draws a view
    when its comm messages arrive, which can be after the kernel went idle on a loaded machine. A page that never
    gets there is left to the assertion that follows, which says how many it got."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("([s, n]) => document.querySelectorAll(s).length >= n", arg=[selector, expected],
                               timeout=timeout)
    except PlaywrightTimeout:
        pass


# --- the tests --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_solution_notebook_runs_and_widgets_respond(assignment, lab, page, request):
    shots = _shots(request)
    views, figures = _expected_for(assignment)
    open_notebook(page, lab, f"source/{assignment.name}/{assignment.name}.ipynb")
    run_all(page, assignment.source())
    page.screenshot(path=str(shots / "page.png"))
    outputs = page.locator(f"{PANEL} .jp-OutputArea-output")
    stderr = page.locator(f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, "error or warning outputs:\n" + "\n---\n".join(stderr.all_inner_texts())
    for failure in ("Error displaying widget", "Click to show javascript error"):
        assert page.locator(f"{PANEL} >> text={failure}").count() == 0, f"a widget failed in the browser: {failure}"
    raw = [t for t in outputs.all_inner_texts() if re.match(r"^\s*(VBox|HBox|Output|Image)\(", t)]
    assert not raw, f"widgets shown as text instead of rendered: {raw[:3]}"

    rendered = page.locator(f"{PANEL} .jp-OutputArea-output:has(> .jupyter-widgets)")
    _wait_for_count(page, f"{PANEL} .jp-OutputArea-output > .jupyter-widgets", views)
    assert rendered.count() == views, f"{rendered.count()} widgets rendered, nbclient produced {views}"
    images = page.locator(f"{PANEL} .jp-OutputArea-output[data-mime-type='image/png'] img")
    _wait_for_count(page, f"{PANEL} .jp-OutputArea-output[data-mime-type='image/png'] img", figures)
    assert images.count() == figures, f"{images.count()} figures shown, nbclient produced {figures}"
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), f"figure {i} did not load"
        images.nth(i).screenshot(path=str(shots / f"figure{i}.png"))

    done = []
    for i in range(rendered.count()):
        view = rendered.nth(i)
        view.scroll_into_view_if_needed()
        assert view.bounding_box()["height"] > 20, f"widget {i} is empty"
        view.screenshot(path=str(shots / f"widget{i}.png"))
        kind = next((k for k in INTERACTIONS if view.locator(f".{k}").count()), None)
        widget = view.locator(f".{kind}").first if kind else view
        done.append((INTERACTIONS.get(kind) or _interact_generic)(page, widget, i, shots))
    print(f"{assignment.name}: {views} widgets, {figures} figures; " + "; ".join(done))


def _english_of_the_course() -> list[str]:
    """The course package's messages whose French differs (course/locale/fr): none may show in a French widget."""
    from autograder import translate

    catalog = translate.read(translate.package_catalogue(REPO, "course", "fr"), "fr")
    assert catalog is not None, "course/locale/fr/LC_MESSAGES/course.po is missing"
    return [m.id for m in catalog if isinstance(m.id, str) and m.string and m.string != m.id and len(m.id) >= 12
            and "{" not in m.id and "%" not in m.id]


@pytest.mark.parametrize("assignment", COURSE, ids=str)
def test_french_solution_notebook_runs_in_french(assignment, lab, page, request):
    """The French edition solved with the same code: run all, no error output, every widget and figure drawn, and
    no English sentence of the course package in any widget (titles, legends, buttons, panels)."""
    shots = _shots(request)
    views, figures = _expected_for(assignment)
    solved = nbrun.with_solutions(assignment.release("fr"), assignment.source())
    where = lab.root / "french" / assignment.name
    where.mkdir(parents=True, exist_ok=True)
    nbformat.write(solved, where / f"{assignment.name}.fr.ipynb")
    open_notebook(page, lab, f"french/{assignment.name}/{assignment.name}.fr.ipynb")
    run_all(page, solved)
    page.screenshot(path=str(shots / "page.png"))
    stderr = page.locator(f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, "error or warning outputs:\n" + "\n---\n".join(stderr.all_inner_texts())
    rendered = page.locator(f"{PANEL} .jp-OutputArea-output:has(> .jupyter-widgets)")
    _wait_for_count(page, f"{PANEL} .jp-OutputArea-output > .jupyter-widgets", views)
    assert rendered.count() == views, f"{rendered.count()} widgets rendered, nbclient produced {views}"
    _wait_for_count(page, f"{PANEL} .jp-OutputArea-output[data-mime-type='image/png'] img", figures)
    english = _english_of_the_course()
    for i in range(rendered.count()):
        view = rendered.nth(i)
        view.scroll_into_view_if_needed()
        assert view.bounding_box()["height"] > 20, f"widget {i} is empty"
        view.screenshot(path=str(shots / f"widget{i}.png"))
        text = view.inner_text()
        left = [e for e in english if e in text]
        assert not left, f"widget {i} shows English: {left[:3]}"


@pytest.mark.parametrize("assignment", COURSE[:1], ids=str)
def test_release_notebook_runs_until_its_first_todo(assignment, lab, page):
    """In JupyterLab, for the first assignment: Run All stops at the first TODO (test_notebooks_run checks every
    release up to its first TODO in the fast runner; the widgets before it are those of the solution's run above)."""
    open_notebook(page, lab, f"release/{assignment.name}/{assignment.name}.ipynb")
    run_all(page, assignment.release())
    code_cells = page.locator(f"{PANEL} .jp-CodeCell")
    first_todo = next(i for i, c in enumerate(c for c in assignment.release().cells if c.cell_type == "code")
                      if "raise NotImplementedError()" in c.source)
    failing = [i for i in range(code_cells.count())
               if code_cells.nth(i).locator("[data-mime-type='application/vnd.jupyter.stderr']").count()]
    # A stub raises when it is called: in the TODO cell itself, or in the check that calls it.
    assert len(failing) == 1 and failing[0] >= first_todo, \
        f"cells with errors: {failing}; the first TODO is code cell {first_todo} (run all stops at the first error)"
    text = code_cells.nth(failing[0]).locator(".jp-OutputArea").text_content()
    assert "NotImplementedError" in text, text


def test_validate_button_on_a_solved_notebook(lab, page, request):
    name = COURSE[0].name
    solved = nbrun.with_solutions(COURSE[0].release(), COURSE[0].source())
    folder = lab.root / "work" / name
    folder.mkdir(parents=True)
    nbformat.write(solved, folder / f"{name}.ipynb")
    open_notebook(page, lab, f"work/{name}/{name}.ipynb")
    page.click(f"{PANEL} .jp-Toolbar >> text=Validate")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("#validation-message").wait_for(timeout=240_000)
    dialog.screenshot(path=str(_shots(request) / "validate.png"))
    assert dialog.locator(".validation-success").count() == 1, dialog.inner_text()
    assert "Success! Your notebook passes all the tests." in dialog.inner_text()


def test_formgrader_lists_the_assignments(lab, page, request):
    page.goto(lab.url("formgrader/manage_assignments"))
    for assignment in COURSE:
        page.wait_for_selector(f"text={assignment.name}", timeout=30_000)
    page.screenshot(path=str(_shots(request) / "formgrader.png"))
