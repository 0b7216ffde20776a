"""MLPClassifier's spellings are refused with scikit-learn's error type, and
the error says what MLP meant and how this package spells it (issue 26)."""

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier
from sklearn.utils._param_validation import InvalidParameterError

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)

X = np.random.RandomState(0).randn(20, 2)
y = np.arange(20) % 2

NETWORKS = [ShallowNetClassifier, DeepNetClassifier, ShallowNetRegressor,
            DeepNetRegressor]


@pytest.mark.parametrize("Estimator", NETWORKS)
def test_mlps_logistic_activation_names_sigmoid(Estimator):
    MLPClassifier(activation="logistic")  # a value MLP takes
    with pytest.raises(InvalidParameterError,
                       match=r"(?s)Got 'logistic'.*activation='sigmoid' here"):
        Estimator(activation="logistic").fit(X, y)


@pytest.mark.parametrize("Estimator", [LogisticGD, *NETWORKS])
def test_mlps_sgd_solver_names_gd_and_its_momentum(Estimator):
    with pytest.raises(InvalidParameterError,
                       match=r"(?s)Got 'sgd'.*solver='gd' here.*momentum=0.9"):
        Estimator(solver="sgd").fit(X, y)


@pytest.mark.parametrize("schedule", ["constant", "invscaling", "adaptive"])
@pytest.mark.parametrize("Estimator", [LogisticGD, *NETWORKS])
def test_mlps_learning_rate_schedules_name_learning_rate_schedule(Estimator,
                                                                   schedule):
    with pytest.raises(
            InvalidParameterError,
            match=(rf"(?s)'learning_rate' parameter.*Got '{schedule}'.*"
                   rf"learning_rate_schedule='{schedule}' here.*"
                   r"learning_rate_init")):
        Estimator(learning_rate=schedule).fit(X, y)


def test_the_hint_points_at_the_page_that_maps_them():
    with pytest.raises(InvalidParameterError, match="Coming from MLPClassifier"):
        ShallowNetClassifier(activation="logistic").fit(X, y)


def test_other_refusals_are_scikit_learns_own_message():
    with pytest.raises(InvalidParameterError) as refused:
        ShallowNetClassifier(activation="softplus").fit(X, y)
    assert "MLP" not in str(refused.value)
    assert "Got 'softplus' instead." in str(refused.value)


def test_a_grid_copied_from_mlp_fails_on_its_first_candidate_with_the_hint():
    from sklearn.model_selection import GridSearchCV
    search = GridSearchCV(ShallowNetClassifier(),
                          {"activation": ["logistic", "tanh"]}, error_score="raise")
    with pytest.raises(InvalidParameterError, match="activation='sigmoid' here"):
        search.fit(X, y)
