"""Where the networks meet scikit-learn's MLPClassifier / MLPRegressor on the
conventions the lecture leaves open (issue: what MLP users take for granted).

ReLU'(0): the lecture allows 0 or 1 at z = 0 (激活函数的导数: "可以当成1也可以当成0").
Exact zeros happen — a unit whose incoming weights and bias are all 0 has
Z = 0 for every sample — and there the two choices train differently. ReLU
takes 0, as MLPClassifier and the course's notebooks do."""

import warnings

import numpy as np
import pytest
from _lecture import lecture
from sklearn.base import is_classifier
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)


def _data(n_classes, m=50, seed=5):
    X, y = make_classification(
        n_samples=m, n_features=3, n_informative=3, n_redundant=0,
        n_classes=n_classes, n_clusters_per_class=1, random_state=seed)
    return StandardScaler().fit_transform(X), y


def _weights_with_a_dead_unit(dims, seed):
    """MLP-layout weights where hidden unit 0 of every hidden layer has zero
    incoming weights and a zero bias: its Z is exactly 0 for every sample."""
    rng = np.random.RandomState(seed)
    coefs = [rng.standard_normal((dims[l - 1], dims[l])) * 0.5
             for l in range(1, len(dims))]
    intercepts = [rng.standard_normal(dims[l]) * 0.2 for l in range(1, len(dims))]
    for l in range(len(dims) - 2):
        coefs[l][:, 0] = 0.0
        intercepts[l][0] = 0.0
    return coefs, intercepts


def _warm_fit(estimator, X, y, coefs, intercepts, max_iter):
    estimator.set_params(warm_start=True, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)
        estimator.coefs_ = [c.copy() for c in coefs]
        estimator.intercepts_ = [b.copy() for b in intercepts]
        estimator.set_params(max_iter=max_iter)
        return estimator.fit(X, y)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("hidden_layer_sizes", [(5,), (5, 3)])
def test_relu_at_exactly_zero_follows_mlp(n_classes, hidden_layer_sizes):
    X, y = _data(n_classes)
    out = 1 if n_classes == 2 else n_classes
    dims = [3, *hidden_layer_sizes, out]
    coefs, intercepts = _weights_with_a_dead_unit(dims, seed=6)
    N = 40
    mlp = MLPClassifier(
        hidden_layer_sizes, activation="relu", solver="sgd", batch_size=len(X),
        learning_rate_init=0.1, momentum=0.0, nesterovs_momentum=False, alpha=0.0,
        shuffle=False, tol=0.0, n_iter_no_change=10**9, random_state=0)
    _warm_fit(mlp, X, y, coefs, intercepts, N)
    net = lecture(DeepNetClassifier, hidden_layer_sizes, activation="relu",
                            learning_rate=0.1, tol=None)
    _warm_fit(net, X, y, coefs, intercepts, N)
    for ours, theirs in zip(net.coefs_ + net.intercepts_,
                            mlp.coefs_ + mlp.intercepts_, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    # ReLU'(0) = 0: a unit that is exactly 0 everywhere gets no gradient and
    # stays dead (with ReLU'(0) = 1 its weights would move)
    assert np.all(net.coefs_[0][:, 0] == 0.0)
    assert net.intercepts_[0][0] == 0.0
    np.testing.assert_allclose(net.predict_proba(X), mlp.predict_proba(X),
                               rtol=0, atol=1e-10)


def test_relu_output_unit_at_exactly_zero_gets_no_gradient():
    # a ReLU output whose pre-activation is exactly 0 for every sample: the
    # squared loss' dZ[L] = (A[L] − Y)·ReLU'(Z[L]) is 0 there, so W[2], b[2]
    # of that output never move, though its targets are far from 0
    rng = np.random.RandomState(0)
    X = rng.standard_normal((40, 3))
    Y = np.column_stack([np.abs(X[:, 0]) + 1.0, np.abs(X[:, 1]) + 2.0])
    net = lecture(ShallowNetRegressor, 4, out_activation="relu", learning_rate=0.05,
                              tol=None, random_state=0)
    coefs = [rng.standard_normal((3, 4)) * 0.5, rng.standard_normal((4, 2)) * 0.5]
    intercepts = [rng.standard_normal(4) * 0.2, np.array([0.3, 0.0])]
    coefs[1][:, 1] = 0.0
    _warm_fit(net, X, Y, coefs, intercepts, 30)
    assert np.all(net.coefs_[1][:, 1] == 0.0)
    assert net.intercepts_[1][1] == 0.0
    # the other output learns
    assert not np.array_equal(net.coefs_[1][:, 0], coefs[1][:, 0])


# -- from scikit-learn's test_mlp.py, ported (issue 26, item 5) ----------------

_ESTIMATORS = [LogisticGD, ShallowNetClassifier, DeepNetClassifier,
               ShallowNetRegressor, DeepNetRegressor]


def _target(Estimator, X, y):
    return y if is_classifier(Estimator()) else X[:, 0] + 0.1 * y


@pytest.mark.parametrize("Estimator", _ESTIMATORS)
@pytest.mark.parametrize("solver", ["gd", "adam"])
def test_n_iter_no_change_inf_never_stops_on_a_stall(Estimator, solver):
    # MLP's n_iter_no_change=np.inf: a tol so large that every iteration
    # stalls, and still all max_iter iterations run (with n_iter_no_change=2
    # the same fit stops after 3)
    X, y = _data(2)
    target = _target(Estimator, X, y)
    mlp = MLPClassifier(n_iter_no_change=np.inf, tol=10.0, max_iter=25,
                        random_state=0)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        mlp.fit(X, y)
    assert mlp.n_iter_ == 25
    net = Estimator(solver=solver, n_iter_no_change=np.inf, tol=10.0,
                    max_iter=25, random_state=0)
    with pytest.warns(ConvergenceWarning, match="max_iter=25"):
        net.fit(X, target)
    assert net.n_iter_ == 25
    stalled = Estimator(solver=solver, n_iter_no_change=2, tol=10.0,
                        max_iter=25, random_state=0)
    with warnings.catch_warnings():  # three iterations may learn nothing
        warnings.simplefilter("ignore", ConvergenceWarning)
        stalled.fit(X, target)
    assert stalled.n_iter_ == 3


@pytest.mark.parametrize("Estimator", _ESTIMATORS)
@pytest.mark.parametrize("solver", ["gd", "adam", "lbfgs"])
def test_validation_scores_are_none_without_early_stopping(Estimator, solver):
    # MLP sets validation_scores_ and best_validation_score_ to None when it
    # holds nothing out (rather than leaving them unset)
    X, y = _data(2)
    mlp = MLPClassifier(max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        mlp.fit(X, y)
    assert mlp.validation_scores_ is None and mlp.best_validation_score_ is None
    net = Estimator(solver=solver, max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, _target(Estimator, X, y))
    assert net.validation_scores_ is None
    assert net.best_validation_score_ is None
    # with early stopping: a list, and its best; a refit without it goes
    # back to None
    net.set_params(early_stopping=True, solver="gd" if solver == "lbfgs" else solver)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, _target(Estimator, X, y))
    assert len(net.validation_scores_) == net.n_iter_
    assert net.best_validation_score_ == max(net.validation_scores_)
    net.set_params(early_stopping=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, _target(Estimator, X, y))
    assert net.validation_scores_ is None and net.best_validation_score_ is None


# -- the differences the "Coming from MLPClassifier" page lists -----------------


@pytest.mark.parametrize("Estimator", [LogisticGD, ShallowNetClassifier,
                                       DeepNetClassifier])
def test_a_single_class_is_refused_where_mlp_fits_it(Estimator):
    X, _ = _data(2)
    y = np.ones(len(X), dtype=int)
    mlp = MLPClassifier(max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        mlp.fit(X, y)
    assert list(mlp.classes_) == [1] and set(mlp.predict(X)) == {1}
    with pytest.raises(ValueError, match=r"contains only one class"):
        Estimator().fit(X, y)


def test_a_non_finite_cost_stops_training_where_mlp_goes_on():
    # the same plain gradient descent with too large a step: MLP records the
    # inf/NaN costs and goes on to max_iter, then refuses its weights; ours
    # stops at the first non-finite J and keeps the last finite weights
    rng = np.random.RandomState(0)
    X = rng.standard_normal((40, 3))
    y = X[:, 0] * 100
    mlp = MLPRegressor(solver="sgd", learning_rate_init=1.0, momentum=0.0,
                       batch_size=len(X), max_iter=20, n_iter_no_change=100,
                       random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # MLP's overflows
        with (pytest.raises(ValueError, match="non-finite parameter weights"),
              pytest.warns(ConvergenceWarning, match="Maximum iterations")):
            mlp.fit(X, y)
    assert len(mlp.loss_curve_) == 20 and not np.all(np.isfinite(mlp.loss_curve_))
    net = lecture(ShallowNetRegressor, 100, activation="relu", learning_rate=1.0,
                  max_iter=20, init="glorot", random_state=0)
    with pytest.warns(ConvergenceWarning, match="diverged"):
        net.fit(X, y)
    assert net.n_iter_ < 20
    assert np.all(np.isfinite(net.loss_curve_))
    assert all(np.all(np.isfinite(W)) for W in net.coefs_ + net.intercepts_)
    assert np.all(np.isfinite(net.predict(X)))


def test_predict_log_proba_from_the_logits_keeps_ties_at_one_apart():
    # logits 40 and 50: both probabilities round to exactly 1.0, MLP's
    # log(predict_proba) gives 0.0 to both; ours is log σ(z) = −log(1 + e^−z)
    # from z, about −4e-18 and −2e-22 (and −40, −50 for the other class,
    # whose probability 1 − 1.0 = 0 gives MLP −inf and a RuntimeWarning)
    X, y = _data(2)
    coefs = [np.array([[1.0], [0.0], [0.0]]), np.array([[1.0]])]
    intercepts = [np.zeros(1), np.zeros(1)]
    X_far = np.array([[40.0, 0.0, 0.0], [50.0, 0.0, 0.0]])
    mlp = MLPClassifier((1,), activation="identity", max_iter=1, random_state=0)
    net = DeepNetClassifier((1,), activation="identity", max_iter=1,
                            random_state=0)
    for model in (mlp, net):
        with pytest.warns(ConvergenceWarning):
            model.fit(X, y)
        model.coefs_ = [c.copy() for c in coefs]
        model.intercepts_ = [b.copy() for b in intercepts]
    np.testing.assert_array_equal(mlp.predict_proba(X_far)[:, 1], [1.0, 1.0])
    np.testing.assert_array_equal(net.predict_proba(X_far)[:, 1], [1.0, 1.0])
    with pytest.warns(RuntimeWarning, match="divide by zero"):  # log(0)
        theirs = mlp.predict_log_proba(X_far)
    np.testing.assert_array_equal(theirs, [[-np.inf, 0.0], [-np.inf, 0.0]])
    ours = net.predict_log_proba(X_far)
    np.testing.assert_allclose(ours[:, 1], -np.log1p(np.exp([-40.0, -50.0])),
                               rtol=1e-15)
    assert ours[0, 1] < ours[1, 1] < 0
    np.testing.assert_allclose(ours[:, 0], [-40.0, -50.0], rtol=1e-15)
