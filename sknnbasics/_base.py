"""The scikit-learn shell shared by every estimator: validate → initialise →
train (``_training.gradient_descent``) → store.

The estimators know nothing about calculus; the math lives in ``_network``,
``_cost`` and ``_activations``. What differs between families is small and sits
in a few hooks: the hidden layer sizes, how weights start, how targets are
encoded for the output layer, and which fitted attributes hold the weights.
"""

import copy
import math
import os
import sys
import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._array_api import (
    _max_precision_float_dtype,
    get_namespace,
    get_namespace_and_device,
)
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import (
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._activations import get_activation, sigmoid
from ._array_api import asnumpy, device, namespace, to_namespace
from ._array_api import copy as copy_array
from ._cost import OutputLayer, log_sigmoid, log_softmax
from ._mlp_spellings import MLPSpellingsMixin
from ._network import (
    _product,
    forward_to_output,
    initialize_parameters,
    layer_dims,
)
from ._optimizers import SCHEDULES, SOLVERS, make_optimizer
from ._persistence import VersionedPickleMixin
from ._training import TrainingHistory, gradient_descent, lbfgs

try:  # scikit-learn >= 1.9: the callback protocol (ProgressBar, ScoringMonitor)
    from sklearn.callback import CallbackSupportMixin, with_callbacks
except ImportError:  # older scikit-learn: no callbacks to call
    class CallbackSupportMixin:
        """Nothing to add when scikit-learn has no callback protocol."""

    def with_callbacks(method):
        return method


FLOAT_DTYPES = (np.float64, np.float32)


def _float_dtypes(X):
    """float64 and float32 of X's array namespace (NumPy's for array-likes)."""
    xp, _ = get_namespace(X)
    return (xp.float64, xp.float32)


def _rows(A, index):
    """The rows ``index`` (NumPy integers) of A, in A's namespace and device."""
    xp, is_numpy = namespace(A)
    if is_numpy:
        return A[index]
    return xp.take(A, xp.asarray(index, device=device(A)), axis=0)

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

# scikit-learn's finiteness check first sums X, which overflows (and gives
# inf − inf = NaN) for finite values near ±1.8e308; it then looks element by
# element, so numpy's warning about that sum says nothing about the data
def _sum_may_overflow():
    return np.errstate(over="ignore", invalid="ignore")


def _largest_abs(X):
    """max |x| over the entries of X, dense or sparse (not densified)."""
    if sparse.issparse(X):
        return float(abs(X).max())
    return float(np.max(np.abs(asnumpy(X))))


def _flat(b):
    """The column b[l], (n[l], 1), as MLP's 1-D intercept (a view)."""
    xp, is_numpy = namespace(b)
    return b.ravel() if is_numpy else xp.reshape(b, (-1,))


def _columns(a, b):
    """The 1-D arrays a and b side by side, as the columns of an (m, 2) array."""
    xp, is_numpy = namespace(a)
    return np.column_stack([a, b]) if is_numpy else xp.stack([a, b], axis=1)


def _stochastic_solver(estimator):
    """``partial_fit`` exists for the step-by-step solvers only (as MLP)."""
    if getattr(estimator, "solver", "gd") == "lbfgs":
        raise AttributeError(
            f"{type(estimator).__name__} with solver='lbfgs' has no partial_fit: "
            f"L-BFGS works on the full batch, from the curvature of several "
            f"iterations, not a chunk at a time. Use solver='adam' or "
            f"solver='gd'."
        )
    return True


def _caller_stacklevel():
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


class _CallbackHooks:
    """Per-iteration hooks: ``verbose`` printing and scikit-learn callbacks.

    Every iteration is one callback task (a subcontext of the fit task); a
    callback whose ``on_fit_task_end`` returns True stops training.
    """

    def __init__(self, estimator, context, X, y, metadata, parameters, fitted):
        self.estimator = estimator
        self.fitted = fitted  # the fitted attributes known before training
        self.context = context
        self.X, self.y, self.metadata = X, y, metadata
        self.parameters = parameters
        self.subcontext = None

    def iteration_begin(self, iteration):
        if self.context is not None:
            self.subcontext = self.context.subcontext(task_name="iteration")
            self.subcontext.call_on_fit_task_begin(
                estimator=self.estimator, X=self.X, y=self.y, metadata=self.metadata
            )

    def iteration_end(self, iteration, history):
        if self.estimator.verbose:  # any true value: every iteration (as MLP)
            line = f"Iteration {iteration + 1}, cost = {history.loss_curve[-1]:.8f}"
            if history.validation_loss_curve:
                line += f", validation cost = {history.validation_loss_curve[-1]:.8f}"
            if history.validation_scores:
                line += f", validation score = {history.validation_scores[-1]:.6f}"
            print(line)
        if self.subcontext is None:
            return False
        return self.subcontext.call_on_fit_task_end(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            metadata=self.metadata,
            reconstruction_attributes=lambda: {
                **self.fitted,
                **self.estimator._fitted_attributes(
                    {k: copy_array(v) for k, v in self.parameters.items()}, history),
            },
        )


class _BaseGradientDescent(MLPSpellingsMixin, VersionedPickleMixin,
                           CallbackSupportMixin, BaseEstimator):
    """Training shell shared by LogisticGD and the networks (not public)."""

    _parameter_constraints = {
        "learning_rate": [Interval(Real, 0, None, closed="neither"),
                          StrOptions({"auto"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"),
                       StrOptions({"auto"}), None],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "solver": [StrOptions(set(SOLVERS))],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "learning_rate_schedule": [StrOptions(set(SCHEDULES))],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "early_stopping_metric": [StrOptions({"loss", "score"})],
    }

    # MLPClassifier's n_outputs_ and out_activation_ (the networks' layout)
    _mlp_attributes = True

    # -- hooks a family overrides ------------------------------------------

    def _hidden_layer_sizes(self):
        """(n[1], …, n[L-1]): the hidden widths; () for logistic regression."""
        return tuple(self.hidden_layer_sizes)

    def _hidden_activation(self):
        return get_activation(self.activation, self.negative_slope)

    def _initialization(self):
        """(init, init_scale) for :func:`initialize_parameters`."""
        return self.init, self.init_scale

    def _get_parameters(self):
        """The fitted weights as the lecture's dict {"W1": …, "b1": …} (views)."""
        parameters = {}
        layers = zip(self.coefs_, self.intercepts_, strict=True)
        for l, (W_T, b) in enumerate(layers, 1):
            xp, _ = namespace(b)
            parameters[f"W{l}"], parameters[f"b{l}"] = W_T.T, xp.reshape(b, (-1, 1))
        return parameters

    def _parameter_attributes(self, parameters):
        """Fitted attributes that hold ``parameters`` (MLPClassifier's layout)."""
        L = len(parameters) // 2
        return {
            "coefs_": [parameters[f"W{l}"].T for l in range(1, L + 1)],
            "intercepts_": [_flat(parameters[f"b{l}"]) for l in range(1, L + 1)],
            "n_layers_": L + 1,
        }

    # α of learning_rate="auto" with solver="gd": the lecture-sized step the
    # family used as its numeric default (0.5 classifiers, 0.05 regressors)
    _GD_LEARNING_RATE = 0.5

    def _step_size(self, X, sample_weight, n_outputs, output=None):
        """α for this fit: the ``learning_rate`` hyperparameter; ``"auto"`` is
        0.001 for Adam (MLPClassifier's ``learning_rate_init``) and the
        family's lecture-sized α for gradient descent."""
        if self.learning_rate != "auto":
            return float(self.learning_rate)
        return self._GD_LEARNING_RATE if self.solver == "gd" else 0.001

    # Adam moves every weight by about α per update, whatever the size of its
    # gradient, so a step fit for plain gradient descent is far too large
    _ADAM_LARGE_STEP = 0.1

    def _warn_about_adam_step(self):
        """A UserWarning when a numeric α of the lecture's size meets Adam."""
        if (self.solver == "adam" and self.learning_rate != "auto"
                and self.learning_rate >= self._ADAM_LARGE_STEP):
            warnings.warn(
                f"{type(self).__name__} uses solver='adam' with "
                f"learning_rate={self.learning_rate!r}. Adam moves every weight "
                f"by about α per update, whatever the size of its gradient, so "
                f"an α fit for the lecture's gradient descent (e.g. 1.2) is far "
                f"too large here and training will likely jump around or "
                f"diverge. Use learning_rate='auto' (0.001, MLPClassifier's) "
                f"with Adam, or solver='gd' for the lecture's algorithm "
                f"W := W − α·dW.",
                UserWarning, stacklevel=_caller_stacklevel(),
            )

    def _resolved_batch_size(self, m):
        """The mini-batch size for ``m`` training samples: ``"auto"`` is
        min(200, m) for Adam (MLPClassifier's) and the full batch (None, the
        lecture) for gradient descent; an int or None as given."""
        if self.batch_size != "auto":
            return self.batch_size
        return min(200, m) if self.solver == "adam" else None

    # -- the shell -----------------------------------------------------------

    @property
    def parameters_(self):
        """dict: the lecture's parameters W[l] (n[l], n[l-1]) and b[l] (n[l], 1).

        Views of the fitted weights (§五: the *parameters*, next to
        ``get_params()``, the *hyperparameters*).
        """
        check_is_fitted(self)
        return self._get_parameters()

    def _fitted_attributes(self, parameters, history):
        attributes = self._parameter_attributes(parameters)
        attributes.update(
            loss_curve_=list(history.loss_curve),
            # MLP's loss_: the epoch's mean J for the stochastic solvers,
            # the J of the returned weights for L-BFGS
            loss_=(history.final_loss if self.solver == "lbfgs"
                   and history.final_loss is not None else
                   history.loss_curve[-1] if history.loss_curve else math.nan),
            n_iter_=history.n_iter,
            best_loss_=history.best_loss,
            _no_improvement_count=history.no_improvement_count,
        )
        if history.validation_loss_curve is not None:
            attributes["validation_loss_curve_"] = list(history.validation_loss_curve)
        if history.validation_scores is not None:
            attributes["validation_scores_"] = list(history.validation_scores)
            attributes["best_validation_score_"] = (
                max(history.validation_scores) if history.validation_scores
                else -math.inf)
        return attributes

    def _has_weights(self):
        return hasattr(self, "coefs_")

    def _resumable_parameters(self, dims, dtype, xp=None, device_=None):
        """The current weights (fitted or assigned by the user), copied in
        ``dtype`` (a NumPy dtype) to namespace ``xp`` on ``device_`` (NumPy
        when not given), when their shapes fit ``dims``; otherwise None."""
        if not self._has_weights():
            return None
        current = self._get_parameters()
        shapes_fit = layer_dims(current) == dims and all(
            current[f"b{l}"].shape == (dims[l], 1) for l in range(1, len(dims)))
        if not shapes_fit:
            return None
        if xp is not None:
            return {k: to_namespace(np.array(asnumpy(v), dtype=dtype, order="C"),
                                    xp, device_) for k, v in current.items()}
        return {k: np.array(v, dtype=dtype, order="C") for k, v in current.items()}

    # numbers that a bool would pass as (True is the int 1 to Python)
    _NUMERIC = ("learning_rate", "max_iter", "tol", "n_iter_no_change", "alpha",
                "batch_size", "validation_fraction", "momentum", "beta_1",
                "beta_2", "epsilon", "power_t", "max_fun", "init_scale",
                "negative_slope")

    def _check_hyperparameters(self):
        """Checks beyond ``_parameter_constraints``, before any work; the
        families add theirs (hidden layer sizes)."""
        params = self.get_params(deep=False)
        for name in self._NUMERIC:
            if isinstance(params.get(name), bool | np.bool_):
                raise ValueError(
                    f"{name} must be a number, not a bool; got {name}="
                    f"{params[name]!r}, which Python would take as "
                    f"{int(params[name])}."
                )
        self._hidden_layer_sizes()

    def _fit(self, X, y, sample_weight=None, *, incremental=False, classes=None):
        """``fit`` or ``partial_fit`` as one transaction: a call that raises
        (bad input, a failed check, MemoryError, Ctrl-C before the first
        update, a warning turned into an error) leaves the estimator exactly
        as it was, fitted or not."""
        state = dict(self.__dict__)
        # partial_fit advances its generator and the optimizer's state in place
        for name in ("_rng", "_optimizer_state"):
            if name in state:
                state[name] = copy.deepcopy(state[name])
        try:
            return self._train(X, y, sample_weight, incremental=incremental,
                               classes=classes)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(state)
            raise

    def _train(self, X, y, sample_weight, *, incremental, classes):
        """validate → initialise → train → store; the fitted attributes are
        assigned at the end, once training has produced a model."""
        self._validate_params()
        self._check_hyperparameters()
        name = type(self).__name__
        solver = self.solver
        if solver == "lbfgs" and self.early_stopping:
            raise ValueError(
                f"{name} with solver='lbfgs' cannot use early_stopping=True: "
                f"L-BFGS decides itself when to stop, on the full batch. Use "
                f"solver='adam' or solver='gd', or early_stopping=False."
            )
        if incremental and self.early_stopping:
            raise ValueError(
                f"{name}.partial_fit cannot use early_stopping=True: early "
                f"stopping holds out part of the data of one fit, and partial_fit "
                f"sees one chunk at a time. Set early_stopping=False, or use fit."
            )
        first_call = not (incremental and hasattr(self, "n_iter_"))
        with _sum_may_overflow():
            X, y = validate_data(
                self, X, y, accept_sparse="csr", dtype=_float_dtypes(X),
                reset=first_call, **self._validate_y_kwargs(),
            )
        # X of another Array API library (array_api_dispatch=True): the math
        # runs in its namespace xp on its device; the targets are encoded in
        # NumPy (labels, class weights: a few passes over m values, once)
        # and moved there after the validation split
        xp, _, where = get_namespace_and_device(X)
        on_numpy = namespace(X)[1]
        if not first_call:
            # partial_fit goes on with the weights, the optimizer's state and
            # the classes where they live: X must be there too
            self._check_same_namespace(X, self._get_parameters()["W1"],
                                       "partial_fit", earlier="the earlier calls")
        if not on_numpy:
            y, sample_weight = asnumpy(y), asnumpy(sample_weight)
            classes = asnumpy(classes)  # partial_fit's, as given: its library
            if hasattr(self, "classes_"):  # restored by _fit if this raises
                self.classes_ = asnumpy(self.classes_)
        dtype = X.dtype if on_numpy else (
            np.float32 if X.dtype == xp.float32 else np.float64)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X if on_numpy else np.empty((X.shape[0], 0)),
                dtype=dtype, ensure_non_negative=True)
        if incremental and getattr(self, "class_weight", None) == "balanced":
            raise ValueError(
                "class_weight='balanced' cannot be used with partial_fit: each "
                "chunk would get weights from its own class counts. Compute them "
                "once over (a sample of) all the data with sklearn.utils."
                "class_weight.compute_class_weight('balanced', classes=classes, "
                "y=y) and pass the resulting dict as class_weight."
            )
        Y, sample_weight, fitted = self._encode_targets(
            y, sample_weight, dtype=dtype, first_call=first_call,
            incremental=incremental, classes=classes,
        )
        if sample_weight is not None:
            with np.errstate(over="ignore"):
                total = np.sum(sample_weight, dtype=np.float64)
            if not math.isfinite(total):
                raise ValueError(
                    f"The sample weights sum to {total}, too large to divide "
                    f"by in J = Σ sᵢ Lᵢ / Σ sᵢ. Only their ratios matter: "
                    f"divide them by their largest value."
                )
        if sample_weight is not None and not np.sum(sample_weight) > 0:
            raise ValueError(
                "The sample weights sum to zero, so every sample has weight 0 "
                "and the cost J = Σ sᵢ Lᵢ / Σ sᵢ is undefined. Give at least "
                "one sample a positive weight."
                + (" (The weights are sample_weight times class_weight, "
                   f"class_weight={self.class_weight!r}.)"
                   if getattr(self, "class_weight", None) is not None else "")
            )
        dims = [X.shape[1], *self._hidden_layer_sizes(), Y.shape[0]]
        output = self._output_layer(Y.shape[0], fitted)

        if incremental and not first_call and hasattr(self, "_rng"):
            rng = self._rng
        else:
            rng = (np.random.RandomState() if self.random_state is None
                   else check_random_state(self.random_state))
        if incremental:
            fitted["_rng"] = rng

        parameters = None
        if not first_call or self.warm_start or incremental:
            # partial_fit and warm_start continue from the current weights,
            # fitted or assigned by the user, when their shapes fit
            parameters = self._resumable_parameters(
                dims, dtype, *(() if on_numpy else (xp, where)))
        resumed = parameters is not None
        if parameters is None:
            init, init_scale = self._initialization()
            parameters = initialize_parameters(
                dims, init, init_scale, rng, dtype,
                hidden=self._hidden_activation().name,
                **({} if on_numpy else {"xp": xp, "device": where}))
            history = TrainingHistory()
        elif incremental:
            history = TrainingHistory(
                loss_curve=list(getattr(self, "loss_curve_", [])),
                n_iter=getattr(self, "n_iter_", 0),
                best_loss=getattr(self, "best_loss_", math.inf),
                no_improvement_count=getattr(self, "_no_improvement_count", 0),
                start_of_last=getattr(self, "_start_of_last", None),
                order=getattr(self, "_order", None),
            )
        else:  # warm_start: the curves go on, n_iter_ counts this fit's
            history = TrainingHistory(
                loss_curve=list(getattr(self, "loss_curve_", [])),
                validation_loss_curve=(list(self.validation_loss_curve_)
                                       if hasattr(self, "validation_loss_curve_")
                                       else None),
            )
        if incremental and hasattr(self, "learning_rate_"):
            learning_rate = self.learning_rate_
        else:
            learning_rate = self._step_size(X if on_numpy else asnumpy(X),
                                            sample_weight, Y.shape[0],
                                            output=output)
            self._warn_about_adam_step()
        optimizer = None
        if solver != "lbfgs":
            # partial_fit continues the optimizer's state; a fit starts a
            # fresh one, with warm_start too (as MLP)
            state = (getattr(self, "_optimizer_state", None)
                     if incremental and resumed else None)
            optimizer = make_optimizer(
                solver, parameters, learning_rate, momentum=self.momentum,
                nesterov=self.nesterovs_momentum, beta_1=self.beta_1,
                beta_2=self.beta_2, epsilon=self.epsilon, state=state)
        # samples trained on before this call: t_ goes on with warm_start and
        # partial_fit (the "invscaling" schedule's t, as MLP's t_)
        samples_before = getattr(self, "t_", 0) if resumed else 0

        # the lecture's orientation: one sample per column (X.T is a view)
        X_train, Y_train, s_train, validation = X.T, Y, sample_weight, None
        if self.early_stopping:
            X_train, Y_train, s_train, validation = self._validation_split(
                X, Y, y, sample_weight, rng)
        if not on_numpy:
            Y_train, s_train = (to_namespace(a, xp, where) for a in (Y_train, s_train))
            if validation is not None:
                validation = (validation[0], *(to_namespace(a, xp, where)
                                               for a in validation[1:]))
            if "classes_" in fitted and fitted["classes_"].dtype.kind in "biuf":
                # numeric labels live beside the weights (strings cannot)
                fitted["classes_"] = to_namespace(fitted["classes_"], xp, where)

        context = None
        if hasattr(self, "_init_callback_context"):
            context = self._init_callback_context(max_subtasks=self.max_iter)
            metadata = {"sample_weight": sample_weight}
            context.call_on_fit_task_begin(estimator=self, X=X, y=y,
                                           metadata=metadata)
            if not (getattr(self, "_skl_callbacks", None)
                    or hasattr(self, "_parent_callback_ctx")):
                context_for_iterations = None
            else:
                context_for_iterations = context
        else:
            context_for_iterations = metadata = None
        fitted["learning_rate_"] = learning_rate
        if self._mlp_attributes:
            fitted.setdefault("n_outputs_", Y.shape[0])
            fitted["out_activation_"] = output.name
        hooks = _CallbackHooks(self, context_for_iterations, X, y, metadata,
                               parameters, fitted)

        n_before = len(history.loss_curve)
        batch_size = self._resolved_batch_size(X_train.shape[1])
        saturated = self._saturated_share(parameters, X_train)
        hidden = self._hidden_activation()
        # overflow on the way to a divergence is found (J not finite) and
        # reported as a ConvergenceWarning below: numpy's own warnings about
        # it would only repeat that
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if solver == "lbfgs":
                history = lbfgs(
                    parameters, X_train, Y_train, s_train, hidden=hidden,
                    output=output, max_iter=self.max_iter, max_fun=self.max_fun,
                    tol=self.tol, alpha=self.alpha, hooks=hooks, history=history)
            else:
                history = gradient_descent(
                    parameters, X_train, Y_train, s_train,
                    hidden=hidden,
                    output=output,
                    learning_rate=learning_rate,
                    max_iter=1 if incremental else self.max_iter,
                    tol=None if incremental else self.tol,
                    n_iter_no_change=self.n_iter_no_change,
                    alpha=self.alpha,
                    batch_size=batch_size,
                    rng=rng,
                    validation=validation,
                    hooks=hooks,
                    history=history,
                    optimizer=optimizer,
                    schedule=self.learning_rate_schedule,
                    power_t=self.power_t,
                    samples_before=samples_before,
                    shuffle=self.shuffle,
                    validation_score=(None if validation is None else
                                      self._validation_scorer(validation,
                                                              output)),
                    monitor=self.early_stopping_metric,
                )
        if optimizer is not None and history.stop_reason != "diverged":
            fitted["_optimizer_state"] = optimizer.state()
        else:  # L-BFGS keeps none; after a divergence a next call starts afresh
            self.__dict__.pop("_optimizer_state", None)
        if history.stop_reason == "not_finite_at_start":
            Y_train = asnumpy(Y_train)
            largest_y = float(np.max(np.abs(Y_train), initial=0.0))
            # the squared loss sums m squares in the targets' dtype
            limit = math.sqrt(float(np.finfo(Y_train.dtype).max)
                              / max(1, Y_train.shape[1]))
            targets_overflow = (output.name not in ("logistic", "softmax")
                                and largest_y > limit)
            if targets_overflow:  # ½(ŷ − y)² summed over the samples overflows
                raise ValueError(
                    f"{name} cannot train: the cost J is already inf at the "
                    f"starting weights, because the targets are too large "
                    f"(largest |y| = {largest_y:.3g}): their squares overflow. "
                    f"Scale the target first, e.g. with sklearn.compose."
                    f"TransformedTargetRegressor(regressor=..., "
                    f"transformer=StandardScaler())."
                )
            largest_x = _largest_abs(X)
            largest_w = max(_largest_abs(value) for value in parameters.values())
            if largest_w > max(largest_x, 1.0):
                # the products W[l]A[l-1] overflow because of the weights:
                # drawn too large, or the ones this fit continues from
                source = ("the weights it continues from (warm_start or "
                          "partial_fit; set init and init_scale and fit afresh)"
                          if resumed else
                          f"init={self._initialization()[0]!r}, "
                          f"init_scale={getattr(self, 'init_scale', None)!r}")
                raise ValueError(
                    f"{name} cannot train: the cost J is already inf or NaN at "
                    f"the starting weights, because they are too large "
                    f"(largest |W| = {largest_w:.3g}, largest |x| = "
                    f"{largest_x:.3g}); they come from {source}. Start from "
                    f"smaller weights, e.g. init=\"glorot\" or a smaller "
                    f"init_scale."
                )
            raise ValueError(
                f"{name} cannot train: the cost J is already inf or NaN at the "
                f"starting weights, because the input values are too large "
                f"(largest |x| = {largest_x:.3g}). Scale the features "
                f"first, e.g. with sklearn.preprocessing.StandardScaler."
            )
        if history.stop_reason == "interrupted" and history.updates == 0:
            raise KeyboardInterrupt  # nothing was trained: nothing to keep

        fitted.update(self._fitted_attributes(parameters, history))
        fitted["t_"] = samples_before + history.samples_seen
        for attribute, value in fitted.items():
            setattr(self, attribute, value)
        if incremental:  # where the next chunk goes back to if it diverges,
            # and the order its epoch reshuffles (as the next epoch of a fit)
            self._start_of_last = history.start_of_last
            self._order = history.order
        else:
            self.__dict__.pop("_start_of_last", None)
            self.__dict__.pop("_order", None)
        self._warn_about_stop(history, incremental, output, Y_train, s_train,
                              n_before, saturated,
                              full_batch=batch_size is None)
        self._print_stop(history)

        if context is not None:
            context.call_on_fit_task_end(
                estimator=self, X=X, y=y, metadata=metadata,
                reconstruction_attributes={},
            )
        return self

    @with_callbacks
    def _fit_with_callbacks(self, X, y, sample_weight):
        return self._fit(X, y, sample_weight)

    @with_callbacks
    def _partial_fit_with_callbacks(self, X, y, classes, sample_weight):
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _validation_split(self, X, Y, y, sample_weight, rng):
        """Hold out ``validation_fraction`` of the rows (stratified for
        classifiers), keeping each row's sample weight with it."""
        m = X.shape[0]
        n_val = math.ceil(self.validation_fraction * m)
        fraction = f"validation_fraction={self.validation_fraction}"
        if n_val < 2 or m - n_val < 1:
            raise ValueError(
                f"early_stopping=True needs at least 2 validation samples and 1 "
                f"training sample, but {fraction} of {m} samples leaves {m - n_val} "
                f"for training and {n_val} for validation. Use more samples, "
                f"another validation_fraction, or early_stopping=False."
            )
        stratify = self._stratify_validation(y)
        try:
            train, val = train_test_split(
                np.arange(m), test_size=n_val, stratify=stratify,
                random_state=rng.randint(np.iinfo(np.int32).max),
            )
        except ValueError as error:  # a class too small to stratify
            raise ValueError(
                f"early_stopping=True holds out {fraction} of the {m} samples, "
                f"stratified by class, and that split is impossible here: "
                f"{error} Use more samples of every class, another "
                f"validation_fraction, or early_stopping=False."
            ) from None
        s_train = None if sample_weight is None else sample_weight[train]
        s_val = None if sample_weight is None else sample_weight[val]
        for part, s in (("validation", s_val), ("training", s_train)):
            if s is not None and not np.sum(s) > 0:
                raise ValueError(
                    f"early_stopping held out {n_val} of {m} samples for "
                    f"validation, but every {part} sample has sample weight 0, "
                    f"so the {part} cost Σ sᵢ Lᵢ / Σ sᵢ is undefined. Use another "
                    f"validation_fraction or random_state, or early_stopping=False."
                )
        return (_rows(X, train).T, Y[:, train], s_train,
                (_rows(X, val).T, Y[:, val], s_val))

    def _stratify_validation(self, y):
        """The labels to stratify the validation split by, or None."""
        return None

    def _validation_scorer(self, validation, output):
        """``score(Z_L, A_L)``: the estimator's ``score`` (accuracy, R²) on
        the held-out data, from the output layer of the forward pass that
        also gives the validation cost, and the same encoded targets."""
        _, Y_val, s_val = validation
        return lambda Z, A: self._score_output(Z, A, Y_val, s_val, output)

    _ADVICE = "try a smaller learning_rate (or standardise the features)"

    def _warn(self, message):
        warnings.warn(message, ConvergenceWarning, stacklevel=_caller_stacklevel())

    _SATURATED_Z = 3.0  # |z| beyond which sigmoid' < 0.05 and tanh' < 0.01

    def _saturated_share(self, parameters, X):
        """The share of the first hidden layer's pre-activations Z[1] with
        |z| > 3 at ``parameters``, on (up to 1000 of) the columns of X; 0 for
        ReLU-type or no hidden layers. There sigmoid and tanh are nearly flat,
        so gradient descent barely moves those units (§三 随机初始化: why the
        weights start small)."""
        if len(parameters) == 2 or self._hidden_activation().name not in (
                "sigmoid", "tanh"):
            return 0.0
        with np.errstate(over="ignore", invalid="ignore"):  # ±inf is saturated
            Z = _product(parameters["W1"], X[:, :min(1000, X.shape[1])])
            Z += parameters["b1"]
        xp, is_numpy = namespace(Z)
        if not is_numpy:
            return float(xp.mean(xp.astype(xp.abs(Z) > self._SATURATED_Z, Z.dtype)))
        return float(np.mean(np.abs(Z) > self._SATURATED_Z))

    def _warn_about_stop(self, history, incremental, output, Y, s, n_before,
                         saturated=0.0, full_batch=True):
        """One ConvergenceWarning for a run that did not end well, saying why
        and what to try. ``Y``, ``s``: the training targets and weights;
        ``n_before``: the length of ``loss_curve`` before this call;
        ``saturated``: :meth:`_saturated_share` at the starting weights."""
        name = type(self).__name__
        reason = history.stop_reason
        rate = f"The learning rate {self.learning_rate_:.6g}"
        if reason == "diverged":
            self._warn(
                f"{name} diverged: the cost became inf or NaN at iteration "
                f"{history.n_iter + 1}, so training stopped there and kept the "
                f"last weights with a finite cost. {rate} is too large for this "
                f"data; {self._ADVICE}."
            )
            return
        if reason == "interrupted":
            self._warn(
                f"{name} training was interrupted (KeyboardInterrupt) after "
                f"{history.n_iter} iterations; the estimator keeps the weights of "
                f"the last complete iteration and can be used."
            )
            return
        if reason == "converged" and history.updates == 0:
            # L-BFGS found the gradient already below tol at the start
            self._warn(
                f"{name} did not move from its starting weights: the gradient "
                f"of the cost is already below tol={self.tol} there, so L-BFGS "
                f"stopped before its first iteration. With ReLU units this "
                f"usually means every unit of a hidden layer is off for every "
                f"sample (a dead network). Standardise the features, or try "
                f"init='he', another random_state or activation='tanh'."
            )
            return
        if incremental or history.final_loss is None:
            return  # a chunk's cost says little about the model: no verdict
        curve = history.loss_curve[n_before:]
        first, final = curve[0], history.final_loss
        baseline = output.baseline_cost(Y, s)
        constant = ("the training class frequencies" if output.name in
                    ("logistic", "softmax") else "the mean of y")
        if final > first:
            self._warn(
                f"{name}'s cost rose above where it started: from {first:.6g} "
                f"to {final:.6g} after {history.n_iter} iterations. {rate} is "
                f"too large for this data; {self._ADVICE}."
            )
        elif (reason != "callback" and baseline > 0
              and history.final_data_loss >= (1 - 1e-3) * baseline):
            # a constant ŷ reaches the baseline without looking at X
            self._warn(
                f"{name} has learned nothing from the features: its final cost "
                f"J = {history.final_data_loss:.6g} is no better than the "
                f"{baseline:.6g} of predicting {constant} for every sample. The "
                f"usual cause is the scale of the features: standardise them, "
                f"e.g. make_pipeline(StandardScaler(), {name}(...)). {rate} may "
                f"also be too large or too small for this data."
            )
        elif reason in ("converged", "max_iter") and saturated > 0.5:
            self._warn(
                f"{name} trained with saturated hidden units: at the starting "
                f"weights {saturated:.0%} of the first hidden layer's "
                f"pre-activations z had |z| > {self._SATURATED_Z:g}, where "
                f"{self._hidden_activation().name} is nearly flat, so gradient "
                f"descent barely moves them and the cost stalls early. The "
                f"features' scale is too large: standardise them, e.g. "
                f"make_pipeline(StandardScaler(), {name}(...))."
            )
        elif (full_batch and not self.early_stopping
              and final > max(min(curve) + (self.tol or 0.0), 1.01 * min(curve))):
            # plain gradient descent with a small enough α never raises J, so
            # a final cost above its lowest (by more than 1 %: not the last
            # wobble of a converged run) means α overshoots
            self._warn(
                f"{name}'s cost rose instead of falling: from {min(curve):.6g} "
                f"to {final:.6g} over the last iterations. {rate} is too large "
                f"for this data; {self._ADVICE}."
            )
        elif reason == "max_fun":
            self._warn(
                f"{name}'s L-BFGS solver used max_fun={self.max_fun} evaluations "
                f"of the cost after {history.n_iter} iterations, before its "
                f"gradient fell below tol={self.tol}. Increase max_fun or "
                f"max_iter."
            )
        elif reason == "max_iter" and self.tol is not None:
            self._warn(
                f"{name} reached max_iter={self.max_iter} iterations and the cost "
                f"was still improving by more than tol={self.tol}. Increase "
                f"max_iter or learning_rate, or set tol=None to run exactly "
                f"max_iter iterations."
            )

    def _print_stop(self, history):
        """With ``verbose``, a last line that says why training stopped."""
        if not self.verbose:
            return
        reason = history.stop_reason
        line = {
            "max_iter": f"reached max_iter={self.max_iter} iterations",
            "converged": (f"converged: the monitored cost did not improve by "
                          f"tol={self.tol} for {self.n_iter_no_change} "
                          f"consecutive iterations"),
            "diverged": ("diverged: the cost became inf or NaN; kept the last "
                         "weights with a finite cost"),
            "interrupted": "interrupted (KeyboardInterrupt)",
            "callback": "a callback asked to stop",
            "max_fun": (f"L-BFGS reached max_fun={self.max_fun} evaluations of "
                        f"the cost"),
            "no_progress": ("L-BFGS's line search found no lower cost (the "
                            "limit of the floating-point precision)"),
        }[reason]
        if self.early_stopping and history.best_iteration is not None:
            line += (f"; early stopping restored iteration "
                     f"{history.best_iteration + 1}, validation cost "
                     f"{history.best_loss:.8f}")
        print(f"Training stopped after {history.n_iter} iterations: {line}.")

    def _forward(self, X, method="predict"):
        """(Z[L], A[L]) for the rows of X, in the lecture's orientation, in
        the namespace and on the device of the fitted weights, which X must
        share (``method``: the caller's name, for that error)."""
        check_is_fitted(self)
        with _sum_may_overflow():
            X = validate_data(self, X, accept_sparse="csr", dtype=_float_dtypes(X),
                              reset=False)
        parameters = self._get_parameters()
        self._check_same_namespace(X, parameters["W1"], method)
        output = self._output_layer(parameters[f"b{len(parameters) // 2}"].shape[0])
        # a product overflowing to ±inf on the way is saturated by tanh, sigmoid
        # and the stable cross-entropy outputs; a NaN (inf − inf) still warns
        with np.errstate(over="ignore"):
            return forward_to_output(X.T, parameters, self._hidden_activation(),
                                     output)

    def _check_same_namespace(self, X, W, method, earlier="fit()"):
        """A clear error when X is not in the namespace and on the device of
        the fitted weights W (scikit-learn's ``check_same_namespace``)."""
        (xp_X, numpy_X), (xp_W, numpy_W) = namespace(X), namespace(W)
        if numpy_X and numpy_W:
            return
        if (numpy_X, xp_X) == (numpy_W, xp_W) and device(X) == device(W):
            return
        raise ValueError(
            f"Inputs passed to {type(self).__name__}.{method}() must use the same "
            f"namespace and the same device as those passed to {earlier}: the weights "
            f"are {xp_W.__name__} arrays on {device(W)!r}, X is {xp_X.__name__} "
            f"on {device(X)!r}. Pass X in the weights' namespace and device "
            f"(with sklearn.set_config(array_api_dispatch=True) for arrays other "
            f"than NumPy's), or move the model: sknnbasics.to_numpy(model) for "
            f"NumPy."
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = True
        tags.input_tags.sparse = True
        tags.array_api_support = True
        return tags


class _GDClassifierMixin(ClassifierMixin):
    """Classification on top of :class:`_BaseGradientDescent`.

    Two classes: one sigmoid output unit (§二). More: softmax with one unit per
    class (§一(C)). ``classes_`` holds the labels, in sorted order. A 0/1
    indicator matrix y (multilabel: each sample may have any number of the
    labels) gets one sigmoid unit per label, as MLPClassifier; its
    ``classes_`` is ``np.arange(n_labels)``, the column indices.
    """

    def _validate_y_kwargs(self):
        # y may be 2-D: a 0/1 indicator matrix is a multilabel target
        return {"multi_output": True}

    def score(self, X, y, sample_weight=None):
        """Accuracy of :meth:`predict` on (X, y), as ``ClassifierMixin.score``.

        On another Array API library the share of correct predictions is
        averaged in that library's most precise float (scikit-learn's
        ``accuracy_score`` would use its default float, float32 for PyTorch),
        so that it equals the NumPy model's accuracy.
        """
        y_pred = self.predict(X)
        xp, is_numpy = namespace(y_pred)
        if sample_weight is None and not is_numpy:
            where = device(y_pred)
            sample_weight = xp.ones(y_pred.shape[0], device=where,
                                    dtype=_max_precision_float_dtype(xp, where))
        return float(accuracy_score(y, y_pred, sample_weight=sample_weight))

    def _is_multilabel(self, fitted=None):
        """Whether the fit in progress (``fitted``: the target attributes from
        :meth:`_encode_targets`) or the fitted model is multilabel."""
        source = self.__dict__ if fitted is None else fitted
        return source.get("_multilabel", False)

    def _output_layer(self, n_units, fitted=None):
        """One sigmoid unit for two classes, a softmax over n_units for more,
        n_units sigmoid units for n_units labels (multilabel)."""
        if n_units == 1 or self._is_multilabel(fitted):
            return OutputLayer("logistic")
        return OutputLayer("softmax")

    def _stratify_validation(self, y):
        # an indicator matrix has no one class per sample to stratify by (MLP
        # does not stratify multilabel targets either)
        y = y.toarray() if hasattr(y, "toarray") else np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            return None
        return y.ravel()

    @staticmethod
    def _score_output(Z, A, Y, s, output):
        """Accuracy of the outputs Z[L] against the encoded targets Y."""
        xp, is_numpy = namespace(Z)
        if not is_numpy:
            if output.name == "softmax":
                correct = xp.argmax(Z, axis=0) == xp.argmax(Y, axis=0)
            else:
                correct = xp.all((Z > 0) == (Y > 0.5), axis=0)
            correct = xp.astype(correct, Z.dtype)
            if s is None:
                return float(xp.mean(correct))
            return float(xp.sum(correct * s) / xp.sum(s))
        if output.name == "softmax":
            correct = np.argmax(Z, axis=0) == np.argmax(Y, axis=0)
        else:  # sigmoid units: a label is predicted where z > 0
            correct = np.all((Z > 0) == (Y > 0.5), axis=0)
        return float(np.average(correct, weights=s))

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        class_weight = getattr(self, "class_weight", None)
        if isinstance(class_weight, dict):
            bad = {label: weight for label, weight in class_weight.items()
                   if isinstance(weight, bool) or not isinstance(weight, Real)
                   or not (math.isfinite(weight) and weight >= 0)}
            if bad:
                raise ValueError(
                    f"class_weight must map class labels to finite weights >= 0 "
                    f"(they multiply each sample's loss); got {bad!r}."
                )

    def _encode_targets(self, y, sample_weight, *, dtype, first_call, incremental,
                        classes):
        """(Y, s, fitted): Y in the output layer's encoding, the sample weights
        times the class weights, and the fitted attributes of the targets."""
        name = type(self).__name__
        if hasattr(y, "toarray"):  # a sparse indicator matrix: (m, k) numbers
            y = y.toarray()
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)  # one column of labels
        if y.ndim == 2:
            return self._encode_multilabel(y, sample_weight, dtype=dtype,
                                           first_call=first_call,
                                           incremental=incremental,
                                           classes=classes)
        if self._is_multilabel() and (not first_call or (
                self.warm_start and hasattr(self, "n_iter_") and not incremental)):
            how = ("partial_fit needs the same kind of y in every chunk"
                   if incremental else
                   "warm_start=True continues training, which needs the same "
                   "kind of y; set warm_start=False to start afresh")
            raise ValueError(
                f"{name} was trained on a multilabel y (an indicator matrix of "
                f"{len(self.classes_)} labels), but this y is one column of "
                f"labels: {how}."
            )
        try:
            check_classification_targets(y)
            np.unique(y)  # labels must be sortable: classes_ is sorted
        except TypeError:
            kinds = sorted({type(label).__name__ for label in np.ravel(y)})
            raise ValueError(
                f"{name} needs class labels of one kind, all numbers or all "
                f"strings, which can be sorted into classes_; y mixes "
                f"{', '.join(kinds)}."
            ) from None
        if incremental and first_call:
            if classes is None:
                raise ValueError(
                    f"The first call to {name}.partial_fit must be given every "
                    f"class label with classes=…, e.g. classes=np.unique(y_all): "
                    f"later chunks may hold labels this one lacks."
                )
            classes_ = unique_labels(classes)
        elif incremental:
            classes_ = self.classes_
            if classes is not None and not np.array_equal(unique_labels(classes),
                                                          classes_):
                raise ValueError(
                    f"classes={np.asarray(classes).tolist()} differs from the classes "
                    f"{self.classes_.tolist()} given at the first call to partial_fit."
                )
        else:
            labels = unique_labels(y)
            if (self.warm_start and hasattr(self, "classes_")
                    and hasattr(self, "n_iter_")
                    and not np.array_equal(labels, self.classes_)):
                raise ValueError(
                    f"warm_start=True continues training, which needs the same "
                    f"classes as before: {self.classes_.tolist()}, but y has "
                    f"{labels.tolist()}. Set warm_start=False to start afresh."
                )
            classes_ = labels
        if len(classes_) < 2:
            raise ValueError(
                f"{name} needs samples of at least two classes, but the data "
                f"contains only one class: {classes_.tolist()[0]!r}."
            )
        # labels outside classes_ are only possible when classes_ was given
        unknown = np.setdiff1d(y, classes_) if incremental else ()
        if len(unknown):
            raise ValueError(
                f"y contains labels {unknown.tolist()} that are not among the "
                f"classes {classes_.tolist()} given at the first call to "
                f"partial_fit."
            )

        K = len(classes_)
        if K == 2:  # y = 1 for the second class (a comparison: no search)
            Y = (y == classes_[1]).astype(dtype).reshape(1, -1)
            index = Y[0].astype(np.intp) if self.class_weight is not None else None
        else:
            index = np.searchsorted(classes_, y)
            Y = np.zeros((K, y.shape[0]), dtype=dtype)
            Y[index, np.arange(y.shape[0])] = 1
        if self.class_weight is not None:
            weights = compute_class_weight(
                self.class_weight, classes=classes_, y=y
            ).astype(Y.dtype)
            per_sample = weights[index]
            with np.errstate(over="ignore"):  # inf: refused, with its reason
                sample_weight = (per_sample if sample_weight is None
                                 else sample_weight * per_sample)
        return Y, sample_weight, {"classes_": classes_, "_multilabel": False}

    def _encode_multilabel(self, y, sample_weight, *, dtype, first_call,
                           incremental, classes):
        """:meth:`_encode_targets` for a 2-D y: a 0/1 indicator matrix (m, k)
        becomes Y = yᵀ, one row per label for k sigmoid units."""
        name = type(self).__name__
        k = y.shape[1]
        kind = type_of_target(y)
        if kind != "multilabel-indicator":
            raise ValueError(
                f"{name} takes y as one column of class labels, or as a 0/1 "
                f"indicator matrix (one column per label, 1 where the label "
                f"applies) for multilabel targets; this y has {k} columns that "
                f"are not 0/1 ({kind}). For several columns of class labels, "
                f"use sklearn.multioutput.MultiOutputClassifier({name}())."
            )
        values = np.unique(y)
        if not np.all(np.isin(values, (0, 1))):
            raise ValueError(
                f"A multilabel y must be a 0/1 indicator matrix (1 where the "
                f"label applies, 0 where not); this y holds the values "
                f"{values.tolist()}."
            )
        if self.class_weight is not None:
            raise ValueError(
                f"class_weight={self.class_weight!r} weighs the classes of one "
                f"label column, which a multilabel y (an indicator matrix of {k} "
                f"labels) does not have; MLPClassifier has no class_weight "
                f"either. Set class_weight=None and give per-sample weights "
                f"with sample_weight."
            )
        classes_ = np.arange(k)  # LabelBinarizer's classes_, as MLPClassifier
        if incremental and classes is not None:
            given = unique_labels(classes)
            if not np.array_equal(given, classes_):
                raise ValueError(
                    f"For a multilabel y the classes are the label columns: "
                    f"partial_fit's classes must be np.arange({k}) (or None), "
                    f"got classes={np.asarray(classes).tolist()}."
                )
        trained_before = not first_call or (
            self.warm_start and hasattr(self, "n_iter_") and not incremental)
        if trained_before and not (self._is_multilabel()
                                   and len(self.classes_) == k):
            before = (f"a multilabel y of {len(self.classes_)} labels"
                      if self._is_multilabel()
                      else f"one column of labels {self.classes_.tolist()}")
            how = ("partial_fit needs the same kind of y in every chunk"
                   if incremental else
                   "warm_start=True continues training, which needs the same "
                   "kind of y; set warm_start=False to start afresh")
            raise ValueError(
                f"{name} was trained on {before}, but this y is an indicator "
                f"matrix of {k} labels: {how}."
            )
        Y = np.asarray(y.T, dtype=dtype)
        return Y, sample_weight, {"classes_": classes_, "_multilabel": True}

    def fit(self, X, y, sample_weight=None):
        """Train by gradient descent on (X, y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (float64 or float32; other types become float64).
            A scipy sparse matrix or array stays sparse: CSR as given, any
            other format converted to CSR once.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels (ints, strings, …), or a 0/1 indicator matrix for
            multilabel targets (one sigmoid unit per label; early stopping
            then holds out an unstratified share, as MLPClassifier).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the cost: J = Σ sᵢ Lᵢ / Σ sᵢ.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_with_callbacks(X, y, sample_weight)

    @available_if(_stochastic_solver)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch of gradient descent over the chunk (X, y).

        With ``batch_size=None`` that is one full-batch step on the chunk.
        Repeated calls stream data that does not fit in memory.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data (sparse: as for ``fit``).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Its labels, or its 0/1 indicator matrix (multilabel).
        classes : array-like of shape (n_classes,), default=None
            Every label that will ever appear; required on the first call.
            For a multilabel y the classes are the label columns: None or
            ``np.arange(n_labels)``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit_with_callbacks(X, y, classes, sample_weight)

    def decision_function(self, X):
        """Z[L], the output layer's pre-activation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) for two classes (the logit of
            ``classes_[1]``), else (n_samples, n_classes); (n_samples,
            n_labels), one logit per label, for a multilabel model
        """
        Z, _ = self._forward(X, "decision_function")
        return copy_array(Z[0, ...]) if Z.shape[0] == 1 else copy_array(Z.T)

    def predict_proba(self, X):
        """Class probabilities A[L] = ŷ, in the order of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Each row sums to 1. For a multilabel model, (n_samples, n_labels):
            the probability of each label, σ(z), independently.
        """
        Z, A = self._forward(X, "predict_proba")
        if self._is_multilabel():
            return copy_array(A.T)
        if A.shape[0] == 1:
            # 1 − σ(z) = σ(−z), computed directly: a small probability of
            # classes_[0] keeps its digits instead of cancelling to 0
            return _columns(sigmoid(-Z[0, ...]), A[0, ...])
        return copy_array(A.T)

    def predict_log_proba(self, X):
        """log ŷ, computed from the logits so it is finite for any finite Z[L].

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes), or (n_samples,
            n_labels) for a multilabel model: log σ(z) of each label
        """
        Z, _ = self._forward(X, "predict_log_proba")
        if self._is_multilabel():
            return log_sigmoid(Z).T
        if Z.shape[0] == 1:
            return _columns(log_sigmoid(-Z[0, ...]), log_sigmoid(Z[0, ...]))
        return log_softmax(Z).T

    def predict(self, X):
        """The most probable class, ``classes_[argmax(predict_proba(X))]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), or for a multilabel model the
            0/1 indicator matrix (n_samples, n_labels) of ints: 1 where
            σ(z) > ½, i.e. z > 0
        """
        Z, _ = self._forward(X, "predict")
        xp, is_numpy = namespace(Z)
        if is_numpy:
            if self._is_multilabel():
                return (Z.T > 0).astype(int)
            if Z.shape[0] == 1:
                index = (Z[0] > 0).astype(np.intp)
            else:
                index = np.argmax(Z, axis=0)
            return self.classes_[index]
        if self._is_multilabel():
            return xp.astype(Z.T > 0, xp.int64)
        index = (xp.astype(Z[0, ...] > 0, xp.int64) if Z.shape[0] == 1
                 else xp.argmax(Z, axis=0))
        if namespace(self.classes_)[1]:  # labels NumPy holds only (strings)
            return self.classes_[asnumpy(index)]
        return xp.take(self.classes_, index, axis=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        tags.classifier_tags.multi_label = True
        return tags


class _GDRegressorMixin(RegressorMixin):
    """Regression on top of :class:`_BaseGradientDescent` (§三 (2)).

    The output layer is linear (``out_activation="identity"``) or ReLU for
    targets that are never negative, with the squared loss ½‖ŷ − y‖² summed
    over the outputs; or, with ``loss="poisson"``, ŷ = e^z with the half
    Poisson deviance (MLPRegressor's), for counts and other targets y >= 0.
    ``y`` may have several columns.
    """

    _GD_LEARNING_RATE = 0.05  # learning_rate="auto" with solver="gd"

    def _validate_y_kwargs(self):
        return {"multi_output": True, "y_numeric": True}

    def _loss(self):
        # estimators pickled before ``loss`` existed used the squared loss
        return getattr(self, "loss", "squared_error")

    def _output_layer(self, n_units, fitted=None):
        """g[L] and its loss: ``out_activation`` with the squared loss, or exp
        with the Poisson deviance (its canonical link: dZ[L] = A[L] − Y)."""
        if self._loss() == "poisson":
            return OutputLayer("exp")
        return OutputLayer(self.out_activation)

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        if self._loss() == "poisson" and self.out_activation != "identity":
            raise ValueError(
                f"loss='poisson' sets the output activation itself: ŷ = e^z, so "
                f"that every prediction is positive (MLPRegressor does the "
                f"same), and out_activation={self.out_activation!r} would "
                f"contradict it. Leave out_activation at its default 'identity' "
                f"with loss='poisson'."
            )

    @staticmethod
    def _score_output(Z, A, Y, s, output):
        """R² of the predictions A[L] against Y (averaged over the outputs)."""
        return float(r2_score(Y.T, A.T, sample_weight=s))

    def _encode_targets(self, y, sample_weight, *, dtype, first_call, incremental,
                        classes):
        Y = np.asarray(y, dtype=dtype).reshape(y.shape[0], -1).T
        if self._loss() == "poisson" and Y.size and np.min(Y) < 0:
            raise ValueError(
                f"loss='poisson' needs targets y >= 0 (counts, rates: the "
                f"Poisson mean ŷ = e^z is never negative, and the deviance has "
                f"y log y); y has negative values, the smallest is "
                f"{np.min(Y):g}. Use loss='squared_error' for targets of any "
                f"sign."
            )
        if first_call:
            fitted = {"n_outputs_": Y.shape[0], "_y_is_1d": y.ndim == 1}
        elif Y.shape[0] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[0]} output columns, but {type(self).__name__} was "
                f"trained with {self.n_outputs_}; partial_fit needs the same "
                f"outputs in every chunk."
            )
        else:
            fitted = {}
        return Y, sample_weight, fitted

    def fit(self, X, y, sample_weight=None):
        """Train by gradient descent on (X, y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (float64 or float32; other types become float64).
            A scipy sparse matrix or array stays sparse: CSR as given, any
            other format converted to CSR once.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the cost: J = Σ sᵢ Lᵢ / Σ sᵢ.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_with_callbacks(X, y, sample_weight)

    @available_if(_stochastic_solver)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch of gradient descent over the chunk (X, y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data (sparse: as for ``fit``).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit_with_callbacks(X, y, None, sample_weight)

    def predict(self, X):
        """ŷ = A[L] for the rows of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            One column per output; 1-D when ``y`` was 1-D.
        """
        _, A = self._forward(X, "predict")
        return copy_array(A[0, ...]) if self._y_is_1d else copy_array(A.T)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        # a ReLU output can only reach y >= 0; the Poisson loss refuses y < 0
        tags.target_tags.positive_only = (
            getattr(self, "out_activation", "") == "relu"
            or getattr(self, "loss", "") == "poisson")
        return tags


_CLASSIFIER_CONSTRAINTS = {
    "class_weight": [dict, StrOptions({"balanced"}), None],
}
