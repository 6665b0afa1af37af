"""Real data for the notebooks: scikit-learn's handwritten digits, which ship inside the package (no download).

1797 grey images of 8 x 8 pixels (values 0 to 16), 10 classes::

    from course.data import load_digits, minibatches
    data = load_digits(seed=0)                  # standardised with the training set's statistics
    data.X_train.shape, data.y_train.shape      # (1437, 64), (1437,)
    for Xb, yb in minibatches(data.X_train, data.y_train, 32, rng):
        ...

``load_digits(images=True)`` keeps the images as ``(N, 1, 8, 8)`` (one channel) for a convolutional network.
"""
from __future__ import annotations

import gzip
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from course.i18n import _


@dataclass(frozen=True)
class Digits:
    """A train / test split. X_*: float64, (N, 64) or (N, 1, 8, 8); y_*: int64 labels in 0..9."""
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    mean: np.ndarray      # what was subtracted (computed on the training set only)
    std: np.ndarray       # what it was divided by

    @property
    def n_classes(self) -> int:
        return 10


def load_digits(test_fraction: float = 0.2, seed: int = 0, images: bool = False) -> Digits:
    """The digits, split into a training and a test set with the same proportion of each class (stratified,
    reproducible with ``seed``), and standardised with statistics of the training set only (the test set must
    not leak into training).

    images=False: X is (N, 64), each pixel standardised on its own (a pixel that is constant in the training
    set, like the corners, is only centred). images=True: X is (N, 1, 8, 8), standardised with one mean and
    one standard deviation for all pixels, which keeps the picture's contrast for convolutions.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(_("test_fraction must be between 0 and 1, got {value}").format(value=test_fraction))
    X, y = _digits()
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):                        # stratified: the same fraction of every class
        members = np.flatnonzero(y == label)
        test[rng.choice(members, size=round(test_fraction * len(members)), replace=False)] = True
    X_train, X_test = X[~test], X[test]
    if images:
        mean, std = X_train.mean(), X_train.std()
        shape = (-1, 1, 8, 8)
    else:
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        shape = (-1, 64)
    return Digits(((X_train - mean) / std).reshape(shape), y[~test],
                  ((X_test - mean) / std).reshape(shape), y[test], np.asarray(mean), np.asarray(std))


def _digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits (pixels, labels), read from the file its ``load_digits`` reads
    (``sklearn/datasets/data/digits.csv.gz``: 64 pixels then the label on each line) without importing scikit-learn,
    which costs a kernel two seconds and more (each graded notebook 05 and 06 paid it). tests/test_data.py checks
    that the two give the same arrays."""
    spec = importlib.util.find_spec("sklearn")   # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(_("scikit-learn is not installed: the digits ship inside it "
                                    "(pip install scikit-learn)"))
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / "digits.csv.gz"
    with gzip.open(path, "rt") as rows:
        data = np.loadtxt(rows, delimiter=",")
    return data[:, :-1].astype(np.float64), data[:, -1].astype(np.int64)


def minibatches(X: np.ndarray, y: np.ndarray, batch_size: int, rng: np.random.Generator | None = None,
                shuffle: bool = True) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One pass over the data (an epoch) in mini-batches of ``batch_size`` rows (the last one may be smaller),
    in a random order drawn from ``rng`` when ``shuffle`` (document 004: « mini-batches »)."""
    if batch_size < 1:
        raise ValueError(_("batch_size must be at least 1, got {value}").format(value=batch_size))
    if len(X) != len(y):
        raise ValueError(_("X has {rows} rows but y has {labels} labels").format(rows=len(X), labels=len(y)))
    order = np.arange(len(X))
    if shuffle:
        order = (rng if rng is not None else np.random.default_rng()).permutation(len(X))
    for start in range(0, len(X), batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]
