"""NumPy's fast path of training: every activation-sized array allocated once
(:class:`_Workspace`), and a wide batch propagated a cache-sized block of
columns at a time (:func:`_cost_and_gradients`).

Arrays of other Array API libraries skip both: each batch is one plain
forward and backward propagation, in their namespace.
"""

import math

import numpy as np
from scipy import sparse

from ._array_api import namespace
from ._network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    l2_penalty,
    layer_dims,
)


def _total(s):
    """Σ sᵢ, as a Python float."""
    return float(namespace(s)[0].sum(s))




# A block of columns small enough that its X, Z, A, dA and dZ stay in the
# CPU's cache between forward and backward propagation (measured: 4–8 MiB is
# best; 25 % faster than whole-batch arrays at m = 10^5 and beyond).
_BLOCK_BYTES = 6 * 2**20
_MIN_BLOCK = 1024


class _Workspace:
    """The activation-sized arrays of training, allocated once and reused.

    A batch wider than two blocks is propagated a block at a time (see
    :func:`_cost_and_gradients`), so the arrays are at most a block wide
    however large m is. Every Z[l], A[l] and dZ[l] lives in a flat 1-D
    buffer of n[l]·width numbers; b columns use its first n[l]·b entries
    reshaped to (n[l], b), so the last, narrower block or mini-batch reuses
    the same memory, still contiguous. The dZ[l] buffer of a hidden layer
    first holds g'(Z[l]), computed by forward propagation together with A[l].
    One more buffer holds dA[l] =
    W[l+1]ᵀ dZ[l+1] for whichever layer backward propagation is at; before
    that, it holds the per-sample losses while J is computed. Mini-batches of
    X, Y and s are gathered into buffers of their own.
    """

    def __init__(self, parameters, X, Y, s, batch_width, backward=True):
        dims = layer_dims(parameters)
        L = len(dims) - 1
        dtype = np.result_type(X.dtype, Y, *parameters.values())
        per_column = dtype.itemsize * (dims[0] + 4 * sum(dims[1:L]) + 7 * dims[L])
        block = max(_MIN_BLOCK, _BLOCK_BYTES // per_column)
        self.dims, self.batch_width = dims, batch_width
        # two blocks or fewer are not worth the extra steps, nor are blocks
        # without hidden layers, whose activations are a few rows next to X
        blocked = L > 1 and batch_width > 2 * block
        self.width = width = block if blocked else batch_width
        names = ("Z", "A", "dZ") if backward else ("Z", "A")
        # name → (rows, flat buffer of rows·width numbers)
        self.flat = {f"{name}{l}": (dims[l], np.empty(dims[l] * width, dtype))
                     for l in range(1, L + 1) for name in names}
        shared = np.empty(0, dtype)
        if backward and L > 1:
            shared = np.empty(max(dims[1:L]) * width, dtype)
            self.flat.update({f"dA{l}": (dims[l], shared) for l in range(1, L)})
        # J is computed before backward propagation needs dA: its per-sample
        # losses can live in the dA buffer when that is large enough
        n_work = (1 + 2 * dims[L]) * width
        work = shared if shared.size >= n_work else np.empty(n_work, dtype)
        self.work = [(1, work[:width]),
                     (dims[L], work[width:(1 + dims[L]) * width]),
                     (dims[L], work[(1 + dims[L]) * width:n_work])]
        self.fixed = {} if not backward else {
            f"d{name}": np.empty_like(value) for name, value in parameters.items()}
        # the sums of the blocks' gradients, when a batch is wider than a block
        self.total = ({name: np.empty_like(value) for name, value in
                       self.fixed.items()} if batch_width > width else None)
        self.batch_buffers = None
        self._views = {}

    def block_width(self, b):
        """Columns per block for a batch of b columns: as few blocks as fit
        the workspace, of equal width but for the last."""
        n_blocks = -(-b // self.width)
        return -(-b // n_blocks)

    def views(self, b):
        """(cache, grads, work) for a batch of b columns, views of the buffers."""
        if b not in self._views:
            cache, grads = {}, dict(self.fixed)
            for name, (n, flat) in self.flat.items():
                (grads if name.startswith("d") else cache)[name] = \
                    flat[:n * b].reshape(n, b)
            # forward propagation keeps g'(Z[l]) of each hidden layer in the
            # dZ[l] buffer, where backward propagation turns it into dZ[l]
            for l in range(1, len(self.dims) - 1):
                if f"dZ{l}" in grads:
                    cache[f"G{l}"] = grads[f"dZ{l}"]
            losses, P, Q = (flat[:n * b].reshape(n, b) for n, flat in self.work)
            self._views[b] = cache, grads, (losses[0], P, Q)
        return self._views[b]

    def gather(self, X, Y, s, columns):
        """X[:, columns], Y[:, columns] and s[columns], copied into buffers.

        A sparse X stays sparse: its columns are the rows of Xᵀ, gathered
        from Xᵀ in CSR form (for scikit-learn's CSR ``X``, Xᵀᵀ is ``X``
        itself, no conversion) into a new (n_x, b) sparse matrix.
        """
        b = len(columns)
        if self.batch_buffers is None:
            self.batch_buffers = (
                np.empty(0 if sparse.issparse(X) else X.shape[0] * self.batch_width,
                         X.dtype),
                np.empty(Y.shape[0] * self.batch_width, Y.dtype),
                None if s is None else np.empty(self.batch_width, s.dtype))
        x, y, w = self.batch_buffers
        n_x, n_y = X.shape[0], Y.shape[0]
        if sparse.issparse(X):
            X_b = X.T.tocsr()[columns].T
        elif X.T.flags.c_contiguous:
            # X is a transposed (m, n_x) array: its columns are rows of X.T
            X_b = np.take(X.T, columns, axis=0, out=x[:b * n_x].reshape(b, n_x),
                          mode="clip").T
        else:
            X_b = np.take(X, columns, axis=1, out=x[:n_x * b].reshape(n_x, b),
                          mode="clip")
        Y_b = np.take(Y, columns, axis=1, out=y[:n_y * b].reshape(n_y, b),
                      mode="clip")
        s_b = None if s is None else np.take(s, columns, out=w[:b], mode="clip")
        return X_b, Y_b, s_b


def _cost_and_gradients(workspace, X, Y, s, m, parameters, hidden, output, alpha,
                        backward=True):
    """J and, with ``backward``, its gradients on one batch of m = Σ sᵢ.

    Forward propagation → cost → backward propagation, the lecture's
    vectorised step. A batch wider than the workspace is taken a block of
    columns at a time: J and every dW[l], db[l] are sums over the samples
    divided by m, so the batch's are the sums of its blocks' (each divided by
    the batch's m), and only the order of the additions differs.
    Returns (J, grads); grads is None when J is not finite.

    ``workspace=None`` (arrays of a library other than NumPy): the whole
    batch in one plain forward and backward propagation, without buffers.
    """
    if workspace is None:
        cache = forward_propagation(X, parameters, hidden, output)
        J = compute_cost(cache, Y, parameters, output, s, alpha)
        if not (backward and math.isfinite(J)):
            return J, None
        return J, backward_propagation(cache, Y, parameters, hidden, output, s,
                                       alpha)
    b = X.shape[1]
    if b <= workspace.width:
        cache, grads, work = workspace.views(b)
        cache = forward_propagation(X, parameters, hidden, output, cache)
        J = compute_cost(cache, Y, parameters, output, s, alpha, work)
        if not (backward and math.isfinite(J)):
            return J, None
        return J, backward_propagation(cache, Y, parameters, hidden, output, s,
                                       alpha, grads)
    return _blocked_cost_and_gradients(workspace, X, Y, s, m, parameters, hidden,
                                       output, alpha, backward)


def _blocked_cost_and_gradients(workspace, X, Y, s, m, parameters, hidden,
                                output, alpha, backward):
    """:func:`_cost_and_gradients` for a batch wider than the workspace: a
    block of columns at a time, the blocks' sums added, divided by m once."""
    b = X.shape[1]
    total, losses, first = workspace.total, 0.0, True
    width = workspace.block_width(b)
    for start in range(0, b, width):
        columns = slice(start, min(start + width, b))
        X_c, Y_c = X[:, columns], Y[:, columns]  # a sparse X_c stays sparse
        s_c = None if s is None else s[columns]
        m_c = X_c.shape[1] if s is None else _total(s_c)
        if m_c == 0:
            continue  # a block of zero weights adds nothing
        cache, grads, work = workspace.views(X_c.shape[1])
        cache = forward_propagation(X_c, parameters, hidden, output, cache)
        J_c = compute_cost(cache, Y_c, parameters, output, s_c, 0.0, work)
        if not math.isfinite(J_c):
            return J_c, None
        losses += J_c * m_c  # Σ sᵢ Lᵢ over the block
        if backward:
            # the blocks' sums over their samples, divided by m once below
            grads = backward_propagation(cache, Y_c, parameters, hidden, output,
                                         s_c, 0.0, grads, m=1)
            for name, value in total.items():
                if first:
                    np.copyto(value, grads[name])
                else:
                    value += grads[name]
            first = False
    J = losses / m if m else math.nan
    if backward:
        for l in range(1, len(workspace.dims)):
            if alpha:
                total[f"dW{l}"] += alpha * parameters[f"W{l}"]
            total[f"dW{l}"] /= m
            total[f"db{l}"] /= m
    if alpha:
        J += l2_penalty(parameters, alpha, m)
    return J, (total if backward else None)
