"""One iteration of the lecture's gradient descent, every array kept (§二–§四).

:func:`one_iteration` runs, on given data, what one full-batch iteration of
``fit`` runs — forward propagation (正向传播), the cost J (成本函数), backward
propagation (反向传播), the update W := W − α·dW (梯度下降) — with the
functions of :mod:`sknnbasics._network`, and hands back every Z[l], A[l],
dZ[l], dW[l], db[l], J and the weights after the update, in the lecture's
orientation (one sample per *column*).

The estimator supplies what its ``fit`` would use: the hidden activation g,
the output layer g[L] with its cost, the targets encoded for it (0/1, one-hot,
indicator rows, values), the sample and class weights, λ (``alpha``), α, and
the weights: the fitted ones, or for an unfitted estimator those ``fit`` would
start from (drawn from its ``random_state``). :func:`_problem` asks the
estimator for each of them through its own small hooks, so that this module
repeats none of its rules; :mod:`sknnbasics._gradient_check` uses it too.
"""

from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    check_X_y,
    validate_data,
)

from ._activations import Activation
from ._array_api import asnumpy
from ._base import _BaseGradientDescent
from ._cost import OutputLayer
from ._network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
    n_layers,
    update_parameters,
)


@dataclass(frozen=True)
class _Problem:
    """What one iteration of ``fit`` computes with, in the lecture's terms.

    ``X`` is A[0], (n_x, m); ``Y`` the encoded targets, (n[L], m); ``s`` the
    sample weights (times the class weights), (m,) or None; ``parameters``
    the W[l], b[l] to start from (fresh copies); ``alpha`` is λ.
    """

    X: np.ndarray
    Y: np.ndarray
    s: np.ndarray | None
    parameters: dict
    hidden: Activation
    output: OutputLayer
    alpha: float
    fitted: bool


def _is_fitted(estimator):
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


def _check_estimator(estimator, caller):
    """A clear error for anything that is not one of the package's estimators."""
    if isinstance(estimator, _BaseGradientDescent):
        return
    if isinstance(estimator, type):
        given = f"the class {estimator.__name__}; pass an instance, e.g. " \
                f"lecture({estimator.__name__}, random_state=0)"
    elif hasattr(estimator, "steps"):
        given = (f"a {type(estimator).__name__}; pass its last step and the "
                 f"data as that step sees it: {caller}(pipe[-1], "
                 f"pipe[:-1].transform(X), y)")
    else:
        given = f"an instance of {type(estimator).__name__}"
    raise TypeError(
        f"{caller}() takes one of sknnbasics' estimators (LogisticGD, "
        f"ShallowNetClassifier, DeepNetClassifier, ShallowNetRegressor, "
        f"DeepNetRegressor), fitted or not; got {given}."
    )


def _problem(estimator, X, y, sample_weight=None, *, dtype, caller):
    """The :class:`_Problem` that ``estimator.fit(X, y, sample_weight)``
    would start its first iteration from (a fitted estimator: its current
    weights, as ``warm_start`` continues from them).

    ``dtype``: the float dtypes X may keep (float64 alone for the gradient
    check). X is dense NumPy; a model on another array library is moved
    first with :func:`sknnbasics.to_numpy`.
    """
    _check_estimator(estimator, caller)
    estimator._validate_params()
    estimator._check_hyperparameters()
    fitted = _is_fitted(estimator)
    y_kwargs = estimator._validate_y_kwargs()
    if fitted:  # the features (and their names) it was fitted on
        X, y = validate_data(estimator, X, y, reset=False, dtype=dtype,
                             **y_kwargs)
    else:  # checked without setting n_features_in_ on the unfitted estimator
        X, y = check_X_y(X, y, dtype=dtype, **y_kwargs)
    if sample_weight is not None:
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype,
                                             ensure_non_negative=True)
    # a fitted classifier keeps its classes_ (labels outside them are
    # refused, as by partial_fit); an unfitted one takes y's, as fit
    Y, s, targets = estimator._encode_targets(
        y, sample_weight, dtype=X.dtype, first_call=not fitted,
        incremental=fitted, classes=None)
    if s is not None and not np.sum(s) > 0:
        raise ValueError(
            "The sample weights sum to zero, so the cost J = Σ sᵢ Lᵢ / Σ sᵢ is "
            "undefined. Give at least one sample a positive weight."
        )
    hidden = estimator._hidden_activation()
    output = estimator._output_layer(Y.shape[0], targets)
    if fitted:
        parameters = {name: np.array(asnumpy(value), dtype=X.dtype, order="C")
                      for name, value in estimator._get_parameters().items()}
    else:
        dims = [X.shape[1], *estimator._hidden_layer_sizes(), Y.shape[0]]
        init, init_scale = estimator._initialization()
        parameters = initialize_parameters(
            dims, init, init_scale, check_random_state(estimator.random_state),
            X.dtype, hidden=hidden.name)
    return _Problem(X=X.T, Y=Y, s=s, parameters=parameters, hidden=hidden,
                    output=output, alpha=float(estimator.alpha), fitted=fitted)


def _step_size(estimator, problem, learning_rate, caller):
    """α of the update: ``learning_rate`` when given, else the estimator's
    own α for these data when it trains by the lecture's rule."""
    if learning_rate is not None:
        if not (isinstance(learning_rate, Real) and learning_rate > 0
                and not isinstance(learning_rate, bool)):
            raise ValueError(
                f"learning_rate must be a positive number (α in W := W − α·dW) "
                f"or None for the estimator's own; got {learning_rate!r}."
            )
        return float(learning_rate)
    if estimator.solver != "gd" or estimator.momentum:
        raise ValueError(
            f"{caller}() shows the lecture's update W := W − α·dW, but this "
            f"{type(estimator).__name__} trains with solver="
            f"{estimator.solver!r}, momentum={estimator.momentum!r}, whose "
            f"update is another. Build it with sknnbasics.lecture("
            f"{type(estimator).__name__}, ...), or give learning_rate=α to see "
            f"the lecture's step from these weights."
        )
    X_rows = problem.X.T
    s = None if problem.s is None else problem.s
    return float(estimator._step_size(X_rows, s, problem.Y.shape[0],
                                      output=problem.output))


def _summary(name, value):
    """One row of the table: name, shape, min, mean, max, ‖·‖ (Frobenius)."""
    value = np.asarray(value, dtype=np.float64)
    if value.size == 0:
        return (name, value.shape, np.nan, np.nan, np.nan, 0.0)
    return (name, value.shape, float(value.min()), float(value.mean()),
            float(value.max()), float(np.linalg.norm(value)))


def _format_table(title, sections):
    """A plain-text table: ``sections`` is a list of (heading, rows)."""
    head = f"{'':<2}{'name':<8}{'shape':>12}{'min':>12}{'mean':>12}{'max':>12}" \
           f"{'norm':>12}"
    lines = [title, head]
    for heading, rows in sections:
        lines.append(heading)
        for name, shape, low, mean, high, norm in rows:
            shape = "×".join(str(n) for n in shape) or "scalar"
            lines.append(f"{'':<2}{name:<8}{shape:>12}{low:>12.4g}{mean:>12.4g}"
                         f"{high:>12.4g}{norm:>12.4g}")
    return "\n".join(lines)


@dataclass(frozen=True, repr=False)
class OneIteration:
    r"""Every array of one iteration of gradient descent (see :func:`one_iteration`).

    All arrays are in the lecture's orientation, one sample per column:
    A[0] = X is (n_x, m), W[l] is (n[l], n[l−1]), b[l] is (n[l], 1), Z[l],
    A[l], dZ[l] and dA[l] are (n[l], m).

    Attributes
    ----------
    parameters : dict
        W[l], b[l] before the update: ``{"W1": …, "b1": …, …}``.
    cache : dict
        Forward propagation (正向传播): ``"A0"`` (= X), ``"Z1"``, ``"A1"``, …,
        ``"ZL"``, ``"AL"`` (= Ŷ).
    Y : ndarray of shape (n[L], m)
        The targets as the output layer sees them (0/1, one-hot, values).
    cost : float
        J (成本函数) of ``parameters``, λ's penalty included: what ``fit``
        records as ``loss_curve_[0]`` from these weights.
    grads : dict
        Backward propagation (反向传播): ``"dZ{l}"``, ``"dW{l}"``, ``"db{l}"``
        for l = L … 1 and ``"dA{l}"`` = W[l+1]ᵀ dZ[l+1] for the hidden layers.
    learning_rate : float
        α (学习率) of the update.
    updated : dict
        W[l] − α·dW[l] and b[l] − α·db[l] (梯度下降): the weights ``fit``
        holds after this iteration.
    n_layers : int
        L, the layers with parameters.
    """

    parameters: dict
    cache: dict
    Y: np.ndarray
    cost: float
    grads: dict
    learning_rate: float
    updated: dict
    n_layers: int

    def __getitem__(self, name):
        """An array by its lecture name: ``"Z1"``, ``"A2"``, ``"dW1"``,
        ``"W1"`` (before the update), ``"Y"``."""
        for source in (self.cache, self.grads, self.parameters, {"Y": self.Y}):
            if name in source:
                return source[name]
        known = [*self.cache, *self.grads, *self.parameters, "Y"]
        raise KeyError(f"No array {name!r} in this iteration; it has "
                       f"{', '.join(sorted(known))}.")

    def table(self):
        """The rows of :meth:`__str__`: (phase, name, shape, min, mean, max,
        norm) for every array, in the lecture's order."""
        return [(heading, *row) for heading, rows in self._sections()
                for row in rows]

    def _sections(self):
        L = self.n_layers
        forward = [_summary("A0", self.cache["A0"])]
        for l in range(1, L + 1):
            forward += [_summary(f"W{l}", self.parameters[f"W{l}"]),
                        _summary(f"b{l}", self.parameters[f"b{l}"]),
                        _summary(f"Z{l}", self.cache[f"Z{l}"]),
                        _summary(f"A{l}", self.cache[f"A{l}"])]
        cost = [_summary("Y", self.Y), ("J", (), self.cost, self.cost,
                                         self.cost, abs(self.cost))]
        backward = []
        for l in range(L, 0, -1):
            if l < L:
                backward.append(_summary(f"dA{l}", self.grads[f"dA{l}"]))
            backward += [_summary(f"dZ{l}", self.grads[f"dZ{l}"]),
                         _summary(f"dW{l}", self.grads[f"dW{l}"]),
                         _summary(f"db{l}", self.grads[f"db{l}"])]
        update = [_summary(name, value) for name, value in self.updated.items()]
        return [
            ("forward propagation 正向传播: Z[l] = W[l]A[l-1] + b[l], "
             "A[l] = g(Z[l])", forward),
            ("cost 成本函数: J = (1/m) Σ L(ŷ, y)", cost),
            ("backward propagation 反向传播: dZ[L] = A[L] - Y, "
             "dW[l] = (1/m) dZ[l] A[l-1]ᵀ, db[l] = (1/m) Σ dZ[l]", backward),
            (f"update 梯度下降: W[l] := W[l] - α dW[l], α = "
             f"{self.learning_rate:.6g}", update),
        ]

    def __str__(self):
        m = self.cache["A0"].shape[1]
        title = (f"One iteration of gradient descent: L = {self.n_layers} "
                 f"layers, m = {m} samples (one per column), J = "
                 f"{self.cost:.6g}")
        return _format_table(title, self._sections())

    def __repr__(self):
        return (f"<OneIteration: L={self.n_layers}, "
                f"m={self.cache['A0'].shape[1]}, J={self.cost:.6g}, "
                f"α={self.learning_rate:.6g}>")


def one_iteration(estimator, X, y, *, sample_weight=None, learning_rate=None):
    r"""Run one iteration of gradient descent on (X, y) and keep every array.

    Forward propagation (正向传播), the cost (成本函数), backward propagation
    (反向传播) and the update (梯度下降), on all of X at once, with the
    functions ``fit`` uses and the settings the estimator gives them::

        Z[l] = W[l] A[l-1] + b[l],   A[l] = g(Z[l])           l = 1 … L
        J    = (1/m) Σᵢ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾)  (+ (λ/2m) Σ‖W[l]‖²)
        dZ[L] = A[L] − Y,   dW[l] = (1/m) dZ[l] A[l-1]ᵀ,   db[l] = (1/m) Σ dZ[l]
        dZ[l-1] = W[l]ᵀ dZ[l] ∗ g′(Z[l-1])                  l = L … 1
        W[l] := W[l] − α dW[l],   b[l] := b[l] − α db[l]

    The estimator is not changed. Its weights are the starting point: the
    fitted ones, or, unfitted, the ones ``fit`` would draw from its
    ``random_state``. For an estimator built with
    :func:`~sknnbasics.lecture` (full-batch gradient descent) the result is
    exactly ``fit``'s first iteration (``max_iter=1``), ``updated`` its
    weights after it.

    Parameters
    ----------
    estimator : estimator instance
        LogisticGD or one of the four networks, fitted or not.
    X : array-like of shape (n_samples, n_features)
        One sample per row (dense; float32 is kept); the result holds A[0] = Xᵀ.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Labels or targets, as for ``fit``.
    sample_weight : array-like of shape (n_samples,), default=None
        As for ``fit``: J = Σ sᵢ Lᵢ / Σ sᵢ.
    learning_rate : float, default=None
        α of the update. None: the estimator's own α for these data
        (``learning_rate_`` as ``fit`` would set it), which needs an
        estimator that trains by the lecture's rule (``solver="gd"``, no
        momentum); give α to see the lecture's step for any other.

    Returns
    -------
    iteration : OneIteration
        ``iteration["Z1"]``, ``iteration["dW2"]``, …, ``iteration.cost``,
        ``iteration.updated``; ``print(iteration)`` shows every array's shape,
        min, mean, max and norm, in the lecture's order.

    See Also
    --------
    check_gradients : dW[l], db[l] beside central differences of J.
    HiddenLayerTransformer : A[l] of a hidden layer, as a transformer.

    Examples
    --------
    >>> from sknnbasics import ShallowNetClassifier, lecture, one_iteration
    >>> from sknnbasics.datasets import make_flower
    >>> X, y = make_flower(n_samples=400, random_state=0)
    >>> net = lecture(ShallowNetClassifier, random_state=0)
    >>> step = one_iteration(net, X, y)
    >>> step["A0"].shape, step["Z1"].shape, step["A2"].shape
    ((2, 400), (4, 400), (1, 400))
    >>> step["dW1"].shape == step["W1"].shape
    True
    >>> round(step.cost, 4)   # ≈ ln 2: A[2] ≈ 0.5 with weights randn·0.01
    0.6931
    >>> print(step)  # doctest: +ELLIPSIS
    One iteration of gradient descent: L = 2 layers, m = 400 samples ...
    """
    caller = "one_iteration"
    problem = _problem(estimator, X, y, sample_weight,
                       dtype=(np.float64, np.float32), caller=caller)
    alpha = _step_size(estimator, problem, learning_rate, caller)
    parameters, hidden, output = problem.parameters, problem.hidden, problem.output
    cache = forward_propagation(problem.X, parameters, hidden, output)
    J = compute_cost(cache, problem.Y, parameters, output, problem.s,
                     problem.alpha)
    grads = backward_propagation(cache, problem.Y, parameters, hidden, output,
                                 problem.s, problem.alpha)
    updated = update_parameters(
        {name: value.copy() for name, value in parameters.items()}, grads, alpha)
    return OneIteration(parameters=parameters, cache=cache, Y=problem.Y,
                        cost=J, grads=grads, learning_rate=alpha,
                        updated=updated, n_layers=n_layers(parameters))
