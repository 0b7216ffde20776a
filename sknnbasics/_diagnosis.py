"""Why did it warn? Every diagnosis of a failed or poor run, in one place.

After training, the estimator shell hands this module what happened (the
:class:`~sknnbasics._training.TrainingHistory`) and what it started from; the
functions here turn that into words:

* :func:`not_finite_at_start_error` — J was already inf or NaN at the
  starting weights: the targets, the weights or the inputs are too large
  (a ``ValueError``: nothing was trained);
* :func:`stop_verdict` — one ``ConvergenceWarning`` for a run that did not end
  well: it diverged (L-BFGS: its step reached inf or NaN), was interrupted,
  never moved, its cost rose, it learned nothing from the features, its
  hidden units were saturated (§三 随机初始化), or it ran out of iterations;
  for a ``partial_fit`` chunk, only whether the stream is running away;
* :func:`warn_about_adam_step` — a lecture-sized α given to Adam;
* :func:`stop_line` — the last line ``verbose`` prints: why training stopped.

Advice names the cause the lecture names (issue 23, item 10): when the
columns are already on unit scale (:func:`on_unit_scale`), a saturation
blames the initial weights (large W saturates tanh and sigmoid), and a rising
cost blames the learning rate alone, and a model that learned nothing blames
the step, the iterations or the starting weights, never "standardise the
features". L-BFGS has no learning rate: its verdicts never name one.
"""

import math
import os
import sys
import warnings

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from ._array_api import asnumpy, namespace
from ._network import _product

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def caller_stacklevel():
    """The ``stacklevel`` that makes a warning point at the first caller
    outside sknnbasics (and scikit-learn's callback wrapper): the user's
    ``fit`` line, or the Pipeline that called it."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and (
        frame.f_code.co_filename.startswith(_PACKAGE_DIR)
        or "callback" in os.path.basename(os.path.dirname(frame.f_code.co_filename))
    ):
        frame, level = frame.f_back, level + 1
    return level


def largest_abs(X):
    """max |x| over the entries of X, dense or sparse (not densified)."""
    if sparse.issparse(X):
        return float(abs(X).max())
    return float(np.max(np.abs(asnumpy(X))))


# -- the features' scale -----------------------------------------------------

# A column is "on unit scale" when |mean| <= _UNIT_MEAN and its standard
# deviation lies within a factor _UNIT_FACTOR of 1 (or is 0: a constant
# column, which StandardScaler leaves at 0). StandardScaler's output passes
# exactly; raw pixel values (0..255), counts or years do not.
_UNIT_MEAN = 0.5
_UNIT_FACTOR = 2.0


def on_unit_scale(X):
    """Whether every column of X (m, n_x) is already standardised.

    The rule: each column's mean μ has |μ| <= 0.5 and its standard deviation
    σ is 0 or lies in [1/2, 2]. Then "standardise the features" is no advice:
    the cause of a saturation or a rising cost is elsewhere. One pass over X
    (sparse stays sparse), made only when a warning is about to be given.
    """
    if sparse.issparse(X):
        mean = np.asarray(X.mean(axis=0)).ravel()
        square = np.asarray(X.multiply(X).mean(axis=0)).ravel()
    else:
        X = asnumpy(X)
        with np.errstate(over="ignore", invalid="ignore"):
            mean, square = X.mean(axis=0), np.mean(X * X, axis=0)
    with np.errstate(over="ignore", invalid="ignore"):
        std = np.sqrt(np.maximum(square - mean * mean, 0.0))
    within = (std == 0) | ((std >= 1 / _UNIT_FACTOR) & (std <= _UNIT_FACTOR))
    return bool(np.all(np.abs(mean) <= _UNIT_MEAN) and np.all(within))


def rate_advice(unit_scale):
    """What to try after a cost that rose or diverged."""
    if unit_scale:  # standardising again would change nothing
        return "try a smaller learning_rate (the features are already on unit scale)"
    return "try a smaller learning_rate (or standardise the features)"


# -- saturated hidden units (§三 随机初始化: why the weights start small) ------

SATURATED_Z = 3.0  # |z| beyond which sigmoid' < 0.05 and tanh' < 0.01


def saturated_share(parameters, X, activation):
    """The share of the first hidden layer's pre-activations Z[1] with
    |z| > 3 at ``parameters``, on (up to 1000 of) the columns of X (n_x, m);
    0 for ReLU-type (``activation``: the hidden activation's name) or no
    hidden layers. There sigmoid and tanh are nearly flat, so gradient
    descent barely moves those units."""
    if len(parameters) == 2 or activation not in ("sigmoid", "tanh"):
        return 0.0
    with np.errstate(over="ignore", invalid="ignore"):  # ±inf is saturated
        Z = _product(parameters["W1"], X[:, :min(1000, X.shape[1])])
        Z += parameters["b1"]
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return float(xp.mean(xp.astype(xp.abs(Z) > SATURATED_Z, Z.dtype)))
    return float(np.mean(np.abs(Z) > SATURATED_Z))


def saturation_at_start(parameters, X, activation):
    """(share, largest |W[1]|) at the starting weights: :func:`saturated_share`
    and, when most units saturate, W[1]'s largest entry (for the advice)."""
    share = saturated_share(parameters, X, activation)
    return share, (largest_abs(parameters["W1"]) if share > 0.5 else None)


def _saturation_cause(run):
    """The cause of a saturation: the features' scale, or (features already
    on unit scale) the starting weights, named by where they came from."""
    name = run.estimator_name
    if not run.unit_scale():
        return ("The features' scale is too large: standardise them, e.g. "
                f"make_pipeline(StandardScaler(), {name}(...)).")
    if run.resumed:
        source = "the weights this fit continues from (warm_start or partial_fit)"
    else:
        init, init_scale = run.initialization
        source = f"init={init!r}, init_scale={init_scale!r}"
    return (f"The features are already on unit scale, so the starting weights "
            f"are too large (largest |W[1]| = {run.largest_start_w:.3g}, from "
            f"{source}): "
            f"start from smaller ones, e.g. a smaller init_scale or "
            f"init=\"glorot\".")


# -- J not finite at the starting weights: an input error ----------------------


def not_finite_at_start_error(name, output, Y, X, parameters, resumed,
                              initialization, sample_weight=None,
                              negative_slope=None):
    """The ValueError for a J that is inf or NaN at the starting weights:
    the targets' squares overflow, the sample weights are too large, the
    weights, or the inputs.

    ``Y``: the training targets (n[L], m); ``X``: the validated inputs (m,
    n_x); ``resumed``: the weights came from warm_start or partial_fit;
    ``initialization``: (init, init_scale) of fresh weights;
    ``sample_weight``: the training columns' weights (m,), or None;
    ``negative_slope``: Leaky ReLU's slope when the hidden units use it.
    """
    Y = asnumpy(Y)
    error = _targets_overflow(name, output, Y)
    if error is None:
        error = _weights_overflow(name, sample_weight)
    if error is not None:
        return error
    largest_x = largest_abs(X)
    if negative_slope is not None and abs(negative_slope) > _LARGE_SLOPE:
        # every negative z is multiplied by the slope, layer after layer
        return ValueError(
            f"{name} cannot train: the cost J is already inf or NaN at the "
            f"starting weights, because activation='leaky_relu' multiplies "
            f"every negative z by negative_slope={negative_slope!r} (largest "
            f"|x| = {largest_x:.3g}). Use a slope below 1, e.g. the lecture's "
            f"0.01."
        )
    largest_w = max(largest_abs(value) for value in parameters.values())
    if largest_w > max(largest_x, 1.0):
        # the products W[l]A[l-1] overflow because of the weights: drawn too
        # large, or the ones this fit continues from
        init, init_scale = initialization
        source = ("the weights it continues from (warm_start or partial_fit; "
                  "set init and init_scale and fit afresh)" if resumed else
                  f"init={init!r}, init_scale={init_scale!r}")
        return ValueError(
            f"{name} cannot train: the cost J is already inf or NaN at the "
            f"starting weights, because they are too large (largest |W| = "
            f"{largest_w:.3g}, largest |x| = {largest_x:.3g}); they come from "
            f"{source}. Start from smaller weights, e.g. init=\"glorot\" or a "
            f"smaller init_scale."
        )
    return ValueError(
        f"{name} cannot train: the cost J is already inf or NaN at the "
        f"starting weights, because the input values are too large (largest "
        f"|x| = {largest_x:.3g}). Scale the features first, e.g. with "
        f"sklearn.preprocessing.StandardScaler."
    )


# a Leaky ReLU slope beyond which it, not the inputs, is named for an
# overflow at the start (the lecture's is 0.01; MLP has none)
_LARGE_SLOPE = 1e3


def _targets_overflow(name, output, Y):
    """The error for targets whose squared loss ½(ŷ − y)², summed over the
    samples in their dtype, overflows; None when they do not."""
    largest_y = float(np.max(np.abs(Y), initial=0.0))
    limit = math.sqrt(float(np.finfo(Y.dtype).max) / max(1, Y.shape[1]))
    if output.name in ("logistic", "softmax") or largest_y <= limit:
        return None
    return ValueError(
        f"{name} cannot train: the cost J is already inf at the starting "
        f"weights, because the targets are too large (largest |y| = "
        f"{largest_y:.3g}): their squares overflow. Scale the target first, "
        f"e.g. with sklearn.compose.TransformedTargetRegressor(regressor=..., "
        f"transformer=StandardScaler())."
    )


# a sample weight beyond finfo.max / _LOSS_ROOM makes sᵢ Lᵢ overflow for a
# loss Lᵢ of that size, which the starting weights easily give
_LOSS_ROOM = 1e6


def _weights_overflow(name, sample_weight):
    """The error for sample weights so large that Σ sᵢ Lᵢ overflows (their
    sum alone is refused earlier); None when they are not."""
    if sample_weight is None:
        return None
    s = asnumpy(sample_weight)
    largest = float(np.max(s, initial=0.0))
    if largest <= float(np.finfo(s.dtype).max) / _LOSS_ROOM:
        return None
    return ValueError(
        f"{name} cannot train: the cost J = Σ sᵢ Lᵢ / Σ sᵢ is already inf "
        f"at the starting weights, because the sample weights are too large "
        f"(largest {largest:.3g}): the products sᵢ Lᵢ overflow. Only their "
        f"ratios matter: divide them by their largest value."
    )


# -- the verdict on a run ------------------------------------------------------


class FinishedRun:
    """What :func:`stop_verdict` needs to know about a run that has ended.

    ``estimator``: the fitted estimator (its hyperparameters and
    ``learning_rate_``); ``history``: the loop's
    :class:`~sknnbasics._training.TrainingHistory`; ``output``: the output
    layer; ``Y``, ``s``: the training targets and weights; ``X``: the
    validated inputs (m, n_x), read only to judge their scale; ``n_before``:
    the length of ``loss_curve`` before this call; ``saturation``:
    :func:`saturation_at_start`; ``resumed``: the starting weights were the
    previous ones; ``full_batch``: no mini-batches.
    """

    def __init__(self, estimator, history, *, incremental, output, Y, s, X,
                 n_before, saturation, resumed, full_batch):
        self.estimator, self.history = estimator, history
        self.estimator_name = type(estimator).__name__
        self.incremental, self.output = incremental, output
        self.Y, self.s, self.X = Y, s, X
        self.n_before = n_before
        self.saturated, self.largest_start_w = saturation
        self.resumed = resumed
        self.full_batch = full_batch
        self.initialization = (estimator._initialization()[0],
                               getattr(estimator, "init_scale", None))
        self._unit_scale = None

    def unit_scale(self):
        """:func:`on_unit_scale` of X, computed once, when first asked."""
        if self._unit_scale is None:
            self._unit_scale = on_unit_scale(self.X)
        return self._unit_scale


def warn_about_stop(run):
    """One ConvergenceWarning for a run that did not end well, saying why and
    what to try (nothing for a run that did)."""
    message = stop_verdict(run)
    if message is not None:
        warnings.warn(message, ConvergenceWarning, stacklevel=caller_stacklevel())


def stop_verdict(run):
    """The message of :func:`warn_about_stop`, or None."""
    history = run.history
    message = _stopped_early(run)
    if message is None and run.incremental:
        # one chunk's cost says little about the model, but a stream whose
        # cost runs far away from where it started does
        return _stream_running_away(run)
    if message is not None or history.final_loss is None:
        return message
    for verdict in (_cost_rose_above_start, _learned_nothing, _saturated,
                    _cost_rose_at_the_end, _out_of_evaluations,
                    _out_of_iterations):
        message = verdict(run)
        if message is not None:
            return message
    return None


def _rate(run):
    return f"The learning rate {run.estimator.learning_rate_:.6g}"


def _stopped_early(run):
    """Diverged, interrupted, or L-BFGS never moved: said whatever the call."""
    name, history = run.estimator_name, run.history
    if history.stop_reason == "diverged" and run.estimator.solver == "lbfgs":
        return _lbfgs_not_finite(run)
    if history.stop_reason == "diverged":
        return (f"{name} diverged: the cost became inf or NaN at iteration "
                f"{history.n_iter + 1}, so training stopped there and kept the "
                f"last weights with a finite cost. {_rate(run)} is too large for "
                f"this data; {rate_advice(run.unit_scale())}.")
    if history.stop_reason == "interrupted":
        return (f"{name} training was interrupted (KeyboardInterrupt) after "
                f"{history.n_iter} iterations; the estimator keeps the weights "
                f"of the last complete iteration and can be used.")
    if history.stop_reason == "converged" and history.updates == 0:
        # L-BFGS found the gradient already below tol at the start
        return (f"{name} did not move from its starting weights: the gradient "
                f"of the cost is already below tol={run.estimator.tol} there, so "
                f"L-BFGS stopped before its first iteration. With ReLU units "
                f"this usually means every unit of a hidden layer is off for "
                f"every sample (a dead network). Standardise the features, or "
                f"try init='he', another random_state or activation='tanh'.")
    return None


# alpha beyond which the L2 term λ/2m·‖W‖² is named as a cause of overflow
LARGE_ALPHA = 1e3


def _lbfgs_not_finite(run):
    """L-BFGS stepped into inf or NaN: it has no learning rate, so the cause
    named is the features' scale or alpha (issue 26, item 8)."""
    name, history, alpha = run.estimator_name, run.history, run.estimator.alpha
    causes = []
    if not run.unit_scale():
        causes.append(f"the scale of the features (largest |x| = "
                      f"{largest_abs(run.X):.3g}): standardise them, e.g. "
                      f"make_pipeline(StandardScaler(), {name}(...))")
    if alpha >= LARGE_ALPHA:
        causes.append(f"alpha={alpha:.3g}, whose L2 term (alpha/2m)·‖W‖² and "
                      f"its gradient overflow: use a smaller alpha")
    if not causes:
        causes.append("very large values in the data or the starting weights")
    return (f"{name}'s L-BFGS solver stopped at iteration {history.n_iter + 1}: "
            f"its step made the cost or its gradient inf or NaN, so training "
            f"kept the last iterate with a finite cost (after "
            f"{history.n_iter} iterations). L-BFGS chooses its own steps (it "
            f"uses no learning rate); the likely cause is "
            f"{' and '.join(causes)}.")


# partial_fit: a chunk whose cost J (before or after its update) exceeds
# RUNAWAY_FACTOR times both the first chunk's J and this chunk's baseline
# (the cost of predicting its own mean or class frequencies, large for a
# chunk of outliers) is a stream running away, not chunk-to-chunk noise
RUNAWAY_FACTOR = 100.0


def _stream_running_away(run):
    """partial_fit's verdict: this chunk's cost is far above the first's and
    above what a constant would cost on it."""
    curve = run.history.loss_curve
    if not curve:
        return None
    first = curve[0]
    J = max(curve[-1], run.history.final_loss or 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        reference = max(first, run.output.baseline_cost(run.Y, run.s))
    if not (reference > 0 and J > RUNAWAY_FACTOR * reference):
        return None
    return (f"{run.estimator_name}.partial_fit is running away: this chunk's "
            f"cost J = {J:.6g} is more than {RUNAWAY_FACTOR:g} times the first "
            f"chunk's {first:.6g} (the lowest so far: {min(curve):.6g}) and "
            f"than the cost of a constant prediction on this chunk. "
            f"{_rate(run)} is too large for this stream; "
            f"{rate_advice(run.unit_scale())}, and start again from fresh "
            f"weights.")


def _cost_rose_above_start(run):
    history = run.history
    first, final = history.loss_curve[run.n_before], history.final_loss
    if not final > first:
        return None
    return (f"{run.estimator_name}'s cost rose above where it started: from "
            f"{first:.6g} to {final:.6g} after {history.n_iter} iterations. "
            f"{_rate(run)} is too large for this data; "
            f"{rate_advice(run.unit_scale())}.")


def _learned_nothing(run):
    history, output, name = run.history, run.output, run.estimator_name
    with np.errstate(over="ignore", invalid="ignore"):  # inf, NaN: no verdict
        baseline = output.baseline_cost(run.Y, run.s)
    # a constant ŷ reaches the baseline without looking at X
    if (history.stop_reason == "callback" or not baseline > 0
            or not history.final_data_loss >= (1 - 1e-3) * baseline):
        return None
    constant = ("the training class frequencies" if output.name in
                ("logistic", "softmax") else "the mean of y")
    return (f"{name} has learned nothing from the features: its final cost "
            f"J = {history.final_data_loss:.6g} is no better than the "
            f"{baseline:.6g} of predicting {constant} for every sample. "
            f"{_nothing_learned_cause(run)}")


def _nothing_learned_cause(run):
    """The scale of the features; or, on features already on unit scale,
    the step, the iterations or the starting weights."""
    name, estimator, history = run.estimator_name, run.estimator, run.history
    lbfgs = estimator.solver == "lbfgs"
    if not run.unit_scale():
        return (f"The usual cause is the scale of the features: standardise "
                f"them, e.g. make_pipeline(StandardScaler(), {name}(...))."
                + ("" if lbfgs else
                   f" {_rate(run)} may also be too large or too small for "
                   f"this data."))
    if run.resumed:
        start = "the weights this fit continues from (warm_start or partial_fit)"
    else:
        init, init_scale = run.initialization
        start = f"the starting weights (init={init!r}, init_scale={init_scale!r})"
    step = ("L-BFGS may have stopped too early (raise max_iter, or lower tol)"
            if lbfgs else
            f"{_rate(run)[0].lower()}{_rate(run)[1:]} may be too large or too "
            f"small for this data")
    return (f"The features are already on unit scale, so their scale is not "
            f"the cause: {step}; {history.n_iter} iteration"
            f"{'' if history.n_iter == 1 else 's'} "
            f"(max_iter={estimator.max_iter}) may be too few; or {start} may "
            f"leave it stuck (with ReLU, units that are off for every sample: "
            f"try another random_state, init or activation). Or y does not "
            f"depend on these features.")


def _saturated(run):
    if not (run.history.stop_reason in ("converged", "max_iter")
            and run.saturated > 0.5):
        return None
    activation = run.estimator._hidden_activation().name
    return (f"{run.estimator_name} trained with saturated hidden units: at the "
            f"starting weights {run.saturated:.0%} of the first hidden layer's "
            f"pre-activations z had |z| > {SATURATED_Z:g}, where {activation} "
            f"is nearly flat, so gradient descent barely moves them and the "
            f"cost stalls early. {_saturation_cause(run)}")


def _cost_rose_at_the_end(run):
    # plain gradient descent with a small enough α never raises J, so a final
    # cost above its lowest (by more than 1 %: not the last wobble of a
    # converged run) means α overshoots
    curve, final = run.history.loss_curve[run.n_before:], run.history.final_loss
    lowest, tol = min(curve), run.estimator.tol or 0.0
    if not (run.full_batch and not run.estimator.early_stopping
            and final > max(lowest + tol, 1.01 * lowest)):
        return None
    return (f"{run.estimator_name}'s cost rose instead of falling: from "
            f"{lowest:.6g} to {final:.6g} over the last iterations. "
            f"{_rate(run)} is too large for this data; "
            f"{rate_advice(run.unit_scale())}.")


def _out_of_evaluations(run):
    estimator, history = run.estimator, run.history
    if history.stop_reason != "max_fun":
        return None
    return (f"{run.estimator_name}'s L-BFGS solver used "
            f"max_fun={estimator.max_fun} evaluations of the cost after "
            f"{history.n_iter} iterations, before its gradient fell below "
            f"tol={estimator.tol}. Increase max_fun or max_iter.")


def _out_of_iterations(run):
    estimator = run.estimator
    if run.history.stop_reason != "max_iter" or estimator.tol is None:
        return None
    return (f"{run.estimator_name} reached max_iter={estimator.max_iter} "
            f"iterations and the cost was still improving by more than "
            f"tol={estimator.tol}. Increase max_iter or learning_rate, or set "
            f"tol=None to run exactly max_iter iterations.")


# -- before training: a lecture-sized α given to Adam --------------------------

# Adam moves every weight by about α per update, whatever the size of its
# gradient, so a step fit for plain gradient descent is far too large
ADAM_LARGE_STEP = 0.1


def warn_about_adam_step(estimator):
    """A UserWarning when a numeric α of the lecture's size meets Adam."""
    rate = estimator.learning_rate
    if estimator.solver != "adam" or rate == "auto" or rate < ADAM_LARGE_STEP:
        return
    warnings.warn(
        f"{type(estimator).__name__} uses solver='adam' with "
        f"learning_rate={rate!r}. Adam moves every weight by about α per "
        f"update, whatever the size of its gradient, so an α fit for the "
        f"lecture's gradient descent (e.g. 1.2) is far too large here and "
        f"training will likely jump around or diverge. Use "
        f"learning_rate='auto' (0.001, MLPClassifier's) with Adam, or "
        f"solver='gd' for the lecture's algorithm W := W − α·dW.",
        UserWarning, stacklevel=caller_stacklevel(),
    )


# -- verbose: the last line ----------------------------------------------------


def stop_line(estimator, history):
    """The line ``verbose`` prints last: why training stopped."""
    reason = {
        "max_iter": f"reached max_iter={estimator.max_iter} iterations",
        "converged": (f"converged: the monitored cost did not improve by "
                      f"tol={estimator.tol} for {estimator.n_iter_no_change} "
                      f"consecutive iterations"),
        "diverged": ("diverged: the cost became inf or NaN; kept the last "
                     "weights with a finite cost"),
        "interrupted": "interrupted (KeyboardInterrupt)",
        "callback": "a callback asked to stop",
        "max_fun": (f"L-BFGS reached max_fun={estimator.max_fun} evaluations "
                    f"of the cost"),
        "no_progress": ("L-BFGS's line search found no lower cost (the limit "
                        "of the floating-point precision)"),
    }[history.stop_reason]
    if estimator.early_stopping and history.best_iteration is not None:
        reason += (f"; early stopping restored iteration "
                   f"{history.best_iteration + 1}, validation cost "
                   f"{history.best_loss:.8f}")
    return f"Training stopped after {history.n_iter} iterations: {reason}."
