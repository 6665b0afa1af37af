"""Tests of course/widgets/stack.py: StackGradients (notebook 05), driven as a student drives it (the layer picker,
Previous / Next, New sample) with correct and wrong student functions written here. Every expected gradient is
computed here, independently of the widget (document 003: Z = XW + 1_N b, dX = dZ Wᵀ, dW = Xᵀ dZ, db = 1_Nᵀ dZ; the
ReLU mask; the mean cross-entropy of eq. 5, dS = (P - Y) / N)."""

import ast
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from course.widgets import StackGradients
from course.widgets.drawing import COLORS
from support.widget_variants import student

ROOT = Path(__file__).resolve().parents[1]
SIZES = dict(D=6, H=5, C=3, L=5, N=4)              # all different: a missing transpose cannot pass


# ---------------------------------------------------------------------------
# Students' functions (correct and wrong), for the tests only
# ---------------------------------------------------------------------------

def fc_forward(X, W, b):
    return X @ W + b, (X, W, b)


def fc_backward(dZ, cache):
    X, W, b = cache
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)


# The wrong-but-plausible versions the hidden tests reject (tests/variants).
fc_backward_db_not_summed = student("05_batching_mlp", "fc_backward", "wrong_db_not_summed")   # db = dZ, N x H
fc_backward_dW_transposed = student("05_batching_mlp", "fc_backward", "wrong_dW_transposed")


def relu_forward(X):
    return np.maximum(0, X), X


def relu_backward(dZ, cache):
    return dZ * (cache > 0)


def relu_backward_in_place(dZ, cache):             # correct, but writes into its arguments
    dZ[cache <= 0] = 0.0
    cache[...] = 0.0
    return dZ


def softmax_cross_entropy(S, y):
    N = S.shape[0]
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dS = P.copy()
    dS[np.arange(N), y] -= 1
    return float(-np.mean(np.log(P[np.arange(N), y]))), dS / N


def not_written(*args):
    raise NotImplementedError()


class MLP:
    """A correct student's MLP (what notebook 05 asks for); every instance is kept so tests can read its params."""
    instances = []

    def __init__(self, D, H, C, L, rng):
        if L < 3 or L % 2 == 0:
            raise ValueError(L)
        self.L = L
        widths = [D] + [H] * ((L - 1) // 2) + [C]
        self.params = {}
        for j in range(len(widths) - 1):
            self.params[f"W{2 * j + 1}"] = rng.normal(0.0, np.sqrt(2.0 / widths[j]), size=(widths[j], widths[j + 1]))
            self.params[f"b{2 * j + 1}"] = np.zeros((1, widths[j + 1]))
        type(self).instances.append(self)

    def forward(self, X):
        self.caches = []
        out = X
        for k in range(1, self.L + 1):
            out, cache = (fc_forward(out, self.params[f"W{k}"], self.params[f"b{k}"]) if k % 2 == 1
                          else relu_forward(out))
            self.caches.append(cache)
        return out

    def backward_functions(self):
        return fc_backward, relu_backward

    def loss_and_gradients(self, X, y):
        loss, dout = softmax_cross_entropy(self.forward(X), y)
        fc_back, relu_back = self.backward_functions()
        grads = {}
        for k in range(self.L, 0, -1):
            if k % 2 == 1:
                dout, grads[f"W{k}"], grads[f"b{k}"] = fc_back(dout, self.caches[k - 1])
            else:
                dout = relu_back(dout, self.caches[k - 1])
        return loss, grads


class MLPDbNotSummed(MLP):
    def backward_functions(self):
        return fc_backward_db_not_summed, relu_backward


class MLPGradsOverN(MLP):
    def loss_and_gradients(self, X, y):
        loss, grads = super().loss_and_gradients(X, y)
        return loss, {k: g / len(X) for k, g in grads.items()}


class MLPSharedCache(MLP):
    def loss_and_gradients(self, X, y):
        loss, dout = softmax_cross_entropy(self.forward(X), y)
        grads = {}
        for k in range(self.L, 0, -1):
            cache = self.caches[-1]                              # the last layer's cache for every layer
            if k % 2 == 1:
                dout, grads[f"W{k}"], grads[f"b{k}"] = fc_backward(dout, cache)
            else:
                dout = relu_backward(dout, cache)
        return loss, grads


class MLPNotWritten:
    def __init__(self, D, H, C, L, rng):
        raise NotImplementedError()


class MLPWrongKeys(MLP):
    def __init__(self, D, H, C, L, rng):
        super().__init__(D, H, C, L, rng)
        self.params = {k.replace("3", "2"): v for k, v in self.params.items()}


LOCAL = {"fc": lambda X, W, b: {"W⁽ᵏ⁾ᵀ": W.T, "X⁽ᵏ⁻¹⁾ᵀ": X.T},
         "relu": lambda X: {"1[X⁽ᵏ⁻¹⁾ > 0]": (X > 0).astype(float)}}
CORRECT = dict(fc=(fc_forward, fc_backward), relu=(relu_forward, relu_backward), loss=softmax_cross_entropy,
               local=LOCAL)


def build(model_class=MLP, **kwargs):
    options = {**SIZES, **CORRECT, **kwargs}
    model_class.instances = []
    widget = StackGradients(model_class, **options)
    return widget, (model_class.instances[-1] if model_class.instances else None)


def expected_gradients(params, X, y, L):
    """The values X⁽ᵏ⁾ and dc/dX⁽ᵏ⁾ of every layer, and dc/dθ, by loops written here (eq. 22-25, eq. 5)."""
    values = [X]
    for k in range(1, L + 1):
        x = values[-1]
        if k % 2 == 1:
            W, b = params[f"W{k}"], params[f"b{k}"]
            values.append(np.array([[sum(x[i, j] * W[j, h] for j in range(W.shape[0])) + b[0, h]
                                     for h in range(W.shape[1])] for i in range(x.shape[0])]))
        else:
            values.append(np.where(x > 0, x, 0.0))
    S = values[-1]
    N = S.shape[0]
    P = np.exp(S - S.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    up = {L: (P - np.eye(S.shape[1])[y]) / N}
    grads = {}
    for k in range(L, 0, -1):
        if k % 2 == 1:
            W = params[f"W{k}"]
            grads[f"W{k}"] = np.einsum("nd,nh->dh", values[k - 1], up[k])
            grads[f"b{k}"] = up[k].sum(axis=0, keepdims=True)
            up[k - 1] = np.einsum("nh,dh->nd", up[k], W)
        else:
            up[k - 1] = np.where(values[k - 1] > 0, up[k], 0.0)
    return values, up, grads


def red_patches(figure):
    rgb = to_rgb(COLORS["wrong"])
    return [p for ax in figure.axes[1:] for p in ax.patches
            if np.allclose(p.get_edgecolor()[:3], rgb) and p.get_linewidth() >= 1]


def figure_texts(figure):
    return [t.get_text() for ax in figure.axes for t in ax.texts]


# ---------------------------------------------------------------------------
# A correct student
# ---------------------------------------------------------------------------

def test_the_upstream_gradients_of_every_layer_are_the_document_s():
    w, model = build()
    assert isinstance(w, widgets.VBox)
    state = w.state()
    X, y = np.array(state["X"]), np.array(state["y"])
    assert X.shape == (4, 6) and y.shape == (4,) and set(y) <= {0, 1, 2}
    assert all(np.any(model.params[f"b{k}"] != 0) for k in (1, 3, 5))       # random biases: no ReLU at its kink
    values, up, grads = expected_gradients(model.params, X, y, 5)
    assert state["order"] == ["loss", 5, 4, 3, 2, 1] and state["selected"] == "loss"
    for k in range(6):
        np.testing.assert_allclose(state["values"][k], values[k], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(state["upstream"][k], up[k], rtol=1e-5, atol=1e-8)
        assert state["flow_norms"][k] == pytest.approx(np.linalg.norm(up[k]), rel=1e-5)
    P = np.exp(values[5] - values[5].max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    assert state["loss"] == pytest.approx(-np.mean(np.log(P[np.arange(4), y])))
    for key, g in grads.items():
        assert state["param_norms"][key] == pytest.approx(np.linalg.norm(g), rel=1e-9)
        assert state["param_numeric_norms"][key] == pytest.approx(np.linalg.norm(g), rel=1e-5)
    assert all(state["param_ok"].values()) and len(state["param_ok"]) == 6
    layer = state["layer"]
    assert layer["kind"] == "loss" and layer["ok"] == {"X⁽⁵⁾": True}
    np.testing.assert_allclose(layer["downstream"]["X⁽⁵⁾"], up[5], rtol=1e-12)
    assert state["message"].split("\n") == [
        "✓ softmax_cross_entropy: dX⁽⁵⁾ agrees with the numeric gradient.",
        "✓ MLP.loss_and_gradients: every parameter gradient agrees with the numeric gradient of its loss."]


def test_an_fc_layer_shows_upstream_local_and_downstream():
    w, model = build()
    w.select(3)
    state = w.state()
    X, y = np.array(state["X"]), np.array(state["y"])
    values, up, grads = expected_gradients(model.params, X, y, 5)
    layer = state["layer"]
    assert layer["kind"] == "fc" and list(layer["inputs"]) == ["X⁽²⁾", "W⁽³⁾", "b⁽³⁾"]
    np.testing.assert_allclose(layer["upstream"], up[3], rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(layer["local"]["W⁽³⁾ᵀ"], model.params["W3"].T)
    np.testing.assert_allclose(layer["local"]["X⁽²⁾ᵀ"], values[2].T)
    np.testing.assert_allclose(layer["downstream"]["X⁽²⁾"], up[2], rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(layer["downstream"]["W⁽³⁾"], grads["W3"], rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(layer["downstream"]["b⁽³⁾"], grads["b3"], rtol=1e-5, atol=1e-8)
    assert layer["ok"] == {"X⁽²⁾": True, "W⁽³⁾": True, "b⁽³⁾": True}
    assert state["message"].startswith("✓ fc_backward: dX⁽²⁾, dW⁽³⁾, db⁽³⁾ agree with the numeric gradient.")
    figure = w.draw()
    texts = figure_texts(figure)
    for words in ("upstream gradient\n(gradient amont)", "local gradients\n(gradients locaux)",
                  "downstream gradients\n(gradients aval): your fc_backward", "∂c/∂X⁽³⁾", "W⁽³⁾ᵀ", "X⁽²⁾ᵀ",
                  "∂c/∂X⁽²⁾", "∂c/∂W⁽³⁾", "∂c/∂b⁽³⁾", "4 × 5  ·  measured"):
        assert words in texts, words
    assert texts[0].startswith("layer 3 of 5: FC, X⁽³⁾ = X⁽²⁾ W⁽³⁾ + b⁽³⁾")
    assert figure.get_figwidth() <= 10.3 and figure.get_figheight() <= 10


def test_a_relu_layer_and_the_loss():
    w, model = build()
    w.select(2)
    state = w.state()
    X, y = np.array(state["X"]), np.array(state["y"])
    values, up, _ = expected_gradients(model.params, X, y, 5)
    layer = state["layer"]
    assert layer["kind"] == "relu" and list(layer["inputs"]) == ["X⁽¹⁾"]
    np.testing.assert_array_equal(layer["local"]["1[X⁽¹⁾ > 0]"], (values[1] > 0).astype(float))
    np.testing.assert_allclose(layer["downstream"]["X⁽¹⁾"], up[1], rtol=1e-5, atol=1e-8)
    assert layer["ok"] == {"X⁽¹⁾": True}
    w.select("loss")
    texts = figure_texts(w.draw())
    assert texts[0] == f"The loss: c = softmax_cross_entropy(S, y) = {state['loss']:.4g}, y = {state['y']}"
    assert "∂c/∂c" in texts and "S = X⁽⁵⁾" in texts


def test_previous_next_and_the_picker_walk_the_backward_pass():
    w, _ = build()
    assert w.prev_button.disabled and not w.next_button.disabled
    seen, pictures = [w.state()["selected"]], {w.image.value}
    while not w.next_button.disabled:
        w.next_button.click()
        seen.append(w.state()["selected"])
        pictures.add(w.image.value)
    assert seen == ["loss", 5, 4, 3, 2, 1] and len(pictures) == 6
    assert w.picker.value == 1 and not w.prev_button.disabled
    w.prev_button.click()
    assert w.state()["selected"] == 2 and w.state()["layer"]["kind"] == "relu"
    labels = [label for label, _ in w.picker.options]
    assert labels[0] == "loss: c = softmax_cross_entropy(S, y)"
    assert labels[1] == "layer 5: FC, X⁽⁵⁾ = X⁽⁴⁾ W⁽⁵⁾ + b⁽⁵⁾" and labels[2] == "layer 4: ReLU, X⁽⁴⁾ = max(0, X⁽³⁾)"


def test_new_sample_draws_a_new_batch_and_a_new_mlp():
    w, first = build()
    before = w.state()
    picture = w.image.value
    w.select(1)
    w.new_sample_button.click()
    after = w.state()
    assert after["sample"] == 2 and after["selected"] == 1
    assert after["X"] != before["X"] and w.image.value != picture
    second = MLP.instances[-1]
    assert second is not first
    values, up, _ = expected_gradients(second.params, np.array(after["X"]), np.array(after["y"]), 5)
    np.testing.assert_allclose(after["upstream"][0], up[0], rtol=1e-5, atol=1e-8)
    assert build(seed=3)[0].state()["X"] == build(seed=3)[0].state()["X"] != before["X"]


def test_the_norms_figure_shows_every_layer_and_every_parameter():
    w, _ = build()
    w.select(4)
    figure = w.draw_norms()
    texts = figure_texts(figure)
    assert "the gradient flowing down the stack" in texts and "your MLP.loss_and_gradients" in texts
    assert "✓ every parameter gradient matches the numeric\ngradient" in texts or \
        any(t.startswith("✓ every parameter gradient matches") for t in texts)
    flow, params = figure.axes[1], figure.axes[2]
    assert [t.get_text() for t in flow.get_xticklabels()] == ["X⁽⁵⁾ = S", "X⁽⁴⁾", "X⁽³⁾", "X⁽²⁾", "X⁽¹⁾",
                                                              "X⁽⁰⁾ = X"]
    assert [t.get_text() for t in params.get_xticklabels()] == ["W⁽¹⁾", "b⁽¹⁾", "W⁽³⁾", "b⁽³⁾", "W⁽⁵⁾", "b⁽⁵⁾"]
    heights = [bar.get_height() for bar in flow.patches if bar.get_width() < 1]
    assert heights == pytest.approx([w.state()["flow_norms"][k] for k in (5, 4, 3, 2, 1, 0)])
    assert red_patches(figure) == []
    assert bytes(w.norms_image.value).startswith(b"\x89PNG")


# ---------------------------------------------------------------------------
# Wrong students: the widget says where, and never crashes
# ---------------------------------------------------------------------------

def test_db_not_summed_is_shown_at_every_fc_layer_and_in_the_mlp_gradients():
    w, _ = build(MLPDbNotSummed, fc=(fc_forward, fc_backward_db_not_summed))
    w.select(5)
    state = w.state()
    assert state["layer"]["ok"] == {"X⁽⁴⁾": True, "W⁽⁵⁾": True, "b⁽⁵⁾": False}
    assert state["layer"]["verdicts"]["b⁽⁵⁾"].startswith("db⁽⁵⁾ has shape (4, 3), expected (1, 3); a sum over the "
                                                         "batch axis (axis 0) would give the expected shape")
    assert state["param_ok"] == {"W1": True, "b1": False, "W3": True, "b3": False, "W5": True, "b5": False}
    assert "✗ MLPDbNotSummed.loss_and_gradients: grads['b1']: grads['b1'] has shape (4, 5), expected (1, 5)" \
        in state["message"]
    assert len(red_patches(w.draw_norms())) == 3
    assert any(t.startswith("✗ db⁽⁵⁾ has shape (4, 3)") for t in figure_texts(w.draw()))


def test_a_transposed_dW_and_a_relu_that_writes_into_its_arguments():
    w, _ = build(relu=(relu_forward, relu_backward_in_place), fc=(fc_forward, fc_backward_dW_transposed))
    w.select(2)
    assert w.state()["layer"]["ok"] == {"X⁽¹⁾": True}          # the widget's copies are intact
    w.select(1)
    state = w.state()
    assert state["layer"]["ok"] == {"X⁽⁰⁾": True, "W⁽¹⁾": False, "b⁽¹⁾": True}
    assert "its transpose has the right shape" in state["layer"]["verdicts"]["W⁽¹⁾"]


def test_gradients_divided_by_n_again_are_a_batch_factor_in_the_norms():
    w, _ = build(MLPGradsOverN)
    state = w.state()
    assert not any(state["param_ok"].values())
    assert "off by a factor 1/N = 1/4" in state["param_verdicts"]["W3"]
    for key, norm in state["param_norms"].items():
        assert norm == pytest.approx(state["param_numeric_norms"][key] / 4, rel=1e-5)
    assert len(red_patches(w.draw_norms())) == 6
    w.select(3)
    assert all(w.state()["layer"]["ok"].values())               # the layers themselves are right


def test_a_crashing_loss_and_gradients_keeps_the_layer_view():
    w, _ = build(MLPSharedCache)
    state = w.state()
    assert state["param_ok"] == {} and state["layer"]["ok"] == {"X⁽⁵⁾": True}
    assert "loss_and_gradients raised" in state["message"] and "Traceback" not in state["message"]
    texts = figure_texts(w.draw_norms())
    assert any("loss_and_gradients raised" in t for t in texts)


def test_a_blank_notebook_gives_plain_messages():
    w, _ = build(MLPNotWritten, fc=(not_written, not_written), relu=(not_written, not_written), loss=not_written)
    state = w.state()
    assert state["message"] == "MLPNotWritten raised NotImplementedError: write it above, then run this cell again"
    assert w.draw() is None and w.image.layout.display == "none" and w.norms_image.layout.display == "none"
    w.next_button.click()
    w.new_sample_button.click()                                  # still no crash
    assert w.state()["sample"] == 2 and w.state()["selected"] == 5

    def fc_forward(X, W, b):                                     # the name the notebook's stub has
        raise NotImplementedError()

    w, _ = build(fc=(fc_forward, not_written))
    assert w.state()["message"] == "fc_forward raised NotImplementedError: write it above, then run this cell again"
    assert w.draw() is None


def test_unusable_parameters_and_layers():
    state = build(MLPWrongKeys)[0].state()
    assert state["message"] == ("MLPWrongKeys(6, 5, 3, 5, rng).params has no key 'W3', 'b3': the keys are 'W1', 'b1', "
                                "'W3', 'b3', 'W5', 'b5' (odd layer indices, as in document 003)")
    state = build(fc=(lambda X, W, b: X @ W + b, fc_backward))[0].state()
    assert state["message"] == ("fc_forward returned an array of shape (4, 5), not the pair (out, cache): end it with "
                                "return out, cache")
    w, _ = build(fc=(fc_forward, lambda dZ, cache: (dZ,)))
    w.select(5)
    assert "not a tuple of 3 gradients (dX⁽⁴⁾, dW⁽⁵⁾, db⁽⁵⁾)" in w.state()["message"]
    assert w.draw() is not None


def test_invalid_settings_are_clear_errors():
    with pytest.raises(ValueError, match="L must be odd"):
        StackGradients(MLP, **{**SIZES, "L": 4}, **CORRECT)
    with pytest.raises(ValueError, match="at most"):
        StackGradients(MLP, **{**SIZES, "N": 200, "D": 64}, **CORRECT)
    with pytest.raises(ValueError, match="the pair"):
        StackGradients(MLP, **SIZES, fc=fc_forward, relu=(relu_forward, relu_backward), loss=softmax_cross_entropy)
    with pytest.raises(ValueError, match="unknown layer kinds"):
        StackGradients(MLP, **SIZES, **{**CORRECT, "local": {"conv": LOCAL["fc"]}})


# ---------------------------------------------------------------------------
# The widget as a page element; the library holds no solution
# ---------------------------------------------------------------------------

def test_css_classes_for_browser_tests():
    w, _ = build()
    assert "stack-gradients" in w._dom_classes
    parts = {"stack-gradients-layer-picker": w.picker, "stack-gradients-prev": w.prev_button,
             "stack-gradients-next": w.next_button, "stack-gradients-new-sample": w.new_sample_button,
             "stack-gradients-figure": w.image, "stack-gradients-norms": w.norms_image,
             "stack-gradients-message": w.message}
    for css, part in parts.items():
        assert css in part._dom_classes, css


def test_the_library_computes_no_layer_loss_or_backward_pass():
    tree = ast.parse((ROOT / "course" / "widgets" / "stack.py").read_text())
    defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    forbidden = {"fc_forward", "fc_backward", "relu_forward", "relu_backward", "softmax_cross_entropy", "MLP",
                 "forward", "backward", "loss_and_gradients", "sgd_step", "backprop_columns"}
    assert not defined & forbidden
    assert not any(isinstance(n, ast.MatMult) for n in ast.walk(tree))              # no X @ W, no dZ @ W.T
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert not calls & {"exp", "log", "maximum", "dot", "matmul", "einsum", "outer", "where"}
