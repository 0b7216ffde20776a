"""Sparse X (issue 14, feature 2): every estimator takes a scipy sparse matrix
or array and fits the model the dense X gives, without making X dense.

X enters the math only in the first layer's products W[1] X and dZ[1] Xᵀ
(``_network._product``); the rest of training is the dense code. Dense and
sparse runs differ only in the order in which the products add their terms,
so float64 models agree to a few ulp per operation; the issue asks for 1e-10
and the runs here, 30 iterations on 60 samples, stay near 1e-15.
"""

import tracemalloc
import warnings

import numpy as np
import pytest
from _lecture import lecture
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)
from sknnbasics._activations import get_activation
from sknnbasics._cost import OutputLayer
from sknnbasics._network import _product, forward_to_output, initialize_parameters

TOL = 1e-10  # the bound for float64

ESTIMATORS = [
    LogisticGD(max_iter=30, tol=None, random_state=0),
    lecture(ShallowNetClassifier, n_hidden=5, max_iter=30, tol=None, random_state=0),
    lecture(DeepNetClassifier,
            hidden_layer_sizes=(6, 4), activation="relu", max_iter=30,
                      tol=None, random_state=0),
    lecture(ShallowNetRegressor, n_hidden=5, max_iter=30, tol=None, random_state=0),
    lecture(DeepNetRegressor, hidden_layer_sizes=(6, 4), max_iter=30, tol=None,
                     random_state=0),
]
ESTIMATOR_IDS = [type(est).__name__ for est in ESTIMATORS]

SETTINGS = {
    "full-batch": {},
    "mini-batch": {"batch_size": 7},
    "early-stopping": {"early_stopping": True, "validation_fraction": 0.2},
    "L2": {"alpha": 0.5},
}

FORMATS = {
    "csr": sparse.csr_matrix,
    "csc": sparse.csc_matrix,
    "csr_array": sparse.csr_array,
    "coo": sparse.coo_matrix,  # converted to CSR by validation
}


def data(estimator, m=60, n_x=10, seed=0, dtype=np.float64):
    """(X, y): X with about 70 % exact zeros; 3 classes or 2 targets."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((m, n_x))
    X[rng.uniform(size=X.shape) < 0.7] = 0.0
    if type(estimator).__name__.endswith("Regressor"):
        y = np.column_stack([X @ rng.standard_normal(n_x), np.tanh(X[:, 0])])
    else:
        y = rng.randint(0, 3, m)
    return X.astype(dtype), y


def model_of(estimator):
    """The fitted weights, in one list."""
    if hasattr(estimator, "coef_"):
        return [estimator.coef_, estimator.intercept_]
    return [*estimator.coefs_, *estimator.intercepts_]


def outputs_of(estimator, X):
    """Every prediction method the estimator has, on X."""
    methods = ["predict", "predict_proba", "decision_function"]
    return [getattr(estimator, name)(X) for name in methods
            if hasattr(estimator, name)]


def assert_same_fit(dense, other, X_dense, X_other, tol):
    for a, b in zip(model_of(dense), model_of(other), strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(b, a, rtol=0, atol=tol)
    for a, b in zip(outputs_of(dense, X_dense), outputs_of(other, X_other),
                    strict=True):
        assert type(b) is np.ndarray and a.dtype == b.dtype
        if a.dtype.kind == "f":
            np.testing.assert_allclose(b, a, rtol=0, atol=tol)
        else:  # class labels
            np.testing.assert_array_equal(b, a)
    np.testing.assert_allclose(other.loss_curve_, dense.loss_curve_, rtol=0, atol=tol)


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ESTIMATOR_IDS)
def test_sparse_X_fits_the_model_of_the_dense_X(estimator, setting, fmt):
    X, y = data(estimator)
    X_sparse = FORMATS[fmt](X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        dense = clone(estimator).set_params(**SETTINGS[setting]).fit(X, y)
        other = clone(estimator).set_params(**SETTINGS[setting]).fit(X_sparse, y)
    assert_same_fit(dense, other, X, X_sparse, TOL)
    assert other.score(X_sparse, y) == pytest.approx(dense.score(X, y), abs=TOL)
    if setting == "early-stopping":
        np.testing.assert_allclose(other.validation_loss_curve_,
                                   dense.validation_loss_curve_, rtol=0, atol=TOL)


@pytest.mark.parametrize("batch_size", [None, 7])
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ESTIMATOR_IDS)
def test_sparse_X_with_sample_weights_fits_the_dense_model(estimator, batch_size):
    X, y = data(estimator)
    s = np.random.RandomState(1).uniform(0, 2, X.shape[0])
    s[::5] = 0.0  # rows that count for nothing
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        dense = clone(estimator).set_params(batch_size=batch_size).fit(
            X, y, sample_weight=s)
        other = clone(estimator).set_params(batch_size=batch_size).fit(
            sparse.csr_matrix(X), y, sample_weight=s)
    assert_same_fit(dense, other, X, sparse.csr_matrix(X), TOL)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ESTIMATOR_IDS)
def test_partial_fit_on_sparse_chunks_follows_the_dense_chunks(estimator):
    X, y = data(estimator, m=90)
    dense = clone(estimator).set_params(batch_size=7)
    other = clone(estimator).set_params(batch_size=7)
    regressor = type(estimator).__name__.endswith("Regressor")
    kwargs = {} if regressor else {"classes": np.unique(y)}
    for chunk in np.array_split(np.arange(90), 3):
        dense.partial_fit(X[chunk], y[chunk], **kwargs)
        other.partial_fit(sparse.csc_matrix(X[chunk]), y[chunk], **kwargs)
    assert other.t_ == dense.t_ == 90
    assert_same_fit(dense, other, X, sparse.csr_matrix(X), TOL)


@pytest.mark.parametrize("estimator", ESTIMATORS[1:], ids=ESTIMATOR_IDS[1:])
def test_blocks_of_sparse_columns_add_up_as_the_dense_blocks(monkeypatch, estimator):
    # a batch wider than two blocks is propagated a block of columns at a
    # time: shrink the blocks so that 60 columns make 5 of 12 (13, 13, 13, 13
    # and 8 for the 52 training columns of early stopping)
    import sknnbasics._workspace as workspace
    monkeypatch.setattr(workspace, "_BLOCK_BYTES", 1)
    monkeypatch.setattr(workspace, "_MIN_BLOCK", 13)
    X, y = data(estimator)
    for setting in ({}, {"early_stopping": True}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            dense = clone(estimator).set_params(**setting).fit(X, y)
            other = clone(estimator).set_params(**setting).fit(
                sparse.csr_matrix(X), y)
        assert_same_fit(dense, other, X, sparse.csr_matrix(X), TOL)


@pytest.mark.parametrize("hidden", [(), (5,), (6, 4)])
def test_forward_to_output_on_sparse_blocks_equals_the_dense_product(hidden):
    rng = np.random.RandomState(3)
    X, _ = data(ESTIMATORS[0], m=50)
    parameters = initialize_parameters([10, *hidden, 3], "xavier", rng=rng)
    output = OutputLayer("softmax")
    expected = forward_to_output(X.T, parameters, get_activation("tanh"), output)
    got = forward_to_output(sparse.csr_matrix(X).T, parameters,
                            get_activation("tanh"), output, block_size=7)
    for a, b in zip(expected, got, strict=True):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(4, 10, 6), (4, 1, 6), (1, 10, 6), (4, 10, 1)])
def test_the_product_with_a_sparse_right_factor_is_the_dense_product(dtype, shape):
    # W[1] X (dense (n1, n_x) times sparse (n_x, m)) and dZ[1] Xᵀ (dense
    # (n1, m) times sparse (m, n_x)), including the inner dimension 1 that
    # _product otherwise computes as a broadcast multiply
    n, k, m = shape
    rng = np.random.RandomState(4)
    P = rng.standard_normal((n, k)).astype(dtype)
    Q = rng.standard_normal((k, m)).astype(dtype)
    Q[rng.uniform(size=Q.shape) < 0.5] = 0.0
    for Q_sparse in (sparse.csc_matrix(Q), sparse.csr_matrix(Q.T).T):
        expected = P.astype(np.float64) @ Q.astype(np.float64)
        got = _product(P, Q_sparse)
        assert type(got) is np.ndarray and got.dtype == dtype
        # k products added per entry, each rounded: k·eps of the largest term
        bound = k * np.finfo(dtype).eps * np.max(np.abs(P)) * np.max(np.abs(Q))
        np.testing.assert_allclose(got, expected, rtol=0, atol=bound)
        out = np.full((n, m), np.nan, dtype)
        assert _product(P, Q_sparse, out=out) is out
        np.testing.assert_array_equal(out, got)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=ESTIMATOR_IDS)
def test_float32_sparse_X_trains_in_float32(estimator):
    X, y = data(estimator, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        dense = clone(estimator).fit(X, y)
        other = clone(estimator).fit(sparse.csr_matrix(X), y)
    assert all(W.dtype == np.float32 for W in model_of(other))
    # float32 sums in another order: each of the 30 steps adds a relative
    # error of about m·eps = 60 × 1.2e-7 to weights and outputs of size ~1
    assert_same_fit(dense, other, X, sparse.csr_matrix(X),
                    30 * 60 * np.finfo(np.float32).eps)


def test_the_auto_step_size_on_sparse_X_is_the_dense_one_in_float64():
    # α = 1/H from mean ‖x̃‖², summed in float64 for float32 X too: dense and
    # sparse differ only in the order of the additions
    for dtype in (np.float64, np.float32):
        X, y = data(ESTIMATORS[0], m=200, n_x=300, dtype=dtype)
        X *= 1000  # so float32 squares summed in float32 would lose digits
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            dense = LogisticGD(max_iter=1).fit(X, y)
            other = LogisticGD(max_iter=1).fit(sparse.csr_matrix(X), y)
        np.testing.assert_allclose(other.learning_rate_, dense.learning_rate_,
                                   rtol=1e-13, atol=0)


def test_inputs_too_large_are_named_for_sparse_X_too():
    X, y = data(ESTIMATORS[1])
    X = np.sign(X) * np.finfo(np.float64).max
    with pytest.raises(ValueError, match=r"cost J is already inf or NaN at the "
                                         r"starting weights.*largest \|x\| = "
                                         r"1\.8e\+308"):
        lecture(ShallowNetClassifier, activation="relu", random_state=0).fit(
            sparse.csr_matrix(X), y)


def test_saturated_hidden_units_are_found_on_sparse_X_too():
    X, y = data(ESTIMATORS[1])
    X *= 50  # z = W[1] x of size ~50: tanh is flat there
    message = (r"saturated hidden units: at the starting weights (\d+)% of the "
               r"first hidden layer")
    shares = []
    for X_in in (X, sparse.csr_matrix(X)):
        with pytest.warns(ConvergenceWarning, match=message) as record:
            lecture(ShallowNetClassifier, n_hidden=5, max_iter=30, random_state=0).fit(
                X_in, y)
        shares.append([str(w.message) for w in record
                       if "saturated" in str(w.message)])
    assert shares[0] == shares[1]


def test_fitting_a_wide_sparse_matrix_never_makes_it_dense():
    # 3000 × 20000 at 0.2 % density: 120 000 nonzeros (1.4 MB with their
    # int32 indices), against 480 MB as a dense float64 array
    m, n_x, n_1 = 3000, 20000, 8
    X = sparse.random(m, n_x, density=0.002, format="csr", random_state=0)
    y = np.random.RandomState(0).randint(0, 2, m)
    net = lecture(ShallowNetClassifier, n_hidden=n_1, max_iter=3, random_state=0)
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            net.fit(X, y)
        proba = net.predict_proba(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert proba.shape == (m, 2)
    # what training holds is a few copies of W[1] (n1 × n_x: the weights,
    # the two iteration starts of the loop, dW[1] and its block sum, scipy's
    # product and the update's α dW[1]), a few copies of X's nonzeros, and
    # n1 × m activations; 8 of each kind bounds it (measured: 8.6 MB)
    W_1 = n_1 * n_x * 8
    nonzeros = X.nnz * (8 + 4) + (m + 1) * 4
    activations = n_1 * m * 8
    bound = 8 * (W_1 + nonzeros + activations)
    assert peak < bound < m * n_x * 8 / 10
