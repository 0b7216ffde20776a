"""What happened during training: the history every loop fills in and the
fitted attributes are read from (skorch keeps its history in a module of
its own too)."""

import math
from dataclasses import dataclass, field

STOP_REASONS = ("max_iter", "converged", "diverged", "interrupted", "callback",
                "not_finite_at_start", "max_fun", "no_progress")


@dataclass
class TrainingHistory:
    """What happened during :func:`~sknnbasics._training.gradient_descent`.

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
        ``"max_fun"`` and ``"no_progress"`` are L-BFGS's
        (:func:`~sknnbasics._training.lbfgs`): it used its ``max_fun``
        evaluations of J, or its line search found no lower J; its
        ``"diverged"``: its step made J, the weights or the gradient inf or
        NaN, and the last finite iterate was kept.
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
