"""LogisticGD: logistic regression trained by gradient descent (lecture §二).

A hand-worked step, central-difference gradient checks, equality with the
lecture's loop written out in numpy, agreement with scikit-learn's
LogisticRegression at convergence, properties, sample weights and errors."""

import math
import warnings

import numpy as np
import pytest
from _helpers import short_run
from _reference import (
    assert_float32_close,
    float32_tolerance,
    logistic_regression,
    numerical_gradient,
    relative_error,
)
from _reference import forward as reference_forward
from _reference import targets as reference_targets
from _reference import train as reference_train
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from sknnbasics import LogisticGD
from sknnbasics._activations import get_activation
from sknnbasics._cost import OutputLayer
from sknnbasics._network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)


def data(n_classes=2, n_samples=120, n_features=4, seed=0, scale=True):
    """Overlapping classes (the maximum-likelihood solution exists)."""
    X, y = make_classification(
        n_samples=n_samples, n_features=n_features, n_informative=3, n_redundant=0,
        n_classes=n_classes, n_clusters_per_class=1, flip_y=0.1, class_sep=0.8,
        random_state=seed)
    if scale:
        X = StandardScaler().fit_transform(X)
    return X, y


# -- one gradient-descent step by hand (§二 逻辑回归的梯度下降) ---------------------


@short_run  # one step, worked by hand
def test_one_step_by_hand():
    # m = 3 samples, n_x = 2 features, w = (0, 0), b = 0, α = 0.1
    X = np.array([[1.0, 2.0],
                  [-1.0, 0.0],
                  [0.0, 1.0]])
    y = np.array([1, 0, 1])
    alpha = 0.1
    # z = wᵀx + b = 0 for every sample, so ŷ = σ(0) = 1/2 for all three
    y_hat = [0.5, 0.5, 0.5]
    # J = -(1/3) Σ (y log ŷ + (1-y) log(1-ŷ)) = -(1/3)·3·log(1/2) = ln 2
    J = -(1 / 3) * (1 * math.log(0.5) + 1 * math.log(1 - 0.5) + 1 * math.log(0.5))
    assert J == pytest.approx(math.log(2), rel=1e-15)
    # A - Y = (0.5 - 1, 0.5 - 0, 0.5 - 1) = (-0.5, 0.5, -0.5)
    d = [y_hat[0] - 1, y_hat[1] - 0, y_hat[2] - 1]
    # dw = (1/m) X (A - Y)ᵀ
    dw1 = (1 / 3) * (1.0 * d[0] + (-1.0) * d[1] + 0.0 * d[2])  # = -1/3
    dw2 = (1 / 3) * (2.0 * d[0] + 0.0 * d[1] + 1.0 * d[2])  # = -1/2
    db = (1 / 3) * (d[0] + d[1] + d[2])  # = -1/6
    assert (dw1, dw2, db) == pytest.approx((-1 / 3, -1 / 2, -1 / 6), rel=1e-15)
    # w := w - α dw, b := b - α db
    w1, w2, b = 0 - alpha * dw1, 0 - alpha * dw2, 0 - alpha * db  # 1/30, 1/20, 1/60

    model = LogisticGD(learning_rate=alpha, max_iter=1, tol=None).fit(X, y)

    assert model.n_iter_ == 1
    assert model.learning_rate_ == alpha
    assert model.loss_curve_ == [pytest.approx(J, rel=1e-15)]
    assert model.loss_curve_[0] == pytest.approx(math.log(2), rel=1e-15)
    np.testing.assert_allclose(model.coef_, [[w1, w2]], rtol=1e-15)
    np.testing.assert_allclose(model.coef_, [[1 / 30, 1 / 20]], rtol=1e-15)
    np.testing.assert_allclose(model.intercept_, [b], rtol=1e-15)
    np.testing.assert_allclose(model.intercept_, [1 / 60], rtol=1e-15)


def test_two_steps_by_hand_with_three_classes():
    # softmax with w = b = 0: ŷ = (1/3, 1/3, 1/3) and J = ln 3; dZ = A - Y
    X = np.array([[2.0], [0.0], [-1.0]])
    y = np.array([0, 1, 2])
    # dW[k] = (1/3) Σᵢ (1/3 - [yᵢ = k]) xᵢ; Σᵢ xᵢ = 1
    dW = [(1 / 3) * (1 / 3 * 1.0 - 2.0),
          (1 / 3) * (1 / 3 * 1.0 - 0.0),
          (1 / 3) * (1 / 3 * 1.0 - (-1.0))]
    # db[k] = (1/3)(3·1/3 - 1) = 0 for every class
    alpha = 0.3
    model = LogisticGD(learning_rate=alpha, max_iter=1, tol=None).fit(X, y)
    assert model.loss_curve_[0] == pytest.approx(math.log(3), rel=1e-15)
    np.testing.assert_allclose(model.coef_, -alpha * np.array(dW).reshape(3, 1),
                               rtol=1e-14)
    np.testing.assert_allclose(model.intercept_, 0.0, atol=1e-16)


# -- gradient check of J for L = 1 ------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_gradient_check_of_the_cost(n_classes, weighted, alpha):
    rng = np.random.RandomState(n_classes)
    m, n_x = 11, 4
    X = rng.standard_normal((n_x, m))
    classes = np.arange(n_classes)
    y = rng.randint(n_classes, size=m)
    Y = reference_targets(y, classes)
    n_out = Y.shape[0]
    parameters = {"W1": rng.standard_normal((n_out, n_x)),
                  "b1": rng.standard_normal((n_out, 1))}
    s = rng.uniform(0.1, 3.0, size=m) if weighted else None
    hidden = get_activation("identity")
    output = OutputLayer("logistic" if n_classes == 2 else "softmax")

    def J():
        cache = forward_propagation(X, parameters, hidden, output)
        return compute_cost(cache, Y, parameters, output, s, alpha)

    cache = forward_propagation(X, parameters, hidden, output)
    grads = backward_propagation(cache, Y, parameters, hidden, output, s, alpha)
    numerical = numerical_gradient(J, parameters, eps=1e-6)
    assert relative_error(numerical, {k: grads[k] for k in numerical}) < 1e-7


# -- the whole trajectory equals the lecture's loop ------------------------------


@pytest.mark.parametrize("learning_rate", [0.5, "auto"])
def test_trajectory_equals_the_lectures_loop(learning_rate):
    X, y = data(2, n_samples=80)
    model = LogisticGD(learning_rate=learning_rate, max_iter=3000, tol=None).fit(X, y)
    w, b, costs = logistic_regression(X.T, y.astype(float), model.learning_rate_,
                                      3000)
    assert len(model.loss_curve_) == model.n_iter_ == 3000
    np.testing.assert_allclose(model.loss_curve_, costs, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.coef_, w.T, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.intercept_, [b], rtol=0, atol=1e-10)
    # and it went somewhere: the cost fell well below ln 2
    assert costs[-1] < 0.8 * math.log(2)


def test_softmax_trajectory_equals_the_lectures_loop():
    X, y = data(3, n_samples=90)
    model = LogisticGD(learning_rate=0.5, max_iter=3000, tol=None).fit(X, y)
    start = {"W1": np.zeros((3, X.shape[1])), "b1": np.zeros((3, 1))}
    Y = reference_targets(y, model.classes_)
    parameters, costs = reference_train(start, X.T, Y, "identity", 0.5, 3000)
    np.testing.assert_allclose(model.loss_curve_, costs, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.coef_, parameters["W1"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.intercept_, parameters["b1"].ravel(), rtol=0,
                               atol=1e-10)
    assert costs[0] == pytest.approx(math.log(3), rel=1e-15)
    assert costs[-1] < 0.8 * math.log(3)


def test_weighted_penalised_trajectory_equals_the_reference():
    X, y = data(3, n_samples=60, seed=3)
    s = np.random.RandomState(0).uniform(0.2, 2.0, size=len(y))
    model = LogisticGD(learning_rate=0.3, alpha=0.7, max_iter=500, tol=None)
    model.fit(X, y, sample_weight=s)
    start = {"W1": np.zeros((3, X.shape[1])), "b1": np.zeros((3, 1))}
    parameters, costs = reference_train(start, X.T, reference_targets(y, [0, 1, 2]),
                                        "identity", 0.3, 500, s=s, alpha=0.7)
    np.testing.assert_allclose(model.loss_curve_, costs, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.coef_, parameters["W1"], rtol=0, atol=1e-10)


# -- agreement with scikit-learn's LogisticRegression ------------------------------


@pytest.mark.parametrize(
    "n_classes, alpha, max_iter",
    [(2, 0.0, 5000), (3, 0.0, 12000), (2, 1.0, 2000), (3, 1.0, 5000)],
)
def test_agrees_with_sklearn_logistic_regression_at_convergence(n_classes, alpha,
                                                                max_iter):
    X, y = data(n_classes, n_samples=200)
    # C = 1/alpha: LogisticRegression minimises C Σ Lᵢ + ½‖w‖², i.e. m·C times
    # (1/m) Σ Lᵢ + (alpha/2m)‖w‖²; C = inf is no penalty (the non-deprecated
    # spelling in scikit-learn 1.9: penalty=None warns)
    C = np.inf if alpha == 0 else 1 / alpha
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sk = LogisticRegression(C=C, solver="newton-cholesky", tol=1e-12,
                                max_iter=1000).fit(X, y)
        gd = LogisticGD(alpha=alpha, max_iter=max_iter, tol=None).fit(X, y)
    coef, sk_coef = gd.coef_, sk.coef_
    intercept, sk_intercept = gd.intercept_, sk.intercept_
    if n_classes > 2:
        # softmax is unchanged by adding one vector to every class' weights;
        # gradient descent from 0 keeps Σ_k w_k = 0, so centre both
        coef, sk_coef = coef - coef.mean(0), sk_coef - sk_coef.mean(0)
        intercept = intercept - intercept.mean()
        sk_intercept = sk_intercept - sk_intercept.mean()
        np.testing.assert_allclose(gd.coef_.sum(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(coef, sk_coef, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(intercept, sk_intercept, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(gd.predict_proba(X), sk.predict_proba(X), rtol=0,
                               atol=1e-8)
    np.testing.assert_array_equal(gd.predict(X), sk.predict(X))


# -- properties -------------------------------------------------------------------


@pytest.fixture(scope="module", params=[2, 3], ids=["binary", "multiclass"])
def fitted(request):
    X, y = data(request.param, seed=1)
    return LogisticGD(max_iter=300, tol=None).fit(X, y), X, y


def test_probabilities_sum_to_one_and_predict_is_their_argmax(fitted):
    model, X, y = fitted
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), len(model.classes_))
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(model.predict(X),
                                  model.classes_[np.argmax(proba, axis=1)])
    assert model.score(X, y) > 0.7


def test_predict_log_proba_is_the_log_of_predict_proba(fitted):
    model, X, _ = fitted
    # moderate logits here (|z| < 10), where 1 - σ(z) keeps its precision
    assert np.abs(model.decision_function(X)).max() < 10
    np.testing.assert_allclose(model.predict_log_proba(X),
                               np.log(model.predict_proba(X)), rtol=1e-12,
                               atol=1e-14)


def test_decision_function_shape_and_meaning(fitted):
    model, X, _ = fitted
    scores = model.decision_function(X)
    K = len(model.classes_)
    expected = X @ model.coef_.T + model.intercept_
    if K == 2:
        assert scores.shape == (len(X),)
        np.testing.assert_allclose(scores, expected[:, 0], rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(model.predict_proba(X)[:, 1],
                                   1 / (1 + np.exp(-scores)), rtol=1e-14)
    else:
        assert scores.shape == (len(X), K)
        np.testing.assert_allclose(scores, expected, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_huge_logits_give_finite_log_probabilities_without_warnings(n_classes):
    X, y = data(n_classes, seed=2)
    model = LogisticGD(max_iter=200, tol=None).fit(X, y)
    # scale the inputs so that the logits reach |z| ~ 1e4
    X_far = X * (1e4 / np.abs(model.decision_function(X)).max())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = model.decision_function(X_far)
        proba = model.predict_proba(X_far)
        log_proba = model.predict_log_proba(X_far)
        labels = model.predict(X_far)
    assert 5e3 < np.abs(scores).max() <= 1e4 * (1 + 1e-12)
    assert np.all(np.isfinite(proba)) and np.all(np.isfinite(log_proba))
    assert np.all(log_proba <= 0)
    # some probabilities underflow to exactly 0 while their logs stay finite
    assert np.any(proba == 0)
    assert log_proba.min() < -1e3
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(np.exp(log_proba), proba, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(labels, model.classes_[np.argmax(proba, axis=1)])
    np.testing.assert_array_equal(labels,
                                  model.classes_[np.argmax(log_proba, axis=1)])


def test_predict_log_proba_is_the_log_of_predict_proba_in_the_tails():
    # where predict_proba is positive its log is predict_log_proba, also for
    # the small probabilities of the far tails (1 - σ(z) = σ(-z) ≈ e^{-z})
    X, y = data(2, n_samples=20)
    model = LogisticGD(max_iter=1, tol=None).fit(X, y)
    model.coef_ = np.array([[1.0, 0.0, 0.0, 0.0]])
    model.intercept_ = np.array([0.0])
    z = np.array([-36.0, -30.0, -20.0, 20.0, 30.0, 36.0, 700.0, -700.0])
    X_tails = np.column_stack([z, np.zeros((len(z), 3))])
    proba = model.predict_proba(X_tails)
    log_proba = model.predict_log_proba(X_tails)
    np.testing.assert_allclose(log_proba[:, 1], -np.log1p(np.exp(-z)), rtol=1e-15)
    positive = proba > 0
    assert positive.all()  # e^{-700} ≈ 1e-304 is a float64 number, not 0
    # relative where log p is large, absolute near log 1 = 0 (a p within 1e-16
    # of 1 has a log known only to ~1e-16)
    np.testing.assert_allclose(np.log(proba[positive]), log_proba[positive],
                               rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_cost_never_increases_with_a_small_step_or_auto(n_classes):
    X, y = data(n_classes, seed=4)
    for learning_rate in (0.01, "auto"):
        curve = LogisticGD(learning_rate=learning_rate, max_iter=500,
                           tol=None).fit(X, y).loss_curve_
        assert np.all(np.diff(curve) <= 0), learning_rate
    # "auto" also on raw, badly scaled features (breast cancer: up to ~4000)
    X_raw, y_raw = load_breast_cancer(return_X_y=True)
    curve = LogisticGD(max_iter=300, tol=None).fit(X_raw, y_raw).loss_curve_
    assert np.all(np.isfinite(curve))
    assert np.all(np.diff(curve) <= 0)
    assert curve[-1] < curve[0]


def test_auto_learning_rate_is_the_documented_formula():
    X, y = data(2, seed=5, scale=False)
    X3, y3 = data(3, seed=5, scale=False)
    s = np.random.RandomState(0).uniform(0.5, 3.0, size=len(y))
    m = len(y)
    # α = 1/H, H = ¼·mean‖(x, 1)‖² (½ for softmax) + alpha/m
    norms = np.sum(X**2, axis=1) + 1
    norms3 = np.sum(X3**2, axis=1) + 1
    cases = [
        (X, y, None, 0.0, 1 / (0.25 * np.mean(norms))),
        (X3, y3, None, 0.0, 1 / (0.5 * np.mean(norms3))),
        (X, y, None, 2.0, 1 / (0.25 * np.mean(norms) + 2.0 / m)),
        (X, y, s, 2.0, 1 / (0.25 * np.sum(s * norms) / np.sum(s) + 2.0 / np.sum(s))),
    ]
    for X_, y_, s_, alpha, expected in cases:
        model = LogisticGD(alpha=alpha, max_iter=1, tol=None)
        model.fit(X_, y_, sample_weight=s_)
        assert model.learning_rate_ == pytest.approx(expected, rel=1e-12)
    assert LogisticGD(learning_rate=0.25, max_iter=1, tol=None).fit(
        X, y).learning_rate_ == 0.25


def test_string_labels():
    X, y = data(3, seed=6)
    names = np.array(["cat", "dog", "non-cat"])
    model = LogisticGD(max_iter=100, tol=None).fit(X, names[y])
    numeric = LogisticGD(max_iter=100, tol=None).fit(X, y)
    np.testing.assert_array_equal(model.classes_, names)
    np.testing.assert_array_equal(model.predict(X), names[numeric.predict(X)])
    np.testing.assert_array_equal(model.coef_, numeric.coef_)
    binary = LogisticGD(max_iter=50, tol=None).fit(X[y < 2], names[y[y < 2]])
    assert set(binary.predict(X)) <= {"cat", "dog"}
    # classes_[1] is the positive class: the one the sigmoid unit predicts
    np.testing.assert_array_equal(
        binary.predict(X), np.where(binary.decision_function(X) > 0, "dog", "cat"))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_float32_stays_float32_and_float64_stays_float64(n_classes):
    X, y = data(n_classes, seed=7)
    m64 = LogisticGD(max_iter=50, tol=None).fit(X, y)
    m32 = LogisticGD(max_iter=50, tol=None).fit(X.astype(np.float32), y)
    for model, dtype in ((m64, np.float64), (m32, np.float32)):
        X_ = X.astype(dtype)
        assert model.coef_.dtype == dtype
        assert model.intercept_.dtype == dtype
        assert model.parameters_["W1"].dtype == dtype
        assert model.predict_proba(X_).dtype == dtype
        assert model.predict_log_proba(X_).dtype == dtype
        assert model.decision_function(X_).dtype == dtype
    # 50 iterations of sums over n_x and m terms (the step "auto" too)
    tolerance = float32_tolerance(n_iter=50, n_terms=X.shape[0] + X.shape[1])
    assert_float32_close(m32.coef_, m64.coef_, tolerance)
    assert_float32_close(m32.intercept_, m64.intercept_, tolerance)
    assert_float32_close(m32.loss_curve_, m64.loss_curve_, tolerance)
    # integers are converted to float64
    m_int = LogisticGD(max_iter=5, tol=None).fit(np.round(X * 10).astype(int), y)
    assert m_int.coef_.dtype == np.float64


def test_parameters_are_the_lectures_w_and_b_as_views():
    X, y = data(2)
    model = LogisticGD(max_iter=20, tol=None).fit(X, y)
    parameters = model.parameters_
    assert sorted(parameters) == ["W1", "b1"]
    assert parameters["W1"].shape == (1, X.shape[1])
    assert parameters["b1"].shape == (1, 1)
    assert np.shares_memory(parameters["W1"], model.coef_)
    assert np.shares_memory(parameters["b1"], model.intercept_)
    with pytest.raises(NotFittedError):
        _ = LogisticGD().parameters_


def test_warm_start_continues_from_assigned_weights_with_the_new_step():
    X, y = data(2, n_samples=50, seed=11)
    w0 = np.array([[0.3, -0.2, 0.1, 0.5]])
    model = LogisticGD(learning_rate=0.2, max_iter=40, tol=None, warm_start=True)
    model.coef_, model.intercept_ = w0.copy(), np.array([-0.1])
    model.fit(X, y)
    start = {"W1": w0, "b1": np.array([[-0.1]])}
    Y = y.reshape(1, -1).astype(float)
    expected, costs = reference_train(start, X.T, Y, "identity", 0.2, 40)
    np.testing.assert_allclose(model.loss_curve_, costs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.coef_, expected["W1"], rtol=0, atol=1e-12)
    # a second warm fit continues with the learning rate set in between
    expected, costs2 = reference_train(expected, X.T, Y, "identity", 0.05, 10)
    model.set_params(learning_rate=0.05, max_iter=10).fit(X, y)
    assert model.learning_rate_ == 0.05
    np.testing.assert_allclose(model.loss_curve_[-10:], costs2, rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.coef_, expected["W1"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.intercept_, expected["b1"].ravel(), rtol=0,
                               atol=1e-12)


# -- sample weights: J = Σ sᵢ Lᵢ / Σ sᵢ -------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("learning_rate", [0.5, "auto"])
def test_integer_weights_equal_duplicated_rows(n_classes, learning_rate):
    X, y = data(n_classes, n_samples=40, seed=8)
    s = np.random.RandomState(1).randint(1, 4, size=len(y))
    kwargs = dict(learning_rate=learning_rate, alpha=0.3, max_iter=200, tol=None)
    weighted = LogisticGD(**kwargs).fit(X, y, sample_weight=s)
    duplicated = LogisticGD(**kwargs).fit(np.repeat(X, s, axis=0), np.repeat(y, s))
    assert weighted.learning_rate_ == pytest.approx(duplicated.learning_rate_,
                                                    rel=1e-14)
    np.testing.assert_allclose(weighted.loss_curve_, duplicated.loss_curve_,
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(weighted.coef_, duplicated.coef_, rtol=0, atol=1e-12)
    np.testing.assert_allclose(weighted.intercept_, duplicated.intercept_, rtol=0,
                               atol=1e-12)


@pytest.mark.parametrize("learning_rate", [0.5, "auto"])
def test_zero_weights_equal_removing_rows(learning_rate):
    X, y = data(3, n_samples=40, seed=9)
    s = np.ones(len(y))
    s[::3] = 0
    kept = s > 0
    kwargs = dict(learning_rate=learning_rate, alpha=0.2, max_iter=200, tol=None)
    weighted = LogisticGD(**kwargs).fit(X, y, sample_weight=s)
    removed = LogisticGD(**kwargs).fit(X[kept], y[kept])
    np.testing.assert_allclose(weighted.loss_curve_, removed.loss_curve_, rtol=0,
                               atol=1e-12)
    np.testing.assert_allclose(weighted.coef_, removed.coef_, rtol=0, atol=1e-12)


def test_uniform_weights_change_nothing():
    X, y = data(2, n_samples=40, seed=10)
    plain = LogisticGD(max_iter=100, tol=None).fit(X, y)
    scaled = LogisticGD(max_iter=100, tol=None).fit(X, y,
                                                    sample_weight=np.full(40, 2.5))
    np.testing.assert_allclose(scaled.loss_curve_, plain.loss_curve_, rtol=1e-13)
    np.testing.assert_allclose(scaled.coef_, plain.coef_, rtol=1e-12)


# -- clear errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(learning_rate=-1), r"'learning_rate' parameter of LogisticGD must be a "
                                 r"float in the range \(0\.0, inf\) or a str among "
                                 r"\{'auto'\}\. Got -1 instead"),
        (dict(learning_rate=0.0), r"'learning_rate'.*\(0\.0, inf\).*Got 0\.0"),
        (dict(learning_rate="fast"), r"'learning_rate'.*\{'auto'\}.*Got 'fast'"),
        (dict(max_iter=0), r"'max_iter' parameter of LogisticGD must be an int in "
                           r"the range \[1, inf\)\. Got 0 instead"),
        (dict(max_iter=2.5), r"'max_iter'.*int.*Got 2\.5"),
        (dict(tol=-1), r"'tol' parameter of LogisticGD must be a float in the range "
                       r"\[0\.0, inf\) or None\. Got -1 instead"),
        (dict(n_iter_no_change=0), r"'n_iter_no_change'.*\[1, inf\).*Got 0"),
        (dict(alpha=-0.1), r"'alpha'.*\[0\.0, inf\).*Got -0\.1"),
        (dict(batch_size=0),
         r"'batch_size'.*\[1, inf\).*'auto'.*or None.*Got 0"),
        (dict(validation_fraction=1.0), r"'validation_fraction'.*\(0\.0, 1\.0\)"
                                              r".*Got 1\.0"),
        (dict(class_weight="auto"), r"'class_weight'.*\{'balanced'\}.*Got 'auto'"),
        (dict(early_stopping="yes"), r"'early_stopping'.*bool.*Got 'yes'"),
        (dict(warm_start=None), r"'warm_start'.*bool.*Got None"),
    ],
)
def test_bad_hyperparameters_name_the_parameter_and_what_is_allowed(params,
                                                                    message):
    X, y = data(2, n_samples=20)
    with pytest.raises(ValueError, match=message):
        LogisticGD(**params).fit(X, y)


@pytest.mark.parametrize("bad, message", [(np.nan, "Input X contains NaN"),
                                          (np.inf, "Input X contains infinity")])
def test_nan_or_inf_in_X_is_refused(bad, message):
    X, y = data(2, n_samples=20)
    X[3, 1] = bad
    with pytest.raises(ValueError, match=message):
        LogisticGD().fit(X, y)
    model = LogisticGD(max_iter=5, tol=None).fit(*data(2, n_samples=20))
    for method in (model.predict, model.predict_proba, model.decision_function):
        with pytest.raises(ValueError, match=message):
            method(X)


def test_wrong_shapes_are_refused():
    X, y = data(2, n_samples=20)
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        LogisticGD().fit(X[:, 0], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        LogisticGD().fit(X, y[:-1])
    model = LogisticGD(max_iter=5, tol=None).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but LogisticGD is "
                                         "expecting 4 features as input"):
        model.predict(X[:, :3])
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        model.predict(X[0])
    with pytest.raises(ValueError, match="sample_weight.shape == \\(19,\\), "
                                         "expected \\(20,\\)"):
        LogisticGD().fit(X, y, sample_weight=np.ones(19))


def test_one_class_and_regression_targets_are_refused():
    X, y = data(2, n_samples=20)
    with pytest.raises(ValueError, match="LogisticGD needs samples of at least two "
                                         "classes.*only one class"):
        LogisticGD().fit(X, np.ones(20, dtype=int))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        LogisticGD().fit(X, np.linspace(0, 1, 20))


@pytest.mark.parametrize("label, shown", [(1, "1"), ("cat", "'cat'")])
def test_error_messages_show_labels_as_python_values(label, shown):
    # the message is for people: "only one class: 1", not "np.int64(1)"
    X, _ = data(2, n_samples=20)
    y = np.array([label] * 20)
    with pytest.raises(ValueError, match="contains only one class") as error:
        LogisticGD().fit(X, y)
    assert str(error.value).endswith(f"only one class: {shown}.")


def test_predict_before_fit_is_refused():
    X, _ = data(2, n_samples=20)
    with pytest.raises(NotFittedError):
        LogisticGD().predict(X)


def test_convergence_warning_says_what_to_do():
    X, y = data(2, n_samples=40)
    with pytest.warns(ConvergenceWarning,
                      match=r"reached max_iter=3 iterations and the cost was still "
                            r"improving by more than tol=0\.0001\. Increase max_iter "
                            r"or learning_rate, or set tol=None to run exactly "
                            r"max_iter iterations\."):
        LogisticGD(max_iter=3).fit(X, y)


# scikit-learn's checks train on their own small data for max_iter: whether
# that converges is not what they check (tests/test_common.py says more); and
# check_estimator reports each check it skips as a SkipTestWarning (here the
# Array API checks for torch, CuPy and dpnp when those are not installed).
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_sklearn_check_estimator():
    check_estimator(LogisticGD())


def test_the_reference_network_with_no_hidden_layer_is_the_lectures_loop():
    # L = 1 in the general reference is exactly §二's logistic regression, so the
    # networks' reference and this file's agree with each other
    X, y = data(2, n_samples=30)
    w, b, costs = logistic_regression(X.T, y.astype(float), 0.4, 50)
    start = {"W1": np.zeros((1, X.shape[1])), "b1": np.zeros((1, 1))}
    parameters, costs2 = reference_train(start, X.T, y.reshape(1, -1).astype(float),
                                         "identity", 0.4, 50)
    np.testing.assert_allclose(costs2, costs, rtol=1e-14)
    np.testing.assert_allclose(parameters["W1"], w.T, rtol=1e-12)
    assert reference_forward(X.T, parameters, "identity")[1][-1].shape == (1, 30)
