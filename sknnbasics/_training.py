"""The gradient-descent loop every estimator shares (lecture §二 梯度下降).

One iteration of the lecture's batch gradient descent is::

    forward propagation → cost J → backward propagation → W := W - α dW

:func:`gradient_descent` repeats it ``max_iter`` times and adds the controls a
user of scikit-learn expects: mini-batches, stopping when J stops improving,
early stopping on a held-out validation cost, divergence and Ctrl-C handling,
and a hook the estimators use for printing and callbacks. It knows nothing of
scikit-learn: it takes arrays in the lecture's orientation (one sample per
column) and returns a :class:`TrainingHistory`.

The arrays may belong to any Array API library, on any device (see
:mod:`sknnbasics._array_api`): the preallocated :class:`_Workspace` and its
column blocking are NumPy's fast path; other libraries compute each batch as
one plain forward and backward propagation, in their namespace, and the
mini-batches are gathered with ``xp.take``. :func:`lbfgs` works in NumPy.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ._array_api import asnumpy, copy, copy_into, device, namespace, to_namespace
from ._network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    forward_to_output,
    l2_penalty,
    layer_dims,
)
from ._optimizers import (
    ADAPTIVE_FACTOR,
    ADAPTIVE_FLOOR,
    GradientDescent,
    invscaling_rate,
)

STOP_REASONS = ("max_iter", "converged", "diverged", "interrupted", "callback",
                "not_finite_at_start", "max_fun", "no_progress")


@dataclass
class TrainingHistory:
    """What happened during :func:`gradient_descent`.

    Attributes
    ----------
    loss_curve : list of float
        J at each iteration, before that iteration's update (for mini-batches,
        the mean over the epoch of each batch's J before its update, weighted
        by the batch's total sample weight).
    validation_loss_curve : list of float or None
        The validation cost of the weights each iteration ends with.
    validation_scores : list of float or None
        The validation score (accuracy, R²) of those weights, when the
        estimator gave a way to compute it.
    n_iter : int
        Iterations (epochs) whose updates were applied.
    stop_reason : {"max_iter", "converged", "diverged", "interrupted", \
"callback", "not_finite_at_start", "max_fun", "no_progress"}
        Why training stopped. ``"not_finite_at_start"``: J was already inf or
        NaN at the weights this call started from, so no update was applied.
        ``"max_fun"`` and ``"no_progress"`` are L-BFGS's (:func:`lbfgs`): it
        used its ``max_fun`` evaluations of J, or its line search found no
        lower J.
    best_loss : float
        The lowest monitored value: the cost, the validation cost under early
        stopping, or minus the validation score when that is monitored.
    best_iteration : int or None
        Index of that cost in its curve.
    start_of_last : dict or None
        The weights the last complete iteration started from: where a
        divergence found at the start of the next call (``partial_fit``)
        goes back to.
    final_loss : float or None
        J (with the L2 term) on the training data at the weights training
        returns, computed after the last update: the cost that
        ``loss_curve`` (J *before* each update) never shows. None when this
        call applied no update.
    final_data_loss : float or None
        The same without the L2 term.
    updates : int
        Updates applied by this call.
    samples_seen : int or float
        Columns (samples) that went into those updates; with sample weights,
        their total weight (a sample of weight s counts s times).
    learning_rate : float or None
        α at the end of training (a schedule may have changed it).
    """

    loss_curve: list = field(default_factory=list)
    validation_loss_curve: list | None = None
    validation_scores: list | None = None
    n_iter: int = 0
    stop_reason: str = "max_iter"
    best_loss: float = math.inf
    best_iteration: int | None = None
    no_improvement_count: int = 0
    start_of_last: dict | None = None
    final_loss: float | None = None
    final_data_loss: float | None = None
    updates: int = 0
    samples_seen: int = 0
    learning_rate: float | None = None
    # the samples' order of the last shuffled epoch, which the next epoch
    # reshuffles (partial_fit hands it on from call to call)
    order: object = None


_FULL_BATCH = slice(None)


def _batches(m, batch_size, rng, shuffle=True, order=None):
    """Column indices of each mini-batch of one epoch (``shuffle=False``:
    consecutive slices, in the data's order), and the order they came from.

    With ``shuffle`` the epoch's order is the previous epoch's ``order``
    (None: the data's) shuffled once more from ``rng``, as MLPClassifier
    reshuffles its sample indices, so that the same ``random_state`` gives
    its mini-batches. ``batch_size=None`` or ``batch_size >= m`` is the
    lecture's full batch: one slice over all columns in their original order
    (no copy, no shuffle).
    """
    if batch_size is None or batch_size >= m:
        return [_FULL_BATCH], order
    if not shuffle:
        return [slice(start, min(start + batch_size, m))
                for start in range(0, m, batch_size)], order
    order = rng.permutation(m) if order is None else order[rng.permutation(m)]
    return [order[start:start + batch_size]
            for start in range(0, m, batch_size)], order


_copy_into = copy_into


def _total(s):
    """Σ sᵢ, as a Python float."""
    return float(namespace(s)[0].sum(s))


def _take_columns(X, Y, s, columns):
    """X[:, columns], Y[:, columns], s[columns] for arrays of a library other
    than NumPy, ``columns`` (NumPy indices) moved to their device."""
    xp = namespace(X)[0]
    index = xp.asarray(columns, device=device(X))
    return (xp.take(X, index, axis=1), xp.take(Y, index, axis=1),
            None if s is None else xp.take(s, index, axis=0))


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


def gradient_descent(
    parameters,
    X,
    Y,
    s=None,
    *,
    hidden,
    output,
    learning_rate=None,
    max_iter,
    tol=None,
    n_iter_no_change=10,
    alpha=0.0,
    batch_size=None,
    rng=None,
    validation=None,
    hooks=None,
    history=None,
    optimizer=None,
    schedule="constant",
    power_t=0.5,
    samples_before=0,
    shuffle=True,
    validation_score=None,
    monitor="loss",
):
    """Train ``parameters`` in place by (mini-batch) gradient descent.

    Parameters
    ----------
    parameters : dict
        ``"W1"``, ``"b1"``, …, updated in place.
    X : ndarray or sparse matrix of shape (n_x, m)
        Training inputs, one sample per column (sparse: best CSC, the
        transpose of a CSR matrix, whose columns slice cheaply).
    Y : ndarray of shape (n[L], m)
        Training targets in the output layer's encoding.
    s : ndarray of shape (m,), optional
        Sample weights.
    hidden : Activation
        Hidden-layer activation.
    output : OutputLayer
        Output activation and cost.
    learning_rate : float, optional
        α of the lecture's rule W := W − α dW; used when no ``optimizer`` is
        given.
    max_iter : int
        N, the number of iterations (epochs with mini-batches).
    tol : float or None
        Stop once the monitored cost has not improved by at least ``tol`` for
        ``n_iter_no_change`` consecutive iterations. ``None`` runs exactly
        ``max_iter`` iterations (unless training diverges or is stopped).
    n_iter_no_change : int
        See ``tol``.
    alpha : float
        L2 penalty λ.
    batch_size : int or None
        None: full batch. Otherwise mini-batches, reshuffled from ``rng``
        every epoch when ``shuffle``.
    rng : numpy.random.RandomState
        For the shuffles.
    validation : tuple (X_val, Y_val, s_val), optional
        Held-out data. When given, the monitored cost is the validation cost
        (without the L2 term) and
        the weights with the lowest one are restored at the end (early stopping).
    hooks : object, optional
        ``hooks.iteration_begin(i)`` before and ``hooks.iteration_end(i,
        history) -> bool`` after every iteration; a true return stops training.
    history : TrainingHistory, optional
        Continue this history (``partial_fit``) instead of starting a new one.
    optimizer : GradientDescent or Adam, optional
        The update rule (:mod:`sknnbasics._optimizers`) and its state; its
        ``learning_rate`` is the current α. Default: the lecture's rule with
        ``learning_rate``.
    schedule : {"constant", "invscaling", "adaptive"}
        How α changes between iterations: not at all; α₀/(t + 1)^power_t
        after every iteration, t the samples trained on so far (counting
        ``samples_before``); or divided by 5 each time the monitored cost has
        stalled for ``n_iter_no_change`` iterations (by ``tol``, or by 0 when
        ``tol`` is None), stopping once α ≤ 1e-6 (never with ``tol=None``).
        α₀ is ``learning_rate`` or the optimizer's α at the start.
    power_t : float
        See ``schedule``.
    samples_before : int
        Samples trained on before this call (``partial_fit``).
    shuffle : bool
        Reshuffle the mini-batches every epoch; False takes them in order.
    validation_score : callable, optional
        ``validation_score(Z_L, A_L) -> float``, from the output layer on the
        held-out data: the score (higher is
        better) of the weights on the held-out data, recorded every
        iteration in ``history.validation_scores``.
    monitor : {"loss", "score"}
        With ``validation``: monitor the validation cost, or the validation
        score (its negative: lower is better).

    Returns
    -------
    history : TrainingHistory
    """
    if optimizer is None:
        optimizer = GradientDescent(parameters, learning_rate)
    initial_rate = optimizer.learning_rate if learning_rate is None \
        else float(learning_rate)
    if history is None:
        history = TrainingHistory()
    if validation is not None and history.validation_loss_curve is None:
        history.validation_loss_curve = []
    if validation_score is not None and history.validation_scores is None:
        history.validation_scores = []
    # the improvement the stall counter needs: tol, or any improvement for
    # the "adaptive" schedule when tol is None (it divides α, never stops)
    stall_tol = tol if tol is not None else (0.0 if schedule == "adaptive"
                                             else None)
    m = X.shape[1]
    # the weights at the start of this iteration and of the one before: where
    # to go back to after a divergence or an interrupted iteration
    start_of_iteration = {name: copy(value) for name, value in
                          (history.start_of_last or parameters).items()}
    start_of_previous = {name: copy(value) for name, value in parameters.items()}
    best = {name: copy(value) for name, value in parameters.items()} \
        if validation is not None else None
    complete = True
    start = len(history.loss_curve)
    # every activation-sized array, allocated here once for all iterations
    # (NumPy's fast path; other libraries allocate per batch)
    on_numpy = namespace(X, parameters["W1"])[1]
    workspace = None
    if on_numpy:
        workspace = _Workspace(parameters, X, Y, s,
                               m if batch_size is None else min(batch_size, m))

    order = history.order if (history.order is not None
                              and len(history.order) == m) else None
    try:
        for iteration in range(start, start + max_iter):
            start_of_previous, start_of_iteration = (start_of_iteration,
                                                     start_of_previous)
            _copy_into(start_of_iteration, parameters)
            complete = False
            if hooks is not None:
                hooks.iteration_begin(iteration)

            epoch_cost = epoch_weight = 0.0
            diverged = False
            batches, order = _batches(m, batch_size, rng, shuffle, order)
            for columns in batches:
                if columns is _FULL_BATCH:  # the data themselves, never copied
                    X_b, Y_b, s_b = X, Y, s
                elif isinstance(columns, slice):  # consecutive columns: views
                    # (a sparse X's columns are copied, as gather would)
                    X_b, Y_b = X[:, columns], Y[:, columns]
                    s_b = None if s is None else s[columns]
                elif workspace is None:
                    X_b, Y_b, s_b = _take_columns(X, Y, s, columns)
                else:
                    X_b, Y_b, s_b = workspace.gather(X, Y, s, columns)
                weight = X_b.shape[1] if s_b is None else _total(s_b)
                if weight == 0:
                    continue  # rows of weight 0 carry no cost and no gradient
                J, grads = _cost_and_gradients(workspace, X_b, Y_b, s_b, weight,
                                               parameters, hidden, output, alpha)
                if not math.isfinite(J):
                    diverged = True
                    break
                optimizer.update(parameters, grads)
                history.updates += 1
                # a sample of weight s counts s times (as in J): the same t
                # as for the data with that sample repeated
                history.samples_seen += X_b.shape[1] if s_b is None else weight
                epoch_cost += J * weight
                epoch_weight += weight
            if diverged and history.updates == 0 and history.start_of_last is None:
                # J is not finite at the weights training started from: there
                # is nothing to go back to, and nothing was trained
                history.stop_reason = "not_finite_at_start"
                break
            if diverged:
                # the weights this iteration started from came from an update
                # that already led to a non-finite J (full batch) or soon would;
                # those of the previous iteration are the last with a finite J
                _copy_into(parameters, start_of_previous)
                history.stop_reason = "diverged"
                break

            if validation is not None:
                X_val, Y_val, s_val = validation
                # one forward pass gives the validation cost and score; the
                # held-out rows measure the fit to data: no L2 term, whose
                # 1/m would otherwise weigh 1/validation_fraction times more
                Z_val, A_val = forward_to_output(X_val, parameters, hidden, output)
                J_val = output.cost(Z_val, A_val, Y_val, s_val)
                if not math.isfinite(J_val):
                    _copy_into(parameters, start_of_iteration)
                    history.stop_reason = "diverged"
                    break
                history.validation_loss_curve.append(J_val)
                if validation_score is not None:
                    history.validation_scores.append(
                        float(validation_score(Z_val, A_val)))
                monitored = (-history.validation_scores[-1] if monitor == "score"
                             else J_val)
                if monitored < history.best_loss:
                    _copy_into(best, parameters)

            history.loss_curve.append(epoch_cost / epoch_weight)
            history.n_iter += 1
            complete = True
            if validation is None:
                monitored = history.loss_curve[-1]
            if stall_tol is not None and monitored > history.best_loss - stall_tol:
                history.no_improvement_count += 1
            else:
                history.no_improvement_count = 0
            if monitored < history.best_loss:
                history.best_loss = monitored
                history.best_iteration = iteration
            if schedule == "invscaling":
                optimizer.learning_rate = invscaling_rate(
                    initial_rate, samples_before + history.samples_seen, power_t)

            if hooks is not None and hooks.iteration_end(iteration, history):
                history.stop_reason = "callback"
                break
            if (stall_tol is not None
                    and history.no_improvement_count >= n_iter_no_change):
                if schedule == "adaptive" and (
                        optimizer.learning_rate > ADAPTIVE_FLOOR or tol is None):
                    # the cost stalls: go on with a smaller step
                    if optimizer.learning_rate > ADAPTIVE_FLOOR:
                        optimizer.learning_rate /= ADAPTIVE_FACTOR
                    history.no_improvement_count = 0
                elif tol is not None:
                    history.stop_reason = "converged"
                    break
    except KeyboardInterrupt:
        if not complete:
            # interrupted inside an iteration: go back to where it started
            _copy_into(parameters, start_of_iteration)
        history.stop_reason = "interrupted"

    history.order = order
    history.learning_rate = optimizer.learning_rate
    if validation is not None and history.best_iteration is not None:
        _copy_into(parameters, best)
    if history.updates and history.stop_reason != "diverged":
        # loss_curve holds J before each update: the last update is checked
        # here, on the weights training returns, so that a step into inf or
        # NaN (or a huge J) is never returned unseen
        try:
            _final_cost(history, workspace, parameters, X, Y, s, hidden, output,
                        alpha)
        except KeyboardInterrupt:
            history.final_loss = history.final_data_loss = None
            _copy_into(parameters, start_of_iteration)
            history.stop_reason = "interrupted"
        if history.final_loss is not None and not math.isfinite(history.final_loss):
            # the start of the last iteration had a finite J (loss_curve[-1])
            _copy_into(parameters, start_of_iteration)
            history.final_loss = history.final_data_loss = None
            history.stop_reason = "diverged"
    history.start_of_last = (start_of_previous if history.stop_reason == "diverged"
                             else start_of_iteration)
    return history


def _final_cost(history, workspace, parameters, X, Y, s, hidden, output, alpha):
    """Set ``history.final_loss`` and ``final_data_loss``: J at ``parameters``
    on all the training columns (a forward pass, a block at a time)."""
    m = X.shape[1] if s is None else _total(s)
    J, _ = _cost_and_gradients(workspace, X, Y, s, m, parameters, hidden, output,
                               0.0, backward=False)
    history.final_data_loss = J
    history.final_loss = J + l2_penalty(parameters, alpha, m) if alpha else J


class _StopRequested(Exception):
    """Raised from L-BFGS's callback when a hook asks training to stop."""


def _pack(parameters):
    """The parameters as one float64 vector, in MLPClassifier's order and
    layout: W[1]ᵀ, …, W[L]ᵀ (each raveled row by row), then b[1], …, b[L]."""
    L = len(parameters) // 2
    return np.concatenate(
        [parameters[f"W{l}"].T.ravel() for l in range(1, L + 1)]
        + [parameters[f"b{l}"].ravel() for l in range(1, L + 1)]
    ).astype(np.float64, copy=False)


def _unpack(x, parameters, prefix=""):
    """Write the vector ``x`` (the layout of :func:`_pack`) into the arrays
    of ``parameters`` (or of its gradients, with ``prefix="d"``), in place."""
    L = len(parameters) // 2
    start = 0
    for name in [f"W{l}" for l in range(1, L + 1)] + [f"b{l}" for l in
                                                      range(1, L + 1)]:
        target = parameters[prefix + name]
        view = target.T if name.startswith("W") else target.reshape(-1)
        np.copyto(view, x[start:start + target.size].reshape(view.shape))
        start += target.size


def lbfgs(parameters, X, Y, s=None, *, hidden, output, max_iter, max_fun=15000,
          tol=None, alpha=0.0, hooks=None, history=None):
    """Minimise J with scipy's L-BFGS-B, from the lecture's J and gradients.

    Full batch only: every evaluation is forward propagation, the cost and
    backward propagation over all m samples, exactly as one iteration of
    :func:`gradient_descent` computes them; L-BFGS chooses the step from the
    last gradients instead of a learning rate. The options are
    MLPClassifier's: ``maxiter=max_iter``, ``maxfun=max_fun``, ``gtol=tol``
    (0 for ``tol=None``), and the vector is packed in its layout.

    ``history.loss_curve`` holds J at the start of each iteration, as for
    gradient descent, and ``final_loss`` J at the weights returned. Weights
    with a non-finite J are never returned: the iterate with the lowest J
    evaluated is kept.

    scipy's L-BFGS-B works on NumPy vectors: arrays of another library (a
    GPU's, say) are copied to NumPy, trained there, and the final weights
    copied back into ``parameters``, in their namespace and on their device.

    Returns
    -------
    history : TrainingHistory
    """
    from scipy.optimize import minimize

    xp, on_numpy = namespace(X, parameters["W1"])
    if not on_numpy:
        where = device(parameters["W1"])
        # copies (a CPU tensor's NumPy view would share its memory)
        on_host = {name: np.array(asnumpy(value)) for name, value in
                   parameters.items()}
        if history is not None and history.start_of_last is not None:
            history.start_of_last = None  # L-BFGS never goes back to it
        history = lbfgs(on_host, asnumpy(X), asnumpy(Y), asnumpy(s),
                        hidden=hidden, output=output, max_iter=max_iter,
                        max_fun=max_fun, tol=tol, alpha=alpha, hooks=hooks,
                        history=history)
        _copy_into(parameters, {name: to_namespace(value, xp, where)
                                for name, value in on_host.items()})
        return history

    if history is None:
        history = TrainingHistory()
    m = X.shape[1] if s is None else float(np.sum(s))
    workspace = _Workspace(parameters, X, Y, s, X.shape[1])
    start_of_fit = {name: value.copy() for name, value in parameters.items()}
    evaluated = {}  # the latest evaluation: x, J and the packed gradient
    start = len(history.loss_curve)

    def cost_and_gradient(x):
        _unpack(x, parameters)
        J, grads = _cost_and_gradients(workspace, X, Y, s, m, parameters, hidden,
                                       output, alpha)
        if grads is None:  # J is inf or NaN: L-BFGS's line search backs off
            return math.inf, np.zeros_like(x)
        gradient = _pack({name[1:]: value for name, value in grads.items()
                          if name[1] in "Wb" and name[2:].isdigit()})
        evaluated.update(x=x.copy(), J=J)
        if "J0" not in evaluated:
            evaluated["J0"] = J
        return J, gradient

    accepted = {"x": _pack(parameters)}

    def after_iteration(x):
        J = (evaluated["J"] if np.array_equal(x, evaluated.get("x"))
             else cost_and_gradient(x)[0])
        iteration = start + history.n_iter
        history.loss_curve.append(accepted.get("J", evaluated["J0"]))
        accepted.update(x=x.copy(), J=J)
        history.n_iter += 1
        history.updates += 1
        history.samples_seen += X.shape[1] if s is None else m
        if J < history.best_loss:
            history.best_loss, history.best_iteration = J, iteration
        if hooks is not None:
            _unpack(x, parameters)
            if hooks.iteration_end(iteration, history):
                raise _StopRequested
            if history.n_iter < max_iter:
                hooks.iteration_begin(iteration + 1)

    if hooks is not None:
        hooks.iteration_begin(start)
    try:
        result = minimize(
            cost_and_gradient, accepted["x"], method="L-BFGS-B", jac=True,
            callback=after_iteration,
            options={"maxiter": max_iter, "maxfun": max_fun,
                     "gtol": 0.0 if tol is None else tol},
        )
    except _StopRequested:
        history.stop_reason = "callback"
    except KeyboardInterrupt:
        history.stop_reason = "interrupted"
    else:
        if "J0" in evaluated and not math.isfinite(evaluated["J0"]):
            history.stop_reason = "not_finite_at_start"
        elif result.status == 0:
            history.stop_reason = "converged"
        elif result.status == 1:
            history.stop_reason = ("max_iter" if history.n_iter >= max_iter
                                   else "max_fun")
        else:  # the line search found no lower J: at the precision's limit
            history.stop_reason = "no_progress"
    if "J0" not in evaluated or not math.isfinite(evaluated["J0"]):
        _copy_into(parameters, start_of_fit)
        if history.stop_reason not in ("interrupted", "callback"):
            history.stop_reason = "not_finite_at_start"
        return history
    # the last accepted iterate (the start when there was none)
    _unpack(accepted["x"], parameters)
    if history.updates:
        history.final_data_loss = history.final_loss = accepted["J"]
        if alpha:
            penalty = l2_penalty(parameters, alpha, m)
            history.final_data_loss = accepted["J"] - penalty
    history.start_of_last = None
    return history
