"""The networks' defaults (issue 13, "Defaults that work"): Adam on
mini-batches with ``learning_rate="auto"`` and ``batch_size="auto"``, and the
lecture's gradient descent one argument away."""

import warnings

import numpy as np
import pytest
from _helpers import short_run
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)

NETWORKS = [ShallowNetClassifier, DeepNetClassifier, ShallowNetRegressor,
            DeepNetRegressor]
each_network = pytest.mark.parametrize("Network", NETWORKS)
# learning_rate="auto" with solver="gd": the lecture-sized steps
GD_STEP = {ShallowNetClassifier: 0.5, DeepNetClassifier: 0.5,
           ShallowNetRegressor: 0.05, DeepNetRegressor: 0.05}


def data(m=50, seed=0):
    X, y = make_classification(n_samples=m, n_features=4, n_informative=3,
                               n_redundant=0, random_state=seed)
    return X, y


def small(Network, **params):
    sizes = ({"n_hidden": 3} if "n_hidden" in Network().get_params()
             else {"hidden_layer_sizes": (4, 3)})
    return Network(**sizes, random_state=0, **params)


@each_network
def test_the_defaults_are_mlps_recipe(Network):
    params = Network().get_params()
    assert (params["solver"], params["learning_rate"], params["batch_size"],
            params["max_iter"], params["tol"], params["activation"]) == (
        "adam", "auto", "auto", 200, 1e-4, "relu")
    assert params.get("n_hidden", params.get("hidden_layer_sizes")) in (
        100, (64, 32))
    assert params["init"] == "glorot"  # MLP's initialisation, its draws


@pytest.mark.parametrize("Network, MLP", [
    (ShallowNetClassifier, MLPClassifier), (DeepNetClassifier, MLPClassifier),
    (ShallowNetRegressor, MLPRegressor), (DeepNetRegressor, MLPRegressor)])
@pytest.mark.parametrize("seed, activation", [(0, "relu"), (7, "relu"),
                                              (0, "sigmoid"), (7, "tanh")])
@pytest.mark.parametrize("batches", ["full", "auto"])
@short_run  # 12 epochs, compared with MLP's
def test_the_same_random_state_gives_mlps_training(Network, MLP, seed,
                                                   activation, batches):
    """init="glorot" draws MLP's initial weights from the same random_state,
    in MLP's order (W[l]ᵀ = coefs_[l-1], then intercepts_[l-1]; MLP's
    narrower bound for sigmoid, its "logistic", units), and the mini-batches
    are reshuffled from it as MLP reshuffles its sample indices: with no
    weights handed over, 12 epochs of Adam — on the full batch, or on
    shuffled mini-batches of 200, 200 and 50 — follow MLP's trajectory."""
    X, y = data(m=50 if batches == "full" else 450)
    if MLP is MLPRegressor:
        y = X[:, 0] - 2 * X[:, 1] ** 2
    sizes = {"hidden_layer_sizes": (6, 5)} if Network in (
        DeepNetClassifier, DeepNetRegressor) else {"n_hidden": 6}
    mlp_sizes = sizes.get("hidden_layer_sizes", (sizes.get("n_hidden"),))
    batch = ({"batch_size": X.shape[0], "shuffle": False} if batches == "full"
             else {})  # "auto": min(200, m), shuffled
    ours = Network(**sizes, activation=activation, alpha=0.0, max_iter=12,
                   tol=None, random_state=seed, **batch).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = MLP(hidden_layer_sizes=mlp_sizes, alpha=0.0,
                     activation={"sigmoid": "logistic"}.get(activation, activation),
                     max_iter=12, tol=0.0, n_iter_no_change=10**6,
                     random_state=seed, **batch).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-10)
    for W, V in zip(ours.coefs_ + ours.intercepts_,
                    theirs.coefs_ + theirs.intercepts_, strict=True):
        np.testing.assert_allclose(W, V, rtol=0, atol=1e-10)


@each_network
@pytest.mark.parametrize("solver, expected", [("adam", 0.001), ("gd", None)])
def test_auto_learning_rate_is_adams_or_the_lecture_sized_step(
        Network, solver, expected):
    X, y = data()
    net = small(Network, solver=solver, max_iter=2, tol=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net.fit(X, y)
    assert net.learning_rate_ == (GD_STEP[Network] if expected is None
                                  else expected)


@each_network
def test_auto_batch_size_is_200_for_adam_and_the_full_batch_for_gd(Network):
    # one epoch of Adam over m = 450 samples: mini-batches 200, 200, 50, so
    # the same weights as batch_size=200; gd: one full-batch step, as None
    X, y = data(m=450)
    for solver, same_as in (("adam", 200), ("gd", None)):
        auto = small(Network, solver=solver, max_iter=1, tol=None,
                     learning_rate=0.001)
        explicit = small(Network, solver=solver, max_iter=1, tol=None,
                         learning_rate=0.001, batch_size=same_as)
        other = small(Network, solver=solver, max_iter=1, tol=None,
                      learning_rate=0.001, batch_size=100 if same_as else None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for net in (auto, explicit, other):
                net.fit(X, y)
        for W, W_explicit in zip(auto.coefs_, explicit.coefs_, strict=True):
            np.testing.assert_array_equal(W, W_explicit)
        if same_as is not None:  # mini-batches of 100 give other weights
            assert not np.array_equal(auto.coefs_[0], other.coefs_[0])
        assert auto.t_ == 450


def test_auto_batch_size_takes_all_samples_when_fewer_than_200():
    X, y = data(m=60)
    auto = small(ShallowNetClassifier, max_iter=3, tol=None)
    full = small(ShallowNetClassifier, max_iter=3, tol=None, batch_size=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        auto.fit(X, y)
        full.fit(X, y)
    np.testing.assert_array_equal(auto.coefs_[0], full.coefs_[0])


@pytest.mark.parametrize("Estimator", [*NETWORKS, LogisticGD])
def test_a_lecture_sized_step_under_adam_warns(Estimator):
    X, y = data()
    est = Estimator(solver="adam", learning_rate=1.2, max_iter=2, tol=None)
    # and the warning is right: two such steps throw the cost above its start
    with pytest.warns(UserWarning, match=r"learning_rate=1\.2.*Adam moves every "
                      r"weight by about α.*learning_rate='auto'.*solver='gd'"), \
            pytest.warns(ConvergenceWarning, match="cost rose above where it started"):
        est.fit(X, y)


@pytest.mark.parametrize("params", [
    dict(solver="adam", learning_rate=0.05),   # below 0.1: an Adam-sized step
    dict(solver="adam"),                       # "auto": 0.001
    dict(solver="gd", learning_rate=1.2),      # the lecture's step, its solver
])
def test_no_step_warning_otherwise(params):
    X, y = data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        small(ShallowNetClassifier, max_iter=2, tol=None, **params).fit(X, y)
    assert not [w for w in caught if "Adam moves" in str(w.message)]


def test_the_lecture_is_one_argument_away():
    # solver="gd" with a numeric α is W := W − α·dW on the full batch: two
    # iterations from the same start equal the same network with
    # batch_size=None given explicitly
    X, y = data()
    lecture = dict(n_hidden=4, activation="tanh", solver="gd",
                   learning_rate=1.2, max_iter=2, tol=None, random_state=0)
    auto = ShallowNetClassifier(**lecture).fit(X, y)
    full = ShallowNetClassifier(**lecture, batch_size=None).fit(X, y)
    for W, W_full in zip(auto.coefs_, full.coefs_, strict=True):
        np.testing.assert_array_equal(W, W_full)
    assert auto.learning_rate_ == 1.2
