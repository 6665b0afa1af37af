"""course.data: the digits split and the mini-batch iterator."""
from __future__ import annotations

import numpy as np
import pytest

from course.data import load_digits, minibatches


def test_the_digits_are_scikit_learns():
    from sklearn.datasets import load_digits as sklearn_digits

    from course.data import _digits

    X, y = _digits()
    bunch = sklearn_digits()
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert np.array_equal(X, bunch.data) and np.array_equal(y, bunch.target) and X.shape == (1797, 64)


def test_split_is_stratified_reproducible_and_disjoint():
    a, b = load_digits(seed=3), load_digits(seed=3)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert a.X_train.shape == (len(a.y_train), 64) and len(a.y_train) + len(a.y_test) == 1797
    assert abs(len(a.y_test) / 1797 - 0.2) < 0.01
    counts = np.bincount(a.y_test, minlength=10) / np.bincount(a.y_train, minlength=10)
    assert np.allclose(counts, 0.25, atol=0.02), counts          # every class split 20 / 80
    train_rows = {row.tobytes() for row in a.X_train}
    duplicates_in_data = 1797 - len({row.tobytes() for row in np.vstack([a.X_train, a.X_test])})
    assert sum(row.tobytes() in train_rows for row in a.X_test) <= duplicates_in_data
    assert not np.array_equal(load_digits(seed=4).y_test, a.y_test)


def test_standardised_with_training_statistics_only():
    d = load_digits(seed=0)
    varying = d.std != 1.0
    assert np.allclose(d.X_train.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(d.X_train[:, varying].std(axis=0), 1)
    assert not np.allclose(d.X_test.mean(axis=0), 0, atol=1e-3)   # the test set was not used


def test_images_keep_their_shape():
    d = load_digits(images=True)
    assert d.X_train.shape[1:] == (1, 8, 8) and d.X_train.dtype == np.float64
    assert abs(d.X_train.mean()) < 1e-12 and abs(d.X_train.std() - 1) < 1e-12


def test_minibatches_cover_the_epoch_once():
    X, y = np.arange(23.0).reshape(23, 1), np.arange(23)
    batches = list(minibatches(X, y, 5, np.random.default_rng(0)))
    assert [len(b[1]) for b in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen) == list(range(23)) and list(seen) != list(range(23))
    assert all(np.array_equal(xb[:, 0], yb) for xb, yb in batches)          # rows stay with their labels
    assert [list(b[1]) for b in minibatches(X, y, 10, shuffle=False)][0] == list(range(10))


@pytest.mark.parametrize("bad", [dict(batch_size=0), dict(batch_size=2, y=np.arange(3))])
def test_minibatches_reject_bad_arguments(bad):
    args = dict(X=np.zeros((4, 1)), y=np.arange(4), batch_size=2) | bad
    with pytest.raises(ValueError):
        list(minibatches(**args))
