"""The lecture's formulas transcribed into plain numpy: the reference the tests
compare sknnbasics against.

Deliberately naive and independent of the package (it imports nothing from
it): one Python loop over the layers, the textbook formulas as printed
(σ(z) = 1/(1 + e^{-z}), tanh(z) = (e^z − e^{-z})/(e^z + e^{-z}), the
cross-entropy with ``np.log`` of A, the 1/m factors in front). Samples are
columns, as in the lecture: X = A[0] is (n_x, m), W[l] is (n[l], n[l-1]),
b[l] is (n[l], 1). It is only fit for the small, well-scaled data the tests
use (no overflow guards, no log(0) guards).

Sample weights sᵢ and the L2 penalty λ, which the lecture does not have,
enter as the package documents them: J = Σ sᵢ Lᵢ / Σ sᵢ + (λ/2m) Σ‖W[l]‖²
with m = Σ sᵢ.
"""

import numpy as np

# -- §三 激活函数: g(z) and g'(z), as the lecture writes them -----------------


def g(name, z, slope=0.01):
    """The activation g(z) called ``name``."""
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "tanh":
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    if name == "relu":
        return np.maximum(0, z)
    if name == "leaky_relu":
        return np.maximum(slope * z, z)
    if name == "identity":
        return z
    raise ValueError(name)


def g_prime(name, z, slope=0.01):
    """g'(z) as the lecture tabulates it; at z = 0, where the lecture allows
    either value, ReLU' takes 0 (the course's notebooks, MLPClassifier) and
    Leaky ReLU' 1."""
    if name == "sigmoid":
        a = g("sigmoid", z)
        return a * (1 - a)
    if name == "tanh":
        a = g("tanh", z)
        return 1 - a**2
    if name == "relu":
        return np.where(z > 0, 1.0, 0.0)
    if name == "leaky_relu":
        return np.where(z >= 0, 1.0, slope)
    if name == "identity":
        return np.ones_like(z)
    raise ValueError(name)


def softmax(z):
    """a_k = e^{z_k} / Σ_j e^{z_j}, column by column."""
    e = np.exp(z)
    return e / np.sum(e, axis=0, keepdims=True)


# -- §三 随机初始化 -------------------------------------------------------------


def initialize(layer_dims, init, init_scale, seed):
    """W[l] = randn(n[l], n[l-1]) times init_scale ("random"), 1/√n[l-1] ("xavier")
    or √(2/n[l-1]) ("he"); b[l] = 0. Drawn W1 first from
    ``np.random.RandomState(seed)``."""
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_l, n_prev = layer_dims[l], layer_dims[l - 1]
        if init == "zeros":
            W = np.zeros((n_l, n_prev))
        else:
            W = rng.standard_normal((n_l, n_prev))
            if init == "random":
                W = W * init_scale
            elif init == "xavier":
                W = W / np.sqrt(n_prev)
            elif init == "he":
                W = W * np.sqrt(2 / n_prev)
            else:
                raise ValueError(init)
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((n_l, 1))
    return parameters


# -- §三 正向传播, 成本函数, 反向传播 ---------------------------------------------


def forward(X, parameters, activation, slope=0.01):
    """Z[l] = W[l] A[l-1] + b[l]; A[l] = g(Z[l]) for hidden layers, σ (one
    output unit) or softmax (several) for the last. Returns the lists
    Z = [None, Z1, …, ZL] and A = [X, A1, …, AL]."""
    L = len(parameters) // 2
    Z, A = [None], [X]
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z.append(W @ A[l - 1] + b)
        if l < L:
            A.append(g(activation, Z[l], slope))
        elif Z[l].shape[0] == 1:
            A.append(g("sigmoid", Z[l]))
        else:
            A.append(softmax(Z[l]))
    return Z, A


def cost(AL, Y, parameters=None, s=None, alpha=0.0):
    """J = (1/m) Σ L(ŷ, y), L = -(y log ŷ + (1-y) log(1-ŷ)) for one sigmoid
    unit, L = -Σ_k y_k log ŷ_k for softmax; plus (λ/2m) Σ‖W[l]‖²."""
    m = Y.shape[1]
    if AL.shape[0] == 1:
        losses = -(Y[0] * np.log(AL[0]) + (1 - Y[0]) * np.log(1 - AL[0]))
    else:
        losses = -np.sum(Y * np.log(AL), axis=0)
    if s is None:
        J = 1 / m * np.sum(losses)
    else:
        m = np.sum(s)
        J = np.sum(s * losses) / m
    if alpha:
        L = len(parameters) // 2
        J += alpha / (2 * m) * sum(np.sum(parameters["W" + str(l)] ** 2)
                                   for l in range(1, L + 1))
    return J


def backward(Z, A, Y, parameters, activation, s=None, alpha=0.0, slope=0.01):
    """dZ[L] = A[L] - Y; dW[l] = (1/m) dZ[l] A[l-1]ᵀ; db[l] = (1/m) Σ dZ[l];
    dZ[l-1] = W[l]ᵀ dZ[l] * g'(Z[l-1]). Returns {"dW1": …, "db1": …}."""
    L = len(parameters) // 2
    m = Y.shape[1]
    dZ = A[L] - Y
    if s is not None:
        m = np.sum(s)
        dZ = dZ * s
    grads = {}
    for l in range(L, 0, -1):
        W = parameters["W" + str(l)]
        grads["dW" + str(l)] = 1 / m * dZ @ A[l - 1].T + alpha / m * W
        grads["db" + str(l)] = 1 / m * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = W.T @ dZ * g_prime(activation, Z[l - 1], slope)
    return grads


def train(parameters, X, Y, activation, learning_rate, num_iterations, s=None,
          alpha=0.0, slope=0.01):
    """Batch gradient descent W := W - α dW, b := b - α db. Returns the final
    parameters (new arrays) and the cost before each update."""
    parameters = {k: np.array(v, dtype=np.float64) for k, v in parameters.items()}
    costs = []
    for _ in range(num_iterations):
        Z, A = forward(X, parameters, activation, slope)
        costs.append(cost(A[-1], Y, parameters, s, alpha))
        grads = backward(Z, A, Y, parameters, activation, s, alpha, slope)
        for k in parameters:
            parameters[k] = parameters[k] - learning_rate * grads["d" + k]
    return parameters, costs


# -- §二 逻辑回归, literally ---------------------------------------------------


def logistic_regression(X, y, learning_rate, num_iterations):
    """§二: w = 0, b = 0; ŷ = σ(wᵀX + b); J = -(1/m) Σ(y log ŷ + (1-y) log(1-ŷ));
    dw = (1/m) X (A - Y)ᵀ, db = (1/m) Σ(A - Y); w := w - α dw, b := b - α db.

    ``X`` is (n_x, m), ``y`` is (m,) of 0/1. Returns (w (n_x, 1), b, costs).
    """
    n_x, m = X.shape
    Y = y.reshape(1, m)
    w, b = np.zeros((n_x, 1)), 0.0
    costs = []
    for _ in range(num_iterations):
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        costs.append(-1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
        dw = 1 / m * X @ (A - Y).T
        db = 1 / m * np.sum(A - Y)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b, costs


def one_hot(index, K):
    """Y of shape (K, m) with Y[index[i], i] = 1: one output unit per class."""
    Y = np.zeros((K, len(index)))
    Y[index, np.arange(len(index))] = 1
    return Y


def targets(y, classes):
    """The lecture's Y for labels ``y``: a 0/1 row for two classes, one-hot
    columns otherwise."""
    index = np.searchsorted(classes, y)
    if len(classes) == 2:
        return index.reshape(1, -1).astype(np.float64)
    return one_hot(index, len(classes))


def numerical_gradient(J, parameters, eps=1e-6):
    """Central differences (J(θ+ε) - J(θ-ε)) / 2ε for every entry of every
    array in ``parameters``, perturbed in place and restored."""
    grads = {}
    for k, P in parameters.items():
        G = np.zeros_like(P)
        for index in np.ndindex(P.shape):
            saved = P[index]
            P[index] = saved + eps
            J_plus = J()
            P[index] = saved - eps
            J_minus = J()
            P[index] = saved
            G[index] = (J_plus - J_minus) / (2 * eps)
        grads["d" + k] = G
    return grads


def relative_error(numerical, analytical):
    """‖num - ana‖ / (‖num‖ + ‖ana‖) over all gradients together."""
    keys = sorted(numerical)
    num = np.concatenate([np.ravel(numerical[k]) for k in keys])
    ana = np.concatenate([np.ravel(analytical[k]) for k in keys])
    return np.linalg.norm(num - ana) / (np.linalg.norm(num) + np.linalg.norm(ana))


# -- float32 against float64: tolerances from the arithmetic -----------------

# u, float32's unit roundoff: every +, −, ×, / and exp is exact up to a factor
# (1 + δ) with |δ| ≤ u = 2⁻²⁴ ≈ 6.0e-8
FLOAT32_U = 2.0 ** -24


def float32_tolerance(n_iter, n_terms):
    """A bound on the normwise relative difference between a float32 and a
    float64 run of ``n_iter`` iterations whose longest sums add ``n_terms``
    products (the inner dimensions of W[l] A[l-1] and dZ[l] A[l-1]ᵀ: n_x, m,
    the widths).

    A sum of n products in float32 is exact up to γ_n ≈ n·u relative to
    Σ|wᵢ||xᵢ| (Higham, *Accuracy and Stability of Numerical Algorithms*,
    §3.1), whatever the order the BLAS adds in; the few element-wise steps
    per iteration (g, g', the update) add a few u more, inside n. Gradient
    descent with a small enough α does not expand a perturbation of the
    weights, so the errors of the iterations add up: n_iter · n_terms · u.
    It is a worst case: rounding errors of random sign grow like √n, so the
    differences seen are one to three orders of magnitude smaller, on any CPU.
    """
    return n_iter * n_terms * FLOAT32_U


def assert_float32_close(actual, desired, tolerance, err_msg=""):
    """‖actual − desired‖ ≤ tolerance · ‖desired‖ (Frobenius norms, in float64)."""
    actual = np.asarray(actual, dtype=np.float64)
    desired = np.asarray(desired, dtype=np.float64)
    assert actual.shape == desired.shape, err_msg
    difference = np.linalg.norm(actual - desired)
    assert difference <= tolerance * np.linalg.norm(desired), (
        f"{err_msg}: relative difference {difference / np.linalg.norm(desired):.3g}"
        f" > {tolerance:.3g}")
