"""The training controls every estimator shares (issue 4).

Sample and class weights, the L2 penalty ``alpha``, mini-batches, ``partial_fit``,
early stopping, faults (divergence, Ctrl-C, max_iter) and reproducibility, each
checked on LogisticGD, ShallowNetClassifier and DeepNetClassifier against a
plain transcription of the lecture's formulas, a central-difference gradient
check, or an exact property (the same computation reached by another road).
"""

import copy
import math
import re
import sys
import warnings

import numpy as np
import pytest
from _helpers import short_run
from _lecture import lecture
from _reference import initialize as reference_initialize
from _reference import numerical_gradient, relative_error
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from sknnbasics import DeepNetClassifier, LogisticGD, ShallowNetClassifier

HIDDEN = {
    "LogisticGD": (),
    "ShallowNetClassifier": (3,),
    "DeepNetClassifier": (4, 3),
}
each_estimator = pytest.mark.parametrize("name", list(HIDDEN))


def make(name, **params):
    """A small estimator of family ``name`` (n[1] = 3, or (4, 3) hidden units)."""
    if name == "LogisticGD":
        return LogisticGD(**params)
    if name == "ShallowNetClassifier":
        return lecture(ShallowNetClassifier, n_hidden=3, **params)
    return lecture(DeepNetClassifier, hidden_layer_sizes=(4, 3), **params)


def data(m=60, n_classes=2, seed=0):
    X, y = make_classification(
        n_samples=m, n_features=4, n_informative=3, n_redundant=0,
        n_classes=n_classes, n_clusters_per_class=1, random_state=seed,
    )
    return X, y


def weights_of(est):
    """A copy of the lecture's parameters {"W1": …, "b1": …}."""
    return {k: v.copy() for k, v in est.parameters_.items()}


def set_weights(est, parameters):
    """Write ``parameters`` into the fitted estimator (``parameters_`` are views)."""
    for k, v in est.parameters_.items():
        v[...] = parameters[k]


def assert_same_weights(a, b):
    Pa, Pb = a.parameters_, b.parameters_
    assert Pa.keys() == Pb.keys()
    for k in Pa:
        assert_array_equal(Pa[k], Pb[k], err_msg=k)


def hand_cost(est, X, y, alpha=0.0, s=None):
    """J = Σ sᵢ Lᵢ / Σ sᵢ + (alpha / 2Σsᵢ) Σ_l ‖W[l]‖², written out from the
    logits Z[L] of the fitted estimator (biases are not in the penalty).

    One sigmoid unit: L = -(y log σ(z) + (1-y) log(1-σ(z))) = log(1 + e^{∓z});
    softmax: L = log Σ_k e^{z_k} - z_y.
    """
    Z = est.decision_function(X)
    index = np.searchsorted(est.classes_, y)
    if Z.ndim == 1:
        losses = np.where(index == 1, np.logaddexp(0, -Z), np.logaddexp(0, Z))
    else:
        losses = np.logaddexp.reduce(Z, axis=1) - Z[np.arange(len(y)), index]
    s = np.ones(len(y)) if s is None else np.asarray(s, dtype=float)
    squares = sum(np.sum(v ** 2) for k, v in est.parameters_.items()
                  if k.startswith("W"))
    return float(np.dot(s, losses) / s.sum() + alpha / (2 * s.sum()) * squares)


def fit_quietly(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


# -- 1. sample_weight and class_weight ----------------------------------------


@each_estimator
def test_integer_sample_weight_is_repeating_rows(name):
    # J = Σ sᵢLᵢ / Σ sᵢ: weight k counts a row k times, weight 0 drops it
    X, y = data()
    s = np.random.RandomState(1).randint(0, 4, size=len(y))
    a = make(name, max_iter=15, tol=None, random_state=0)
    a.fit(X, y, sample_weight=s)
    b = make(name, max_iter=15, tol=None, random_state=0)
    b.fit(np.repeat(X, s, axis=0), np.repeat(y, s))
    assert a.learning_rate_ == pytest.approx(b.learning_rate_, rel=1e-12)
    assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-10)
    for k, v in b.parameters_.items():
        assert_allclose(a.parameters_[k], v, rtol=1e-9, atol=1e-12, err_msg=k)


@each_estimator
def test_partial_fit_takes_sample_weight(name):
    X, y = data()
    s = np.random.RandomState(2).randint(0, 3, size=len(y))
    a, b = make(name, random_state=0), make(name, random_state=0)
    for _ in range(3):
        a.partial_fit(X, y, classes=[0, 1], sample_weight=s)
        b.partial_fit(np.repeat(X, s, axis=0), np.repeat(y, s), classes=[0, 1])
    assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-10)
    for k, v in b.parameters_.items():
        assert_allclose(a.parameters_[k], v, rtol=1e-9, atol=1e-12, err_msg=k)


@each_estimator
def test_class_weight_dict_multiplies_sample_weight(name):
    X, y = data(n_classes=3)
    labels = np.array(["cat", "dog", "owl"])[y]
    s = np.random.RandomState(3).uniform(0.5, 2.0, size=len(y))
    per_class = {"cat": 3.0, "dog": 0.5, "owl": 1.25}
    a = make(name, class_weight=per_class, max_iter=10, tol=None, random_state=0)
    a.fit(X, labels, sample_weight=s)
    b = make(name, max_iter=10, tol=None, random_state=0)
    b.fit(X, labels, sample_weight=s * np.array([3.0, 0.5, 1.25])[y])
    assert_array_equal(a.loss_curve_, b.loss_curve_)
    assert_same_weights(a, b)


@each_estimator
def test_class_weight_balanced_is_n_over_k_count(name):
    # "balanced": class k weighs m / (K · m_k), so every class has total weight m/K
    X, y = data(m=70, n_classes=2)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:15]]
    X, y = X[keep], y[keep]
    counts = np.bincount(y)
    a = make(name, class_weight="balanced", max_iter=10, tol=None, random_state=0)
    a.fit(X, y)
    b = make(name, max_iter=10, tol=None, random_state=0)
    b.fit(X, y, sample_weight=(len(y) / (2 * counts))[y])
    assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-12)
    for k, v in b.parameters_.items():
        assert_allclose(a.parameters_[k], v, rtol=1e-12, atol=1e-15, err_msg=k)
    # and it is not the unweighted fit
    c = make(name, max_iter=10, tol=None, random_state=0).fit(X, y)
    assert abs(a.loss_curve_[-1] - c.loss_curve_[-1]) > 1e-3


def plain_cost_and_gradients(parameters, X, y, classes, s, alpha):
    """J = Σ sᵢ Lᵢ / Σ sᵢ + (alpha / 2Σsᵢ) Σ_l ‖W[l]‖² and its gradients, written
    out in plain numpy from the lecture's formulas (tanh hidden layers, one
    sigmoid unit for two classes, softmax otherwise), with m = Σ sᵢ."""
    L = len(parameters) // 2
    index = np.searchsorted(classes, y)
    if len(classes) == 2:
        Y = index.reshape(1, -1).astype(float)
    else:
        Y = (np.arange(len(classes))[:, None] == index).astype(float)
    A = [X.T]
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A[-1] + parameters[f"b{l}"]
        if l < L:
            A.append(np.tanh(Z))
        elif len(classes) == 2:
            A.append(1 / (1 + np.exp(-Z)))
        else:
            A.append(np.exp(Z) / np.sum(np.exp(Z), axis=0))
    AL = A[-1]
    if len(classes) == 2:
        losses = -(Y[0] * np.log(AL[0]) + (1 - Y[0]) * np.log(1 - AL[0]))
    else:
        losses = -np.sum(Y * np.log(AL), axis=0)
    m = np.sum(s)
    squares = sum(np.sum(parameters[f"W{l}"] ** 2) for l in range(1, L + 1))
    J = np.sum(s * losses) / m + alpha / (2 * m) * squares
    grads, dZ = {}, (AL - Y) * s
    for l in range(L, 0, -1):
        grads[f"W{l}"] = dZ @ A[l - 1].T / m + alpha / m * parameters[f"W{l}"]
        grads[f"b{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        dZ = parameters[f"W{l}"].T @ dZ * (1 - A[l - 1] ** 2)
    return J, grads


@each_estimator
@pytest.mark.parametrize("n_classes", [2, 3])
def test_class_weight_with_a_penalty_is_the_weighted_penalised_cost(name, n_classes):
    # the L2 term's m is Σ sᵢ, so class weights enter J twice: in the mean of
    # the losses and in the penalty's 1/(2m)
    X, y = data(n_classes=n_classes)
    classes = np.arange(n_classes)
    per_class = {0: 3.0, 1: 0.5, 2: 1.25}
    s = np.array([per_class[k] for k in y])
    alpha = 0.7
    params = dict(alpha=alpha, learning_rate=0.5, max_iter=6, tol=None,
                  random_state=0)
    a = make(name, class_weight={k: per_class[k] for k in classes}, **params)
    a.fit(X, y)
    # the same as the equivalent sample weights, to the last bit
    b = make(name, **params).fit(X, y, sample_weight=s)
    assert_array_equal(a.loss_curve_, b.loss_curve_)
    assert_same_weights(a, b)

    # one more step, checked against J and its gradient written out by hand
    before = weights_of(a)
    a.set_params(warm_start=True, max_iter=1).fit(X, y)
    J, grads = plain_cost_and_gradients(before, X, y, classes, s, alpha)
    assert a.loss_curve_[-1] == pytest.approx(J, rel=1e-12)
    lr = a.learning_rate_
    for key, value in before.items():
        assert_allclose(a.parameters_[key], value - lr * grads[key], rtol=1e-12,
                        atol=1e-14, err_msg=key)
    # the penalty counts: a different alpha gives a different J
    assert J - plain_cost_and_gradients(before, X, y, classes, s, 0.0)[0] > 1e-3


@each_estimator
def test_scaling_every_class_weight_matters_only_with_a_penalty(name):
    # J = Σ sᵢ Lᵢ / Σ sᵢ does not change when every sᵢ doubles, but the
    # penalty (alpha / 2Σsᵢ) Σ‖W‖² halves: the fits then differ
    X, y = data()
    fits = {}
    for alpha in (0.0, 2.0):
        for c in (1.0, 2.0):
            est = make(name, class_weight={0: 3.0 * c, 1: 0.5 * c}, alpha=alpha,
                       learning_rate=0.5, max_iter=10, tol=None, random_state=0)
            fits[alpha, c] = est.fit(X, y)
    assert_allclose(fits[0.0, 2.0].loss_curve_, fits[0.0, 1.0].loss_curve_,
                    rtol=1e-12)
    doubled, single = fits[2.0, 2.0].loss_curve_, fits[2.0, 1.0].loss_curve_
    if name != "LogisticGD":  # which starts from W = 0, where the penalty is 0
        assert doubled[0] < single[0]  # the same weights, half the penalty
    assert abs(doubled[-1] - single[-1]) > 1e-3


@each_estimator
def test_partial_fit_refuses_balanced_class_weight(name):
    # "balanced" needs the class counts of all the data, which one chunk does
    # not know (scikit-learn's SGDClassifier refuses it the same way)
    X, y = data()
    est = make(name, class_weight="balanced")
    with pytest.raises(ValueError, match="balanced.*partial_fit|partial_fit.*balanced"):
        est.partial_fit(X[y == 0], y[y == 0], classes=[0, 1])


# -- 2. alpha: the L2 penalty -------------------------------------------------


@each_estimator
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_penalised_gradient_matches_central_differences(name, n_classes, weighted):
    """The step the estimator takes is -α ∂J/∂θ for J with the L2 penalty, and
    loss_curve_ holds that J (penalty included)."""
    X, y = data(n_classes=n_classes)
    s = np.random.RandomState(4).uniform(0.2, 3.0, len(y)) if weighted else None
    alpha = 0.8
    est = make(name, alpha=alpha, learning_rate=0.5, max_iter=20, tol=None,
               warm_start=True, random_state=0)
    est.fit(X, y, sample_weight=s)
    before = weights_of(est)
    est.set_params(max_iter=1).fit(X, y, sample_weight=s)  # one step from `before`
    after = weights_of(est)

    set_weights(est, before)
    # loss_curve_[-1] is J of the weights the step started from (the final
    # weights of the first fit), penalty included
    assert est.loss_curve_[-1] == pytest.approx(hand_cost(est, X, y, alpha, s),
                                                rel=1e-12)
    assert hand_cost(est, X, y, alpha, s) - hand_cost(est, X, y, 0.0, s) > 1e-3

    # the shared central differences (h = 1e-6) and relative error, as in
    # every other gradient check
    step = {f"d{key}": (before[key] - after[key]) / est.learning_rate_
            for key in before}
    numeric = numerical_gradient(lambda: hand_cost(est, X, y, alpha, s),
                                 est.parameters_)
    assert relative_error(numeric, step) < 1e-7


@each_estimator
@short_run  # 4 iterations, then one step compared by hand
def test_penalty_shrinks_weights_not_biases(name):
    # from the same weights, alpha changes dW[l] by exactly (alpha/m) W[l] and
    # leaves db[l] bit for bit the same
    X, y = data()
    start = make(name, learning_rate=0.1, max_iter=4, tol=None, random_state=0)
    start.fit(X, y)
    P0 = weights_of(start)
    stepped = {}
    for alpha in (0.0, 3.0):
        est = copy.deepcopy(start).set_params(alpha=alpha, warm_start=True,
                                              max_iter=1)
        stepped[alpha] = weights_of(est.fit(X, y))
    m, lr = len(y), start.learning_rate_
    for key in P0:
        if key.startswith("b"):
            assert_array_equal(stepped[3.0][key], stepped[0.0][key])
        else:
            assert_allclose(stepped[0.0][key] - stepped[3.0][key],
                            lr * 3.0 / m * P0[key], rtol=1e-9, atol=1e-15)


# -- 3. mini-batches ----------------------------------------------------------


@each_estimator
def test_batch_size_at_least_m_is_the_full_batch(name):
    X, y = data()
    full = make(name, max_iter=12, tol=None, random_state=0).fit(X, y)
    for batch_size in (len(y), len(y) + 1, 10 * len(y)):
        est = make(name, batch_size=batch_size, max_iter=12, tol=None,
                   random_state=0).fit(X, y)
        assert_array_equal(est.loss_curve_, full.loss_curve_)
        assert_same_weights(est, full)


def reference_minibatch_gd(X, y, hidden, learning_rate, batch_size, epochs, seed,
                           reshuffle=True):
    """Mini-batch gradient descent transcribed from the lecture: tanh hidden
    layers, one sigmoid output, W[l] ~ N(0,1)/√n[l-1] (zero without hidden
    layers), b[l] = 0; each epoch reshuffles the previous epoch's order of the rows
    with RandomState(seed) after the initial draws (MLPClassifier's rule), then
    steps on each batch in turn.

    Returns (W, b, loss_curve, plain_mean_curve): loss_curve holds Σ_b m_b J_b / m,
    plain_mean_curve the unweighted mean of the batch costs.
    """
    rng = np.random.RandomState(seed)
    dims = [X.shape[1], *hidden, 1]
    L = len(dims) - 1
    W, b = [], []
    for l in range(1, L + 1):
        if hidden:
            W.append(rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1]))
        else:
            W.append(np.zeros((dims[l], dims[l - 1])))
        b.append(np.zeros((dims[l], 1)))
    m = len(y)
    Y = y.reshape(1, -1).astype(float)
    curve, plain_curve = [], []
    order = np.arange(m)
    for epoch in range(epochs):
        if reshuffle or epoch == 0:
            # each epoch reshuffles the last one's order (MLPClassifier's rule)
            order = order[rng.permutation(m)]
        costs, sizes = [], []
        for start in range(0, m, batch_size):
            columns = order[start:start + batch_size]
            A = [X[columns].T]
            for l in range(L):
                Z = W[l] @ A[-1] + b[l]
                A.append(np.tanh(Z) if l < L - 1 else 1 / (1 + np.exp(-Z)))
            A_L, Y_b, m_b = A[-1], Y[:, columns], len(columns)
            costs.append(-np.mean(Y_b * np.log(A_L) + (1 - Y_b) * np.log(1 - A_L)))
            sizes.append(m_b)
            dZ = A_L - Y_b
            for l in reversed(range(L)):
                dW = dZ @ A[l].T / m_b
                db = dZ.sum(axis=1, keepdims=True) / m_b
                if l > 0:
                    dZ = (W[l].T @ dZ) * (1 - A[l] ** 2)
                W[l] = W[l] - learning_rate * dW
                b[l] = b[l] - learning_rate * db
        curve.append(np.dot(sizes, costs) / m)
        plain_curve.append(np.mean(costs))
    return W, b, curve, plain_curve


@each_estimator
def test_minibatch_epochs_match_the_lecture_transcription(name):
    # m = 50, batch 16: batches of 16, 16, 16 and 2 rows
    X, y = data(m=50)
    est = make(name, batch_size=16, max_iter=4, tol=None, random_state=7).fit(X, y)
    assert est.n_iter_ == len(est.loss_curve_) == 4
    lr = est.learning_rate_
    W, b, curve, plain_curve = reference_minibatch_gd(
        X, y, HIDDEN[name], lr, 16, 4, seed=7)
    P = est.parameters_
    for l in range(len(W)):
        assert_allclose(P[f"W{l + 1}"], W[l], rtol=1e-10, atol=1e-13)
        assert_allclose(P[f"b{l + 1}"], b[l], rtol=1e-10, atol=1e-13)
    # each loss_curve_ entry is the batch-size-weighted mean of the batch costs
    assert_allclose(est.loss_curve_, curve, rtol=1e-12)
    assert not np.allclose(est.loss_curve_, plain_curve, rtol=1e-6)

    # every epoch draws a new shuffle: reusing the first one is another run
    W_same, _, curve_same, _ = reference_minibatch_gd(
        X, y, HIDDEN[name], lr, 16, 4, seed=7, reshuffle=False)
    assert curve_same[0] == pytest.approx(curve[0], rel=1e-12)
    assert not np.allclose(P["W1"], W_same[0], rtol=1e-6)


@each_estimator
def test_minibatch_runs_follow_random_state(name):
    X, y = data()
    params = dict(batch_size=7, max_iter=6, tol=None)
    a = make(name, random_state=3, **params).fit(X, y)
    b = make(name, random_state=3, **params).fit(X, y)
    c = make(name, random_state=4, **params).fit(X, y)
    assert_array_equal(a.loss_curve_, b.loss_curve_)
    assert_same_weights(a, b)
    assert not np.allclose(a.loss_curve_, c.loss_curve_, rtol=1e-8)


@each_estimator
def test_minibatch_with_zero_weight_rows(name):
    # rows of weight 0 count for nothing, also when a whole mini-batch has
    # weight 0: that batch must not make the cost 0/0 and stop training
    X, y = data()
    s = np.zeros(len(y))
    s[::6] = 1.0
    est = make(name, batch_size=3, max_iter=5, tol=None, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.fit(X, y, sample_weight=s)
    assert est.n_iter_ == 5
    assert np.all(np.isfinite(est.loss_curve_))
    assert np.all(np.isfinite(est.predict_proba(X)))



# -- 4. partial_fit -----------------------------------------------------------


@each_estimator
@pytest.mark.parametrize("batch_size", [None, 16])
@short_run  # 1–3 epochs, compared with partial_fit
def test_partial_fit_calls_are_epochs_of_fit(name, batch_size):
    X, y = data()
    est = make(name, batch_size=batch_size, random_state=0)
    for k in (1, 2, 3):
        est.partial_fit(X, y, classes=[0, 1])
        ref = make(name, batch_size=batch_size, max_iter=k, tol=None,
                   random_state=0).fit(X, y)
        assert est.n_iter_ == ref.n_iter_ == k
        assert est.learning_rate_ == ref.learning_rate_
        assert_array_equal(est.loss_curve_, ref.loss_curve_)
        assert_same_weights(est, ref)


@each_estimator
def test_partial_fit_over_chunks_reaches_the_accuracy_of_fit(name):
    X, y = make_classification(n_samples=400, n_features=4, n_informative=3,
                               n_redundant=0, random_state=1)
    fitted = fit_quietly(make(name, random_state=0), X, y).score(X, y)
    est = make(name, random_state=0)
    chunks = np.array_split(np.arange(len(y)), 20)
    for _ in range(20):
        for rows in chunks:
            est.partial_fit(X[rows], y[rows], classes=[0, 1])
    assert est.n_iter_ == 400
    assert est.score(X, y) >= fitted - 0.025


@each_estimator
def test_partial_fit_errors_are_clear(name):
    X, y = data()
    with pytest.raises(ValueError, match="first call.*classes="):
        make(name).partial_fit(X, y)
    est = make(name).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"3 features.*expecting 4 features"):
        est.partial_fit(X[:, :3], y)
    with pytest.raises(ValueError, match="labels.*5.*not among the classes"):
        est.partial_fit(X[:3], np.array([0, 1, 5]))
    with pytest.raises(ValueError, match="differs from the classes"):
        est.partial_fit(X, y, classes=[0, 1, 2])
    # a chunk may lack a class that classes= announced
    est.partial_fit(X[y == 1], y[y == 1])
    assert_array_equal(est.classes_, [0, 1])


@each_estimator
def test_label_errors_list_plain_values(name):
    X, y = data()
    est = make(name).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[5\] that are not among the "
                       r"classes \[0, 1\]"):
        est.partial_fit(X[:3], np.array([0, 1, 5]))


# -- 5. early stopping --------------------------------------------------------


def validation_rows(name, y, n_outputs, seed, fraction):
    """The rows early stopping holds out: the initial weights are drawn from
    RandomState(seed) first, then one randint seeds a stratified split."""
    rng = np.random.RandomState(seed)
    dims = [4, *HIDDEN[name], n_outputs]
    if HIDDEN[name]:
        for l in range(1, len(dims)):
            rng.standard_normal((dims[l], dims[l - 1]))
    split_seed = rng.randint(2 ** 31 - 1)
    return train_test_split(np.arange(len(y)), test_size=math.ceil(fraction * len(y)),
                            stratify=y, random_state=split_seed)


@each_estimator
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_early_stopping_keeps_the_best_validation_weights(name, n_classes, weighted):
    X, y = data(m=90, n_classes=n_classes, seed=5)
    s = np.random.RandomState(6).uniform(0.2, 3.0, len(y)) if weighted else None
    est = make(name, early_stopping=True, validation_fraction=0.2, learning_rate=1.0,
               n_iter_no_change=3, tol=1e-3, max_iter=500, random_state=2)
    est.fit(X, y, sample_weight=s)
    assert est.n_iter_ < 500  # it stopped on the validation cost
    assert len(est.validation_loss_curve_) == len(est.loss_curve_) == est.n_iter_
    assert est.best_loss_ == min(est.validation_loss_curve_)

    train, val = validation_rows(name, y, 1 if n_classes == 2 else n_classes,
                                 seed=2, fraction=0.2)
    s_val = None if s is None else s[val]
    assert hand_cost(est, X[val], y[val], s=s_val) == pytest.approx(
        est.best_loss_, rel=1e-12)
    # the training cost is over the other rows (with their weights) only
    ref = make(name, learning_rate=1.0, max_iter=1, tol=None, random_state=2)
    ref.fit(X[train], y[train], sample_weight=None if s is None else s[train])
    assert est.loss_curve_[0] == ref.loss_curve_[0]


@each_estimator
def test_validation_cost_leaves_out_the_penalty(name):
    # the held-out rows measure the fit to data; the L2 term stays in training
    X, y = data(m=90, seed=5)
    est = make(name, early_stopping=True, validation_fraction=0.2, alpha=2.0,
               learning_rate=0.5, max_iter=40, tol=None, random_state=2).fit(X, y)
    train, val = validation_rows(name, y, 1, seed=2, fraction=0.2)
    assert hand_cost(est, X[val], y[val]) == pytest.approx(est.best_loss_,
                                                           rel=1e-12)
    assert hand_cost(est, X[val], y[val], alpha=2.0) > est.best_loss_ * (1 + 1e-6)


@each_estimator
@short_run  # 5 iterations, compared with plain training
def test_early_stopping_trains_on_the_training_rows(name):
    X, y = data(m=90, seed=5)
    est = make(name, early_stopping=True, learning_rate=0.1, max_iter=5, tol=None,
               random_state=2).fit(X, y)
    train, _ = validation_rows(name, y, 1, seed=2, fraction=0.1)
    plain = make(name, learning_rate=0.1, max_iter=5, tol=None,
                 random_state=2).fit(X[train], y[train])
    assert_array_equal(est.loss_curve_, plain.loss_curve_)


@each_estimator
@short_run  # 5 iterations, compared with plain training
def test_early_stopping_keeps_the_last_update_when_it_is_the_best(name):
    # the validation cost falls at every iteration, so the best weights are
    # those after the last update: the same as plain training on the train rows
    X, y = data(m=90, seed=5)
    est = make(name, early_stopping=True, learning_rate=0.1, max_iter=5, tol=None,
               random_state=2).fit(X, y)
    assert np.all(np.diff(est.validation_loss_curve_) < 0)
    train, val = validation_rows(name, y, 1, seed=2, fraction=0.1)
    plain = make(name, learning_rate=0.1, max_iter=5, tol=None,
                 random_state=2).fit(X[train], y[train])
    # no recorded validation cost beats that of the last update's weights
    assert hand_cost(plain, X[val], y[val]) <= min(est.validation_loss_curve_) * (
        1 + 1e-12)
    assert_same_weights(est, plain)


@each_estimator
def test_validation_fraction_that_leaves_no_rows_is_an_error(name):
    X, y = data(m=20)
    est = make(name, early_stopping=True, validation_fraction=0.99)
    with pytest.raises(ValueError, match="validation_fraction=0.99"):
        est.fit(X, y)


@each_estimator
def test_weightless_validation_rows_are_an_error(name):
    X, y = data()
    _, val = validation_rows(name, y, 1, seed=0, fraction=0.1)
    s = np.ones(len(y))
    s[val] = 0.0
    est = make(name, early_stopping=True, random_state=0)
    with pytest.raises(ValueError, match=r"early_stopping held out 6 of 60 samples "
                       r"for validation, but every validation sample has sample "
                       r"weight 0, .*Use another validation_fraction or "
                       r"random_state, or early_stopping=False\."):
        est.fit(X, y, sample_weight=s)


# -- 6. progress and monitoring: see test_callbacks.py
def last_finite_iterate(name, est, k, fit_params=None, **params):
    """The weights after ``k`` iterations of ``make(name, **params)`` on the
    same data, computed by a run that stops there (k = 0: the initial
    weights, zero for LogisticGD, Xavier's draw from the seed otherwise)."""
    if k == 0:
        shapes = {key: value.shape for key, value in est.parameters_.items()}
        if name == "LogisticGD":
            return {key: np.zeros(shape) for key, shape in shapes.items()}
        dims = [shapes["W1"][1]] + [shapes[f"W{l}"][0]
                                    for l in range(1, len(shapes) // 2 + 1)]
        return reference_initialize(dims, "xavier", None, seed=0)
    # the reference run stops just before the update that diverged, its cost
    # far above its start: its own "cost rose" verdict is expected, and the
    # diverging run's warning is what the tests assert
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return weights_of(fit_params(make(name, **params), k))


def assert_weights_are(est, expected):
    for key, value in expected.items():
        assert_array_equal(est.parameters_[key], value, err_msg=key)


# -- 7. faults ----------------------------------------------------------------

DIVERGING = {
    # LogisticGD's cost is computed from the logits, so it stays finite for any
    # finite z; only a step that overflows z itself makes it inf or NaN
    "LogisticGD": dict(learning_rate=1e306),
    "ShallowNetClassifier": dict(activation="leaky_relu", learning_rate=1e3),
    "DeepNetClassifier": dict(activation="leaky_relu", learning_rate=1e3),
}


@each_estimator
def test_divergence_stops_at_once_and_keeps_finite_weights(name):
    X, y = data()
    X = 1000 * X + 500  # unscaled features
    est = make(name, max_iter=50, tol=None, random_state=0, **DIVERGING[name])
    with np.errstate(all="ignore"), pytest.warns(ConvergenceWarning) as record:
        est.fit(X, y)
    messages = [str(w.message) for w in record
                if issubclass(w.category, ConvergenceWarning)]
    assert len(messages) == 1
    found = re.search(r"diverged.*at iteration (\d+).*smaller learning_rate",
                      messages[0])
    assert found, messages[0]
    assert int(found.group(1)) == est.n_iter_ + 1
    assert est.n_iter_ < 50
    assert len(est.loss_curve_) == est.n_iter_
    assert np.all(np.isfinite(est.loss_curve_))
    assert np.all(np.isfinite(est.predict_proba(X)))
    # the weights kept are the last ones whose cost was finite: loss_curve_[-1]
    assert hand_cost(est, X, y) == pytest.approx(est.loss_curve_[-1], rel=1e-9)
    # that is the last finite iterate, n_iter_ - 1 updates from the start
    assert_weights_are(est, last_finite_iterate(
        name, est, est.n_iter_ - 1,
        lambda ref, k: ref.set_params(max_iter=k).fit(X, y),
        tol=None, random_state=0, **DIVERGING[name]))


def test_logistic_cost_stays_finite_for_huge_finite_logits():
    X, y = data()
    X = 1000 * X + 500
    est = LogisticGD(learning_rate=1e300, max_iter=30, tol=None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, y)
    # no numpy overflow warning: only the verdict that α was far too large
    assert [type(w.message) for w in caught] == [ConvergenceWarning]
    assert re.search(r"cost rose above where it started: from 0\.693147 to "
                     r".* smaller learning_rate", str(caught[0].message))
    assert est.n_iter_ == 30
    assert np.all(np.isfinite(est.loss_curve_))
    assert max(est.loss_curve_) > 1e290


@each_estimator
def test_minibatch_divergence_keeps_finite_weights(name):
    X, y = data()
    X = 1000 * X + 500
    est = make(name, batch_size=16, max_iter=50, tol=None, random_state=0,
               **DIVERGING[name])
    with np.errstate(all="ignore"), pytest.warns(ConvergenceWarning,
                                                 match="diverged"):
        est.fit(X, y)
    assert est.n_iter_ < 50
    assert len(est.loss_curve_) == est.n_iter_
    assert np.all(np.isfinite(est.loss_curve_))
    assert np.all(np.isfinite(est.decision_function(X)))
    assert math.isfinite(hand_cost(est, X, y))
    # the weights kept are the last finite iterate: those of a run stopped one
    # epoch before the one whose update went non-finite (the same shuffles)
    assert_weights_are(est, last_finite_iterate(
        name, est, max(est.n_iter_ - 1, 0),
        lambda ref, k: ref.set_params(max_iter=k).fit(X, y),
        batch_size=16, tol=None, random_state=0, **DIVERGING[name]))


@each_estimator
def test_partial_fit_divergence_keeps_finite_weights(name):
    X, y = data()
    X = 1000 * X + 500
    est = make(name, random_state=0, **DIVERGING[name])
    with np.errstate(all="ignore"), warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always", ConvergenceWarning)
        for _ in range(50):
            est.partial_fit(X, y, classes=[0, 1])
            if any("diverged" in str(w.message) for w in record):
                break
    assert any("diverged" in str(w.message) for w in record)
    with np.errstate(all="ignore"):
        assert np.all(np.isfinite(est.decision_function(X)))
        assert math.isfinite(hand_cost(est, X, y))
    # the weights kept are the last finite iterate: the diverging call's last
    # update is checked at the end of that call, which goes back to where it
    # started, i.e. the weights after the calls before it
    def partial_fits(ref, k):
        for _ in range(k):
            ref.partial_fit(X, y, classes=[0, 1])
        return ref

    calls = _ + 1
    assert_weights_are(est, last_finite_iterate(
        name, est, calls - 1, partial_fits, random_state=0, **DIVERGING[name]))


@each_estimator
@pytest.mark.parametrize("batch_size", [None, 16])
def test_keyboard_interrupt_keeps_the_last_complete_iteration(name, batch_size,
                                                              monkeypatch):
    from sknnbasics._optimizers import GradientDescent

    X, y = data()
    real_update = GradientDescent.update
    calls = []

    def interrupted_update(self, parameters, grads):
        calls.append(1)
        if len(calls) == 7:
            parameters["W1"] += 123.0  # half-way through the update
            raise KeyboardInterrupt
        return real_update(self, parameters, grads)

    monkeypatch.setattr(GradientDescent, "update", interrupted_update)
    est = make(name, batch_size=batch_size, max_iter=50, tol=None, random_state=0)
    with pytest.warns(ConvergenceWarning, match="interrupted"):
        est.fit(X, y)
    monkeypatch.undo()

    batches = 1 if batch_size is None else math.ceil(len(y) / batch_size)
    complete = 6 // batches
    assert est.n_iter_ == len(est.loss_curve_) == complete
    ref = make(name, batch_size=batch_size, max_iter=complete, tol=None,
               random_state=0).fit(X, y)
    assert_same_weights(est, ref)
    assert_array_equal(est.predict(X), ref.predict(X))


@each_estimator
def test_max_iter_without_reaching_tol_warns(name):
    X, y = data()
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        make(name, max_iter=3, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = make(name, max_iter=3, tol=None, random_state=0).fit(X, y)
        assert est.n_iter_ == 3
        # stopping because tol was met does not warn either
        est = make(name, max_iter=5000, tol=1e-3, random_state=0).fit(X, y)
        assert est.n_iter_ < 5000


# -- warm_start -----------------------------------------------------------------


@each_estimator
def test_warm_start_uses_the_current_learning_rate(name):
    # from the same weights, a warm fit with learning_rate=0.02 takes a step
    # exactly twice as long as one with 0.01 (set between the fits)
    X, y = data()
    first = make(name, learning_rate=0.5, max_iter=3, tol=None, warm_start=True,
                 random_state=0).fit(X, y)
    P0 = weights_of(first)
    steps = {}
    for learning_rate in (0.01, 0.02):
        est = copy.deepcopy(first).set_params(learning_rate=learning_rate,
                                              max_iter=1).fit(X, y)
        assert est.learning_rate_ == learning_rate
        # n_iter_ counts this fit's iterations; loss_curve_ keeps them all
        assert est.n_iter_ == 1
        assert len(est.loss_curve_) == 4
        steps[learning_rate] = {k: P0[k] - v for k, v in weights_of(est).items()}
    for k in P0:
        assert_allclose(steps[0.02][k], 2 * steps[0.01][k], rtol=1e-9, atol=1e-15)


# -- 8. reproducibility -------------------------------------------------------

SETTINGS = [
    {},
    {"batch_size": 8},
    {"early_stopping": True},
    {"batch_size": 8, "early_stopping": True},
]


@each_estimator
@pytest.mark.parametrize("settings", SETTINGS, ids=lambda d: "-".join(d) or "plain")
def test_same_random_state_gives_bit_identical_fits(name, settings):
    X, y = data()
    a = fit_quietly(make(name, max_iter=20, random_state=0, **settings), X, y)
    b = fit_quietly(make(name, max_iter=20, random_state=0, **settings), X, y)
    assert_array_equal(a.loss_curve_, b.loss_curve_)
    if settings.get("early_stopping"):
        assert_array_equal(a.validation_loss_curve_, b.validation_loss_curve_)
    assert_same_weights(a, b)


def assert_same_global_state(before, after):
    assert before[0] == after[0]
    assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


@each_estimator
@pytest.mark.parametrize("random_state", [0, None])
def test_global_random_state_is_untouched(name, random_state):
    X, y = data()
    np.random.seed(12345)
    before = np.random.get_state()
    fit_quietly(make(name, max_iter=5, random_state=random_state), X, y)
    fit_quietly(make(name, batch_size=8, early_stopping=True, max_iter=5,
                     random_state=random_state), X, y)
    est = make(name, batch_size=8, random_state=random_state)
    est.partial_fit(X, y, classes=[0, 1]).partial_fit(X, y)
    assert_same_global_state(before, np.random.get_state())


@each_estimator
def test_convergence_warnings_point_at_the_callers_line(name):
    # stacklevel names the user's fit line, not a line inside sknnbasics
    X, y = data()
    with pytest.warns(ConvergenceWarning, match="max_iter=3") as record:
        make(name, max_iter=3, random_state=0).fit(X, y)
    assert [(w.filename, w.lineno) for w in record] == \
        [(__file__, sys._getframe().f_lineno - 2)]


@pytest.mark.parametrize("name", ["batch_size", "max_iter", "learning_rate",
                                  "momentum", "n_iter_no_change"])
def test_a_bool_is_not_taken_for_a_number(name):
    X, y = data()
    est = make("ShallowNetClassifier", **{name: True})
    with pytest.raises(ValueError, match=f"{name} must be a number, not a bool"):
        est.fit(X, y)
    assert not hasattr(est, "n_iter_")


def test_a_refit_without_early_stopping_keeps_no_earlier_validation_curve():
    # the held-out curve describes the fit that made it: a later fit without
    # early stopping (MLP: validation_scores_ None) must not keep it
    X, y = make_classification(n_samples=120, random_state=0)
    net = lecture(ShallowNetClassifier, max_iter=30, tol=None, random_state=0,
                  early_stopping=True).fit(X, y)
    assert len(net.validation_loss_curve_) == 30
    net.set_params(early_stopping=False).fit(X, y)
    assert not hasattr(net, "validation_loss_curve_")
    assert net.validation_scores_ is None
