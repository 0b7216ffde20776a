"""ShallowNetRegressor and DeepNetRegressor (lecture §三 (2), §二 平方误差):
gradient checks for both output activations, step-for-step equality with
scikit-learn's MLPRegressor and with a plain transcription of the formulas."""

import ast
import re
import warnings

import numpy as np
import pytest
from _helpers import noisy_sine, regression_data, short_run
from _lecture import lecture
from _reference import (
    assert_float32_close,
    float32_tolerance,
    numerical_gradient,
    relative_error,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    ShallowNetClassifier,
    ShallowNetRegressor,
)
from sknnbasics._activations import get_activation
from sknnbasics._cost import OutputLayer
from sknnbasics._network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
)

MLP_ACTIVATION = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu",
                  "identity": "identity"}



@pytest.mark.parametrize("out_activation", ["identity", "relu"])
@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "relu", "leaky_relu"])
@pytest.mark.parametrize("dims", [[3, 5, 1], [3, 4, 3, 2]])
@pytest.mark.parametrize("weighted", [False, True])
def test_gradient_matches_central_differences(out_activation, hidden, dims, weighted):
    rng = np.random.RandomState(1)
    m = 7
    X = rng.standard_normal((dims[0], m))
    Y = rng.uniform(0.5, 2.0, size=(dims[-1], m))
    s = rng.uniform(0.2, 3.0, size=m) if weighted else None
    alpha = 0.3
    g, output = get_activation(hidden), OutputLayer(out_activation)
    parameters = initialize_parameters(dims, "xavier", rng=rng)
    if out_activation == "relu":  # keep Z[L] away from ReLU's kink at 0
        parameters[f"b{len(dims) - 1}"] += 3.0

    def J():
        cache = forward_propagation(X, parameters, g, output)
        return compute_cost(cache, Y, parameters, output, s, alpha)

    grads = backward_propagation(forward_propagation(X, parameters, g, output), Y,
                                 parameters, g, output, s, alpha)
    numerical = numerical_gradient(J, parameters)
    for name in parameters:
        key = f"d{name}"
        error = relative_error({key: numerical[key]}, grads)
        assert error < 1e-7, (name, error)


def _mlp_from(net, X, y, learning_rate, max_iter):
    """An MLPRegressor doing full-batch plain gradient descent from ``net``'s
    current weights."""
    mlp = MLPRegressor(
        hidden_layer_sizes=tuple(W.shape[1] for W in net.coefs_[:-1]),
        activation=MLP_ACTIVATION[net.activation], solver="sgd",
        batch_size=X.shape[0], momentum=0.0, alpha=0.0,
        learning_rate_init=learning_rate, shuffle=False, tol=0.0,
        n_iter_no_change=10**9, max_iter=1, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    mlp.coefs_ = [W.copy() for W in net.coefs_]
    mlp.intercepts_ = [b.copy() for b in net.intercepts_]
    mlp.set_params(warm_start=True, max_iter=max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
    return mlp


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "identity"])
@pytest.mark.parametrize("hidden_layer_sizes", [(6,), (5, 4), (4, 3, 3)])
@short_run  # one iteration, then 300 compared with MLPRegressor's
def test_full_batch_iterates_equal_mlpregressor(activation, hidden_layer_sizes):
    X, y = regression_data(m=50, n_x=3)
    net = lecture(DeepNetRegressor, hidden_layer_sizes, activation=activation,
                           learning_rate=0.05, max_iter=1, tol=None,
                           random_state=0).fit(X, y)
    start = [W.copy() for W in net.coefs_], [b.copy() for b in net.intercepts_]
    mlp = _mlp_from(net, X, y, learning_rate=0.05, max_iter=300)

    net.set_params(warm_start=True, max_iter=300)
    net.coefs_, net.intercepts_ = [W.copy() for W in start[0]], \
        [b.copy() for b in start[1]]
    net.fit(X, y)
    for ours, theirs in zip(net.coefs_ + net.intercepts_,
                            mlp.coefs_ + mlp.intercepts_, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    # MLPRegressor reports the same J for one output: mean of ½(ŷ − y)²
    np.testing.assert_allclose(net.loss_curve_[1:], mlp.loss_curve_[1:],
                               rtol=0, atol=1e-10)


def _plain_relu_output_network(X, Y, W1, b1, W2, b2, alpha_lr, iterations):
    """The lecture's formulas with tanh hidden units and a ReLU output, written
    out: Z1 = W1 X + b1, A1 = tanh Z1, Z2 = W2 A1 + b2, A2 = max(0, Z2),
    J = (1/m) Σ ½‖A2 − Y‖², dZ2 = (A2 − Y) * [Z2 > 0], dW2 = (1/m) dZ2 A1ᵀ, …"""
    m = X.shape[1]
    costs = []
    for _ in range(iterations):
        Z1 = W1 @ X + b1
        A1 = np.tanh(Z1)
        Z2 = W2 @ A1 + b2
        A2 = np.maximum(0, Z2)
        costs.append(np.sum(0.5 * (A2 - Y) ** 2) / m)
        dZ2 = (A2 - Y) * (Z2 > 0)
        dW2 = (1 / m) * dZ2 @ A1.T
        db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
        dZ1 = W2.T @ dZ2 * (1 - A1 ** 2)
        dW1 = (1 / m) * dZ1 @ X.T
        db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
        W1, b1 = W1 - alpha_lr * dW1, b1 - alpha_lr * db1
        W2, b2 = W2 - alpha_lr * dW2, b2 - alpha_lr * db2
    return costs, (W1, b1, W2, b2)


@pytest.mark.parametrize("n_out", [1, 2])
def test_relu_output_iterates_equal_plain_transcription(n_out):
    X, y = regression_data(m=60, n_x=3, n_out=n_out, positive=True)
    net = lecture(ShallowNetRegressor, 5, out_activation="relu", learning_rate=0.1,
                              max_iter=500, tol=None, random_state=3).fit(X, y)
    start = initialize_parameters([3, 5, n_out], "xavier",
                                  rng=np.random.RandomState(3))
    costs, (W1, b1, W2, b2) = _plain_relu_output_network(
        X.T, np.asarray(y).reshape(60, -1).T, start["W1"], start["b1"],
        start["W2"], start["b2"], 0.1, 500)
    np.testing.assert_allclose(net.loss_curve_, costs, rtol=0, atol=1e-10)
    P = net.parameters_
    for ours, plain in zip((P["W1"], P["b1"], P["W2"], P["b2"]), (W1, b1, W2, b2),
                           strict=True):
        np.testing.assert_allclose(ours, plain, rtol=0, atol=1e-10)


@pytest.mark.parametrize("Estimator", [ShallowNetRegressor, DeepNetRegressor])
def test_relu_output_never_predicts_a_negative_value(Estimator):
    X, y = regression_data(m=80, n_x=3, positive=True)
    # ReLU hidden units extrapolate linearly, so far from the data a linear
    # output goes negative somewhere
    net = lecture(Estimator, activation="relu", out_activation="relu", random_state=0)
    net.fit(X, y)
    X_far = np.random.RandomState(5).standard_normal((2000, 3)) * 10
    assert net.predict(X_far).min() >= 0
    if Estimator is ShallowNetRegressor:  # the ReLU is what guarantees it
        identity = lecture(Estimator, activation="relu", random_state=0).fit(X, y)
        assert identity.predict(X_far).min() < 0


def test_multi_output_and_r2_score():
    X, Y = regression_data(m=120, n_x=3, n_out=2)
    net = lecture(DeepNetRegressor, (16, 8), random_state=0).fit(X, Y)
    prediction = net.predict(X)
    assert prediction.shape == (120, 2) and net.n_outputs_ == 2
    # R² averaged over the outputs, each learnt: neither column is left at
    # its mean while the other carries the score
    per_output = r2_score(Y, prediction, multioutput="raw_values")
    assert np.all(per_output > 0.9), per_output
    # and each column of predict is its own output's ŷ, not a copy of the other
    assert r2_score(Y[:, ::-1], prediction, multioutput="raw_values").max() < 0.5
    # one cost for both outputs: J = (1/m) Σᵢ ½‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖², summed over them
    first = lecture(ShallowNetRegressor,
                    4, max_iter=1, tol=None, random_state=0).fit(X, Y)
    start = initialize_parameters([3, 4, 2], "xavier", rng=np.random.RandomState(0))
    A2 = start["W2"] @ np.tanh(start["W1"] @ X.T + start["b1"]) + start["b2"]
    J = np.sum(0.5 * (A2 - Y.T) ** 2) / 120
    assert first.loss_curve_[0] == pytest.approx(J, rel=1e-12)


def test_shallow_equals_deep_with_one_hidden_layer():
    X, y = regression_data(m=50, n_x=4)
    shallow = lecture(ShallowNetRegressor,
                      6, activation="relu", random_state=2).fit(X, y)
    deep = lecture(DeepNetRegressor, (6,), activation="relu", random_state=2).fit(X, y)
    assert shallow.loss_curve_ == deep.loss_curve_
    for a, b in zip(shallow.coefs_ + shallow.intercepts_,
                    deep.coefs_ + deep.intercepts_, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("n_out", [1, 2])
def test_float32_stays_float32_and_trains_like_float64(n_out):
    X, y = regression_data(m=40, n_x=3, n_out=n_out)
    params = dict(hidden_layer_sizes=(6, 4), max_iter=60, tol=None, random_state=0)
    net = lecture(DeepNetRegressor,
                  **params).fit(X.astype(np.float32), y.astype(np.float32))
    assert all(W.dtype == np.float32 for W in net.coefs_ + net.intercepts_)
    assert net.predict(X.astype(np.float32)).dtype == np.float32
    net64 = lecture(DeepNetRegressor, **params).fit(X, y)
    # the same run up to float32 rounding: both start from one float64 draw
    tolerance = float32_tolerance(n_iter=60, n_terms=40 + 6)
    for W32, W64 in zip(net.coefs_ + net.intercepts_,
                        net64.coefs_ + net64.intercepts_, strict=True):
        assert_float32_close(W32, W64, tolerance)
    assert_float32_close(net.loss_curve_, net64.loss_curve_, tolerance)
    assert_float32_close(net.predict(X.astype(np.float32)), net64.predict(X),
                         tolerance)


def test_noisy_sine_is_learned():
    X, y = noisy_sine()
    net = lecture(ShallowNetRegressor, n_hidden=10, learning_rate=0.1, max_iter=5000,
                              tol=None, random_state=0).fit(X, y)
    grid = np.linspace(-3, 3, 50).reshape(-1, 1)
    assert np.max(np.abs(net.predict(grid) - np.sin(grid[:, 0]))) < 0.25
    assert np.all(np.diff(net.loss_curve_) <= 0)  # small α: J never rises


def test_bad_out_activation_is_a_clear_error():
    X, y = regression_data()
    with pytest.raises(ValueError, match="out_activation.*'identity'.*'relu'|"
                                         "out_activation.*'relu'.*'identity'"):
        lecture(ShallowNetRegressor, out_activation="softmax").fit(X, y)


def test_a_rising_cost_warns_that_the_learning_rate_is_too_large():
    # full-batch gradient descent with a small α never raises J (see the sine
    # test); with α too large the cost climbs and the tol rule stops training
    X, y = noisy_sine()
    net = lecture(ShallowNetRegressor, n_hidden=10, learning_rate=0.5, random_state=0)
    with pytest.warns(ConvergenceWarning, match="cost rose .* smaller learning_rate"):
        net.fit(X, y)
    assert net.loss_curve_[-1] > 1.01 * min(net.loss_curve_)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        lecture(ShallowNetRegressor, n_hidden=10, learning_rate=0.05, max_iter=20000,
                            random_state=0).fit(X, y)


def documented_defaults(Estimator):
    """{name: default} as the Parameters section of the docstring states them
    ("name : type, default=value")."""
    found = re.findall(r"^    (\w+) : [^\n]*default=([^\n]+)$", Estimator.__doc__,
                       re.M)
    return {name: ast.literal_eval(value) for name, value in found}


@pytest.mark.parametrize("Estimator", [ShallowNetRegressor, DeepNetRegressor])
def test_defaults_are_the_documented_ones(Estimator):
    defaults = Estimator().get_params()
    assert documented_defaults(Estimator) == defaults


def test_shallow_and_deep_regressors_share_their_hyperparameters():
    shallow = ShallowNetRegressor().get_params()
    deep = DeepNetRegressor().get_params()
    assert shallow.pop("n_hidden") == 100
    assert deep.pop("hidden_layer_sizes") == (64, 32)
    # DeepNetRegressor alone defaults to an L2 penalty (its docstring says why)
    assert deep.pop("alpha") == 3.0
    assert shallow.pop("alpha") == 0.0
    assert shallow == deep
    # and the classifiers' network hyperparameters, but for the output layer
    # (class_weight / out_activation, loss); learning_rate="auto" gives
    # solver="gd" a smaller α for a squared loss (tests/test_defaults.py)
    assert shallow.pop("learning_rate") == "auto"
    assert shallow.pop("out_activation") == "identity"
    assert shallow.pop("loss") == "squared_error"
    for Classifier in (ShallowNetClassifier, DeepNetClassifier):
        theirs = Classifier().get_params()
        theirs.pop("n_hidden", None) or theirs.pop("hidden_layer_sizes")
        assert theirs.pop("alpha") == 0.0
        assert theirs.pop("learning_rate") == "auto"
        assert theirs.pop("class_weight") is None
        assert theirs == shallow


@pytest.mark.parametrize("Estimator", [ShallowNetRegressor, DeepNetRegressor])
def test_partial_fit_refuses_a_chunk_with_another_number_of_outputs(Estimator):
    X, y = regression_data(m=30, n_x=3)
    _, Y2 = regression_data(m=30, n_x=3, n_out=2)
    name = Estimator.__name__
    for first, other, n_first, n_other in ((y, Y2, 1, 2), (Y2, y, 2, 1)):
        net = lecture(Estimator, random_state=0).partial_fit(X, first)
        before = [W.copy() for W in net.coefs_ + net.intercepts_]
        with pytest.raises(ValueError) as error:
            net.partial_fit(X, other)
        assert str(error.value) == (
            f"y has {n_other} output columns, but {name} was trained with "
            f"{n_first}; partial_fit needs the same outputs in every chunk.")
        # nothing was trained on the refused chunk
        assert net.n_iter_ == 1 and net.n_outputs_ == n_first
        for kept, now in zip(before, net.coefs_ + net.intercepts_, strict=True):
            np.testing.assert_array_equal(kept, now)
        # a chunk of the right width (y as one column counts as one output)
        net.partial_fit(X, first.reshape(30, -1) if n_first == 1 else first)
        assert net.n_iter_ == 2


def test_targets_too_large_to_square_are_named_as_the_cause():
    X = np.random.RandomState(0).standard_normal((20, 2))
    y = np.where(np.arange(20) % 2, 1e300, -1e300)
    est = ShallowNetRegressor(random_state=0)
    with pytest.raises(ValueError, match=r"the targets are too large \(largest "
                                         r"\|y\| = 1e\+300\)"):
        est.fit(X, y)
    assert not hasattr(est, "n_iter_")


@pytest.mark.parametrize("solver", ["gd", "lbfgs"])
@short_run  # 50 iterations, weighted compared with repeated
def test_the_default_penalty_weighs_a_weighted_sample_as_its_repeats(solver):
    # DeepNetRegressor's alpha=3.0: the penalty's m is Σ sᵢ, so integer
    # weights train exactly as the rows repeated (at equal weights and the
    # same number of iterations; the tolerance is the sums' reordering)
    rng = np.random.RandomState(0)
    X, y = rng.randn(15, 3), rng.randn(15)
    counts = rng.randint(0, 3, 15)
    params = dict(hidden_layer_sizes=(8, 4), solver=solver, activation="tanh",
                  batch_size=None, max_iter=50, random_state=0,
                  tol=None if solver == "gd" else 1e-4)
    weighted = DeepNetRegressor(**params).fit(X, y, sample_weight=counts)
    repeated = DeepNetRegressor(**params).fit(np.repeat(X, counts, axis=0),
                                              np.repeat(y, counts))
    assert weighted.alpha == 3.0 and weighted.n_iter_ == repeated.n_iter_
    np.testing.assert_allclose(weighted.predict(X), repeated.predict(X),
                               rtol=0, atol=1e-10)
    assert weighted.loss_ == pytest.approx(repeated.loss_, rel=1e-12)
