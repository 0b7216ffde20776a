"""Warnings name the cause the lecture names (issue 23, item 10).

The features' scale is blamed only when the features are off unit scale;
on standardised features a saturation is the initial weights' doing (§三 随机
初始化: large W saturates tanh and sigmoid), and a rising cost the learning
rate's alone — never "standardise the features" inside a standardised
pipeline.
"""

import numpy as np
import pytest
from _lecture import lecture
from _reference import initialize as reference_initialize
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sknnbasics
from sknnbasics import ShallowNetClassifier, ShallowNetRegressor
from sknnbasics._diagnosis import on_unit_scale


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(return_X_y=True)


# -- the rule: |mean| <= 0.5 and std in [1/2, 2] (or 0) for every column -------


@pytest.mark.parametrize("as_sparse", [False, True])
def test_standardised_columns_are_on_unit_scale_and_raw_ones_are_not(cancer,
                                                                     as_sparse):
    X, _ = cancer
    convert = sparse.csr_matrix if as_sparse else np.asarray
    scaled = StandardScaler().fit_transform(X)
    assert on_unit_scale(convert(scaled))
    assert not on_unit_scale(convert(X))
    # a constant column (StandardScaler leaves it at 0) is no scale problem
    assert on_unit_scale(convert(np.column_stack([scaled, np.zeros(len(X))])))


@pytest.mark.parametrize("change, expected", [
    (lambda x: x * 1.9, True),         # std 1.9: within a factor 2 of 1
    (lambda x: x * 2.1, False),        # std 2.1: too wide
    (lambda x: x * 0.55, True),
    (lambda x: x * 0.45, False),       # std 0.45: too narrow
    (lambda x: x + 0.45, True),
    (lambda x: x - 0.55, False),       # |mean| 0.55: off centre
])
def test_the_rule_draws_its_lines_where_it_says(change, expected):
    column = StandardScaler().fit_transform(
        np.random.RandomState(0).standard_normal((100, 1)))
    other = StandardScaler().fit_transform(
        np.random.RandomState(1).standard_normal((100, 1)))
    assert on_unit_scale(np.hstack([other, change(column)])) is expected


# -- saturated hidden units ---------------------------------------------------


def test_raw_features_saturate_and_the_advice_is_to_standardise():
    X, y = load_digits(return_X_y=True)  # pixel values 0..16
    with pytest.warns(ConvergenceWarning, match=r"saturated hidden units") as caught:
        lecture(ShallowNetClassifier, random_state=0).fit(X, y)
    (message,) = [str(w.message) for w in caught]
    assert "The features' scale is too large: standardise them" in message
    assert "init_scale" not in message


def test_standardised_features_and_large_weights_blame_the_weights(cancer):
    # the issue's own example: the pipeline standardises, init_scale=5.0 makes
    # |W[1] x| large, tanh is flat there
    X, y = cancer
    net = ShallowNetClassifier(activation="tanh", solver="gd", init="random",
                               init_scale=5.0, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"saturated hidden units") as caught:
        make_pipeline(StandardScaler(), net).fit(X, y)
    (message,) = [str(w.message) for w in caught]
    assert "standardise" not in message
    assert ("The features are already on unit scale, so the starting weights "
            "are too large (largest |W[1]| = ") in message
    assert "from init='random', init_scale=5.0)" in message
    # the largest |W[1]| named is the one training started from: drawn again
    # by the plain transcription of the lecture's initialisation, same seed
    start = reference_initialize([X.shape[1], net.n_hidden, 1], "random", 5.0,
                                 seed=0)
    assert f"|W[1]| = {np.max(np.abs(start['W1'])):.3g}," in message


def test_warm_started_large_weights_are_named_as_such(cancer):
    X, y = cancer
    X = StandardScaler().fit_transform(X)
    net = lecture(ShallowNetClassifier, random_state=0, max_iter=5, tol=None)
    net.fit(X, y)
    net.coefs_[0][...] = 5.0 * np.sign(net.coefs_[0])  # |z| ≈ 5 Σ|x|
    net.set_params(warm_start=True, max_iter=200, tol=1e-4)
    with pytest.warns(ConvergenceWarning, match=r"saturated hidden units") as caught:
        net.fit(X, y)
    (message,) = [str(w.message) for w in caught]
    assert "from the weights this fit continues from (warm_start" in message


# -- the cost rose ----------------------------------------------------------------


def test_a_rising_cost_on_standardised_features_blames_the_step_alone(cancer):
    X, y = cancer
    net = lecture(ShallowNetClassifier, learning_rate=50.0, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"cost rose") as caught:
        make_pipeline(StandardScaler(), net).fit(X, y)
    (message,) = [str(w.message) for w in caught]
    assert "standardise" not in message
    assert message.endswith("try a smaller learning_rate (the features are "
                            "already on unit scale).")


def test_a_rising_cost_on_raw_features_also_suggests_standardising():
    X, y = load_digits(return_X_y=True)  # pixel values 0..16
    net = sknnbasics.lecture(ShallowNetClassifier, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"cost rose") as caught:
        net.fit(X, y)
    (message,) = [str(w.message) for w in caught]
    assert message.endswith("try a smaller learning_rate (or standardise the "
                            "features).")


def test_a_divergence_on_standardised_features_blames_the_step_alone(cancer):
    X, y = cancer
    net = lecture(ShallowNetRegressor, activation="identity", learning_rate=10.0,
                  random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"diverged") as caught:
        make_pipeline(StandardScaler(), net).fit(X, y.astype(float))
    (message,) = [str(w.message) for w in caught]
    assert "standardise" not in message
    assert "already on unit scale" in message


# -- learned nothing ----------------------------------------------------------------


def _sine():
    rng = np.random.RandomState(0)
    X = StandardScaler().fit_transform(rng.standard_normal((200, 2)))
    return X, np.sin(2 * X[:, 0])


@pytest.mark.parametrize("solver", ["gd", "lbfgs"])
def test_learning_nothing_on_standardised_features_names_other_causes(solver):
    # ReLU units that all start at 0 stay 0 (ReLU'(0) = 0): only the output
    # bias learns, i.e. the mean of y; the features are standardised, so
    # "standardise them" would change nothing
    X, y = _sine()
    net = (lecture(ShallowNetRegressor, activation="relu", init="zeros",
                   max_iter=50, random_state=0) if solver == "gd" else
           ShallowNetRegressor(activation="relu", init="zeros", solver="lbfgs",
                               random_state=0))
    with pytest.warns(ConvergenceWarning, match=r"learned nothing") as caught:
        net.fit(X, y)
    (message,) = [str(w.message) for w in caught]
    assert net.score(X, y) < 1e-3  # the verdict is true
    assert "standardise" not in message
    assert "already on unit scale, so their scale is not the cause" in message
    assert "the starting weights (init='zeros', init_scale=0.01)" in message
    assert f"(max_iter={net.max_iter}) may be too few" in message
    if solver == "gd":
        assert "the learning rate 0.05 may be too large or too small" in message
    else:  # L-BFGS has no learning rate to blame
        assert "learning rate" not in message
        assert "L-BFGS may have stopped too early" in message


def test_learning_nothing_on_raw_features_says_standardise_them():
    X, y = _sine()
    net = lecture(ShallowNetRegressor, activation="relu", max_iter=50,
                  random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"learned nothing") as caught:
        net.fit(X * 1e6 - 5e6, y)
    (message,) = [str(w.message) for w in caught]
    assert ("The usual cause is the scale of the features: standardise them"
            in message)
    assert "already on unit scale" not in message
