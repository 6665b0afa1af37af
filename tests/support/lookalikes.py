"""A class of 05_batching_mlp with planted copies, for the tests of ``similarity`` and its benchmark.

Honest students are built from genuinely different correct answers: the reference solution and the ``right_*``
variants of tests/variants (loops or vectorised, einsum, other names), and written answers in their own words; no
two of them have the same long answer (softmax_cross_entropy, MLP, backprop_columns, backprop_004), but several
wrote the same short ones (``dZ @ W.T``, ``np.maximum(0, X)``, ``Z = X @ W + b``). The copiers took a classmate's
notebook: verbatim (``rename`` no), every variable renamed (``rename``), or lines reordered and comments changed
(``reorder``).
"""
from __future__ import annotations

import ast
import io
import random
import re
import shutil
import tokenize
from pathlib import Path

import nbformat

from autograder import cells
from support import courses

ASSIGNMENT = "05_batching_mlp"
VARIANTS = courses.REPO / "tests" / "variants" / ASSIGNMENT
LONG = ("softmax_cross_entropy", "MLP", "backprop_columns", "backprop_004")
WRITTEN = ("eq25_sum_over_rows", "sum_versus_mean", "zero_grad_experiment")

# Written answers in other words than the reference's (which honest0 writes).
OWN_WORDS = {
    "eq25_sum_over_rows": [
        "Each row of the batch adds the same bias b, so b reaches the cost through N paths, one per sample. "
        "Summing over paths, the gradient of b is the sum of the rows of dZ: $\\mathbf{1}^\\top dZ$. "
        "W is also used by every sample, so its gradient adds up the per-sample outer products, which is X^T dZ. "
        "X is not shared: sample i only changes row i of Z.",
        "Write $Z_{nk} = \\sum_d X_{nd} W_{dk} + b_k$. The derivative of $Z_{nk}$ with respect to $b_k$ is one for "
        "every n, so the chain rule gives $\\partial c / \\partial b_k = \\sum_n \\partial c / \\partial Z_{nk}$: "
        "we add the columns. One shared parameter collects the contributions of all the samples in the batch.",
    ],
    "sum_versus_mean": [
        "With the sum, dS is N times bigger and so are all the gradients, since backprop is linear in dS. To take "
        "the same step we would divide the learning rate by N. The mean keeps the gradient size independent of "
        "the batch size, so one learning rate works for every batch size.",
        "Taking the mean divides the cost by N; all the gradients shrink by N too. If we used the sum the step "
        "would depend on how many samples the batch has, and changing the batch would force us to tune alpha "
        "again. The minimum of the cost stays where it is.",
    ],
    "zero_grad_experiment": [
        "If the gradients are never reset, each step applies the sum of every gradient seen so far. The updates "
        "grow, the weights overshoot, and training diverges (the loss explodes or gets stuck). Zeroing the buffer "
        "makes each step use only the gradient of its own batch.",
        "Accumulating without zeroing means step t uses g1 + ... + gt instead of gt. Old gradients keep pushing "
        "long after they stop being right, so the parameters oscillate with a growing amplitude and accuracy "
        "falls to chance.",
    ],
}

# Honest students: for each answer cell, the reference ("reference"), a right_* variant, a written answer of
# OWN_WORDS (its index), or None (left blank).
HONEST = {
    "honest0": {},   # the reference everywhere
    "honest1": {"fc_forward": "reference", "fc_backward": "right_loops", "relu_forward": "right_mask_cache",
                "relu_backward": "right_where", "softmax_cross_entropy": "right_logsumexp_onehot",
                "MLP": "right_inline", "backprop_columns": "right_delta_004", "backprop_004": "right_delta_list",
                "sgd_step": "right_entries",
                "eq25_sum_over_rows": 0, "sum_versus_mean": 0, "zero_grad_experiment": 0},
    "honest2": {"fc_forward": "right_einsum", "fc_backward": "right_einsum", "relu_forward": "right_where",
                "relu_backward": "right_loops", "softmax_cross_entropy": "right_loops", "MLP": "right_layer_list",
                "backprop_columns": "right_einsum", "backprop_004": "right_einsum", "sgd_step": "reference",
                "eq25_sum_over_rows": 1, "sum_versus_mean": 1, "zero_grad_experiment": 1},
    # The same short answers as honest0 (dZ @ W.T, np.maximum(0, X), ...), the long ones their own or blank.
    "honest3": {"softmax_cross_entropy": None, "MLP": None, "backprop_columns": "right_loops",
                "backprop_004": "right_loops",
                "eq25_sum_over_rows": None, "sum_versus_mean": None, "zero_grad_experiment": None},
}
COPIES = {   # copier -> (whose notebook, how it was disguised)
    "verbatim": ("honest1", "none"),
    "renamed": ("honest2", "rename"),
    "reordered": ("honest0", "reorder"),
}


def reference_answers() -> dict[str, str]:
    """grade_id -> the reference answer (the source cell without its solution markers)."""
    nb = nbformat.read(courses.REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return {cells.grade_id(c): "\n".join(line for line in c.source.split("\n") if "SOLUTION ###" not in line
                                         and "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
            for c in nb.cells if cells.is_solution(c)}


def honest_answers(choice: dict) -> dict[str, str | None]:
    """grade_id -> the answer an honest student with ``choice`` hands in (None: the release cell, untouched)."""
    reference = reference_answers()
    out: dict[str, str | None] = {}
    for grade_id, ref in reference.items():
        picked = choice.get(grade_id, "reference")
        if picked is None:
            out[grade_id] = None
        elif picked == "reference":
            out[grade_id] = ref
        elif isinstance(picked, int):
            out[grade_id] = OWN_WORDS[grade_id][picked]
        else:
            out[grade_id] = (VARIANTS / grade_id / f"{picked}.py").read_text()
    return out


# -- disguises ----------------------------------------------------------------------------------------------------
def _bound_names(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.arg != "self":
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def rename(code: str, seed: int = 0) -> str:
    """``code`` with every variable and argument renamed (names the code binds; not its functions, methods,
    attributes or the modules it uses)."""
    tree = ast.parse(code)
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "theta", "kappa", "lam", "rho", "tau", "phi"]
    new = {name: f"{rng.choice(words)}_{i}" for i, name in enumerate(sorted(_bound_names(tree)))}
    lines = code.splitlines(keepends=True)
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    for previous, token in sorted(zip([None] + tokens, tokens), key=lambda pair: pair[1].start, reverse=True):
        if token.type == tokenize.NAME and token.string in new and not (previous and previous.string == "."):
            row, col = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:col] + new[token.string] + line[col + len(token.string):]
    return "".join(lines)


def _effects(node) -> tuple[set[str], set[str]]:
    """(names written, names read) by a simple statement; a method call writes the object it is called on."""
    written, read = set(), set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            (written if isinstance(sub.ctx, ast.Store) else read).add(sub.id)
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    for target in targets:
        while isinstance(target, (ast.Subscript, ast.Attribute)):
            target = target.value
        if isinstance(target, ast.Name):
            written.add(target.id)
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        read.add(node.target.id)
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)):
        base = call.func.value
        while isinstance(base, (ast.Subscript, ast.Attribute)):
            base = base.value
        if isinstance(base, ast.Name) and base.id not in {"np", "math"}:
            written.add(base.id)
    return written, read


def reorder(code: str) -> str:
    """``code`` with adjacent independent one-line statements swapped (in every block) and every comment changed:
    the same program, laid out otherwise."""
    tree = ast.parse(code)
    lines = code.splitlines(keepends=True)
    simple = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)
    for block in (n for n in ast.walk(tree) if hasattr(n, "body") and isinstance(n.body, list)):
        body, i = block.body, 0
        while i + 1 < len(body):
            one, two = body[i], body[i + 1]
            if (isinstance(one, simple) and isinstance(two, simple) and one.lineno == one.end_lineno
                    and two.lineno == two.end_lineno and not isinstance(one.value, ast.Constant)):
                w1, r1 = _effects(one)
                w2, r2 = _effects(two)
                if not (w1 & (r2 | w2)) and not (w2 & r1):
                    lines[one.lineno - 1], lines[two.lineno - 1] = lines[two.lineno - 1], lines[one.lineno - 1]
                    i += 2
                    continue
            i += 1
    text = "".join(lines)
    text = re.sub(r"#[^\n]*", lambda m: "# " + m.group()[1:].strip()[::-1][:30], text)
    return "# my own version, checked twice\n" + text


def reorder_words(text: str) -> str:
    """A written answer with its sentences in the reverse order."""
    sentences = re.split(r"(?<=[.:])\s+", text.strip())
    return " ".join(reversed(sentences))


def disguised(answers: dict[str, str | None], how: str) -> dict[str, str | None]:
    out = {}
    for grade_id, text in answers.items():
        if text is None or how == "none":
            out[grade_id] = text
        elif grade_id in WRITTEN:
            out[grade_id] = text if how == "rename" else reorder_words(text)
        else:
            out[grade_id] = rename(text) if how == "rename" else reorder(text)
    return out


# -- the class ----------------------------------------------------------------------------------------------------
def planted_class() -> dict[str, dict[str, str | None]]:
    """student -> grade_id -> answer: the honest students and the three copiers."""
    students = {name: honest_answers(choice) for name, choice in HONEST.items()}
    for copier, (whose, how) in COPIES.items():
        students[copier] = disguised(students[whose], how)
    return students


def hand_in(root: Path, students: dict[str, dict[str, str | None]], assignment: str = ASSIGNMENT) -> None:
    """Write each student's notebook into ``root``/submitted/<student>/<assignment>/: the release notebook with
    the answers put in (None keeps the release cell)."""
    for student, answers in students.items():
        nb = courses.filled(courses.REPO, assignment, {g: a for g, a in answers.items() if a is not None})
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")


def generated_class(n: int, seed: int = 0) -> dict[str, dict[str, str | None]]:
    """``n`` students for the benchmark: each draws, for every cell, a correct answer among the reference, the
    right_* variants and the written answers, its variables renamed with a seed of its own; a few left cells
    blank; every tenth copied a classmate (renamed or reordered)."""
    rng = random.Random(seed)
    reference = reference_answers()
    options = {g: ["reference"] + [p.stem for p in sorted((VARIANTS / g).glob("right_*.py"))]
               if g not in WRITTEN else ["reference", 0, 1] for g in reference}
    students: dict[str, dict[str, str | None]] = {}
    for i in range(n):
        name = f"student{i:03d}"
        if i % 10 == 9:
            how = rng.choice(["rename", "reorder"])
            students[name] = disguised(students[rng.choice(sorted(students))], how)
            continue
        choice = {g: (None if rng.random() < 0.1 else rng.choice(o)) for g, o in options.items()}
        answers = honest_answers(choice)
        students[name] = {g: (rename(a, seed=i) if a is not None and g not in WRITTEN else a)
                          for g, a in answers.items()}
    return students


def make_course(root: Path, assignment: str = ASSIGNMENT) -> Path:
    """A course at ``root`` with the real ``assignment`` (its source and release notebooks) and the course's
    nbgrader_config.py; nothing submitted."""
    (root / "source").mkdir(parents=True)
    shutil.copy2(courses.CONFIG, root / "nbgrader_config.py")
    for kind in ("source", "release"):
        shutil.copytree(courses.REPO / kind / assignment, root / kind / assignment)
    return root
