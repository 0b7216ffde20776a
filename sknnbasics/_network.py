"""One network, in the lecture's notation (§三, §四).

Everything here is a pure function on numpy arrays in the lecture's
orientation: samples are *columns*. ``X = A[0]`` is (n_x, m), ``W[l]`` is
(n[l], n[l-1]), ``b[l]`` is (n[l], 1), ``Z[l]`` and ``A[l]`` are (n[l], m).
Parameters and gradients live in dicts keyed ``"W1"``, ``"b1"``, …, ``"dW1"``.

Forward propagation, for l = 1 … L::

    Z[l] = W[l] A[l-1] + b[l]          (b[l] broadcast over the m columns)
    A[l] = g[l](Z[l])                   (hidden g, or the output layer's g[L])

Backward propagation, mirrored, for l = L … 1::

    dZ[L]   = A[L] - Y                  (see _cost.OutputLayer.dZ)
    dW[l]   = (1/m) dZ[l] A[l-1]ᵀ
    db[l]   = (1/m) Σ_columns dZ[l]
    dZ[l-1] = W[l]ᵀ dZ[l] * g'(Z[l-1])

Logistic regression (§二) is the case L = 1: one layer, no hidden units.
Sample weights sᵢ replace 1/m by 1/Σsᵢ and scale column i of dZ[L] by sᵢ;
the L2 penalty (λ/2m) Σ‖W[l]‖² adds (λ/m) W[l] to dW[l].

The functions accept optional preallocated buffers (``cache``, ``grads``) so
that the training loop allocates its activation-sized arrays once.

X may be a scipy sparse matrix (the transpose of scikit-learn's CSR ``X``, a
CSC matrix): X appears only in the first layer's two products, W[1] X and
dZ[1] Xᵀ, which :func:`_product` computes on the sparse matrix; every Z, A and
dW stays dense.

The arrays may also belong to another Array API library (PyTorch, CuPy,
array-api-strict: :mod:`sknnbasics._array_api`), on any device. The formulas
are then the same, written as plain ``xp`` operations: the buffers,
``einsum`` and the blocking of :func:`forward_to_output` are NumPy's fast
path only.
"""

import numpy as np
from scipy import sparse

from ._array_api import namespace, to_namespace

INITIALIZATIONS = ("random", "zeros", "xavier", "he", "glorot")


def n_layers(parameters):
    """L, the number of layers with parameters (hidden layers + output)."""
    return len(parameters) // 2


def layer_dims(parameters):
    """[n[0], n[1], …, n[L]] read off the weight shapes."""
    L = n_layers(parameters)
    return [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0]
                                          for l in range(1, L + 1)]


def _product(P, Q, out=None):
    """The matrix product P Q (``np.matmul``), into ``out`` when given.

    With an inner dimension of 1 (one output unit, one feature, one sample)
    every entry is a single product p_i q_j, so a broadcast multiply computes
    the same numbers several times faster than a rank-1 BLAS call.

    A float32 product whose right factor is stored transposed (Q = Rᵀ for a
    C-ordered R) and has more rows than columns is computed as (R Pᵀ)ᵀ and
    copied into place. That is W[1] X for images, fewer samples than
    features, stored a sample per row (209 cat images × 12288 pixels:
    OpenBLAS's sgemm takes 1.85 ms that way against 2.77 ms, and the result,
    n[1] × m, is small), and dZ[l] A[l-1]ᵀ for l ≥ 2 (within ±40 % either
    way, microseconds). In float64 the other orientation is no faster, so
    float64 keeps P Q.

    A sparse Q (X = A[0] in W[1] X, or Xᵀ in dZ[1] Xᵀ) is multiplied as
    (Qᵀ Pᵀ)ᵀ, scipy's sparse-times-dense product, which touches only Q's
    nonzeros: X is never made dense, and the product, (n[1], m) or
    (n[1], n_x), is a dense array of the common dtype.

    Arrays of another library: ``P @ Q``.
    """
    if not (type(P) is np.ndarray and type(Q) is np.ndarray):
        # (two plain ndarrays, the common case, skip these lookups)
        if not namespace(P, Q)[1]:
            return P @ Q
        if sparse.issparse(Q):
            product = Q.T @ P.T
            if out is None:
                return np.ascontiguousarray(product.T)
            np.copyto(out, product.T)
            return out
    if P.shape[1] == 1:
        return np.multiply(P, Q, out=out)
    if (Q.dtype == np.float32 and Q.shape[1] < Q.shape[0]
            and Q.T.flags.c_contiguous and not Q.flags.c_contiguous):
        product = np.matmul(Q.T, P.T).T
        if out is None:
            return np.ascontiguousarray(product)
        np.copyto(out, product)
        return out
    return np.matmul(P, Q, out=out)


def _row_sums(dZ, out=None):
    """Σ over the columns of dZ, as an (n, 1) column (into ``out``).

    ``einsum`` adds each row in one vectorised pass, 2–3× faster than
    ``np.sum(axis=1)`` on the (n, m) arrays of training.
    """
    xp, is_numpy = namespace(dZ)
    if not is_numpy:
        return xp.sum(dZ, axis=1, keepdims=True)
    if out is None:
        out = np.empty((dZ.shape[0], 1), dZ.dtype)
    np.einsum("ij->i", dZ, out=out[:, 0])
    return out


def initialize_parameters(layer_dims, init="random", init_scale=0.01, rng=None,
                          dtype=np.float64, *, xp=None, device=None,
                          hidden="relu"):
    r"""W[l] drawn at random, b[l] = 0 (§三 随机初始化; ``"glorot"``: b[l] too).

    Parameters
    ----------
    layer_dims : sequence of int
        [n[0], n[1], …, n[L]]: input width, hidden widths, output width.
    init : {"random", "zeros", "xavier", "he", "glorot"}
        ``"random"``: N(0, 1)·``init_scale`` (the lecture's ``randn * 0.01``);
        ``"zeros"``: all zero, the lecture's counter-example (every hidden unit
        stays identical); ``"xavier"``: N(0, 1)/√n[l-1];
        ``"he"``: N(0, 1)·√(2/n[l-1]); ``"glorot"``: MLPClassifier's
        initialisation, W[l] *and* b[l] uniform in ±√(6/(n[l-1] + n[l]))
        (±√(2/(n[l-1] + n[l])) when ``hidden`` is ``"sigmoid"``, MLP's
        "logistic"), drawn layer by layer, W[l] then b[l], as MLP draws
        ``coefs_[l-1]`` (that is W[l]ᵀ) and ``intercepts_[l-1]``: the same
        ``rng`` gives MLPClassifier's starting weights.
    init_scale : float
        The scale of ``"random"``.
    rng : numpy.random.RandomState
        Source of the draws, W1 first; never the global state.
    dtype : numpy dtype
        float64 or float32. Weights are drawn in float64 and cast, so both
        dtypes start from the same numbers.
    xp, device : Array API namespace and device, optional
        Where the weights go once drawn (NumPy when not given): the same
        ``rng`` gives the same numbers on every library and device.

    Returns
    -------
    parameters : dict
        ``{"W1": (n[1], n[0]), "b1": (n[1], 1), …}``.
    """
    if init not in INITIALIZATIONS:
        raise ValueError(
            f"Unknown init {init!r}; allowed: {list(INITIALIZATIONS)}."
        )
    parameters = {}
    for l in range(1, len(layer_dims)):
        shape = (layer_dims[l], layer_dims[l - 1])
        b = np.zeros((layer_dims[l], 1))
        if init == "zeros":
            W = np.zeros(shape)
        elif init == "glorot":
            factor = 2.0 if hidden == "sigmoid" else 6.0
            bound = np.sqrt(factor / (layer_dims[l - 1] + layer_dims[l]))
            W = rng.uniform(-bound, bound, shape[::-1]).T
            b = rng.uniform(-bound, bound, (layer_dims[l], 1))
        else:
            W = rng.standard_normal(shape)
            if init == "random":
                W *= init_scale
            elif init == "xavier":
                W /= np.sqrt(layer_dims[l - 1])
            else:
                W *= np.sqrt(2.0 / layer_dims[l - 1])
        parameters[f"W{l}"] = np.ascontiguousarray(W, dtype=dtype)
        parameters[f"b{l}"] = np.asarray(b, dtype=dtype)
    if xp is not None:
        parameters = {name: to_namespace(value, xp, device)
                      for name, value in parameters.items()}
    return parameters


def forward_propagation(X, parameters, hidden, output, cache=None):
    """Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l]) for l = 1 … L.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_x, m)
        A[0], one sample per column.
    parameters : dict
        ``"W1"``, ``"b1"``, … as made by :func:`initialize_parameters`.
    hidden : Activation
        g of the hidden layers.
    output : OutputLayer
        g[L] of the last layer.
    cache : dict, optional
        Preallocated ``"Z1"``, ``"A1"``, … buffers of the right shapes, written
        in place. A buffer ``"G{l}"`` for a hidden layer l asks for
        G[l] = g'(Z[l]) as well, computed together with A[l]
        (:meth:`~sknnbasics._activations.Activation.g_and_prime`) for
        :func:`backward_propagation` to use.

    Returns
    -------
    cache : dict
        ``"A0"`` (= X), ``"Z1"``, ``"A1"``, …, ``"ZL"``, ``"AL"`` (and the
        ``"G{l}"`` asked for).
    """
    if cache is None:
        cache = {}
    L = n_layers(parameters)
    A = cache["A0"] = X
    for l in range(1, L + 1):
        Z = _product(parameters[f"W{l}"], A, out=cache.get(f"Z{l}"))
        Z += parameters[f"b{l}"]
        if l == L:
            A = output.g(Z, out=cache.get(f"A{l}"))
        elif f"G{l}" in cache:
            A, cache[f"G{l}"] = hidden.g_and_prime(Z, out=cache.get(f"A{l}"),
                                                   prime_out=cache[f"G{l}"])
        else:
            A = hidden.g(Z, out=cache.get(f"A{l}"))
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    return cache


def forward_to_output(X, parameters, hidden, output, block_size=8192):
    """(Z[L], A[L]) of :func:`forward_propagation`, for prediction.

    The same numbers, computed ``block_size`` columns at a time with each
    hidden layer's A[l] written over its Z[l], so that predicting m samples
    needs two (n[L], m) arrays and a few small buffers that stay in cache,
    instead of every layer's Z and A for all m columns.

    Parameters
    ----------
    X : ndarray or sparse matrix (CSC) of shape (n_x, m)
    parameters, hidden, output
        As for :func:`forward_propagation`.
    block_size : int
        Columns per block.

    Returns
    -------
    Z_L, A_L : ndarray of shape (n[L], m)
        Column-major, so that their transposes, (m, n[L]), are C-contiguous.
    """
    if not namespace(X, parameters["W1"])[1]:  # the whole batch at once
        L = n_layers(parameters)
        cache = forward_propagation(X, parameters, hidden, output)
        return cache[f"Z{L}"], cache[f"A{L}"]
    dims = layer_dims(parameters)
    L, m = len(dims) - 1, X.shape[1]
    dtype = np.result_type(X.dtype, *parameters.values())
    Z_L, A_L = np.empty((m, dims[L]), dtype).T, np.empty((m, dims[L]), dtype).T
    width = max(1, min(block_size, m))
    flat = [np.empty(dims[l] * width, dtype) for l in range(1, L)]
    for start in range(0, m, width):
        columns = slice(start, min(start + width, m))
        b = columns.stop - start
        cache = {f"Z{L}": Z_L[:, columns], f"A{L}": A_L[:, columns]}
        for l in range(1, L):  # A[l] = g(Z[l]) in place: Z[l] is not kept
            Z = flat[l - 1][:dims[l] * b].reshape(dims[l], b)
            cache[f"Z{l}"] = cache[f"A{l}"] = Z
        forward_propagation(X[:, columns], parameters, hidden, output, cache)
    return Z_L, A_L


def compute_cost(cache, Y, parameters, output, s=None, alpha=0.0, work=None):
    r"""J = (1/m) Σᵢ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) + (α/2m) Σ_l ‖W[l]‖²_F (§二 成本函数).

    With sample weights ``s`` (shape (m,)) the mean is Σ sᵢ Lᵢ / Σ sᵢ and the
    penalty's m is Σ sᵢ. Returns a Python float. ``work``, optional, is the
    scratch :meth:`~sknnbasics._cost.OutputLayer.cost` computes the per-sample
    losses in.
    """
    L = n_layers(parameters)
    J = output.cost(cache[f"Z{L}"], cache[f"A{L}"], Y, s, work=work)
    if alpha:
        m = cache["A0"].shape[1] if s is None else float(namespace(s)[0].sum(s))
        J += l2_penalty(parameters, alpha, m)
    return J


def l2_penalty(parameters, alpha, m):
    r"""The L2 term of J: (α/2m) Σ_l ‖W[l]‖²_F (biases are not penalised)."""
    xp, is_numpy = namespace(parameters["W1"])
    vdot = np.vdot if is_numpy else (lambda W, V: xp.sum(W * V))
    squares = sum(float(vdot(parameters[f"W{l}"], parameters[f"W{l}"]))
                  for l in range(1, n_layers(parameters) + 1))
    return alpha / (2 * m) * squares


def backward_propagation(cache, Y, parameters, hidden, output, s=None, alpha=0.0,
                         grads=None, *, m=None):
    """dW[l], db[l] for l = L … 1: the gradient of :func:`compute_cost`.

    Parameters
    ----------
    cache : dict
        What :func:`forward_propagation` returned for these ``parameters``.
    Y : ndarray of shape (n[L], m)
        Targets: 0/1 row for one sigmoid unit, one-hot columns for softmax,
        values for regression.
    parameters, hidden, output
        As for :func:`forward_propagation`.
    s : ndarray of shape (m,), optional
        Sample weights.
    alpha : float
        L2 penalty strength λ.
    grads : dict, optional
        Preallocated ``"dZ1"``, …, ``"dA1"``, …, ``"dW1"``, ``"db1"``, …
        buffers, written in place. A ``"G{l}"`` that forward propagation kept
        in ``cache`` is used for g'(Z[l]); it may be the ``"dZ{l}"`` buffer
        itself, which then receives dZ[l] in its place. ``"dA{l}"`` (for l < L) receives
        W[l+1]ᵀ dZ[l+1]; it is only needed until dZ[l] is made from it, so the
        ``"dA{l}"`` of different layers may share memory.

    m : float, optional
        The m of 1/m: the number of columns, or Σ sᵢ, unless given. When
        training propagates a batch back a block of columns at a time it
        gives m = 1 (dW[l] and db[l] are then the block's sums over its
        samples), adds the blocks' sums and divides by the batch's m once.

    Returns
    -------
    grads : dict
        ``"dW1"``, ``"db1"``, … with the shapes of the parameters (and the
        ``"dZ{l}"``, ``"dA{l}"`` it used).
    """
    if grads is None:
        grads = {}
    L = n_layers(parameters)
    if m is None:
        m = cache["A0"].shape[1] if s is None else namespace(s)[0].sum(s)

    dZ = output.dZ(cache[f"Z{L}"], cache[f"A{L}"], Y, out=grads.get(f"dZ{L}"))
    if s is not None:
        # a weighted sample counts sᵢ times in J, so its error does too
        dZ *= s
    grads[f"dZ{L}"] = dZ
    for l in range(L, 0, -1):
        W = parameters[f"W{l}"]
        A_prev = cache[f"A{l - 1}"]
        dW = _product(dZ, A_prev.T, out=grads.get(f"dW{l}"))
        if alpha:
            dW += alpha * W
        db = _row_sums(dZ, out=grads.get(f"db{l}"))
        if m != 1:
            dW /= m
            db /= m
        grads[f"dW{l}"], grads[f"db{l}"] = dW, db
        if l > 1:
            # chain rule through Z[l] = W[l] A[l-1] + b[l] …
            dA_prev = _product(W.T, dZ, out=grads.get(f"dA{l - 1}"))
            # … then through A[l-1] = g(Z[l-1]): times g'(Z[l-1]), kept by
            # forward propagation or computed now straight into dZ[l-1]
            G = cache.get(f"G{l - 1}")
            if G is None:
                G = hidden.g_prime(cache[f"Z{l - 1}"], A_prev,
                                   out=grads.get(f"dZ{l - 1}"))
            out = grads.get(f"dZ{l - 1}")
            dZ = G * dA_prev if out is None else np.multiply(G, dA_prev, out=out)
            grads[f"dA{l - 1}"], grads[f"dZ{l - 1}"] = dA_prev, dZ
    return grads


def update_parameters(parameters, grads, learning_rate):
    """W[l] := W[l] - α dW[l], b[l] := b[l] - α db[l], in place (§二 梯度下降)."""
    for name, value in parameters.items():
        value -= learning_rate * grads[f"d{name}"]
    return parameters
