"""The gradient-descent loop every estimator shares (lecture §二 梯度下降).

One iteration of the lecture's batch gradient descent is::

    forward propagation → cost J → backward propagation → W := W - α dW

:func:`gradient_descent` repeats it ``max_iter`` times and adds the controls a
user of scikit-learn expects: mini-batches, stopping when J stops improving,
early stopping on a held-out validation cost, divergence and Ctrl-C handling,
and a hook the estimators use for printing and callbacks. It knows nothing of
scikit-learn: it takes arrays in the lecture's orientation (one sample per
column), its settings as one :class:`TrainingSettings`, and returns a
:class:`~sknnbasics._history.TrainingHistory`.

The loop is a chain of small steps, each a method of :class:`_Loop`
(skorch's ``fit_loop → run_single_epoch → train_step``)::

    fit_loop         the epochs, Ctrl-C, the final check of the weights
    run_epoch        one epoch: its mini-batches, validation, bookkeeping
    train_step       one batch: forward → J → backward → W := W − α·dW
    monitor          early stopping: the validation cost, the best weights
    stop_rule        tol and n_iter_no_change (and the "adaptive" schedule)
    schedule         the "invscaling" schedule of α

The arrays may belong to any Array API library, on any device (see
:mod:`sknnbasics._array_api`): the preallocated
:class:`~sknnbasics._workspace._Workspace` and its column blocking are NumPy's
fast path; other libraries compute each batch as one plain forward and
backward propagation, in their namespace, and the mini-batches are gathered
with ``xp.take``. :func:`lbfgs` works in NumPy.
"""

import math
from dataclasses import dataclass

import numpy as np

from ._array_api import asnumpy, copy, copy_into, device, namespace, to_namespace
from ._history import TrainingHistory
from ._lbfgs import _LBFGSRun
from ._network import forward_to_output, l2_penalty
from ._optimizers import (
    ADAPTIVE_FACTOR,
    ADAPTIVE_FLOOR,
    GradientDescent,
    invscaling_rate,
)
from ._workspace import _cost_and_gradients, _total, _Workspace

# documented here (docs/internals.rst): the loop's settings and history, and
# the two loops
__all__ = ["TrainingHistory", "TrainingSettings", "gradient_descent", "lbfgs"]

_copy_into = copy_into


@dataclass
class TrainingSettings:
    """How :func:`gradient_descent` runs: the estimator's hyperparameters,
    resolved for one call.

    Attributes
    ----------
    max_iter : int
        N, the number of iterations (epochs with mini-batches).
    learning_rate : float or None
        α of the lecture's rule W := W − α dW; used when no ``optimizer`` is
        given, and as the "invscaling" schedule's α₀ (default: the
        optimizer's α at the start).
    tol : float or None
        Stop once the monitored cost has not improved by at least ``tol`` for
        ``n_iter_no_change`` consecutive iterations. ``None`` runs exactly
        ``max_iter`` iterations (unless training diverges or is stopped).
    n_iter_no_change : int or math.inf
        See ``tol``; ``math.inf`` (MLP's ``np.inf``) never stops on a stall.
    alpha : float
        L2 penalty λ.
    batch_size : int or None
        None: full batch. Otherwise mini-batches, reshuffled from ``rng``
        every epoch when ``shuffle``.
    shuffle : bool
        Reshuffle the mini-batches every epoch; False takes them in order.
    rng : numpy.random.RandomState or None
        For the shuffles.
    schedule : {"constant", "invscaling", "adaptive"}
        How α changes between iterations: not at all; α₀/(t + 1)^power_t
        after every iteration, t the samples trained on so far (counting
        ``samples_before``); or divided by 5 each time the monitored cost has
        stalled for ``n_iter_no_change`` iterations (by ``tol``, or by 0 when
        ``tol`` is None), stopping once α ≤ 1e-6 (never with ``tol=None``).
    power_t : float
        See ``schedule``.
    samples_before : int
        Samples trained on before this call (``partial_fit``).
    monitor : {"loss", "score"}
        With validation data: monitor the validation cost, or the validation
        score (its negative: lower is better).
    """

    max_iter: int
    learning_rate: float | None = None
    tol: float | None = None
    n_iter_no_change: int | float = 10
    alpha: float = 0.0
    batch_size: int | None = None
    shuffle: bool = True
    rng: object = None
    schedule: str = "constant"
    power_t: float = 0.5
    samples_before: int = 0
    monitor: str = "loss"

    def stall_tol(self):
        """The improvement the stall counter needs: tol, or any improvement
        for the "adaptive" schedule when tol is None (it divides α, never
        stops); None: no counting."""
        if self.tol is not None:
            return self.tol
        return 0.0 if self.schedule == "adaptive" else None


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



def _take_columns(X, Y, s, columns):
    """X[:, columns], Y[:, columns], s[columns] for arrays of a library other
    than NumPy, ``columns`` (NumPy indices) moved to their device."""
    xp = namespace(X)[0]
    index = xp.asarray(columns, device=device(X))
    return (xp.take(X, index, axis=1), xp.take(Y, index, axis=1),
            None if s is None else xp.take(s, index, axis=0))



def gradient_descent(parameters, X, Y, s=None, *, hidden, output, settings=None,
                     optimizer=None, history=None, validation=None,
                     validation_score=None, hooks=None, **options):
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
    settings : TrainingSettings, optional
        How the loop runs (α, N, tol, batches, schedule, …). Instead, its
        fields may be given as keywords: ``learning_rate=0.1, max_iter=150``.
    optimizer : GradientDescent or Adam, optional
        The update rule (:mod:`sknnbasics._optimizers`) and its state; its
        ``learning_rate`` is the current α. Default: the lecture's rule with
        ``settings.learning_rate``.
    history : TrainingHistory, optional
        Continue this history (``partial_fit``) instead of starting a new one.
    validation : tuple (X_val, Y_val, s_val), optional
        Held-out data. When given, the monitored cost is the validation cost
        (without the L2 term) and the weights with the lowest one are
        restored at the end (early stopping).
    validation_score : callable, optional
        ``validation_score(Z_L, A_L) -> float``, from the output layer on the
        held-out data: the score (higher is better) of the weights, recorded
        every iteration in ``history.validation_scores``.
    hooks : object, optional
        ``hooks.iteration_begin(i)`` before and ``hooks.iteration_end(i,
        history) -> bool`` after every iteration; a true return stops training.

    Returns
    -------
    history : TrainingHistory
    """
    if settings is None:
        settings = TrainingSettings(**options)
    elif options:
        raise TypeError(f"gradient_descent takes settings or their fields as "
                        f"keywords, not both; got settings and {sorted(options)}.")
    if optimizer is None:
        optimizer = GradientDescent(parameters, settings.learning_rate)
    loop = _Loop(parameters, X, Y, s, hidden=hidden, output=output,
                 settings=settings, optimizer=optimizer,
                 history=TrainingHistory() if history is None else history,
                 validation=validation, validation_score=validation_score,
                 hooks=hooks)
    return loop.fit_loop()


class _Loop:
    """One call of :func:`gradient_descent`: its data, settings and state,
    and the steps that train on them."""

    def __init__(self, parameters, X, Y, s, *, hidden, output, settings,
                 optimizer, history, validation, validation_score, hooks):
        self.parameters, self.X, self.Y, self.s = parameters, X, Y, s
        self.hidden, self.output, self.settings = hidden, output, settings
        self.optimizer, self.history, self.hooks = optimizer, history, hooks
        self.validation, self.validation_score = validation, validation_score
        self.initial_rate = (optimizer.learning_rate
                             if settings.learning_rate is None
                             else float(settings.learning_rate))
        if validation is not None and history.validation_loss_curve is None:
            history.validation_loss_curve = []
        if validation_score is not None and history.validation_scores is None:
            history.validation_scores = []
        self.stall_tol = settings.stall_tol()
        self.m = m = X.shape[1]
        # the weights at the start of this iteration and of the one before:
        # where to go back to after a divergence or an interrupted iteration
        self.start_of_iteration = {name: copy(value) for name, value in
                                   (history.start_of_last or parameters).items()}
        self.start_of_previous = {name: copy(value) for name, value in
                                  parameters.items()}
        self.best = ({name: copy(value) for name, value in parameters.items()}
                     if validation is not None else None)
        self.complete = True
        # every activation-sized array, allocated here once for all iterations
        # (NumPy's fast path; other libraries allocate per batch)
        self.workspace = None
        if namespace(X, parameters["W1"])[1]:
            batch_size = settings.batch_size
            self.workspace = _Workspace(
                parameters, X, Y, s, m if batch_size is None else min(batch_size, m))
        self.order = (history.order if (history.order is not None
                                        and len(history.order) == m) else None)

    def fit_loop(self):
        """The epochs, until one says stop; then :meth:`finish`."""
        history, parameters = self.history, self.parameters
        start = len(history.loss_curve)
        try:
            for iteration in range(start, start + self.settings.max_iter):
                if self.run_epoch(iteration):
                    break
        except KeyboardInterrupt:
            if not self.complete:
                # interrupted inside an iteration: go back to where it started
                _copy_into(parameters, self.start_of_iteration)
            history.stop_reason = "interrupted"
        return self.finish()

    def run_epoch(self, iteration):
        """One iteration (epoch): its mini-batches, the validation cost, the
        bookkeeping, the schedule and the hooks. True: training stops."""
        history = self.history
        self.start_of_previous, self.start_of_iteration = (
            self.start_of_iteration, self.start_of_previous)
        _copy_into(self.start_of_iteration, self.parameters)
        self.complete = False
        if self.hooks is not None:
            self.hooks.iteration_begin(iteration)
        epoch = self.train_epoch()
        if epoch is None:
            return self.diverged_in_epoch(iteration)
        monitored = None
        if self.validation is not None:
            monitored = self.monitor()
            if monitored is None:
                return True  # the validation cost diverged
        self.record(iteration, *epoch, monitored)
        self.schedule()
        if self.hooks is not None and self.hooks.iteration_end(iteration, history):
            history.stop_reason = "callback"
            return True
        return self.stop_rule()

    def train_epoch(self):
        """(Σ sᵢ J_batch, Σ sᵢ) over the epoch's mini-batches, each trained
        by :meth:`train_step`; None when a J was not finite."""
        settings, history = self.settings, self.history
        epoch_cost = epoch_weight = 0.0
        batches, self.order = _batches(self.m, settings.batch_size, settings.rng,
                                       settings.shuffle, self.order)
        for columns in batches:
            X, Y, s = self.batch(columns)
            weight = X.shape[1] if s is None else _total(s)
            if weight == 0:
                continue  # rows of weight 0 carry no cost and no gradient
            J = self.train_step(X, Y, s, weight)
            if J is None:
                return None
            # a sample of weight s counts s times (as in J): the same t as
            # for the data with that sample repeated
            history.samples_seen += X.shape[1] if s is None else weight
            epoch_cost += J * weight
            epoch_weight += weight
        return epoch_cost, epoch_weight

    def batch(self, columns):
        """X[:, columns], Y[:, columns], s[columns], as cheaply as can be."""
        X, Y, s = self.X, self.Y, self.s
        if columns is _FULL_BATCH:  # the data themselves, never copied
            return X, Y, s
        if isinstance(columns, slice):  # consecutive columns: views (a
            # sparse X's columns are copied, as gather would)
            return X[:, columns], Y[:, columns], None if s is None else s[columns]
        if self.workspace is None:
            return _take_columns(X, Y, s, columns)
        return self.workspace.gather(X, Y, s, columns)

    def train_step(self, X, Y, s, m):
        """One step of the lecture's gradient descent on one batch of m = Σ sᵢ:

            forward propagation      Z[l] = W[l] A[l-1] + b[l], A[l] = g(Z[l])
            cost                     J
            backward propagation     dZ[l], dW[l], db[l]
            update                   W[l] := W[l] − α dW[l], b[l] := b[l] − α db[l]

        (the update is the optimizer's: the lecture's rule for ``solver="gd"``
        without momentum). Returns J; None when J is not finite (no update).
        """
        J, grads = _cost_and_gradients(self.workspace, X, Y, s, m,
                                       self.parameters, self.hidden, self.output,
                                       self.settings.alpha)
        if not math.isfinite(J):
            return None
        self.optimizer.update(self.parameters, grads)
        self.history.updates += 1
        return J

    def diverged_in_epoch(self, iteration):
        """A batch's J was not finite: go back to the last weights with a
        finite J, or (at the very start) report that there are none."""
        history = self.history
        if history.best_iteration is not None and history.best_iteration == (
                iteration - 1) and self.validation is not None:
            # early stopping's best weights are the ones this epoch started
            # from: finite on the held-out rows, not on the training rows
            history.best_iteration = None
        if history.updates == 0 and history.start_of_last is None:
            # J is not finite at the weights training started from: there
            # is nothing to go back to, and nothing was trained
            history.stop_reason = "not_finite_at_start"
            return True
        # the weights this iteration started from came from an update that
        # already led to a non-finite J (full batch) or soon would; those of
        # the previous iteration are the last with a finite J
        _copy_into(self.parameters, self.start_of_previous)
        history.stop_reason = "diverged"
        return True

    def monitor(self):
        """Early stopping: the validation cost (and score) of the weights
        this epoch ends with, the best weights kept; returns the monitored
        value (lower is better), None when the validation cost diverged."""
        history = self.history
        X_val, Y_val, s_val = self.validation
        # one forward pass gives the validation cost and score; the held-out
        # rows measure the fit to data: no L2 term, whose 1/m would otherwise
        # weigh 1/validation_fraction times more
        Z_val, A_val = forward_to_output(X_val, self.parameters, self.hidden,
                                         self.output)
        J_val = self.output.cost(Z_val, A_val, Y_val, s_val)
        if not math.isfinite(J_val):
            _copy_into(self.parameters, self.start_of_iteration)
            history.stop_reason = "diverged"
            return None
        history.validation_loss_curve.append(J_val)
        if self.validation_score is not None:
            history.validation_scores.append(
                float(self.validation_score(Z_val, A_val)))
        monitored = (-history.validation_scores[-1]
                     if self.settings.monitor == "score" else J_val)
        if monitored < history.best_loss:
            _copy_into(self.best, self.parameters)
        return monitored

    def record(self, iteration, epoch_cost, epoch_weight, monitored):
        """The epoch's J on the curve; the stall counter and the best cost
        (of ``monitored``, the validation's, or else the training J)."""
        history = self.history
        history.loss_curve.append(epoch_cost / epoch_weight)
        history.n_iter += 1
        self.complete = True
        if monitored is None:
            monitored = history.loss_curve[-1]
        if (self.stall_tol is not None
                and monitored > history.best_loss - self.stall_tol):
            history.no_improvement_count += 1
        else:
            history.no_improvement_count = 0
        if monitored < history.best_loss:
            history.best_loss = monitored
            history.best_iteration = iteration

    def schedule(self):
        """The "invscaling" schedule: α = α₀ / (t + 1)^power_t after every
        epoch, t the samples trained on so far."""
        settings = self.settings
        if settings.schedule == "invscaling":
            self.optimizer.learning_rate = invscaling_rate(
                self.initial_rate,
                settings.samples_before + self.history.samples_seen,
                settings.power_t)

    def stop_rule(self):
        """After n_iter_no_change epochs without an improvement of tol: stop
        (converged), or with the "adaptive" schedule divide α by 5 and go on
        (until α ≤ 1e-6). True: training stops."""
        settings, history = self.settings, self.history
        if (self.stall_tol is None
                or history.no_improvement_count < settings.n_iter_no_change):
            return False
        optimizer = self.optimizer
        if settings.schedule == "adaptive" and (
                optimizer.learning_rate > ADAPTIVE_FLOOR or settings.tol is None):
            # the cost stalls: go on with a smaller step
            if optimizer.learning_rate > ADAPTIVE_FLOOR:
                optimizer.learning_rate /= ADAPTIVE_FACTOR
            history.no_improvement_count = 0
            return False
        if settings.tol is not None:
            history.stop_reason = "converged"
            return True
        return False

    def finish(self):
        """The best weights back (early stopping), the weights returned
        checked once more (J after the last update), the history completed."""
        history, parameters = self.history, self.parameters
        history.order = self.order
        history.learning_rate = self.optimizer.learning_rate
        if self.validation is not None and history.best_iteration is not None:
            _copy_into(parameters, self.best)
        if history.updates and history.stop_reason != "diverged":
            self.check_final_cost()
        history.start_of_last = (self.start_of_previous
                                 if history.stop_reason == "diverged"
                                 else self.start_of_iteration)
        return history

    def check_final_cost(self):
        """loss_curve holds J before each update: the last update is checked
        here, on the weights training returns, so that a step into inf or NaN
        (or a huge J) is never returned unseen."""
        history, parameters = self.history, self.parameters
        try:
            _final_cost(history, self.workspace, parameters, self.X, self.Y,
                        self.s, self.hidden, self.output, self.settings.alpha)
        except KeyboardInterrupt:
            history.final_loss = history.final_data_loss = None
            _copy_into(parameters, self.start_of_iteration)
            history.stop_reason = "interrupted"
        if history.final_loss is not None and not math.isfinite(history.final_loss):
            # the start of the last iteration had a finite J (loss_curve[-1])
            _copy_into(parameters, self.start_of_iteration)
            history.final_loss = history.final_data_loss = None
            history.stop_reason = "diverged"


def _final_cost(history, workspace, parameters, X, Y, s, hidden, output, alpha):
    """Set ``history.final_loss`` and ``final_data_loss``: J at ``parameters``
    on all the training columns (a forward pass, a block at a time)."""
    m = X.shape[1] if s is None else _total(s)
    J, _ = _cost_and_gradients(workspace, X, Y, s, m, parameters, hidden, output,
                               0.0, backward=False)
    history.final_data_loss = J
    history.final_loss = J + l2_penalty(parameters, alpha, m) if alpha else J


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
    gradient descent, and ``final_loss`` J at the weights returned. An
    iterate whose J, weights or gradient are inf or NaN is never accepted:
    the line search sees J = inf there, and when scipy accepts such a step
    anyway (or no finite one is found) training stops with ``stop_reason =
    "diverged"`` and returns the last accepted iterate, all finite.

    scipy's L-BFGS-B works on NumPy vectors: arrays of another library (a
    GPU's, say) are copied to NumPy, trained there, and the final weights
    copied back into ``parameters``, in their namespace and on their device.

    Returns
    -------
    history : TrainingHistory
    """
    options = dict(hidden=hidden, output=output, max_iter=max_iter,
                   max_fun=max_fun, tol=tol, alpha=alpha, hooks=hooks)
    xp, on_numpy = namespace(X, parameters["W1"])
    if not on_numpy:
        where = device(parameters["W1"])
        # copies (a CPU tensor's NumPy view would share its memory)
        on_host = {name: np.array(asnumpy(value)) for name, value in
                   parameters.items()}
        if history is not None and history.start_of_last is not None:
            history.start_of_last = None  # L-BFGS never goes back to it
        history = lbfgs(on_host, asnumpy(X), asnumpy(Y), asnumpy(s),
                        history=history, **options)
        _copy_into(parameters, {name: to_namespace(value, xp, where)
                                for name, value in on_host.items()})
        return history
    run = _LBFGSRun(parameters, X, Y, s,
                    TrainingHistory() if history is None else history, **options)
    return run.minimize()
