"""The learner's toolkit (issue 25): check_gradients, one_iteration and
HiddenLayerTransformer, against fit itself, the plain transcription of the
lecture (tests/_reference.py) and central differences; and the page
docs/user_guide/step_by_step.rst, whose examples run here."""

import doctest
from pathlib import Path

import numpy as np
import pytest
from _reference import backward, cost, forward, initialize, numerical_gradient
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    HiddenLayerTransformer,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
    check_gradients,
    lecture,
    one_iteration,
)
from sknnbasics.datasets import make_flower

ROOT = Path(__file__).resolve().parents[1]
ESTIMATORS = [LogisticGD, ShallowNetClassifier, DeepNetClassifier,
              ShallowNetRegressor, DeepNetRegressor]
ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


def small(Estimator, **params):
    """The lecture's estimator, with a network small enough for central
    differences (2 forward passes per weight)."""
    if Estimator in (DeepNetClassifier, DeepNetRegressor):
        params.setdefault("hidden_layer_sizes", (5, 3))
    params.setdefault("random_state", 0)
    return lecture(Estimator, **params)


def flower(m=40):
    return make_flower(n_samples=m, random_state=0)


# the output layers: for each family, (name, hyperparameters, data)
def outputs(Estimator):
    X, y = flower()
    if Estimator in (ShallowNetRegressor, DeepNetRegressor):
        return [("identity", {}, (X, X[:, 0] * y)),
                ("identity, 2 outputs", {}, (X, X)),
                # from random_state=0 some of these ReLU output units start
                # with z < 0 for every sample: dead, their gradient is 0
                # (test_a_dead_relu_output_is_too_small_to_tell); 4 is alive
                ("relu", {"out_activation": "relu", "random_state": 4},
                 (X, np.abs(X[:, 0]))),
                ("exp (poisson)", {"loss": "poisson"}, (X, 3.0 * y))]
    X3, y3 = make_classification(n_samples=40, n_features=3, n_informative=3,
                                 n_redundant=0, n_classes=3, random_state=0)
    return [("sigmoid", {}, (X, y)),
            ("softmax", {}, (X3, y3)),
            ("sigmoid per label", {}, (X, np.column_stack([y, X[:, 0] > 0])))]


def grid():
    for Estimator in ESTIMATORS:
        activations = ["tanh"] if Estimator is LogisticGD else ACTIVATIONS
        for activation in activations:
            for name, _, _ in outputs(Estimator):
                for alpha in (0.0, 0.7):
                    yield pytest.param(Estimator, activation, name, alpha,
                                       id=f"{Estimator.__name__}-{activation}-"
                                          f"{name}-alpha={alpha}")


# -- check_gradients ---------------------------------------------------------


@pytest.mark.parametrize("Estimator, activation, output, alpha", grid())
def test_check_gradients_passes_for_every_estimator_activation_output_alpha(
        Estimator, activation, output, alpha):
    (params, (X, y)), = [(p, d) for n, p, d in outputs(Estimator) if n == output]
    if Estimator is not LogisticGD:
        params = dict(params, activation=activation, init="xavier")
    est = small(Estimator, alpha=alpha, **params)
    check = check_gradients(est, X, y)
    assert check.passed, str(check)
    # every weight matrix is checked for real; a b[l] whose gradient is below
    # what central differences resolve may be "too small to tell"
    for name, verdict in check.verdicts.items():
        expected = {"correct"} if name.startswith("W") else {
            "correct", "too small to tell"}
        assert verdict in expected, str(check)


@pytest.mark.parametrize("Estimator", [ShallowNetClassifier, DeepNetClassifier])
@pytest.mark.parametrize("three_classes", [False, True])
def test_check_gradients_equals_the_transcription_of_the_lecture(Estimator,
                                                                 three_classes):
    # both gradients, beside the plain numpy transcription's backward pass
    # and its central differences of its own cost, from its own weights
    X, y = flower()
    if three_classes:
        y = np.where(X[:, 0] > 1, 2, y)
    est = small(Estimator, activation="tanh", init="xavier", alpha=0.3)
    sizes = [4] if Estimator is ShallowNetClassifier else [5, 3]
    K = len(np.unique(y))
    parameters = initialize([2, *sizes, 1 if K == 2 else K], "xavier", 0, seed=0)
    Y = (y.reshape(1, -1) if K == 2 else np.eye(K)[:, y]).astype(float)

    def J():
        return cost(forward(X.T, parameters, "tanh")[1][-1], Y, parameters,
                    alpha=0.3)

    Z, A = forward(X.T, parameters, "tanh")
    expected = backward(Z, A, Y, parameters, "tanh", alpha=0.3)
    slopes = numerical_gradient(J, parameters, eps=1e-7)
    check = check_gradients(est, X, y)
    for key in expected:
        assert_allclose(check.gradients[key], expected[key], rtol=1e-12,
                        atol=1e-15, err_msg=key)
        # two roundings of J apart at most (the check's resolution)
        assert_allclose(check.approximations[key], slopes[key], rtol=0,
                        atol=check.resolution, err_msg=key)
    assert check.cost == pytest.approx(J(), rel=1e-13)


def test_a_dead_relu_output_is_too_small_to_tell():
    # z[L] < 0 for every sample: ReLU' = 0 there, every gradient is exactly
    # 0 and so is every central difference; nothing can be told
    X, y = flower()
    est = small(DeepNetRegressor, out_activation="relu", activation="sigmoid",
                init="xavier", random_state=0)
    assert np.all(one_iteration(est, X, np.abs(X[:, 0]))["Z3"] < 0)
    check = check_gradients(est, X, np.abs(X[:, 0]))
    assert set(check.verdicts.values()) == {"too small to tell"}
    assert check.passed
    assert "Too small to tell" in str(check)


def tanh_backward(mistake=None):
    """A learner's backward propagation for tanh hidden layers and a sigmoid
    output, written from the lecture, with one ``mistake`` if asked."""

    def backward_pass(cache, Y, parameters):
        L, m = len(parameters) // 2, Y.shape[1]
        dZ = cache[f"A{L}"] - Y
        grads = {}
        for l in range(L, 0, -1):
            grads[f"dW{l}"] = dZ @ cache[f"A{l - 1}"].T / m
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True) / m
            if mistake == "dW2 without 1/m" and l == 2:
                grads["dW2"] *= m
            if mistake == "db3 with the wrong sign" and l == 3:
                grads["db3"] = -grads["db3"]
            if l == 1:
                break
            g_prime = 1 - cache[f"A{l - 1}"] ** 2
            if mistake == "g' forgotten in dZ1" and l == 2:
                g_prime = 1.0
            if mistake == "g'(Z2) from Z, not A" and l == 3:
                g_prime = 1 - cache["Z2"] ** 2
            dZ = parameters[f"W{l}"].T @ dZ * g_prime
        return grads

    return backward_pass


def deep_tanh(**params):
    return small(DeepNetClassifier, activation="tanh", init="xavier", **params)


def test_a_learners_correct_backward_pass_passes():
    X, y = flower()
    check = check_gradients(deep_tanh(), X, y, backward=tanh_backward())
    assert check.passed and set(check.verdicts.values()) == {"correct"}
    assert check.difference < 1e-7


@pytest.mark.parametrize("mistake, wrong", [
    ("dW2 without 1/m", ["W2"]),
    ("db3 with the wrong sign", ["b3"]),
    # dZ[1] is wrong, so are dW[1] and db[1] made from it
    ("g' forgotten in dZ1", ["W1", "b1"]),
    # dZ[2] is wrong, and flows down to layer 1
    ("g'(Z2) from Z, not A", ["W2", "b2", "W1", "b1"]),
])
def test_a_broken_backward_pass_is_flagged_and_the_parameter_named(mistake, wrong):
    X, y = flower()
    check = check_gradients(deep_tanh(), X, y, backward=tanh_backward(mistake))
    assert not check.passed
    assert check.wrong == wrong
    for name, verdict in check.verdicts.items():
        assert (verdict == "wrong") == (name in wrong), name
        assert (check.differences[name] > 1e-5) == (name in wrong), name
    shown = str(check)
    assert f"Wrong: {', '.join(wrong)}." in shown
    for name in wrong:
        assert any(line.startswith(name) and line.endswith("wrong")
                   for line in shown.splitlines()), shown


def test_a_backward_pass_without_the_l2_term_is_wrong_in_every_W_only():
    # J has (λ/2m) Σ‖W[l]‖², so dW[l] has (λ/m) W[l]; b[l] is not penalised
    X, y = flower()
    check = check_gradients(deep_tanh(alpha=0.7), X, y, backward=tanh_backward())
    assert check.wrong == ["W3", "W2", "W1"]
    assert check_gradients(deep_tanh(alpha=0.0), X, y,
                           backward=tanh_backward()).passed


def test_samples_at_relus_kink_are_left_out_and_only_those():
    # b[l] = 0: a sample whose first hidden layer is all off has z = 0
    # exactly in the next layer, where ReLU has no derivative and the
    # central difference straddles the kink
    from _gradcheck import package_gradients

    from sknnbasics._activations import get_activation
    from sknnbasics._cost import OutputLayer

    X, y = flower()
    est = small(DeepNetClassifier, hidden_layer_sizes=(3, 3), activation="relu",
                init="he")
    step = one_iteration(est, X, y)
    at_zero = np.flatnonzero(np.any(step["Z2"] == 0, axis=0)
                             | np.any(step["Z3"] == 0, axis=0))
    assert len(at_zero) > 0
    check = check_gradients(est, X, y)
    assert_array_equal(check.left_out, at_zero)
    assert check.n_samples == len(X) - len(at_zero)
    assert set(check.verdicts.values()) == {"correct"}
    assert f"{len(at_zero)} left out" in str(check)
    # with them the slopes and backward propagation disagree
    numerical, analytical = package_gradients(
        X.T.copy(), step.Y, {k: v.copy() for k, v in step.parameters.items()},
        get_activation("relu"), OutputLayer("logistic"))
    from sknnbasics._gradient_check import relative_difference
    assert max(relative_difference(analytical[k], numerical[k])
               for k in analytical) > 1e-5


@pytest.mark.parametrize("fitted", [False, True])
def test_check_gradients_and_one_iteration_leave_the_estimator_as_it_was(fitted):
    X, y = flower()
    est = small(ShallowNetClassifier, max_iter=20)
    if fitted:
        est.fit(X, y)
    before = {k: v.copy() for k, v in vars(est).items()
              if isinstance(v, np.ndarray)}
    keys = set(vars(est))
    weights = {k: v.copy() for k, v in est.parameters_.items()} if fitted else {}
    check_gradients(est, X, y)
    one_iteration(est, X, y)
    assert set(vars(est)) == keys  # an unfitted one stays unfitted
    for k, v in before.items():
        assert_array_equal(getattr(est, k), v)
    for k, v in weights.items():
        assert_array_equal(est.parameters_[k], v)


def test_a_fitted_estimator_is_checked_at_its_fitted_weights():
    X, y = flower()
    est = small(ShallowNetClassifier, max_iter=50).fit(X, y)
    check = check_gradients(est, X, y)
    step = one_iteration(est, X, y)
    for name, value in est.parameters_.items():
        assert_array_equal(step.parameters[name], value)
    assert check.cost == pytest.approx(step.cost, rel=1e-14)
    assert set(check.verdicts.values()) == {"correct"}


def test_check_gradients_counts_sample_and_class_weights():
    # J = Σ sᵢ Lᵢ / Σ sᵢ: the learner's unweighted backward pass is wrong,
    # the package's is right
    X, y = flower()
    s = np.random.RandomState(0).uniform(0.1, 3, size=len(y))
    est = small(ShallowNetClassifier, init="xavier")
    assert check_gradients(est, X, y, sample_weight=s).passed
    assert not check_gradients(est, X, y, sample_weight=s,
                               backward=tanh_backward()).passed
    weighted = small(ShallowNetClassifier, init="xavier", class_weight={0: 1, 1: 4})
    assert check_gradients(weighted, X, y).passed
    assert not check_gradients(weighted, X, y, backward=tanh_backward()).passed


def test_check_gradients_refuses_what_it_cannot_check():
    X, y = flower()
    net = small(ShallowNetClassifier)
    with pytest.raises(TypeError, match=r"pipe\[-1\], pipe\[:-1\]\.transform"):
        check_gradients(make_pipeline(StandardScaler(), net), X, y)
    with pytest.raises(TypeError, match="pass an instance"):
        check_gradients(ShallowNetClassifier, X, y)
    with pytest.raises(ValueError, match="returned no 'dW1'"):
        check_gradients(net, X, y, backward=lambda c, Y, p: {"dW2": 0})
    with pytest.raises(ValueError, match=r"d b1|db1 of shape \(4,\)"):
        check_gradients(net, X, y, backward=lambda c, Y, p: {
            "dW1": np.zeros((4, 2)), "db1": np.zeros(4),
            "dW2": np.zeros((1, 4)), "db2": np.zeros((1, 1))})
    with pytest.raises(ValueError, match="epsilon must be"):
        check_gradients(net, X, y, epsilon=0)
    with pytest.raises(ValueError, match="thresholds must be"):
        check_gradients(net, X, y, thresholds=(1e-5, 1e-7))
    with pytest.raises(ValueError, match="features"):
        check_gradients(small(LogisticGD, max_iter=5).fit(X, y), X[:, :1], y)


# -- one_iteration -----------------------------------------------------------


def flower_targets(Estimator, m=400, kind="labels"):
    """The flower, with labels for the classifiers (one column, or an
    indicator matrix for ``kind="multilabel"``) and two smooth targets for
    the regressors."""
    X, y = make_flower(n_samples=m, random_state=0)
    if Estimator in (ShallowNetRegressor, DeepNetRegressor):
        return X, np.column_stack([X[:, 0], np.sin(X[:, 1])])
    if kind == "multilabel":
        return X, np.column_stack([y, X[:, 0] > 0]).astype(int)
    if kind == "three classes":
        return X, np.where(X[:, 0] > 1.5, 2, y)
    return X, y


def assert_same_parameters(actual, desired, rtol=1e-12):
    assert actual.keys() == desired.keys()
    for key, value in desired.items():
        assert actual[key].dtype == value.dtype, key
        assert_allclose(actual[key], value, rtol=rtol, atol=1e-15, err_msg=key)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize("alpha", [0.0, 0.5])
def test_one_iteration_is_fits_first_iteration(Estimator, alpha):
    X, y = flower_targets(Estimator)
    net = lecture(Estimator, max_iter=1, alpha=alpha, random_state=0)
    step = one_iteration(net, X, y)  # unfitted: the weights fit will draw
    if Estimator is LogisticGD:
        net.fit(X, y)
    else:
        # one step from randn·0.01 leaves J at the class frequencies' or the
        # mean's: the lecture's networks need many iterations
        with pytest.warns(ConvergenceWarning, match="has learned nothing"):
            net.fit(X, y)
    assert step.cost == pytest.approx(net.loss_curve_[0], rel=1e-12)
    assert step.learning_rate == net.learning_rate_
    assert_same_parameters(step.updated, net.parameters_)


@pytest.mark.parametrize("Estimator, kind", [
    *((Estimator, kind) for Estimator in (LogisticGD, ShallowNetClassifier,
                                          DeepNetClassifier)
      for kind in ("labels", "three classes", "multilabel")),
    (ShallowNetRegressor, "two targets"), (DeepNetRegressor, "two targets")])
@pytest.mark.parametrize("weighted", [False, True])
def test_one_iteration_continues_a_fit_as_fit_does(Estimator, kind, weighted):
    # from trained weights, one more iteration of fit (warm_start) makes
    # exactly the step-through's update; λ and sample weights included
    X, y = flower_targets(Estimator, kind=kind)
    params = dict(alpha=0.1, max_iter=100, random_state=0)
    if Estimator is DeepNetClassifier:
        params["learning_rate"] = 0.1  # α = 0.5 oscillates on the flower
    s = np.random.RandomState(1).uniform(0.5, 2, size=len(X)) if weighted else None
    net = lecture(Estimator, **params).fit(X, y, sample_weight=s)
    step = one_iteration(net, X, y, sample_weight=s)
    for name, value in net.parameters_.items():
        assert_array_equal(step.parameters[name], value)
    net.set_params(warm_start=True, max_iter=1).fit(X, y, sample_weight=s)
    assert step.cost == pytest.approx(net.loss_curve_[-1], rel=1e-12)
    assert_same_parameters(step.updated, net.parameters_)


def test_one_iteration_keeps_float32_as_fit_does():
    X, y = flower_targets(ShallowNetClassifier)
    X = X.astype(np.float32)
    net = lecture(ShallowNetClassifier, max_iter=1, random_state=0)
    step = one_iteration(net, X, y)
    with pytest.warns(ConvergenceWarning, match="has learned nothing"):
        net.fit(X, y)
    for array in [*step.cache.values(), *step.grads.values()]:
        assert array.dtype == np.float32
    assert_same_parameters(step.updated, net.parameters_, rtol=1e-6)


@pytest.mark.parametrize("Estimator, sizes", [(ShallowNetClassifier, [4]),
                                              (DeepNetClassifier, [5, 3])])
@pytest.mark.parametrize("three_classes", [False, True])
def test_one_iteration_equals_the_transcription_of_the_lecture(Estimator, sizes,
                                                               three_classes):
    # every Z[l], A[l], dW[l], db[l] and J beside tests/_reference.py, from
    # its own draw of the weights randn·0.01
    X, y = flower_targets(Estimator, kind="three classes" if three_classes
                          else "labels")
    K = len(np.unique(y))
    params = dict(random_state=0, init="random", alpha=0.2)
    if Estimator is DeepNetClassifier:
        params["hidden_layer_sizes"] = tuple(sizes)
    step = one_iteration(lecture(Estimator, **params), X, y)
    parameters = initialize([2, *sizes, 1 if K == 2 else K], "random", 0.01,
                            seed=0)
    Y = (y.reshape(1, -1) if K == 2 else np.eye(K)[:, y]).astype(float)
    Z, A = forward(X.T, parameters, "tanh")
    grads = backward(Z, A, Y, parameters, "tanh", alpha=0.2)
    assert_allclose(step["Y"], Y)
    for l in range(1, len(sizes) + 2):
        assert_allclose(step[f"W{l}"], parameters[f"W{l}"], rtol=1e-15)
        assert_allclose(step[f"Z{l}"], Z[l], rtol=1e-12, atol=1e-15)
        assert_allclose(step[f"A{l}"], A[l], rtol=1e-12, atol=1e-15)
        for d in ("dW", "db"):
            assert_allclose(step[f"{d}{l}"], grads[f"{d}{l}"], rtol=1e-10,
                            atol=1e-15)
            # the update, W := W − α dW with the lecture's α = 0.5
            name = f"{d[1]}{l}"
            assert_allclose(step.updated[name],
                            parameters[name] - 0.5 * grads[f"{d}{l}"],
                            rtol=1e-12, atol=1e-15)
    assert step.cost == pytest.approx(cost(A[-1], Y, parameters, alpha=0.2),
                                      rel=1e-13)


def test_the_table_shows_every_array_in_the_lectures_order():
    X, y = flower_targets(DeepNetClassifier)
    step = one_iteration(lecture(DeepNetClassifier, random_state=0), X, y)
    shown = str(step)
    names = [line.split()[0] for line in shown.splitlines()
             if line.startswith("  ")][1:]
    L = 4
    forward_names = ["A0"] + [f"{n}{l}" for l in range(1, L + 1)
                              for n in ("W", "b", "Z", "A")]
    backward_names = []
    for l in range(L, 0, -1):
        backward_names += ([f"dA{l}"] if l < L else []) + [f"dZ{l}", f"dW{l}",
                                                           f"db{l}"]
    update = [f"{n}{l}" for l in range(1, L + 1) for n in ("W", "b")]
    assert names == forward_names + ["Y", "J"] + backward_names + update
    for term in ("正向传播", "成本函数", "反向传播", "梯度下降"):
        assert term in shown
    # a row: name, shape n[l]×m, min, mean, max, Frobenius norm
    row = next(line for line in shown.splitlines() if line.split()[0] == "Z2")
    name, shape, low, mean, high, norm = row.split()
    assert shape == "7×400"
    assert float(norm) == pytest.approx(np.linalg.norm(step["Z2"]), rel=1e-3)
    assert float(high) == pytest.approx(step["Z2"].max(), rel=1e-3)
    assert [r[1] for r in step.table()] == names


def test_one_iteration_asks_for_the_lectures_rule_or_a_learning_rate():
    X, y = flower_targets(ShallowNetClassifier)
    adam = ShallowNetClassifier(n_hidden=4, random_state=0)
    with pytest.raises(ValueError, match=r"solver='adam'.*lecture\("):
        one_iteration(adam, X, y)
    step = one_iteration(adam, X, y, learning_rate=0.3)
    for name, value in step.parameters.items():
        assert_allclose(step.updated[name], value - 0.3 * step[f"d{name}"])
    with pytest.raises(KeyError, match="No array 'Z9'"):
        step["Z9"]


# -- HiddenLayerTransformer --------------------------------------------------


@pytest.mark.parametrize("Estimator, layers", [
    (ShallowNetClassifier, [1]), (DeepNetClassifier, [1, 2, 3]),
    (ShallowNetRegressor, [1]), (DeepNetRegressor, [1, 2, 3])])
def test_hidden_activations_equal_the_step_throughs_A(Estimator, layers):
    X, y = flower_targets(Estimator)
    X_new = make_flower(n_samples=50, random_state=7)[0]
    net = lecture(Estimator, max_iter=100, random_state=0)
    if Estimator is DeepNetClassifier:
        net.set_params(learning_rate=0.1)
    net.fit(X, y)
    step = one_iteration(net, X_new, y[:50])
    for layer in layers:
        # a prefit network, frozen: used as it is
        hidden = HiddenLayerTransformer(FrozenEstimator(net), layer=layer)
        A = hidden.fit(X, y).transform(X_new)
        assert A.shape == (50, net.parameters_[f"W{layer}"].shape[0])
        assert A.flags.c_contiguous
        assert_array_equal(A, step[f"A{layer}"].T)
        # an unfitted one: fitted by the transformer, the same network
        fitted = HiddenLayerTransformer(
            lecture(Estimator, **net.get_params()), layer=layer).fit(X, y)
        assert_array_equal(fitted.transform(X_new), A)


def test_the_output_layer_is_a_linear_model_on_the_last_hidden_layer():
    # Z[L] = W[L] A[L-1] + b[L]: the network's decision function, from the
    # transformer's features and the last layer's weights
    X, y = flower_targets(ShallowNetClassifier)
    net = lecture(ShallowNetClassifier, max_iter=300, random_state=0).fit(X, y)
    A1 = HiddenLayerTransformer(FrozenEstimator(net)).fit(X, y).transform(X)
    assert_allclose(A1 @ net.coefs_[1][:, 0] + net.intercepts_[1][0],
                    net.decision_function(X), rtol=1e-12, atol=1e-14)


def test_hidden_features_in_a_pipeline():
    X, y = flower_targets(ShallowNetClassifier)
    net = lecture(ShallowNetClassifier, n_hidden=5, max_iter=2000, random_state=0)
    model = make_pipeline(HiddenLayerTransformer(net),
                          LogisticRegression()).fit(X, y)
    # a linear model on the learned features separates what it cannot on
    # the raw ones
    assert model.score(X, y) > 0.85
    assert LogisticRegression().fit(X, y).score(X, y) < 0.6
    pca = make_pipeline(HiddenLayerTransformer(net), PCA(n_components=2))
    assert pca.fit_transform(X, y).shape == (400, 2)
    assert list(pca[0].get_feature_names_out()) == [
        f"hiddenlayertransformer{j}" for j in range(5)]


def test_hidden_layer_transformer_refuses_a_layer_it_does_not_have():
    X, y = flower_targets(ShallowNetClassifier)
    with pytest.raises(ValueError, match=r"1 hidden layer \(1 … 1\).*layer=2"):
        HiddenLayerTransformer(lecture(ShallowNetClassifier), layer=2).fit(X, y)
    with pytest.raises(ValueError, match="no hidden layer"):
        HiddenLayerTransformer(lecture(LogisticGD), layer=1).fit(X, y)
    with pytest.raises(TypeError, match="got an instance of LogisticRegression"):
        HiddenLayerTransformer(LogisticRegression()).fit(X, y)


# -- the user guide page -----------------------------------------------------


def test_the_step_by_step_page_runs():
    pytest.importorskip("sklearn.callback", reason="its last section needs "
                        "scikit-learn >= 1.9; pip install 'scikit-learn>=1.9'")
    pytest.importorskip("rich", reason="ProgressBar needs rich: pip install rich")
    page = ROOT / "docs" / "user_guide" / "step_by_step.rst"
    result = doctest.testfile(
        str(page), module_relative=False, report=True, verbose=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 30
    assert result.failed == 0


@pytest.mark.parametrize("fitted", [False, True])
def test_check_gradients_at_the_mlp_like_defaults(fitted):
    # the defaults (Adam, Glorot's weights and biases, ReLU): the gradient
    # does not depend on the solver, and Glorot's b[l] ≠ 0 leaves no z at 0
    X, y = flower()
    X = StandardScaler().fit_transform(X)
    net = ShallowNetClassifier(n_hidden=6, random_state=0)
    if fitted:
        net.set_params(max_iter=300, tol=None).fit(X, y)
    check = check_gradients(net, X, y)
    assert set(check.verdicts.values()) == {"correct"}, str(check)
    assert len(check.left_out) == 0
