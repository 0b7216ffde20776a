"""Step 2 of a fit: where training starts — the weights, the history and the
update rule, each fresh, warm (``warm_start``) or resumed (``partial_fit``).

Fresh weights are the lecture's initialisation (§三 随机初始化: W[l] drawn
small, b[l] = 0, or the ``init`` asked for); ``warm_start`` and
``partial_fit`` continue from the current weights when their shapes fit.
"""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.utils import check_random_state

from ._array_api import asnumpy, to_namespace
from ._diagnosis import warn_about_adam_step
from ._network import initialize_parameters, layer_dims
from ._optimizers import make_optimizer
from ._training import TrainingHistory


@dataclass
class Start:
    """Where training starts.

    Attributes
    ----------
    parameters : dict
        W[1], b[1], …: drawn, or copied from the current weights.
    resumed : bool
        Whether they are the current weights (warm_start, partial_fit).
    history : TrainingHistory
        A new one, or the one that goes on (partial_fit, warm_start's curves).
    learning_rate : float
        α for this call.
    optimizer : GradientDescent or Adam or None
        The update rule and its state (None for L-BFGS).
    rng : numpy.random.RandomState
        The generator of the shuffles and the validation split.
    samples_before : int
        Samples trained on before this call (the invscaling schedule's t).
    """

    parameters: dict
    resumed: bool
    history: TrainingHistory
    learning_rate: float
    optimizer: object
    rng: np.random.RandomState
    samples_before: int


def start_training(estimator, data):
    """The :class:`Start` of a fit or partial_fit on ``data``
    (:class:`~sknnbasics._data.FitData`)."""
    dims = [data.X.shape[1], *estimator._hidden_layer_sizes(), data.Y.shape[0]]
    rng = _random_state(estimator, data)
    parameters = None
    if not data.first_call or estimator.warm_start or data.incremental:
        # partial_fit and warm_start continue from the current weights,
        # fitted or assigned by the user, when their shapes fit
        parameters = resumable_parameters(estimator, dims, data)
    resumed = parameters is not None
    if resumed:
        history = _history_that_goes_on(estimator, data.incremental)
    else:
        init, init_scale = estimator._initialization()
        parameters = initialize_parameters(
            dims, init, init_scale, rng, data.dtype,
            hidden=estimator._hidden_activation().name,
            **({} if data.on_numpy else {"xp": data.xp, "device": data.device}))
        history = TrainingHistory()
    learning_rate = _learning_rate(estimator, data)
    return Start(
        parameters=parameters, resumed=resumed, history=history,
        learning_rate=learning_rate,
        optimizer=_optimizer(estimator, parameters, learning_rate,
                             resume=data.incremental and resumed),
        rng=rng,
        # samples trained on before this call: t_ goes on with warm_start and
        # partial_fit (the "invscaling" schedule's t, as MLP's t_)
        samples_before=getattr(estimator, "t_", 0) if resumed else 0,
    )


def _random_state(estimator, data):
    """partial_fit's generator goes on from call to call; a fit draws anew."""
    if data.incremental and not data.first_call and hasattr(estimator, "_rng"):
        rng = estimator._rng
    else:
        rng = (np.random.RandomState() if estimator.random_state is None
               else check_random_state(estimator.random_state))
    if data.incremental:
        data.fitted["_rng"] = rng
    return rng


def resumable_parameters(estimator, dims, data):
    """The current weights (fitted or assigned by the user), copied in
    ``data.dtype`` to the data's namespace and device, when their shapes fit
    ``dims``; otherwise None."""
    if not estimator._has_weights():
        return None
    current = estimator._get_parameters()
    shapes_fit = layer_dims(current) == dims and all(
        current[f"b{l}"].shape == (dims[l], 1) for l in range(1, len(dims)))
    if not shapes_fit:
        return None
    if not data.on_numpy:
        return {k: to_namespace(np.array(asnumpy(v), dtype=data.dtype, order="C"),
                                data.xp, data.device) for k, v in current.items()}
    return {k: np.array(v, dtype=data.dtype, order="C") for k, v in current.items()}


def _history_that_goes_on(estimator, incremental):
    """partial_fit's history goes on as it was; warm_start's curves go on,
    and n_iter_ counts this fit's iterations."""
    if incremental:
        return TrainingHistory(
            loss_curve=list(getattr(estimator, "loss_curve_", [])),
            n_iter=getattr(estimator, "n_iter_", 0),
            best_loss=getattr(estimator, "best_loss_", math.inf),
            no_improvement_count=getattr(estimator, "_no_improvement_count", 0),
            start_of_last=getattr(estimator, "_start_of_last", None),
            order=getattr(estimator, "_order", None),
        )
    return TrainingHistory(
        loss_curve=list(getattr(estimator, "loss_curve_", [])),
        validation_loss_curve=(list(estimator.validation_loss_curve_)
                               if hasattr(estimator, "validation_loss_curve_")
                               else None),
    )


def _learning_rate(estimator, data):
    """α: partial_fit keeps the one it started with (a schedule may have
    changed it); otherwise the estimator's choice for these data."""
    if data.incremental and hasattr(estimator, "learning_rate_"):
        return estimator.learning_rate_
    X = data.X if data.on_numpy else asnumpy(data.X)
    learning_rate = estimator._step_size(X, data.sample_weight, data.Y.shape[0],
                                         output=data.output)
    warn_about_adam_step(estimator)
    return learning_rate


def _optimizer(estimator, parameters, learning_rate, resume):
    """The update rule (None for L-BFGS): partial_fit continues the
    optimizer's state; a fit starts a fresh one, with warm_start too (as MLP)."""
    if estimator.solver == "lbfgs":
        return None
    state = getattr(estimator, "_optimizer_state", None) if resume else None
    return make_optimizer(
        estimator.solver, parameters, learning_rate,
        momentum=estimator.momentum, nesterov=estimator.nesterovs_momentum,
        beta_1=estimator.beta_1, beta_2=estimator.beta_2,
        epsilon=estimator.epsilon, state=state)
