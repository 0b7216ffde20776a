"""ShallowNetClassifier and DeepNetClassifier (lecture §三 浅层神经网络, §四).

The iterates equal the lecture's formulas written out in numpy, one step is
worked by hand, weights move to and from scikit-learn's MLPClassifier (which,
run as full-batch gradient descent, follows the same path), and the lecture's
claims about initialisation, linear activations and non-linear boundaries
hold."""

import math
import warnings

import numpy as np
import pytest
from _helpers import short_run
from _lecture import lecture
from _reference import assert_float32_close, float32_tolerance
from _reference import initialize as reference_initialize
from _reference import targets as reference_targets
from _reference import train as reference_train
from sklearn.base import clone
from sklearn.datasets import make_circles, make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from sknnbasics import DeepNetClassifier, LogisticGD, ShallowNetClassifier

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
# scikit-learn's MLP calls the sigmoid "logistic"
MLP_NAMES = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu",
             "identity": "identity"}


def data(n_classes=2, n_samples=40, n_features=3, seed=0):
    X, y = make_classification(
        n_samples=n_samples, n_features=n_features, n_informative=n_features,
        n_redundant=0, n_classes=n_classes, n_clusters_per_class=1, flip_y=0.05,
        random_state=seed)
    return StandardScaler().fit_transform(X), y


def random_weights(dims, seed, scale=0.7):
    """Weights in scikit-learn's layout: coefs_[l-1] = W[l]ᵀ, nonzero biases."""
    rng = np.random.RandomState(seed)
    coefs = [rng.standard_normal((dims[l - 1], dims[l])) * scale
             for l in range(1, len(dims))]
    intercepts = [rng.standard_normal(dims[l]) * 0.2 for l in range(1, len(dims))]
    return coefs, intercepts


def as_parameters(coefs, intercepts):
    """The lecture's dict from scikit-learn's layout."""
    parameters = {}
    for l, (W_T, b) in enumerate(zip(coefs, intercepts, strict=True), 1):
        parameters[f"W{l}"] = W_T.T.copy()
        parameters[f"b{l}"] = b.reshape(-1, 1).copy()
    return parameters


def fit_from(net, X, y, coefs, intercepts, max_iter, sample_weight=None):
    """Train ``net`` for ``max_iter`` iterations starting from the given weights:
    fit once (to create the fitted attributes), assign, warm-start."""
    net.set_params(warm_start=True, max_iter=1, tol=None)
    net.fit(X, y, sample_weight=sample_weight)
    net.coefs_ = [c.copy() for c in coefs]
    net.intercepts_ = [b.copy() for b in intercepts]
    net.set_params(max_iter=max_iter)
    return net.fit(X, y, sample_weight=sample_weight)


def assert_same_fit(a, b):
    """Bit-identical fitted weights and curves."""
    assert len(a.coefs_) == len(b.coefs_)
    for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_array_equal(p, q)
    assert a.loss_curve_ == b.loss_curve_
    assert a.n_iter_ == b.n_iter_


# -- the iterates equal the lecture's formulas -------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", [(4,), (4, 3), (5, 4, 3)], ids=["1", "2", "3"])
@pytest.mark.parametrize("n_classes", [2, 3])
@short_run  # a few iterations, compared with the transcription
def test_iterates_equal_the_lecture_from_assigned_weights(activation, hidden,
                                                          n_classes):
    X, y = data(n_classes, n_samples=30, seed=len(hidden))
    dims = [X.shape[1], *hidden, 1 if n_classes == 2 else n_classes]
    coefs, intercepts = random_weights(dims, seed=n_classes)
    net = lecture(DeepNetClassifier, hidden, activation=activation, learning_rate=0.1)
    fit_from(net, X, y, coefs, intercepts, max_iter=200)

    expected, costs = reference_train(as_parameters(coefs, intercepts), X.T,
                                      reference_targets(y, net.classes_),
                                      activation, 0.1, 200)
    # a step this small lets J fall steadily, so rounding is never amplified
    assert costs[-1] < costs[0]
    np.testing.assert_allclose(net.loss_curve_[-200:], costs, rtol=0, atol=1e-10)
    for l in range(1, len(dims)):
        np.testing.assert_allclose(net.coefs_[l - 1], expected[f"W{l}"].T, rtol=0,
                                   atol=1e-10)
        np.testing.assert_allclose(net.intercepts_[l - 1], expected[f"b{l}"].ravel(),
                                   rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    "init, init_scale, activation",
    [("random", 0.5, "tanh"), ("random", 0.01, "sigmoid"), ("xavier", 0.01, "tanh"),
     ("he", 0.01, "relu"), ("zeros", 0.01, "sigmoid")],
)
@pytest.mark.parametrize("n_classes", [2, 3])
@short_run  # a few iterations, compared with the transcription
def test_iterates_equal_the_lecture_from_the_seeded_initialisation(
        init, init_scale, activation, n_classes):
    X, y = data(n_classes, n_samples=30, seed=1)
    hidden = (4, 3)
    net = lecture(DeepNetClassifier, hidden, activation=activation, init=init,
                            init_scale=init_scale, learning_rate=0.1, max_iter=150,
                            tol=None, random_state=7).fit(X, y)
    dims = [X.shape[1], *hidden, 1 if n_classes == 2 else n_classes]
    # the lecture's W = np.random.randn(n[l], n[l-1]) * scale, b = 0, from the seed
    start = reference_initialize(dims, init, init_scale, seed=7)
    expected, costs = reference_train(start, X.T, reference_targets(y, net.classes_),
                                      activation, 0.1, 150)
    np.testing.assert_allclose(net.loss_curve_, costs, rtol=0, atol=1e-10)
    for l in range(1, len(dims)):
        np.testing.assert_allclose(net.parameters_[f"W{l}"], expected[f"W{l}"],
                                   rtol=0, atol=1e-10)
        np.testing.assert_allclose(net.parameters_[f"b{l}"], expected[f"b{l}"],
                                   rtol=0, atol=1e-10)


@short_run  # one step from the seeded weights
def test_the_first_step_starts_from_the_seeded_weights():
    # one step of size α = 1e-300 changes nothing: what is left is the start
    X, y = data(2, n_samples=10)
    for init, scale in [("random", 0.01), ("xavier", 1.0), ("he", 1.0)]:
        net = lecture(ShallowNetClassifier, 3, init=init, init_scale=scale,
                                   learning_rate=1e-300, max_iter=1, tol=None,
                                   random_state=3).fit(X, y)
        start = reference_initialize([3, 3, 1], init, scale, seed=3)
        np.testing.assert_array_equal(net.parameters_["W1"], start["W1"])
        np.testing.assert_array_equal(net.parameters_["W2"], start["W2"])


@short_run  # a few iterations, compared with the transcription
def test_weighted_and_penalised_iterates_equal_the_reference():
    X, y = data(3, n_samples=30, seed=4)
    s = np.random.RandomState(4).uniform(0.3, 2.0, size=len(y))
    dims = [3, 4, 3, 3]
    coefs, intercepts = random_weights(dims, seed=5)
    net = lecture(DeepNetClassifier,
                  (4, 3), activation="leaky_relu", negative_slope=0.1,
                            learning_rate=0.1, alpha=0.2)
    fit_from(net, X, y, coefs, intercepts, max_iter=150, sample_weight=s)
    expected, costs = reference_train(as_parameters(coefs, intercepts), X.T,
                                      reference_targets(y, net.classes_),
                                      "leaky_relu", 0.1, 150, s=s, alpha=0.2,
                                      slope=0.1)
    np.testing.assert_allclose(net.loss_curve_[-150:], costs, rtol=0, atol=1e-10)
    for l in range(1, 4):
        np.testing.assert_allclose(net.coefs_[l - 1], expected[f"W{l}"].T, rtol=0,
                                   atol=1e-10)


# -- one step on a 2-2-1 network, by hand -------------------------------------------


@short_run  # one step, worked by hand
def test_one_step_of_a_2_2_1_network_by_hand():
    # two samples x⁽¹⁾ = (1, 2), x⁽²⁾ = (-1, 0.5) with y = (1, 0); tanh hidden
    # layer of two units, one sigmoid output; α = 0.5
    x = [(1.0, 2.0), (-1.0, 0.5)]
    y = [1.0, 0.0]
    W1 = [[0.1, -0.2], [0.3, 0.4]]
    b1 = [0.01, -0.02]
    W2 = [0.5, -0.6]
    b2 = 0.05
    alpha = 0.5
    m = 2

    # forward: z[1]_j = W1[j]·x + b1[j], a[1]_j = tanh(z[1]_j)
    z1 = [[W1[j][0] * x[i][0] + W1[j][1] * x[i][1] + b1[j] for j in range(2)]
          for i in range(m)]
    assert z1 == [[pytest.approx(-0.29), pytest.approx(1.08)],
                  [pytest.approx(-0.19), pytest.approx(-0.12)]]
    a1 = [[math.tanh(z1[i][j]) for j in range(2)] for i in range(m)]
    # z[2] = W2·a[1] + b2, ŷ = σ(z[2])
    z2 = [W2[0] * a1[i][0] + W2[1] * a1[i][1] + b2 for i in range(m)]
    y_hat = [1 / (1 + math.exp(-z2[i])) for i in range(m)]
    # J = -(1/m) Σ (y log ŷ + (1-y) log(1-ŷ))
    J = -(1 / m) * sum(y[i] * math.log(y_hat[i]) + (1 - y[i]) * math.log(1 - y_hat[i])
                       for i in range(m))

    # backward: dz[2] = ŷ - y; dW2 = (1/m) Σ dz[2] a[1]; db2 = (1/m) Σ dz[2]
    dz2 = [y_hat[i] - y[i] for i in range(m)]
    dW2 = [(1 / m) * sum(dz2[i] * a1[i][j] for i in range(m)) for j in range(2)]
    db2 = (1 / m) * sum(dz2)
    # dz[1]_j = W2[j] dz[2] (1 - a[1]_j²); dW1[j][k] = (1/m) Σ dz[1]_j x_k
    dz1 = [[W2[j] * dz2[i] * (1 - a1[i][j] ** 2) for j in range(2)]
           for i in range(m)]
    dW1 = [[(1 / m) * sum(dz1[i][j] * x[i][k] for i in range(m)) for k in range(2)]
           for j in range(2)]
    db1 = [(1 / m) * sum(dz1[i][j] for i in range(m)) for j in range(2)]

    # the update W := W - α dW, b := b - α db
    new_W1 = [[W1[j][k] - alpha * dW1[j][k] for k in range(2)] for j in range(2)]
    new_b1 = [b1[j] - alpha * db1[j] for j in range(2)]
    new_W2 = [W2[j] - alpha * dW2[j] for j in range(2)]
    new_b2 = b2 - alpha * db2

    net = lecture(ShallowNetClassifier,
                  n_hidden=2, activation="tanh", learning_rate=alpha)
    X = np.array(x)
    fit_from(net, X, np.array([1, 0]), [np.array(W1).T, np.array([W2]).T],
             [np.array(b1), np.array([b2])], max_iter=1)

    assert net.loss_curve_[-1] == pytest.approx(J, rel=1e-14)
    np.testing.assert_allclose(net.parameters_["W1"], new_W1, rtol=1e-14)
    np.testing.assert_allclose(net.parameters_["b1"].ravel(), new_b1, rtol=1e-14)
    np.testing.assert_allclose(net.parameters_["W2"].ravel(), new_W2, rtol=1e-14)
    np.testing.assert_allclose(net.parameters_["b2"].ravel(), [new_b2], rtol=1e-14)
    # the step moved every parameter
    assert all(abs(d) > 1e-4 for d in [*dW1[0], *dW1[1], *db1, *dW2, db2])


# -- ShallowNetClassifier(k) is DeepNetClassifier((k,)) --------------------------------


# a short run of each, compared with each other: the verdict on it is not
# what is checked
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "n_classes, params, weighted",
    [
        (2, {}, False),
        (3, dict(activation="relu", init="he", learning_rate=0.2), False),
        (2, dict(activation="leaky_relu", negative_slope=0.2, alpha=0.1), True),
        (3, dict(batch_size=8, init="random", init_scale=0.5), False),
        (2, dict(early_stopping=True, validation_fraction=0.25), False),
        (3, dict(class_weight="balanced", activation="sigmoid"), True),
        (2, dict(activation="identity", tol=1e-3, n_iter_no_change=3), False),
    ],
)
def test_shallow_net_is_exactly_a_deep_net_with_one_hidden_layer(n_classes, params,
                                                                 weighted):
    X, y = data(n_classes, n_samples=40, seed=2)
    s = np.random.RandomState(0).uniform(0.5, 2, size=40) if weighted else None
    params = {"max_iter": 150, "random_state": 3, **params}
    shallow = lecture(ShallowNetClassifier,
                      n_hidden=5, **params).fit(X, y, sample_weight=s)
    deep = lecture(DeepNetClassifier, hidden_layer_sizes=(5,), **params).fit(
        X, y, sample_weight=s)
    assert_same_fit(shallow, deep)
    np.testing.assert_array_equal(shallow.predict_proba(X), deep.predict_proba(X))
    assert shallow.n_layers_ == deep.n_layers_ == 3
    if "early_stopping" in params:
        assert shallow.validation_loss_curve_ == deep.validation_loss_curve_


def test_shallow_and_deep_share_their_hyperparameters():
    shallow = ShallowNetClassifier().get_params()
    deep = DeepNetClassifier().get_params()
    assert shallow.pop("n_hidden") == 100
    assert deep.pop("hidden_layer_sizes") == (64, 32)
    assert shallow == deep


# -- scikit-learn's MLPClassifier: same layout, same path ---------------------------


# MLPClassifier's own 100 epochs (and its ConvergenceWarning) only make weights
# to hand over; the outputs from them are what is compared
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("activation", list(MLP_NAMES))
@pytest.mark.parametrize("n_classes", [2, 3])
def test_weights_from_mlp_give_the_same_probabilities(activation, n_classes):
    X, y = data(n_classes, n_samples=60, seed=3)
    mlp = MLPClassifier((5, 3), activation=MLP_NAMES[activation], max_iter=100,
                        learning_rate_init=0.01, random_state=0).fit(X, y)
    net = lecture(DeepNetClassifier, (5, 3), activation=activation, max_iter=1,
                            tol=None).fit(X, y)
    np.testing.assert_array_equal(net.classes_, mlp.classes_)
    assert [c.shape for c in net.coefs_] == [c.shape for c in mlp.coefs_]
    assert [b.shape for b in net.intercepts_] == [b.shape for b in mlp.intercepts_]
    assert net.n_layers_ == mlp.n_layers_
    net.coefs_ = [c.copy() for c in mlp.coefs_]
    net.intercepts_ = [b.copy() for b in mlp.intercepts_]
    np.testing.assert_allclose(net.predict_proba(X), mlp.predict_proba(X),
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(net.predict(X), mlp.predict(X))


# 300 iterations only make weights to hand over; the outputs from them are
# what is compared
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("activation", list(MLP_NAMES))
@pytest.mark.parametrize("n_classes", [2, 3])
def test_our_weights_in_mlp_give_the_same_probabilities(activation, n_classes):
    X, y = data(n_classes, n_samples=60, seed=4)
    net = lecture(DeepNetClassifier, (5, 3), activation=activation, learning_rate=0.1,
                            max_iter=300, tol=None, random_state=0).fit(X, y)
    mlp = MLPClassifier((5, 3), activation=MLP_NAMES[activation], max_iter=1,
                        random_state=0).fit(X, y)
    mlp.coefs_ = [c.copy() for c in net.coefs_]
    mlp.intercepts_ = [b.copy() for b in net.intercepts_]
    np.testing.assert_allclose(mlp.predict_proba(X), net.predict_proba(X),
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(mlp.predict(X), net.predict(X))


def full_batch_mlp(activation, m, learning_rate, max_iter, alpha=0.0):
    """MLPClassifier as the lecture's batch gradient descent: one batch of all
    m samples in their order, plain steps (no momentum), never stopping early."""
    return MLPClassifier(
        (5, 3), activation=MLP_NAMES[activation], solver="sgd", batch_size=m,
        learning_rate="constant", learning_rate_init=learning_rate, momentum=0.0,
        nesterovs_momentum=False, alpha=alpha, shuffle=False, tol=0.0,
        n_iter_no_change=10**9, early_stopping=False, max_iter=max_iter,
        random_state=0)


# N iterations of both, compared step by step: the verdicts of both on a run
# cut at N (ours and MLPClassifier's) are not what is checked
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("activation", list(MLP_NAMES))
@pytest.mark.parametrize("n_classes", [2, 3])
def test_full_batch_mlp_follows_the_same_path(activation, n_classes):
    X, y = data(n_classes, n_samples=50, seed=5)
    N, alpha_ = 200, 0.1
    dims = [3, 5, 3, 1 if n_classes == 2 else n_classes]
    coefs, intercepts = random_weights(dims, seed=6, scale=0.5)

    mlp = full_batch_mlp(activation, len(X), alpha_, 1).fit(X, y)
    mlp.coefs_ = [c.copy() for c in coefs]
    mlp.intercepts_ = [b.copy() for b in intercepts]
    mlp.set_params(warm_start=True, max_iter=N).fit(X, y)

    net = lecture(DeepNetClassifier,
                  (5, 3), activation=activation, learning_rate=alpha_)
    fit_from(net, X, y, coefs, intercepts, max_iter=N)

    for ours, theirs in zip(net.coefs_ + net.intercepts_,
                            mlp.coefs_ + mlp.intercepts_, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    # MLP's loss_curve_ is J before each update too (it keeps its first fit's)
    np.testing.assert_allclose(net.loss_curve_[-N:], mlp.loss_curve_[-N:], rtol=0,
                               atol=1e-10)


# as above: a run cut at N, compared step by step with MLPClassifier's
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_full_batch_mlp_with_sample_weight_and_penalty_follows_the_same_path():
    X, y = data(3, n_samples=50, seed=7)
    s = np.random.RandomState(7).uniform(0.2, 3.0, size=len(y))
    coefs, intercepts = random_weights([3, 5, 3, 3], seed=8, scale=0.5)
    mlp = full_batch_mlp("tanh", len(X), 0.1, 1, alpha=0.3).fit(X, y, s)
    mlp.coefs_ = [c.copy() for c in coefs]
    mlp.intercepts_ = [b.copy() for b in intercepts]
    mlp.set_params(warm_start=True, max_iter=150).fit(X, y, s)
    net = lecture(DeepNetClassifier,
                  (5, 3), activation="tanh", learning_rate=0.1, alpha=0.3)
    fit_from(net, X, y, coefs, intercepts, max_iter=150, sample_weight=s)
    for ours, theirs in zip(net.coefs_ + net.intercepts_,
                            mlp.coefs_ + mlp.intercepts_, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    np.testing.assert_allclose(net.loss_curve_[-150:], mlp.loss_curve_[-150:],
                               rtol=0, atol=1e-10)


# -- the lecture's claims --------------------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("hidden", [(4,), (4, 3)])
@pytest.mark.parametrize("n_classes", [2, 3])
@short_run  # a few iterations: only the symmetry is checked
def test_zero_initialisation_keeps_every_hidden_unit_identical(activation, hidden,
                                                               n_classes):
    # §三 随机初始化的必要性: with W = 0 every unit of a layer computes the same
    # thing, gets the same gradient, and stays a copy of the others
    # an odd m: with exactly balanced classes σ(0) = ½ would already be optimal
    X, y = data(n_classes, n_samples=37, seed=6)
    L = len(hidden) + 1
    for max_iter in (1, 10, 200):
        net = lecture(DeepNetClassifier, hidden, activation=activation, init="zeros",
                                learning_rate=0.5, max_iter=max_iter,
                                tol=None).fit(X, y)
        W = b = net.parameters_
        # equal up to rounding: BLAS may sum the rows of one product in
        # different orders, which can differ in the last bit
        same = dict(rtol=1e-12, atol=0)
        for l in range(1, L):
            # every row of W[l] (one per hidden unit) and every b[l] entry equal
            np.testing.assert_allclose(W[f"W{l}"], np.tile(W[f"W{l}"][:1],
                                                           (hidden[l - 1], 1)), **same)
            np.testing.assert_allclose(b[f"b{l}"], b[f"b{l}"][0, 0], **same)
        for l in range(2, L + 1):
            # and every unit feeds the next layer with the same weight
            np.testing.assert_allclose(W[f"W{l}"],
                                       np.tile(W[f"W{l}"][:, :1],
                                               (1, W[f"W{l}"].shape[1])), **same)
        if activation == "tanh":
            # tanh(0) = 0: A[1] = 0, so dW[2] = 0, so dZ[1] = W[2]ᵀ dZ[2] = 0:
            # every weight stays exactly 0, only the output bias learns
            for l in range(1, L + 1):
                np.testing.assert_array_equal(W[f"W{l}"], 0.0)
        elif max_iter == 200:
            # σ(0) = ½ ≠ 0: the weights do move, but in lockstep
            for l in range(1, L + 1):
                assert np.all(W[f"W{l}"] != 0)
    # with random weights the units differ
    net = lecture(DeepNetClassifier, hidden, activation=activation, init="random",
                            max_iter=10, tol=None, random_state=0).fit(X, y)
    assert not np.allclose(net.parameters_["W1"][0], net.parameters_["W1"][1])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_identity_activation_makes_the_whole_network_affine(n_classes):
    # §三 为什么需要非线性激活函数: a[2] = W[2](W[1]x + b[1]) + b[2] = W'x + b'
    X, y = data(n_classes, n_samples=60, seed=8)
    net = lecture(DeepNetClassifier,
                  (6, 5, 4), activation="identity", learning_rate=0.05,
                            max_iter=300, tol=None, random_state=0).fit(X, y)
    W_prime = np.eye(X.shape[1])
    b_prime = np.zeros(X.shape[1])
    for W_T, b in zip(net.coefs_, net.intercepts_, strict=True):
        W_prime = W_prime @ W_T
        b_prime = b_prime @ W_T + b
    logits = X @ W_prime + b_prime
    scores = net.decision_function(X)
    np.testing.assert_allclose(scores, logits[:, 0] if n_classes == 2 else logits,
                               rtol=1e-10, atol=1e-12)
    # far outside the data too: an affine map is affine everywhere
    X_far = np.random.RandomState(0).uniform(-50, 50, size=(20, X.shape[1]))
    far = X_far @ W_prime + b_prime
    np.testing.assert_allclose(net.decision_function(X_far),
                               far[:, 0] if n_classes == 2 else far, rtol=1e-10,
                               atol=1e-10)
    # so it is a logistic regression with w = W'ᵀ, b = b'
    model = LogisticGD(max_iter=1, tol=None).fit(X, y)
    model.coef_, model.intercept_ = W_prime.T, b_prime
    np.testing.assert_allclose(net.predict_proba(X), model.predict_proba(X),
                               rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize(
    "make, learns_nothing",
    # on the circles no straight line does better than the class frequencies
    [(lambda seed: make_moons(200, noise=0.1, random_state=seed), False),
     (lambda seed: make_circles(200, noise=0.05, factor=0.5, random_state=seed),
      True)],
    ids=["moons", "circles"],
)
# the tanh network may stop on max_iter before its cost levels off (the
# tolerance of tests/_lecture.py); its accuracy is what is checked
@pytest.mark.filterwarnings("ignore:ShallowNetClassifier reached max_iter"
                            ":sklearn.exceptions.ConvergenceWarning")
def test_a_tanh_hidden_layer_separates_what_logistic_regression_cannot(
        make, learns_nothing):
    X, y = make(0)
    X_test, y_test = make(1)
    net = lecture(ShallowNetClassifier, n_hidden=4, activation="tanh", random_state=0)
    net.fit(X, y)
    # no straight line separates these classes; where none does better than
    # the class frequencies, LogisticGD says so
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        logistic = LogisticGD().fit(X, y)
    assert [str(w.message).startswith("LogisticGD has learned nothing")
            for w in caught] == ([True] if learns_nothing else [])
    assert net.score(X, y) > 0.95
    assert net.score(X_test, y_test) > 0.95
    assert logistic.score(X, y) < 0.9
    assert logistic.score(X_test, y_test) < 0.9


# -- fitted attributes, warm start, dtypes, labels ------------------------------------


@pytest.mark.parametrize("hidden", [(4,), (6, 4), (5, 4, 3)])
@pytest.mark.parametrize("n_classes", [2, 4])
def test_parameters_are_lecture_shaped_views_of_coefs(hidden, n_classes):
    X, y = data(n_classes, n_samples=40, n_features=5)
    net = lecture(DeepNetClassifier,
                  hidden, max_iter=5, tol=None, random_state=0).fit(X, y)
    dims = [5, *hidden, 1 if n_classes == 2 else n_classes]
    L = len(dims) - 1
    assert net.n_layers_ == L + 1
    parameters = net.parameters_
    assert sorted(parameters) == sorted([f"W{l}" for l in range(1, L + 1)]
                                        + [f"b{l}" for l in range(1, L + 1)])
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        assert W.shape == (dims[l], dims[l - 1])
        assert b.shape == (dims[l], 1)
        assert net.coefs_[l - 1].shape == (dims[l - 1], dims[l])
        assert net.intercepts_[l - 1].shape == (dims[l],)
        # W[l] is coefs_[l-1]ᵀ: the same memory, no copy
        np.testing.assert_array_equal(W, net.coefs_[l - 1].T)
        assert np.shares_memory(W, net.coefs_[l - 1])
        assert np.shares_memory(b, net.intercepts_[l - 1])
    # writing through the views writes the estimator's weights
    parameters["W1"][1, 0] = 123.0
    parameters[f"b{L}"][0, 0] = -7.0
    assert net.coefs_[0][0, 1] == 123.0
    assert net.intercepts_[-1][0] == -7.0


def test_parameters_before_fit_is_not_fitted_error():
    with pytest.raises(NotFittedError):
        _ = lecture(ShallowNetClassifier).parameters_


@short_run  # 20 + 5 iterations, compared with the transcription
def test_warm_start_continues_from_assigned_weights_when_they_fit():
    X, y = data(2, n_samples=40)
    coefs, intercepts = random_weights([3, 4, 1], seed=1)
    net = lecture(ShallowNetClassifier, 4, learning_rate=0.1, random_state=0)
    fit_from(net, X, y, coefs, intercepts, max_iter=20)
    expected, costs = reference_train(as_parameters(coefs, intercepts), X.T,
                                      reference_targets(y, net.classes_), "tanh",
                                      0.1, 20)
    np.testing.assert_allclose(net.loss_curve_[-20:], costs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(net.coefs_[0], expected["W1"].T, rtol=0, atol=1e-12)
    # and a further warm fit continues from where this one stopped
    expected, _ = reference_train(expected, X.T, reference_targets(y, net.classes_),
                                  "tanh", 0.1, 5)
    net.set_params(max_iter=5).fit(X, y)
    np.testing.assert_allclose(net.coefs_[0], expected["W1"].T, rtol=0, atol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_warm_start_uses_weights_assigned_before_any_fit(n_classes):
    X, y = data(n_classes, n_samples=40)
    dims = [3, 4, 3, 1 if n_classes == 2 else n_classes]
    coefs, intercepts = random_weights(dims, seed=3)
    net = lecture(DeepNetClassifier, (4, 3), activation="relu", learning_rate=0.1,
                            max_iter=25, tol=None, warm_start=True)
    net.coefs_ = [c.copy() for c in coefs]
    net.intercepts_ = [b.copy() for b in intercepts]
    net.fit(X, y)
    expected, costs = reference_train(as_parameters(coefs, intercepts), X.T,
                                      reference_targets(y, net.classes_), "relu",
                                      0.1, 25)
    np.testing.assert_allclose(net.loss_curve_, costs, rtol=0, atol=1e-12)
    for l in range(1, 4):
        np.testing.assert_allclose(net.coefs_[l - 1], expected[f"W{l}"].T, rtol=0,
                                   atol=1e-12)


@short_run  # 1 + 30 iterations, compared with a fresh fit
def test_warm_start_reinitialises_when_the_assigned_shapes_do_not_fit():
    X, y = data(2, n_samples=40)
    fresh = lecture(ShallowNetClassifier,
                    4, max_iter=30, tol=None, random_state=5).fit(X, y)
    net = lecture(ShallowNetClassifier, 4, max_iter=1, tol=None, warm_start=True,
                               random_state=5).fit(X, y)
    wrong, wrong_b = random_weights([3, 6, 1], seed=0)  # six hidden units, not four
    net.coefs_, net.intercepts_ = wrong, wrong_b
    net.set_params(max_iter=30).fit(X, y)
    for ours, theirs in zip(net.coefs_ + net.intercepts_,
                            fresh.coefs_ + fresh.intercepts_, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    # changing the architecture re-initialises too
    net.set_params(n_hidden=6).fit(X, y)
    fresh6 = clone(net).set_params(warm_start=False).fit(X, y)
    for ours, theirs in zip(net.coefs_, fresh6.coefs_, strict=True):
        np.testing.assert_array_equal(ours, theirs)


@short_run  # 1 + 10 iterations, compared with the transcription
def test_warm_start_uses_the_new_learning_rate():
    # §五: α is a hyperparameter one tries a range of; a warm-started fit after
    # set_params(learning_rate=…) must take steps of the new size (as
    # MLPClassifier(warm_start=True) does with learning_rate_init)
    X, y = data(2, n_samples=40)
    coefs, intercepts = random_weights([3, 4, 1], seed=2)
    net = lecture(ShallowNetClassifier, 4, learning_rate=0.5)
    fit_from(net, X, y, coefs, intercepts, max_iter=1)
    start = as_parameters(net.coefs_, net.intercepts_)
    net.set_params(learning_rate=0.01, max_iter=10).fit(X, y)
    expected, _ = reference_train(start, X.T, reference_targets(y, net.classes_),
                                  "tanh", 0.01, 10)
    assert net.learning_rate_ == 0.01
    np.testing.assert_allclose(net.coefs_[0], expected["W1"].T, rtol=0, atol=1e-12)


@short_run  # two iterations only set the classes up
def test_warm_start_with_other_classes_is_a_clear_error():
    X, y = data(3, n_samples=40)
    net = lecture(ShallowNetClassifier, 3, max_iter=2, tol=None,
                  warm_start=True, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match=r"warm_start=True continues training, "
                                         r"which needs the same classes as before: "
                                         r"\[0, 1, 2\], but y has \[0, 1\]"):
        net.fit(X[y < 2], y[y < 2])


def test_same_random_state_gives_bit_identical_weights():
    X, y = data(3, n_samples=40)
    params = dict(hidden_layer_sizes=(5, 4), max_iter=50, tol=None, batch_size=7,
                  random_state=11)
    a = lecture(DeepNetClassifier, **params).fit(X, y)
    b = lecture(DeepNetClassifier, **params).fit(X, y)
    assert_same_fit(a, b)
    # a RandomState instance seeded alike gives the same as the int
    c = lecture(DeepNetClassifier,
                **{**params, "random_state": np.random.RandomState(11)})
    assert_same_fit(a, c.fit(X, y))
    d = lecture(DeepNetClassifier, **{**params, "random_state": 12}).fit(X, y)
    assert not np.array_equal(a.coefs_[0], d.coefs_[0])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_float32_stays_float32(n_classes):
    X, y = data(n_classes, n_samples=40)
    params = dict(hidden_layer_sizes=(5, 4), max_iter=30, tol=None, random_state=0)
    net64 = lecture(DeepNetClassifier, **params).fit(X, y)
    net32 = lecture(DeepNetClassifier, **params).fit(X.astype(np.float32), y)
    for W, b in zip(net32.coefs_, net32.intercepts_, strict=True):
        assert W.dtype == b.dtype == np.float32
    X32 = X.astype(np.float32)
    assert net32.predict_proba(X32).dtype == np.float32
    assert net32.predict_log_proba(X32).dtype == np.float32
    assert net32.decision_function(X32).dtype == np.float32
    assert net64.coefs_[0].dtype == np.float64
    assert net64.predict_proba(X).dtype == np.float64
    # the same run up to float32 rounding: both start from one float64 draw
    tolerance = float32_tolerance(n_iter=30, n_terms=X.shape[0] + X.shape[1])
    for W32, W64 in zip(net32.coefs_ + net32.intercepts_,
                        net64.coefs_ + net64.intercepts_, strict=True):
        assert_float32_close(W32, W64, tolerance)
    assert_float32_close(net32.loss_curve_, net64.loss_curve_, tolerance)
    assert_float32_close(net32.predict_proba(X32), net64.predict_proba(X), tolerance)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_float32_images_wider_than_tall_train_like_float64(activation):
    # fewer samples than features (as the cat images: 209 × 12288): float32
    # computes the first product as (X W[1]ᵀ)ᵀ, the same numbers up to rounding
    rng = np.random.RandomState(4)
    X = rng.uniform(0, 1, size=(30, 300))
    y = (X[:, :150].mean(axis=1) > X[:, 150:].mean(axis=1)).astype(int)
    params = dict(hidden_layer_sizes=(5, 4), activation=activation, max_iter=40,
                  tol=None, learning_rate=0.1, random_state=0)
    net64 = lecture(DeepNetClassifier, **params).fit(X, y)
    net32 = lecture(DeepNetClassifier, **params).fit(X.astype(np.float32), y)
    assert net32.coefs_[0].dtype == np.float32
    # 40 iterations of sums over n_x = 300 and m = 30 terms: 7.9e-4, normwise
    # (element-wise relative errors of weights near 0 mean nothing: one CPU
    # gave 1.16e-4 against a former rtol of 1e-4, issue 12 item 13)
    tolerance = float32_tolerance(n_iter=40, n_terms=300 + 30)
    for W32, W64 in zip(net32.coefs_ + net32.intercepts_,
                        net64.coefs_ + net64.intercepts_, strict=True):
        assert_float32_close(W32, W64, tolerance)
    assert_float32_close(net32.loss_curve_, net64.loss_curve_, tolerance)
    assert_float32_close(net32.predict_proba(X.astype(np.float32)),
                         net64.predict_proba(X), tolerance)


def test_string_labels_and_probability_properties():
    X, y = data(3, n_samples=60)
    names = np.array(["cat", "dog", "non-cat"])
    net = lecture(ShallowNetClassifier, 5, max_iter=200, tol=None, random_state=0)
    net.fit(X, names[y])
    numeric = lecture(ShallowNetClassifier, 5, max_iter=200, tol=None, random_state=0)
    numeric.fit(X, y)
    np.testing.assert_array_equal(net.classes_, names)
    np.testing.assert_array_equal(net.coefs_[0], numeric.coefs_[0])
    proba = net.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(net.predict(X), names[np.argmax(proba, axis=1)])
    np.testing.assert_allclose(net.predict_log_proba(X), np.log(proba), rtol=1e-12)
    assert net.decision_function(X).shape == (60, 3)
    binary = lecture(ShallowNetClassifier, 5, max_iter=200, tol=None, random_state=0)
    binary.fit(X[y < 2], names[y[y < 2]])
    assert binary.decision_function(X).shape == (60,)
    np.testing.assert_array_equal(
        binary.predict(X), np.where(binary.decision_function(X) > 0, "dog", "cat"))


@pytest.mark.parametrize(
    "estimator, message",
    [
        (lecture(ShallowNetClassifier, activation="softplus"), r"'activation'.*'tanh'"),
        (lecture(ShallowNetClassifier, n_hidden=0), r"'n_hidden'.*\[1, inf\)"),
        (lecture(ShallowNetClassifier, init="ones"), r"'init'.*'xavier'"),
        (lecture(ShallowNetClassifier, init_scale=0.0), r"'init_scale'.*\(0\.0, inf\)"),
        (lecture(ShallowNetClassifier, negative_slope=-0.1), r"'negative_slope'"),
        (ShallowNetClassifier(learning_rate="fast"), r"'learning_rate'"),
        (lecture(DeepNetClassifier, hidden_layer_sizes=(4, 0)),
         r"hidden_layer_sizes must be a sequence of positive ints.*\(4, 0\)"),
        (lecture(DeepNetClassifier, hidden_layer_sizes=(4, 2.5)),
         r"hidden_layer_sizes must be a sequence of positive ints"),
    ],
)
def test_bad_network_hyperparameters_are_clear_errors(estimator, message):
    X, y = data(2, n_samples=20)
    with pytest.raises(ValueError, match=message):
        estimator.fit(X, y)


def test_divergence_warns_and_keeps_finite_weights():
    X, y = data(2, n_samples=40)
    net = lecture(DeepNetClassifier,
                  (5,), activation="relu", init="random", init_scale=3.0,
                            learning_rate=1e6, max_iter=100, tol=None,
                            random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.warns(ConvergenceWarning, match="diverged.*smaller learning_rate"):
            net.fit(X, y)
    assert net.n_iter_ < 100
    assert all(np.all(np.isfinite(W)) for W in net.coefs_ + net.intercepts_)
    assert np.all(np.isfinite(net.predict_proba(X)))
