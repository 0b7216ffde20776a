"""sknnbasics.lecture: every hyperparameter that shapes training is the
lecture's, whatever the estimators' defaults are."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
    lecture,
)
from sknnbasics._lecture import LECTURE_SETTINGS, NOT_PINNED

ESTIMATORS = [LogisticGD, ShallowNetClassifier, DeepNetClassifier,
              ShallowNetRegressor, DeepNetRegressor]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_the_lecture_pins_every_hyperparameter_but_the_seed_and_verbosity(
        Estimator):
    # a hyperparameter added to an estimator must be given its lecture value
    # here, or a lecture page would silently pick up its default
    pinned = set(LECTURE_SETTINGS[Estimator])
    assert pinned == set(Estimator().get_params()) - set(NOT_PINNED)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_the_lecture_is_full_batch_gradient_descent_without_extras(Estimator):
    params = lecture(Estimator).get_params()
    assert params["solver"] == "gd"
    assert params["batch_size"] is None
    assert params["momentum"] == 0.0
    assert params["alpha"] == 0.0
    assert params["tol"] is None  # N = max_iter iterations, exactly
    assert params["learning_rate_schedule"] == "constant"
    assert params["early_stopping"] is False


def test_the_lecture_initialises_shallow_networks_with_randn_times_001():
    X = np.random.RandomState(0).randn(30, 3)
    y = np.arange(30) % 2
    rng = np.random.RandomState(2)
    W1, W2 = rng.randn(4, 3) * 0.01, rng.randn(1, 4) * 0.01
    # one update of α = 1e-300 leaves the weights drawn as the lecture draws
    # them (and, rightly, a model that learned nothing)
    net = lecture(ShallowNetClassifier, max_iter=1, learning_rate=1e-300,
                  random_state=2)
    with pytest.warns(ConvergenceWarning, match="learned nothing"):
        fresh = net.fit(X, y)
    np.testing.assert_allclose(fresh.parameters_["W1"], W1, rtol=0, atol=1e-300)
    np.testing.assert_allclose(fresh.parameters_["W2"], W2, rtol=0, atol=1e-300)
    assert net.get_params()["init"] == "random"


def test_given_hyperparameters_win():
    net = lecture(DeepNetClassifier, hidden_layer_sizes=(8,), learning_rate=1.2,
                  init="random", random_state=3)
    params = net.get_params()
    assert params["hidden_layer_sizes"] == (8,)
    assert params["learning_rate"] == 1.2
    assert params["init"] == "random"
    assert params["random_state"] == 3
    assert params["solver"] == "gd"


def test_an_instance_or_an_unknown_hyperparameter_is_refused_with_a_sentence():
    with pytest.raises(TypeError, match="an instance of ShallowNetClassifier"):
        lecture(ShallowNetClassifier())
    with pytest.raises(TypeError, match="no hyperparameter learning_rate_init"):
        lecture(ShallowNetClassifier, learning_rate_init=0.1)
