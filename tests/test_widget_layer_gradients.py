"""Tests of course/widgets/layer_gradients.py: LayerGradients (notebooks 02, 03) and LossGradients (notebook 04),
driven as a student drives them (New sample, the slider, the class menu) with correct and wrong student functions
written here. Every expected number is computed here, independently of the widget (document 003: z = xW + b,
dc/dx = dc/dz W^T, dc/dW = x^T dc/dz, dc/db = dc/dz; ReLU; c = -ln p_y, dc/ds_k = p_k - [k = y])."""

import ast
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from course.widgets import LayerGradients, LossGradients
from course.widgets.drawing import COLORS
from support.widget_variants import student

ROOT = Path(__file__).resolve().parents[1]
D, H = 4, 3                                   # non-square, so that a missing transpose cannot pass


# ---------------------------------------------------------------------------
# Students' functions (correct and wrong), for the tests only
# ---------------------------------------------------------------------------

def fc_forward(x, W, b):
    return x @ W + b, (x, W, b)


def fc_backward(dz, cache):
    x, W, b = cache
    return dz @ W.T, x.T @ dz, dz.reshape(b.shape)


# The wrong-but-plausible versions the hidden tests reject (tests/variants).
fc_backward_dW_transposed = student("02_fully_connected", "fc_backward", "wrong_dW_transposed")     # H x D
fc_backward_dx_no_transpose = student("02_fully_connected", "fc_backward", "wrong_dx_no_transpose")  # cannot multiply
fc_backward_dx_wrong_order = student("02_fully_connected", "fc_backward", "wrong_dx_via_transpose_product")  # D x 1
fc_backward_db_summed = student("02_fully_connected", "fc_backward", "wrong_db_scalar")


def fc_backward_two_gradients(dz, cache):
    x, W, b = cache
    return dz @ W.T, x.T @ dz


def fc_forward_without_cache(x, W, b):
    return x @ W + b


def not_written(*args):
    raise NotImplementedError()


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dz, cache):
    return dz * (cache > 0)


relu_backward_mask_only = student("03_relu", "relu_backward", "wrong_mask_only")  # forgets the upstream gradient


def relu_backward_in_place(dz, cache):        # correct, but writes into its arguments
    cache[cache < 0] = 0
    dz[cache == 0] = 0
    return dz


def softmax(s):
    e = np.exp(s - np.max(s, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_cross_entropy(s, y):
    p = softmax(s)
    ds = p.copy()
    ds[..., y] -= 1
    return -np.log(p[..., y]).item(), ds


softmax_cross_entropy_minus_one_everywhere = student("04_loss", "softmax_cross_entropy", "wrong_p_minus_one",
                                                     softmax=softmax)


FC = dict(sample=lambda r: (r.normal(size=(1, D)), r.normal(size=(D, H)), r.normal(size=(1, H))),
          names=("x", "W", "b"),
          local=lambda x, W, b: {"Wᵀ": W.T, "xᵀ": x.T},
          formulas={"x": "∂c/∂x = ∂c/∂z Wᵀ (003 eq. 12)", "W": "∂c/∂W = xᵀ ∂c/∂z (003 eq. 13)", "b": "∂c/∂b = ∂c/∂z"},
          title="FC layer z = xW + b")
RELU = dict(sample=lambda r: (r.normal(size=(1, 8)),), names=("x",),
            local=lambda x: {"1[x > 0]": (x > 0).astype(float)}, title="ReLU")
S = np.array([[1.0, -0.5, 2.0, 0.3, -1.2]])   # C = 5 logits


def fc_draws(seed, count):
    """The inputs and upstream gradients the widget must draw: sample(rng), then dz ~ N(0, 1), per sample."""
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(count):
        x, W, b = FC["sample"](rng)
        draws.append((x, W, b, rng.standard_normal((1, H))))
    return draws


def figure_texts(figure):
    return [t.get_text() for ax in figure.axes for t in ax.texts]


def red_patches(figure):
    """The bars and cells outlined in red (what disagrees with the numeric gradient)."""
    rgb = to_rgb(COLORS["wrong"])
    return [p for ax in figure.axes[1:] for p in ax.patches
            if np.allclose(p.get_edgecolor()[:3], rgb) and p.get_linewidth() >= 1]


# ---------------------------------------------------------------------------
# LayerGradients: the FC layer
# ---------------------------------------------------------------------------

def test_fc_state_is_the_document_s_gradients_and_new_sample_draws_again():
    w = LayerGradients(fc_forward, fc_backward, **FC)
    assert isinstance(w, widgets.VBox)
    for k, (x, W, b, dz) in enumerate(fc_draws(0, 2)):
        if k:
            picture = w.image.value
            w.new_sample_button.click()
            assert w.image.value != picture
        state = w.state()
        assert state["sample"] == k + 1
        for name, value in zip("xWb", (x, W, b)):
            np.testing.assert_array_equal(state["inputs"][name], value)
        np.testing.assert_array_equal(state["upstream"], dz)
        np.testing.assert_allclose(state["output"], x @ W + b)
        np.testing.assert_allclose(state["local"]["Wᵀ"], W.T)
        np.testing.assert_allclose(state["local"]["xᵀ"], x.T)
        expected = {"x": dz @ W.T, "W": x.T @ dz, "b": dz}          # eq. 12, 13 and dc/db = dc/dz
        for name, gradient in expected.items():
            np.testing.assert_allclose(state["downstream"][name], gradient, rtol=1e-12)
            np.testing.assert_allclose(state["numeric"][name], gradient, rtol=1e-6, atol=1e-8)
            assert np.shape(state["downstream"][name]) == np.shape(state["inputs"][name])
        assert state["ok"] == {"x": True, "W": True, "b": True}
        assert state["wrong_cells"] == {"x": [], "W": [], "b": []}
        assert state["message"].startswith("✓ dx, dW, db agree with the numeric gradient of your fc_forward")
    assert w.state()["inputs"]["x"] != fc_draws(0, 1)[0][0].tolist()     # the second sample differs
    assert LayerGradients(fc_forward, fc_backward, **FC, seed=5).state()["inputs"]["x"] == \
        fc_draws(5, 1)[0][0].tolist()


def test_fc_figure_shows_the_three_groups_with_the_formulas_and_fits_a_notebook():
    figure = LayerGradients(fc_forward, fc_backward, **FC).draw()
    texts = figure_texts(figure)
    for words in ("upstream gradient\n(gradient amont)", "local gradients\n(gradients locaux)",
                  "downstream gradients\n(gradients aval)", "∂c/∂z", "Wᵀ", "xᵀ", "∂c/∂b = ∂c/∂z", "4 × 3"):
        assert words in texts, words
    assert any(t.startswith("∂c/∂W = xᵀ ∂c/∂z") and "(003 eq. 13)" in t for t in texts)
    assert sum(t.replace("\n", " ").startswith("✓ matches the numeric gradient") for t in texts) == 3
    assert figure.get_figwidth() <= 10.3 and 2.5 <= figure.get_figheight() <= 6    # ~1000 px wide at 100 dpi
    assert len(figure.axes) == 1 + 6              # the background, dz, Wᵀ, xᵀ, dx, dW, db
    state = LayerGradients(fc_forward, fc_backward, **FC).state()
    assert f"{state['local']['Wᵀ'][2][1]:.3g}" in texts            # the values are written in the cells
    assert f"{state['downstream']['W'][3][2]:.3g}" in texts


def test_dW_transposed_gets_the_transpose_diagnosis_and_no_crash():
    w = LayerGradients(fc_forward, fc_backward_dW_transposed, **FC)
    state = w.state()
    assert state["ok"] == {"x": True, "W": False, "b": True}
    assert state["verdicts"]["W"].startswith("dW has shape (3, 4), expected (4, 3); its transpose has the right "
                                             "shape")
    assert np.shape(state["downstream"]["W"]) == (H, D) and state["wrong_cells"]["W"] == []
    assert "✗ dW: dW has shape (3, 4), expected (4, 3)" in state["message"]
    assert "missing .T" in w.message.value
    texts = figure_texts(w.draw())
    assert any(t.startswith("✗ dW has shape (3, 4)") for t in texts)        # in place of the heatmap
    assert len(w.draw().axes) == 1 + 5                                       # no heatmap for dW
    assert bytes(w.image.value).startswith(b"\x89PNG")


def test_dx_without_transpose_raises_in_the_student_code_and_gives_a_plain_message():
    w = LayerGradients(fc_forward, fc_backward_dx_no_transpose, **FC)
    state = w.state()
    message = state["message"]
    assert message.startswith("fc_backward raised ValueError: matmul")
    assert "(line " in message and "return dz @ W, x.T @ dz, dz" in message        # the student's line
    assert "∂c/∂z (1, 3), x (1, 4), W (4, 3), b (1, 3)" in message                   # the shapes at hand
    assert "Traceback" not in message and "File " not in message
    assert state["downstream"] == {"x": None, "W": None, "b": None}
    assert state["ok"] == {"x": False, "W": False, "b": False}
    np.testing.assert_allclose(state["numeric"]["W"], np.array(state["inputs"]["x"]).T @ state["upstream"],
                               rtol=1e-6)
    assert w.draw() is not None and w.image.layout.display != "none"


def test_dx_in_the_wrong_order_is_a_transpose():
    state = LayerGradients(fc_forward, fc_backward_dx_wrong_order, **FC).state()
    assert state["ok"] == {"x": False, "W": True, "b": True}
    assert state["verdicts"]["x"].startswith("dx has shape (4, 1), expected (1, 4); its transpose")


def test_db_summed_to_a_scalar_is_a_wrong_shape():
    w = LayerGradients(fc_forward, fc_backward_db_summed, **FC)
    state = w.state()
    assert state["ok"] == {"x": True, "W": True, "b": False}
    assert state["verdicts"]["b"] == "db has shape (), expected (1, 3)."
    assert state["downstream"]["b"] == pytest.approx(float(np.sum(state["upstream"])))
    assert any(t.startswith("✗ db has shape ()") for t in figure_texts(w.draw()))


def test_unusable_answers_give_plain_messages():
    state = LayerGradients(fc_forward, fc_backward_two_gradients, **FC).state()
    assert state["message"] == ("fc_backward_two_gradients returned a tuple of 2 items, not a tuple of 3 "
                                "gradients (dx, dW, db), one per input in the order of fc_forward's arguments")
    w = LayerGradients(fc_forward_without_cache, fc_backward, **FC)
    assert w.state()["message"] == ("fc_forward_without_cache returned an array of shape (1, 3), not the pair "
                                    "(out, cache): end it with return out, cache")
    assert w.draw() is None and w.image.layout.display == "none"
    state = LayerGradients(fc_forward, lambda dz, cache: None, **FC).state()
    assert state["message"] == "backward returned None: end it with return dx, dW, db"


def test_not_implemented_gives_the_plain_message():
    blank = LayerGradients(not_written, not_written, **FC)
    state = blank.state()
    assert state["message"] == "not_written raised NotImplementedError: write it above, then run this cell again"
    assert state["upstream"] is None and state["downstream"] == {"x": None, "W": None, "b": None}
    assert blank.draw() is None and blank.image.layout.display == "none"
    assert "write it above, then run this cell again" in blank.message.value

    def fc_backward(dz, cache):              # the name the notebook's stub has
        raise NotImplementedError()

    w = LayerGradients(fc_forward, fc_backward, **FC)
    assert w.state()["message"] == "fc_backward raised NotImplementedError: write it above, then run this cell again"
    texts = figure_texts(w.draw())
    assert any("fc_backward raised NotImplementedError" in t for t in texts)
    w.new_sample_button.click()                                   # still no crash
    assert w.state()["sample"] == 2 and w.state()["upstream"] is not None


# ---------------------------------------------------------------------------
# LayerGradients: the batched FC layer of notebook 05 (document 003 §4, eq. 22-25)
# ---------------------------------------------------------------------------

N = 4
BATCHED = dict(sample=lambda r: (r.normal(size=(N, 3)), r.normal(size=(3, 5)), r.normal(size=(1, 5))),
               names=("X", "W", "b"), output="Z", title="Batched FC layer")


def fc_backward_batched(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)


fc_backward_db_mean = student("05_batching_mlp", "fc_backward", "wrong_db_mean")  # the 1/N of a mean cost twice
fc_backward_dW_times_N = student("05_batching_mlp", "fc_backward", "wrong_dW_times_N")


def test_batched_layer_names_a_factor_1_over_N_as_the_checks_do():
    assert LayerGradients(fc_forward, fc_backward_batched, **BATCHED).state()["ok"] == {"X": True, "W": True,
                                                                                      "b": True}
    state = LayerGradients(fc_forward, fc_backward_db_mean, **BATCHED).state()
    assert state["ok"] == {"X": True, "W": True, "b": False}
    verdict = state["verdicts"]["b"]
    assert "off by a factor 1/N = 1/4 (N = 4 is the batch size)" in verdict, verdict
    assert "a constant factor" not in verdict and "times 0.25" in verdict
    # a layer has no loss: the verdict does not ask about one (a simulated student was sent looking for it)
    assert "is the loss a mean" not in verdict and "takes no 1/N" in verdict, verdict
    state = LayerGradients(fc_forward, fc_backward_dW_times_N, **BATCHED).state()
    assert "off by a factor N = 4 (the batch size)" in state["verdicts"]["W"]


def test_batch_size_given_explicitly_wins_and_a_single_sample_has_no_factor_N():
    state = LayerGradients(fc_forward, fc_backward_db_mean, **BATCHED, batch_size=2).state()
    assert "1/N" not in state["verdicts"]["b"] and "a constant factor" in state["verdicts"]["b"]
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        LayerGradients(fc_forward, fc_backward_batched, **BATCHED, batch_size=0)

    def fc_backward_halved(dz, cache):        # one sample (02): a factor is only a factor
        x, W, b = cache
        return dz @ W.T, x.T @ dz, dz / 2
    verdict = LayerGradients(fc_forward, fc_backward_halved, **FC).state()["verdicts"]["b"]
    assert "times 0.5: a constant factor is wrong" in verdict and "N =" not in verdict


# ---------------------------------------------------------------------------
# LayerGradients: the ReLU
# ---------------------------------------------------------------------------

def test_relu_gradient_and_new_sample():
    rng = np.random.default_rng(0)
    w = LayerGradients(relu_forward, relu_backward, **RELU)
    for k in range(2):
        if k:
            w.new_sample_button.click()
        (x,) = RELU["sample"](rng)
        dz = rng.standard_normal(x.shape)
        state = w.state()
        np.testing.assert_array_equal(state["inputs"]["x"], x)
        np.testing.assert_array_equal(state["upstream"], dz)
        np.testing.assert_array_equal(state["local"]["1[x > 0]"], (x > 0).astype(float))
        np.testing.assert_allclose(state["downstream"]["x"], np.where(x > 0, dz, 0.0))
        np.testing.assert_allclose(state["numeric"]["x"], np.where(x > 0, dz, 0.0), atol=1e-8)
        assert state["ok"] == {"x": True} and state["wrong_cells"] == {"x": []}


def test_relu_backward_forgetting_the_upstream_gradient_marks_the_cells():
    w = LayerGradients(relu_forward, relu_backward_mask_only, **RELU)
    state = w.state()
    x, dz = np.array(state["inputs"]["x"]), np.array(state["upstream"])
    expected = [(0, k) for k in range(x.shape[1]) if x[0, k] > 0 and abs(dz[0, k] - 1) > 1e-3]
    assert expected and state["wrong_cells"]["x"] == expected
    assert state["ok"] == {"x": False}
    assert state["verdicts"]["x"].startswith("dx[0, ") and "entries differ" in state["verdicts"]["x"]
    assert len(red_patches(w.draw())) == len(expected)                      # the marked bars


def test_backward_writing_into_its_arguments_does_not_change_what_is_shown():
    w = LayerGradients(relu_forward, relu_backward_in_place, **RELU)
    state = w.state()
    x, dz = np.array(state["inputs"]["x"]), np.array(state["upstream"])
    assert (x < 0).any() and (dz[x < 0] != 0).all()                        # the widget's copies are intact
    assert state["ok"] == {"x": True}


def test_without_local_the_inputs_are_shown_and_a_bare_or_tuple_answer_is_accepted():
    w = LayerGradients(relu_forward, lambda dz, cache: (dz * (cache > 0),), sample=RELU["sample"], names="x")
    assert w.state()["ok"] == {"x": True} and w.state()["local"] == {}
    texts = figure_texts(w.draw())
    assert "inputs\n(the local gradients depend on them)" in texts and "∂c/∂x" in texts


# ---------------------------------------------------------------------------
# LossGradients
# ---------------------------------------------------------------------------

def reference(s, y):
    """p, c and dc/ds of document 003 §3.3, computed here."""
    p = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    ds = p.copy()
    ds[y] -= 1
    return p, -np.log(p[y]), ds


def test_loss_slider_moves_the_correct_logit_and_the_gradient_follows():
    w = LossGradients(softmax_cross_entropy, softmax, S, y=1)
    assert isinstance(w.slider, widgets.FloatSlider) and isinstance(w.class_picker, widgets.Dropdown)
    previous = None
    for value in (-0.5, 2.0, 5.0):
        if value != -0.5:
            w.slider.value = value
        s = S.reshape(-1).copy()
        s[1] = value
        p, c, ds = reference(s, 1)
        state = w.state()
        np.testing.assert_allclose(state["logits"], s)
        np.testing.assert_allclose(state["probabilities"], p, rtol=1e-12)
        np.testing.assert_allclose(state["ds"], ds, rtol=1e-12)
        np.testing.assert_allclose(state["numeric"], ds, atol=1e-8)
        assert state["loss"] == pytest.approx(c) and state["y"] == 1 and state["ok"] is True
        assert state["wrong_cells"] == []
        if previous is not None:                  # p_y grows, ds_y = p_y - 1 goes to 0
            assert state["probabilities"][1] > previous["probabilities"][1]
            assert previous["ds"][1] < state["ds"][1] < 0
        previous = state
    assert previous["ds"][1] > -0.1
    np.testing.assert_array_equal(S, [[1.0, -0.5, 2.0, 0.3, -1.2]])        # the notebook's array is untouched
    assert figure_texts(w.draw())[0].startswith(f"softmax_cross_entropy and softmax: c = {previous['loss']:.4g}")


def test_loss_class_menu_moves_the_highlighted_class():
    w = LossGradients(softmax_cross_entropy, softmax, S, y=1)
    assert "1 = y" in [t.get_text() for t in w.draw().axes[1].get_xticklabels()]
    w.class_picker.value = 3
    state = w.state()
    p, c, ds = reference(S.reshape(-1), 3)
    assert state["y"] == 3 and state["loss"] == pytest.approx(c)
    np.testing.assert_allclose(state["ds"], ds, rtol=1e-12)
    assert w.slider.value == pytest.approx(0.3) and w.slider.description.startswith("s_3")
    figure = w.draw()
    for ax in figure.axes[1:]:
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels[3] == "3 = y" and "1 = y" not in labels
    assert any("correct class y = 3" in t for t in figure_texts(figure))
    w.slider.value = 4.0                               # the slider now moves s_3
    assert w.state()["logits"][3] == 4.0 and w.state()["logits"][1] == -0.5


def test_loss_gradient_minus_one_everywhere_is_marked():
    w = LossGradients(softmax_cross_entropy_minus_one_everywhere, softmax, S, y=2)
    state = w.state()
    assert state["ok"] is False and state["wrong_cells"] == [0, 1, 3, 4]
    assert state["message"].startswith("✗ ds: ds[0, ") and "4 of 5 entries differ" in state["message"]
    assert len(red_patches(w.draw())) == 4


def test_loss_not_implemented_and_unusable_answers():
    w = LossGradients(not_written, not_written, S, y=0)
    state = w.state()
    assert state["message"].split("\n") == ["not_written raised NotImplementedError: write it above, then run "
                                            "this cell again"] * 2
    assert state["probabilities"] is None and state["loss"] is None and state["ds"] is None
    w.slider.value = 3.0                               # no crash when the student drags anyway
    assert w.state()["logits"][0] == 3.0
    assert bytes(w.image.value).startswith(b"\x89PNG")
    state = LossGradients(lambda s, y: (1.0, s[0]), softmax, S, y=0).state()     # ds of shape (5,)
    assert state["ok"] is False and state["message"].startswith("✗ ds: ds has shape (5,), expected (1, 5)")
    state = LossGradients(lambda s, y: softmax(s), softmax, S, y=0).state()
    assert state["message"] == ("loss returned an array of shape (1, 5), not the pair (c, ds): end it with "
                                "return c, ds")


# ---------------------------------------------------------------------------
# The widgets as page elements; the library holds no solution
# ---------------------------------------------------------------------------

def test_css_classes_for_browser_tests():
    w = LayerGradients(relu_forward, relu_backward, **RELU)
    assert "layer-gradients" in w._dom_classes
    for css, part in {"layer-gradients-new-sample": w.new_sample_button, "layer-gradients-figure": w.image,
                      "layer-gradients-message": w.message}.items():
        assert css in part._dom_classes
    w = LossGradients(softmax_cross_entropy, softmax, S, y=1)
    assert "loss-gradients" in w._dom_classes
    for css, part in {"loss-gradients-slider": w.slider, "loss-gradients-class": w.class_picker,
                      "loss-gradients-figure": w.image, "loss-gradients-message": w.message}.items():
        assert css in part._dom_classes


def test_the_library_computes_no_layer_softmax_or_gradient():
    path = ROOT / "course" / "widgets" / "layer_gradients.py"
    tree = ast.parse(path.read_text())
    defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    forbidden = {"fc_forward", "fc_backward", "relu_forward", "relu_backward", "softmax", "softmax_cross_entropy",
                 "cross_entropy", "loss", "backward", "forward", "local_gradients"}
    assert not defined & forbidden
    assert not any(isinstance(n, ast.MatMult) for n in ast.walk(tree))              # no x @ W, no dz @ W.T
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert not calls & {"exp", "log", "maximum", "dot", "matmul", "einsum", "outer"}
