"""The network core in the lecture's notation (§三, §四): initialisation, forward
propagation, cost, backward propagation, update, and the gradient-descent loop.

Every function is compared with ``_reference`` (the lecture's formulas in plain
numpy) and backward propagation with central differences of the cost."""

import warnings

import numpy as np
import pytest
from _gradcheck import package_gradients
from _reference import FLOAT32_U, numerical_gradient, one_hot, relative_error
from _reference import backward as reference_backward
from _reference import cost as reference_cost
from _reference import forward as reference_forward
from _reference import initialize as reference_initialize
from _reference import train as reference_train

from sknnbasics._activations import get_activation
from sknnbasics._cost import OutputLayer, log_sigmoid, log_softmax, logistic_loss
from sknnbasics._network import (
    _product,
    _row_sums,
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
    layer_dims,
    n_layers,
    update_parameters,
)
from sknnbasics._training import gradient_descent

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
HIDDEN = [(), (4,), (4, 3), (5, 4, 3)]


def problem(hidden, n_classes, seed=0, m=7, n_x=3, scale=0.8):
    """A small random network and data set: X (n_x, m), Y, weights s, and
    parameters with nonzero biases (so that db is tested too)."""
    rng = np.random.RandomState(seed)
    dims = [n_x, *hidden, 1 if n_classes == 2 else n_classes]
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * scale
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.3
    X = rng.standard_normal((n_x, m))
    labels = np.arange(m) % n_classes
    rng.shuffle(labels)
    Y = labels.reshape(1, m).astype(float) if n_classes == 2 else one_hot(labels,
                                                                           n_classes)
    s = rng.uniform(0.5, 2.0, size=m)
    return parameters, X, Y, s


def output_for(n_classes):
    return OutputLayer("logistic" if n_classes == 2 else "softmax")


# -- initialisation (§三 随机初始化) ----------------------------------------------


@pytest.mark.parametrize("init", ["random", "zeros", "xavier", "he"])
@pytest.mark.parametrize("dims", [[3, 1], [2, 4, 1], [5, 20, 7, 5, 3]])
def test_initialize_parameters_is_randn_times_scale_and_zero_biases(init, dims):
    parameters = initialize_parameters(dims, init, 0.01, np.random.RandomState(42))
    expected = reference_initialize(dims, init, 0.01, seed=42)
    assert sorted(parameters) == sorted(expected)
    for l in range(1, len(dims)):
        assert parameters[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert parameters[f"b{l}"].shape == (dims[l], 1)
        assert parameters[f"W{l}"].dtype == np.float64
        np.testing.assert_array_equal(parameters[f"W{l}"], expected[f"W{l}"])
        np.testing.assert_array_equal(parameters[f"b{l}"], 0.0)
    assert n_layers(parameters) == len(dims) - 1
    assert layer_dims(parameters) == dims


def test_random_init_is_the_lectures_randn_times_001():
    # W_1 = np.random.randn(2, 2) * 0.01 in the lecture, drawn from our rng
    parameters = initialize_parameters([2, 2, 1], "random", 0.01,
                                       np.random.RandomState(1))
    rng = np.random.RandomState(1)
    W1 = rng.randn(2, 2) * 0.01
    W2 = rng.randn(1, 2) * 0.01
    np.testing.assert_array_equal(parameters["W1"], W1)
    np.testing.assert_array_equal(parameters["W2"], W2)


def test_initial_weights_have_the_documented_spread():
    rng = np.random.RandomState(0)
    for init, std in [("random", 0.05), ("xavier", 1 / np.sqrt(400)),
                      ("he", np.sqrt(2 / 400))]:
        W = initialize_parameters([400, 300], init, 0.05, rng)["W1"]
        n = W.size  # 120,000 draws of N(0, std²)
        # within 5 standard errors: σ/√n for the mean, σ/√(2n) for the
        # standard deviation (a spread off by 1 % is 4.9 of them, off by 2 %
        # is 9.8)
        assert abs(W.mean()) < 5 * std / np.sqrt(n)
        assert abs(W.std() - std) < 5 * std / np.sqrt(2 * n)


def test_float32_init_is_the_float64_init_cast():
    p64 = initialize_parameters([3, 5, 2], "xavier", 0.01, np.random.RandomState(3))
    p32 = initialize_parameters([3, 5, 2], "xavier", 0.01, np.random.RandomState(3),
                                dtype=np.float32)
    for name in p64:
        assert p32[name].dtype == np.float32
        np.testing.assert_array_equal(p32[name], p64[name].astype(np.float32))


def test_unknown_init_is_a_clear_error():
    with pytest.raises(ValueError, match=r"Unknown init 'ones'.*'random', 'zeros'"):
        initialize_parameters([2, 1], "ones", 0.01, np.random.RandomState(0))


# -- forward propagation and cost (§三 正向传播, §二 成本函数) --------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_forward_and_cost_equal_the_lecture(activation, hidden, n_classes):
    parameters, X, Y, s = problem(hidden, n_classes)
    output = output_for(n_classes)
    cache = forward_propagation(X, parameters, get_activation(activation), output)
    Z, A = reference_forward(X, parameters, activation)
    L = len(hidden) + 1
    assert cache["A0"] is X
    for l in range(1, L + 1):
        np.testing.assert_allclose(cache[f"Z{l}"], Z[l], rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(cache[f"A{l}"], A[l], rtol=1e-13, atol=1e-14)
    if n_classes > 2:
        np.testing.assert_allclose(cache[f"A{L}"].sum(axis=0), 1.0, rtol=1e-15)
    for weights, alpha in [(None, 0.0), (s, 0.0), (None, 0.7), (s, 0.7)]:
        J = compute_cost(cache, Y, parameters, output, weights, alpha)
        assert isinstance(J, float)
        assert J == pytest.approx(reference_cost(A[L], Y, parameters, weights, alpha),
                                  rel=1e-13)


def test_cost_at_zero_weights_is_ln2_and_ln_K():
    X = np.random.RandomState(0).standard_normal((4, 9))
    for K, expected in [(2, np.log(2)), (3, np.log(3)), (5, np.log(5))]:
        n_out = 1 if K == 2 else K
        parameters = {"W1": np.zeros((n_out, 4)), "b1": np.zeros((n_out, 1))}
        labels = np.arange(9) % K
        Y = labels.reshape(1, -1).astype(float) if K == 2 else one_hot(labels, K)
        output = output_for(K)
        cache = forward_propagation(X, parameters, get_activation("identity"), output)
        assert compute_cost(cache, Y, parameters, output) == pytest.approx(
            expected, rel=1e-15)


def test_cost_is_stable_for_huge_logits():
    # -log σ(z) = log(1 + e^{-z}) without ever evaluating log(0) or e^{710}
    Z = np.array([[1e4, -1e4, 800.0, -800.0, 0.0]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            losses = logistic_loss(Z, Y)
            log_p = log_sigmoid(Z)
            Z3 = np.array([[1e4, -1e4], [0.0, 0.0], [-1e4, 1e4]])
            log_a = log_softmax(Z3)
            J = OutputLayer("softmax").cost(Z3, None, one_hot(np.array([2, 2]), 3))
    np.testing.assert_allclose(losses, [0.0, 0.0, 800.0, 800.0, np.log(2)],
                               rtol=1e-15)
    np.testing.assert_allclose(log_p, [[0.0, -1e4, 0.0, -800.0, -np.log(2)]],
                               rtol=1e-15)
    np.testing.assert_allclose(log_a, [[0.0, -2e4], [-1e4, -1e4], [-2e4, 0.0]],
                               rtol=1e-15)
    assert J == pytest.approx((2e4 + 0.0) / 2, rel=1e-15)


def test_weighted_cost_with_integer_weights_equals_duplicated_columns():
    parameters, X, Y, _ = problem((4,), 3)
    output = output_for(3)
    hidden = get_activation("tanh")
    s = np.array([1.0, 3.0, 0.0, 2.0, 1.0, 1.0, 4.0])
    repeat = np.repeat(np.arange(7), s.astype(int))
    weighted = compute_cost(forward_propagation(X, parameters, hidden, output), Y,
                            parameters, output, s, alpha=0.5)
    duplicated = compute_cost(
        forward_propagation(X[:, repeat], parameters, hidden, output), Y[:, repeat],
        parameters, output, alpha=0.5)
    assert weighted == pytest.approx(duplicated, rel=1e-14)


# -- backward propagation (§三 神经网络的梯度下降) ---------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", HIDDEN[1:])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_backward_propagation_passes_a_gradient_check(activation, hidden, n_classes,
                                                      weighted):
    parameters, X, Y, s = problem(hidden, n_classes, seed=len(hidden) + n_classes)
    s = s if weighted else None
    alpha = 0.3 if weighted else 0.0
    g = get_activation(activation)
    output = output_for(n_classes)
    cache = forward_propagation(X, parameters, g, output)
    # keep every hidden Z away from ReLU's kink so central differences are valid
    assert min(np.abs(cache[f"Z{l}"]).min() for l in range(1, len(hidden) + 1)) > 1e-4

    numerical, analytical = package_gradients(X, Y, parameters, g, output, s,
                                              alpha)
    for k in numerical:
        assert analytical[k].shape == numerical[k].shape
    assert relative_error(numerical, analytical) < 1e-7


@pytest.mark.parametrize("activation", ["tanh", "leaky_relu"])
def test_gradient_check_with_another_leaky_slope(activation):
    parameters, X, Y, s = problem((4, 3), 3, seed=11)
    g = get_activation(activation, negative_slope=0.25)
    output = output_for(3)
    numerical, analytical = package_gradients(X, Y, parameters, g, output, s, 0.1)
    assert relative_error(numerical, analytical) < 1e-7


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_backward_propagation_equals_the_lectures_formulas(activation, hidden,
                                                           n_classes):
    parameters, X, Y, s = problem(hidden, n_classes, seed=5)
    g = get_activation(activation)
    output = output_for(n_classes)
    for weights, alpha in [(None, 0.0), (s, 0.4)]:
        cache = forward_propagation(X, parameters, g, output)
        grads = backward_propagation(cache, Y, parameters, g, output, weights, alpha)
        Z, A = reference_forward(X, parameters, activation)
        expected = reference_backward(Z, A, Y, parameters, activation, weights, alpha)
        for k, value in expected.items():
            np.testing.assert_allclose(grads[k], value, rtol=1e-12, atol=1e-15)


def test_the_reference_itself_passes_a_gradient_check():
    # so that equality with the reference means equality with the true gradient
    for activation in ACTIVATIONS:
        for n_classes in (2, 3):
            parameters, X, Y, s = problem((4, 3), n_classes, seed=7)

            def J(parameters=parameters, X=X, Y=Y, s=s, activation=activation):
                A = reference_forward(X, parameters, activation)[1]
                return reference_cost(A[-1], Y, parameters, s, 0.2)

            Z, A = reference_forward(X, parameters, activation)
            grads = reference_backward(Z, A, Y, parameters, activation, s, 0.2)
            assert relative_error(numerical_gradient(J, parameters), grads) < 1e-7


def test_preallocated_buffers_are_filled_in_place_with_the_same_values():
    parameters, X, Y, s = problem((4, 3), 3, seed=2)
    g, output = get_activation("relu"), output_for(3)
    fresh_cache = forward_propagation(X, parameters, g, output)
    fresh = backward_propagation(fresh_cache, Y, parameters, g, output, s, 0.2)

    cache = {k: np.full_like(v, np.nan) for k, v in fresh_cache.items() if k != "A0"}
    buffers = dict(cache)
    grads = {k: np.full_like(v, np.nan) for k, v in fresh.items()}
    grad_buffers = dict(grads)
    cache = forward_propagation(X, parameters, g, output, cache=cache)
    grads = backward_propagation(cache, Y, parameters, g, output, s, 0.2, grads=grads)
    for k, buffer in buffers.items():
        assert cache[k] is buffer
        np.testing.assert_array_equal(buffer, fresh_cache[k])
    for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        assert grads[k] is grad_buffers[k]
        np.testing.assert_array_equal(grads[k], fresh[k])


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_g_prime_kept_by_forward_propagation_gives_the_same_gradients(activation):
    # training's buffers: forward propagation writes g'(Z[l]) into the dZ[l]
    # buffer ("G{l}"), which backward propagation then turns into dZ[l]
    parameters, X, Y, s = problem((4, 3), 3, seed=8)
    g, output = get_activation(activation), output_for(3)
    fresh_cache = forward_propagation(X, parameters, g, output)
    fresh = backward_propagation(fresh_cache, Y, parameters, g, output, s, 0.2)

    grads = {k: np.full_like(v, np.nan) for k, v in fresh.items()}
    cache = {f"G{l}": grads[f"dZ{l}"] for l in (1, 2)}
    cache = forward_propagation(X, parameters, g, output, cache=cache)
    for l in (1, 2):
        assert cache[f"G{l}"] is grads[f"dZ{l}"]
        np.testing.assert_array_equal(
            cache[f"G{l}"], g.g_prime(fresh_cache[f"Z{l}"], fresh_cache[f"A{l}"]))
        np.testing.assert_array_equal(cache[f"A{l}"], fresh_cache[f"A{l}"])
    grads = backward_propagation(cache, Y, parameters, g, output, s, 0.2, grads=grads)
    for k, value in fresh.items():
        np.testing.assert_array_equal(grads[k], value)


@pytest.mark.parametrize("shape", [(1, 7), (4, 1000), (16, 11111), (3, 0)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_sums_are_sums_over_the_columns(shape, dtype):
    dZ = np.random.RandomState(0).standard_normal(shape).astype(dtype)
    out = np.full((shape[0], 1), np.nan, dtype)
    assert _row_sums(dZ, out=out) is out
    expected = dZ.astype(np.float64).sum(axis=1, keepdims=True)
    # a sum of n numbers is exact up to γ_n ≈ n·u times Σ|x| (Higham §3.1)
    u = FLOAT32_U if dtype == np.float32 else 2.0 ** -53
    bound = shape[1] * u * np.abs(dZ.astype(np.float64)).sum(axis=1, keepdims=True)
    assert np.all(np.abs(out - expected) <= bound)
    assert _row_sums(dZ).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("m, n_x", [(5, 300), (300, 5), (1, 40)])
def test_product_is_the_matrix_product_in_either_orientation(dtype, m, n_x):
    # X stored a sample per row, as scikit-learn passes it: A[0] = Xᵀ; for
    # float32 with fewer samples than features the product runs as (X Wᵀ)ᵀ
    rng = np.random.RandomState(3)
    X = rng.standard_normal((m, n_x)).astype(dtype)
    W = rng.standard_normal((6, n_x)).astype(dtype)
    expected = W.astype(np.float64) @ X.T.astype(np.float64)
    # each entry, a sum of n_x products, is exact up to γ_n ≈ n_x·u times
    # Σ|w||x| (Higham §3.1), in either orientation
    u = FLOAT32_U if dtype == np.float32 else 2.0 ** -53
    bound = n_x * u * (np.abs(W.astype(np.float64)) @ np.abs(X.T.astype(np.float64)))
    for out in (None, np.full((6, m), np.nan, dtype)):
        Z = _product(W, X.T, out=out)
        assert Z.dtype == dtype and Z.flags.c_contiguous and Z.shape == (6, m)
        if out is not None:
            assert Z is out
        assert np.all(np.abs(Z - expected) <= bound)


def test_update_parameters_is_w_minus_alpha_dw_in_place():
    parameters, X, Y, _ = problem((3,), 2)
    before = {k: v.copy() for k, v in parameters.items()}
    arrays = dict(parameters)
    grads = {f"d{k}": np.full_like(v, 0.5) for k, v in parameters.items()}
    result = update_parameters(parameters, grads, 0.1)
    assert result is parameters
    for k, v in parameters.items():
        assert v is arrays[k]
        np.testing.assert_allclose(v, before[k] - 0.05, rtol=1e-15)


# -- the training loop (§二 梯度下降) ----------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
def test_gradient_descent_equals_the_lectures_loop(n_classes):
    parameters, X, Y, s = problem((5, 3), n_classes, seed=4, m=20)
    expected, costs = reference_train(parameters, X, Y, "tanh", 0.1, 150, s, 0.05)
    # a step small enough for J to fall steadily: rounding is not amplified
    assert np.all(np.diff(costs) < 0)
    history = gradient_descent(parameters, X, Y, s, hidden=get_activation("tanh"),
                               output=output_for(n_classes), learning_rate=0.1,
                               max_iter=150, alpha=0.05)
    assert history.n_iter == 150
    assert history.stop_reason == "max_iter"
    np.testing.assert_allclose(history.loss_curve, costs, rtol=0, atol=1e-12)
    for k in expected:
        np.testing.assert_allclose(parameters[k], expected[k], rtol=0, atol=1e-12)
    assert history.best_loss == min(history.loss_curve)


@pytest.mark.parametrize("activation", ["tanh", "relu", "leaky_relu"])
@pytest.mark.parametrize("hidden, n_classes", [((5,), 2), ((5, 3), 3)])
@pytest.mark.parametrize("weighted", [False, True])
def test_training_a_block_of_columns_at_a_time_follows_the_lectures_loop(
        monkeypatch, activation, hidden, n_classes, weighted):
    # wide batches are propagated in cache-sized blocks of columns whose
    # J, dW and db are added; shrink the blocks so that 50 columns make 4 of
    # 13, 13, 13 and 11 (with weights: one of them all zero, which is skipped)
    import sknnbasics._workspace as workspace
    monkeypatch.setattr(workspace, "_BLOCK_BYTES", 1)
    monkeypatch.setattr(workspace, "_MIN_BLOCK", 13)
    parameters, X, Y, s = problem(hidden, n_classes, seed=11, m=50)
    if weighted:
        s[13:26] = 0.0
    else:
        s = None
    assert workspace._Workspace(parameters, X, Y, s, 50).width == 13
    expected, costs = reference_train(parameters, X, Y, activation, 0.1, 60, s, 0.05)
    history = gradient_descent(parameters, X, Y, s, hidden=get_activation(activation),
                               output=output_for(n_classes), learning_rate=0.1,
                               max_iter=60, alpha=0.05)
    np.testing.assert_allclose(history.loss_curve, costs, rtol=0, atol=1e-12)
    for k in expected:
        np.testing.assert_allclose(parameters[k], expected[k], rtol=0, atol=1e-12)


def test_mini_batch_epochs_follow_the_shuffle_and_average_the_batch_costs():
    parameters, X, Y, _ = problem((4,), 2, seed=8, m=10)
    reference = {k: v.copy() for k, v in parameters.items()}
    history = gradient_descent(parameters, X, Y, hidden=get_activation("sigmoid"),
                               output=output_for(2), learning_rate=0.5, max_iter=3,
                               batch_size=4, rng=np.random.RandomState(9))
    rng = np.random.RandomState(9)
    epoch_costs = []
    order = np.arange(10)
    for _ in range(3):
        # each epoch reshuffles the last one's order (MLPClassifier's rule)
        order = order[rng.permutation(10)]
        total = 0.0
        for start in range(0, 10, 4):
            columns = order[start:start + 4]
            reference, costs = reference_train(reference, X[:, columns],
                                               Y[:, columns], "sigmoid", 0.5, 1)
            total += costs[0] * len(columns)
        epoch_costs.append(total / 10)
    np.testing.assert_allclose(history.loss_curve, epoch_costs, rtol=0, atol=1e-13)
    for k in reference:
        np.testing.assert_allclose(parameters[k], reference[k], rtol=0, atol=1e-13)


def test_batch_size_of_m_or_more_is_the_full_batch():
    runs = []
    for batch_size in (None, 7, 100):
        parameters, X, Y, _ = problem((4,), 3, seed=3)
        history = gradient_descent(parameters, X, Y, hidden=get_activation("relu"),
                                   output=output_for(3), learning_rate=0.2,
                                   max_iter=20, batch_size=batch_size,
                                   rng=np.random.RandomState(0))
        runs.append((history.loss_curve, parameters))
    for curve, parameters in runs[1:]:
        assert curve == runs[0][0]
        for k in parameters:
            np.testing.assert_array_equal(parameters[k], runs[0][1][k])


def test_divergence_stops_and_keeps_the_last_finite_weights():
    parameters, X, Y, _ = problem((4,), 2, seed=0)
    X = X * 1e3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        history = gradient_descent(parameters, X, Y,
                                   hidden=get_activation("identity"),
                                   output=OutputLayer("identity"),
                                   learning_rate=10.0, max_iter=1000)
    assert history.stop_reason == "diverged"
    assert history.n_iter < 1000
    assert len(history.loss_curve) == history.n_iter
    assert all(np.isfinite(history.loss_curve))
    for value in parameters.values():
        assert np.all(np.isfinite(value))
    # the weights kept are the ones whose cost was finite: recompute it
    out = OutputLayer("identity")
    cache = forward_propagation(X, parameters, get_activation("identity"), out)
    assert np.isfinite(compute_cost(cache, Y, parameters, out))


def test_tol_stops_after_n_iter_no_change_iterations_without_improvement():
    parameters, X, Y, _ = problem((), 2, seed=0)
    history = gradient_descent(parameters, X, Y, hidden=get_activation("identity"),
                               output=output_for(2), learning_rate=0.5,
                               max_iter=10_000, tol=1e-3, n_iter_no_change=5)
    assert history.stop_reason == "converged"
    curve = np.array(history.loss_curve)
    best_before = np.minimum.accumulate(curve)
    # each of the last 5 iterations improved the best cost by less than tol…
    assert np.all(curve[-5:] > best_before[-6:-1] - 1e-3)
    # …and the one before them did not belong to that run
    assert curve[-6] <= best_before[-7] - 1e-3
