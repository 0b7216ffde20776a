"""The scikit-learn shell shared by every estimator: a fit is the lecture's
four steps, each a named function in the module its concern names.

1. prepare the data — :func:`~sknnbasics._data.prepare_data` (validation,
   the array namespace, the targets' encoding, the weights);
2. start — :func:`~sknnbasics._start.start_training` (weights, history and
   update rule: fresh, warm or resumed);
3. train — :meth:`_BaseGradientDescent._run` hands the loop of
   :mod:`sknnbasics._training` its columns, settings and hooks;
4. finish — :meth:`_BaseGradientDescent._finish` stores the fitted attributes
   and gives the verdicts of :mod:`sknnbasics._diagnosis`.

The estimators know nothing about calculus; the math lives in ``_network``,
``_cost`` and ``_activations``. What differs between families is small and sits
in a few hooks: the hidden layer sizes, how weights start, how targets are
encoded for the output layer (``_base_classifier``, ``_base_regressor``), and
which fitted attributes hold the weights.
"""

import copy
import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._activations import get_activation
from ._array_api import device, namespace
from ._callbacks import (
    CallbackHooks,
    CallbackSupportMixin,
    begin_fit_task,
    end_fit_task,
    with_callbacks,
)
from ._data import float_dtypes, prepare_data, sum_may_overflow, validation_split
from ._diagnosis import (
    FinishedRun,
    not_finite_at_start_error,
    saturation_at_start,
    stop_line,
    warn_about_stop,
)
from ._mlp_spellings import MLPSpellingsMixin
from ._network import forward_to_output
from ._optimizers import SCHEDULES, SOLVERS
from ._persistence import VersionedPickleMixin
from ._start import start_training
from ._training import TrainingSettings, gradient_descent, lbfgs


def _flat(b):
    """The column b[l], (n[l], 1), as MLP's 1-D intercept (a view)."""
    xp, is_numpy = namespace(b)
    return b.ravel() if is_numpy else xp.reshape(b, (-1,))


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


@dataclass
class _Run:
    """What step 3 trains on and step 4 reports from: the training columns
    X (n_x, m), Y, s and the held-out ``validation`` (X_val, Y_val, s_val),
    in X's namespace; the mini-batch size; the loss curve's length before
    this call; the saturation at the start (share, largest |W[1]|); the
    callbacks."""

    X: object
    Y: object
    s: object
    validation: tuple | None
    batch_size: int | None
    n_before: int
    saturation: tuple
    hooks: CallbackHooks
    context: object
    metadata: dict | None


class _BaseGradientDescent(MLPSpellingsMixin, VersionedPickleMixin,
                           CallbackSupportMixin, BaseEstimator):
    """Training shell shared by LogisticGD and the networks (not public)."""

    _parameter_constraints = {
        "learning_rate": [Interval(Real, 0, None, closed="neither"),
                          StrOptions({"auto"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        # MLP's: np.inf never stops on a stall
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"),
                             Options(Real, {np.inf})],
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
        # MLP's: None without early stopping (and partial_fit, which holds
        # out nothing)
        attributes["validation_scores_"] = attributes["best_validation_score_"] = None
        if history.validation_scores is not None:
            attributes["validation_scores_"] = list(history.validation_scores)
            attributes["best_validation_score_"] = (
                max(history.validation_scores) if history.validation_scores
                else -math.inf)
        return attributes

    def _has_weights(self):
        return hasattr(self, "coefs_")

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
        """prepare the data → start → train → finish; the fitted attributes
        are assigned at the end, once training has produced a model."""
        data = prepare_data(self, X, y, sample_weight, incremental=incremental,
                            classes=classes)
        start = start_training(self, data)
        run = self._prepare_run(data, start)
        history = self._run(data, start, run)
        self._finish(data, start, run, history)
        return self

    def _prepare_run(self, data, start):
        """The training columns (a validation share held out for early
        stopping), moved to X's namespace; the callbacks' task, begun."""
        # the lecture's orientation: one sample per column (X.T is a view)
        X, Y, s, validation = data.X.T, data.Y, data.sample_weight, None
        if self.early_stopping:
            X, Y, s, validation = self._validation_split(
                data.X, data.Y, data.y, data.sample_weight, start.rng)
        Y, s = data.to_device(Y), data.to_device(s)
        if validation is not None:
            validation = (validation[0], *map(data.to_device, validation[1:]))
        fitted = data.fitted
        if (not data.on_numpy and "classes_" in fitted
                and fitted["classes_"].dtype.kind in "biuf"):
            # numeric labels live beside the weights (strings cannot)
            fitted["classes_"] = data.to_device(fitted["classes_"])
        context, iterations, metadata = begin_fit_task(
            self, data.X, data.y, data.sample_weight)
        fitted["learning_rate_"] = start.learning_rate
        if self._mlp_attributes:
            fitted.setdefault("n_outputs_", data.Y.shape[0])
            fitted["out_activation_"] = data.output.name
        hooks = CallbackHooks(self, iterations, data.X, data.y, metadata,
                              start.parameters, fitted)
        return _Run(
            X=X, Y=Y, s=s, validation=validation,
            batch_size=self._resolved_batch_size(X.shape[1]),
            n_before=len(start.history.loss_curve),
            saturation=saturation_at_start(start.parameters, X,
                                           self._hidden_activation().name),
            hooks=hooks, context=context, metadata=metadata)

    def _run(self, data, start, run):
        """Train: the lecture's gradient-descent loop, or L-BFGS."""
        hidden, output = self._hidden_activation(), data.output
        # overflow on the way to a divergence is found (J not finite) and
        # reported as a ConvergenceWarning: numpy's own warnings about it
        # would only repeat that
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self.solver == "lbfgs":
                return lbfgs(
                    start.parameters, run.X, run.Y, run.s, hidden=hidden,
                    output=output, max_iter=self.max_iter, max_fun=self.max_fun,
                    tol=self.tol, alpha=self.alpha, hooks=run.hooks,
                    history=start.history)
            return gradient_descent(
                start.parameters, run.X, run.Y, run.s, hidden=hidden,
                output=output, settings=self._training_settings(data, start, run),
                optimizer=start.optimizer, history=start.history,
                validation=run.validation,
                validation_score=(None if run.validation is None else
                                  self._validation_scorer(run.validation, output)),
                hooks=run.hooks)

    def _training_settings(self, data, start, run):
        """The loop's settings: the hyperparameters, resolved for this call
        (partial_fit: one epoch, no stopping rule)."""
        return TrainingSettings(
            learning_rate=start.learning_rate,
            max_iter=1 if data.incremental else self.max_iter,
            tol=None if data.incremental else self.tol,
            n_iter_no_change=self.n_iter_no_change,
            alpha=self.alpha,
            batch_size=run.batch_size,
            shuffle=self.shuffle,
            rng=start.rng,
            schedule=self.learning_rate_schedule,
            power_t=self.power_t,
            samples_before=start.samples_before,
            monitor=self.early_stopping_metric,
        )

    def _finish(self, data, start, run, history):
        """Keep the optimizer's state, refuse a run that could not start,
        store the fitted attributes, say how training ended."""
        if start.optimizer is not None and history.stop_reason != "diverged":
            data.fitted["_optimizer_state"] = start.optimizer.state()
        else:  # L-BFGS keeps none; after a divergence a next call starts afresh
            self.__dict__.pop("_optimizer_state", None)
        if history.stop_reason == "not_finite_at_start":
            raise not_finite_at_start_error(
                type(self).__name__, data.output, run.Y, data.X,
                start.parameters, start.resumed,
                (self._initialization()[0], getattr(self, "init_scale", None)),
                sample_weight=run.s,
                negative_slope=(self.negative_slope if getattr(
                    self, "activation", None) == "leaky_relu" else None))
        if history.stop_reason == "interrupted" and history.updates == 0:
            raise KeyboardInterrupt  # nothing was trained: nothing to keep
        self._store(data, start, history)
        warn_about_stop(FinishedRun(
            self, history, incremental=data.incremental, output=data.output,
            Y=run.Y, s=run.s, X=data.X, n_before=run.n_before,
            saturation=run.saturation, resumed=start.resumed,
            full_batch=run.batch_size is None))
        if self.verbose:
            print(stop_line(self, history))
        end_fit_task(self, run.context, data.X, data.y, run.metadata)

    def _store(self, data, start, history):
        """Assign every fitted attribute at once."""
        fitted = data.fitted
        fitted.update(self._fitted_attributes(start.parameters, history))
        fitted["t_"] = start.samples_before + history.samples_seen
        for attribute, value in fitted.items():
            setattr(self, attribute, value)
        if "validation_loss_curve_" not in fitted:  # not an earlier fit's
            self.__dict__.pop("validation_loss_curve_", None)
        if data.incremental:  # where the next chunk goes back to if it
            # diverges, and the order its epoch reshuffles (as the next epoch)
            self._start_of_last = history.start_of_last
            self._order = history.order
        else:
            self.__dict__.pop("_start_of_last", None)
            self.__dict__.pop("_order", None)

    @with_callbacks
    def _fit_with_callbacks(self, X, y, sample_weight):
        return self._fit(X, y, sample_weight)

    @with_callbacks
    def _partial_fit_with_callbacks(self, X, y, classes, sample_weight):
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _validation_split(self, X, Y, y, sample_weight, rng):
        """Hold out ``validation_fraction`` of the rows (stratified for
        classifiers), keeping each row's sample weight with it."""
        return validation_split(X, Y, y, sample_weight, rng,
                                self.validation_fraction,
                                self._stratify_validation(y))

    def _stratify_validation(self, y):
        """The labels to stratify the validation split by, or None."""
        return None

    def _validation_scorer(self, validation, output):
        """``score(Z_L, A_L)``: the estimator's ``score`` (accuracy, R²) on
        the held-out data, from the output layer of the forward pass that
        also gives the validation cost, and the same encoded targets."""
        _, Y_val, s_val = validation
        return lambda Z, A: self._score_output(Z, A, Y_val, s_val, output)

    def _forward(self, X, method="predict"):
        """(Z[L], A[L]) for the rows of X, in the lecture's orientation, in
        the namespace and on the device of the fitted weights, which X must
        share (``method``: the caller's name, for that error)."""
        check_is_fitted(self)
        with sum_may_overflow():
            X = validate_data(self, X, accept_sparse="csr", dtype=float_dtypes(X),
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
