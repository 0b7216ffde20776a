"""Activations g and their derivatives g' (lecture §三 激活函数, 激活函数的导数)."""

import warnings

import numpy as np
import pytest
from _reference import g as reference_g
from _reference import g_prime as reference_g_prime

from sknnbasics._activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    leaky_relu,
    relu_prime,
    sigmoid,
)

NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


@pytest.fixture
def Z():
    """Pre-activations of a (3, 40) layer, none closer to 0 than 1e-3 so that
    central differences never straddle the kink of ReLU."""
    rng = np.random.RandomState(0)
    Z = rng.uniform(-6, 6, size=(3, 40))
    Z[np.abs(Z) < 1e-3] = 0.5
    return Z


def test_the_table_holds_exactly_the_lectures_activations():
    assert sorted(ACTIVATIONS) == sorted(NAMES)
    for name, activation in ACTIVATIONS.items():
        assert isinstance(activation, Activation)
        assert activation.name == name


@pytest.mark.parametrize("name", NAMES)
def test_g_is_the_lectures_formula(name, Z):
    act = get_activation(name)
    np.testing.assert_allclose(act.g(Z), reference_g(name, Z), rtol=1e-14,
                               atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_g_prime_is_the_lectures_derivative(name, Z):
    act = get_activation(name)
    np.testing.assert_allclose(act.g_prime(Z, act.g(Z)), reference_g_prime(name, Z),
                               rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slope", [0.01, 0.2])
def test_g_prime_is_a_central_difference_of_g(name, slope, Z):
    act = get_activation(name, negative_slope=slope)
    eps = 1e-6
    numerical = (act.g(Z + eps) - act.g(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.g_prime(Z, act.g(Z)), numerical, rtol=1e-7,
                               atol=1e-9)


def test_sigmoid_values_and_limits():
    # §二: σ(0) = 0.5, σ → 1 as z → +∞, σ → 0 as z → −∞
    assert sigmoid(np.array([0.0]))[0] == 0.5
    np.testing.assert_allclose(sigmoid(np.array([1.0, -1.0])),
                               [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))],
                               rtol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            big = sigmoid(np.array([40.0, 1e4, np.inf, -40.0, -1e4, -np.inf]))
    np.testing.assert_allclose(big[:3], 1.0, rtol=0, atol=1e-17)
    np.testing.assert_allclose(big[3:], 0.0, rtol=0, atol=5e-18)
    assert big[3] > 0  # σ(-40) ≈ 4e-18 is representable and not rounded to 0
    # σ(−z) = 1 − σ(z)
    z = np.linspace(-10, 10, 41)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), rtol=0, atol=1e-15)


def test_tanh_values():
    tanh = get_activation("tanh")
    assert tanh.g(np.array([0.0]))[0] == 0.0
    np.testing.assert_allclose(tanh.g(np.array([2.0])),
                               [(np.e**2 - np.e**-2) / (np.e**2 + np.e**-2)],
                               rtol=1e-15)
    np.testing.assert_array_equal(tanh.g(np.array([1e4, -1e4])), [1.0, -1.0])
    # tanh'(0) = 1 - 0² = 1
    zero = np.array([0.0])
    assert tanh.g_prime(zero, tanh.g(zero))[0] == 1.0


def test_relu_derivative_at_zero_follows_the_course_and_mlp():
    # 激活函数的导数: g'(z) = 0 for z < 0, 1 for z > 0; at z = 0 the lecture
    # allows either ("可以当成1也可以当成0"): ReLU takes 0 (the course's
    # notebooks, MLPClassifier), Leaky ReLU 1
    Z = np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0])
    relu = get_activation("relu")
    np.testing.assert_array_equal(relu.g(Z), [0.0, 0.0, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(relu.g_prime(Z, relu.g(Z)), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(relu.g_and_prime(Z)[1], [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(relu_prime(Z, None, out=np.empty_like(Z)),
                                  [0, 0, 0, 1, 1])
    leaky = get_activation("leaky_relu")
    np.testing.assert_array_equal(leaky.g_prime(Z, leaky.g(Z)),
                                  [0.01, 0.01, 1, 1, 1])
    np.testing.assert_array_equal(leaky.g_and_prime(Z)[1], [0.01, 0.01, 1, 1, 1])
    steep = get_activation("leaky_relu", negative_slope=2.0)
    np.testing.assert_array_equal(steep.g_prime(Z, steep.g(Z)), [2, 2, 1, 1, 1])


def test_leaky_relu_slope_parameter():
    Z = np.array([-3.0, -0.5, 0.0, 2.0])
    default = get_activation("leaky_relu")
    np.testing.assert_allclose(default.g(Z), [-0.03, -0.005, 0.0, 2.0], rtol=1e-15)
    np.testing.assert_array_equal(default.g_prime(Z, default.g(Z)),
                                  [0.01, 0.01, 1.0, 1.0])
    steep = get_activation("leaky_relu", negative_slope=0.3)
    np.testing.assert_allclose(steep.g(Z), [-0.9, -0.15, 0.0, 2.0], rtol=1e-15)
    np.testing.assert_array_equal(steep.g_prime(Z, steep.g(Z)), [0.3, 0.3, 1, 1])
    # slope 0 is ReLU; any slope is right, also one above 1 where max(sz, z)
    # would no longer be the formula
    flat = get_activation("leaky_relu", negative_slope=0.0)
    relu = get_activation("relu")
    np.testing.assert_array_equal(flat.g(Z), relu.g(Z))
    np.testing.assert_allclose(leaky_relu(Z, negative_slope=2.0),
                               [-6.0, -1.0, 0.0, 2.0], rtol=1e-15)
    # the slope only binds leaky ReLU
    assert get_activation("tanh", negative_slope=0.3) is ACTIVATIONS["tanh"]


def test_identity_is_linear():
    act = get_activation("identity")
    Z = np.array([[-2.5, 0.0, 7.0]])
    A = act.g(Z)
    np.testing.assert_array_equal(A, Z)
    assert A is not Z  # a new array, so training never aliases Z and A
    np.testing.assert_array_equal(act.g_prime(Z, A), np.ones_like(Z))


@pytest.mark.parametrize("name", NAMES)
def test_out_buffers_are_written_and_returned(name, Z):
    act = get_activation(name)
    expected_A = act.g(Z)
    expected_dA = act.g_prime(Z, expected_A)
    out = np.full_like(Z, np.nan)
    A = act.g(Z, out=out)
    assert A is out
    np.testing.assert_array_equal(out, expected_A)
    out2 = np.full_like(Z, np.nan)
    dA = act.g_prime(Z, A, out=out2)
    assert dA is out2
    np.testing.assert_array_equal(out2, expected_dA)
    # Z itself is left alone
    np.testing.assert_array_equal(act.g(Z), expected_A)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(name, dtype, Z):
    act = get_activation(name)
    Z = Z.astype(dtype)
    A = act.g(Z)
    assert A.dtype == dtype
    assert act.g_prime(Z, A).dtype == dtype


def test_relu_prime_without_buffer_is_float():
    Z = np.array([-1.0, 2.0], dtype=np.float32)
    assert relu_prime(Z, None).dtype == np.float32


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match=r"Unknown activation 'softplus'.*"
                                         r"\['identity', 'leaky_relu', 'relu', "
                                         r"'sigmoid', 'tanh'\]"):
        get_activation("softplus")


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_zero_dimensional_input_gives_the_same_numbers(name):
    # "arrays of any shape": a 0-d z behaves like the same z inside a vector
    act = get_activation(name)
    z = np.array(-0.7)
    assert act.g(z) == act.g(z.reshape(1))[0]
    assert act.g_prime(z, act.g(z)) == act.g_prime(z.reshape(1), act.g(z.reshape(1)))[0]


@pytest.mark.parametrize("slope", [0.01, 0.3, 1.0, 3.0])
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_g_and_prime_together_are_g_and_g_prime(name, slope, dtype, Z):
    # training's forward pass asks for both at once; the numbers must be those
    # of g and g' apart (ReLU's -0.0 for z < 0 equals 0.0)
    act = get_activation(name, negative_slope=slope)
    Z = Z.astype(dtype)
    Z[0, :3] = 0.0  # g'(0) by the lecture's convention, 1 for ReLU
    Z[1, :2] = [1e-30, -1e-30]
    A, G = act.g_and_prime(Z)
    np.testing.assert_array_equal(A, act.g(Z))
    np.testing.assert_array_equal(G, act.g_prime(Z, act.g(Z)))
    assert A.dtype == G.dtype == dtype
    # into buffers, A over Z itself
    before = Z.copy()
    prime_out = np.full_like(Z, np.nan)
    A2, G2 = act.g_and_prime(Z, out=Z, prime_out=prime_out)
    assert A2 is Z and G2 is prime_out
    np.testing.assert_array_equal(A2, act.g(before))
    np.testing.assert_array_equal(G2, act.g_prime(before, act.g(before)))


def test_relu_and_prime_is_z_times_the_step():
    act = get_activation("relu")
    Z = np.array([-3.0, -1e-300, 0.0, 1e-300, 2.5])
    A, G = act.g_and_prime(Z)
    np.testing.assert_array_equal(G, [0.0, 0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(A, [0.0, 0.0, 0.0, 1e-300, 2.5])
