r"""Gradient checking (梯度检验): backward propagation beside central differences.

The course's recipe: for every parameter θ (each entry of each W[l], b[l]),
nudge it by ±ε and take the slope of the cost,

.. math:: \widetilde{d\theta} = \frac{J(\theta + \varepsilon) -
          J(\theta - \varepsilon)}{2\varepsilon},

then compare it with the dθ of backward propagation by their relative
difference

.. math:: \text{difference} = \frac{\lVert d\theta - \widetilde{d\theta}
          \rVert_2}{\lVert d\theta \rVert_2 + \lVert \widetilde{d\theta}
          \rVert_2}.

With ε = 1e-7 in float64 a correct backward pass gives about 1e-7 or less;
a mistake in one formula gives 1e-3 and more, in that parameter (and, through
the chain rule, the layers below it) — which is why the difference is taken
per W[l] and b[l]: it says *where* the backward pass is wrong.
"""

import math
from dataclasses import dataclass, replace
from numbers import Real

import numpy as np

from ._network import backward_propagation, compute_cost, forward_propagation
from ._step import _problem

# the course's reading of the difference at ε = 1e-7: below 1e-7 the two
# gradients agree to the precision central differences reach; above 1e-5 a
# formula is wrong; between the two, rounding in J may explain it (tiny
# gradients, a kink of ReLU within ε), or a small mistake may — look closer
THRESHOLDS = (1e-7, 1e-5)
VERDICTS = ("correct", "look closer", "wrong", "too small to tell")


def relative_difference(grad, approx):
    r"""‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂), 0 when both are 0 (the course's formula)."""
    grad, approx = np.ravel(grad), np.ravel(approx)
    denominator = np.linalg.norm(grad) + np.linalg.norm(approx)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(grad - approx) / denominator)


def _resolution(cost, epsilon):
    """The smallest slope central differences resolve: two values of J, each
    rounded to within a few units of float64's last place, differ by
    u·|J| (u = 2.2e-16) at worst; divided by 2ε, and with a margin of 10."""
    return 10 * np.finfo(np.float64).eps * max(abs(cost), 1.0) / epsilon


def _verdict(grad, approx, thresholds, resolution):
    """The verdict on one parameter (see :func:`check_gradients`)."""
    good, wrong = thresholds
    difference = relative_difference(grad, approx)
    if not math.isfinite(difference):
        return VERDICTS[2]
    if max(np.max(np.abs(grad), initial=0),
           np.max(np.abs(approx), initial=0)) <= resolution:
        return VERDICTS[3]
    if difference <= good or np.max(np.abs(grad - approx)) <= resolution:
        return VERDICTS[0]
    return VERDICTS[2] if difference > wrong else VERDICTS[1]


def _kinks(problem, epsilon):
    """The columns (samples) where a ReLU or Leaky ReLU — hidden, or the
    output's — has a pre-activation z within reach of ε of its kink at 0,
    where J has no derivative: b[l] = 0 makes z = 0 exactly for a sample
    whose previous layer is all off. A boolean mask of shape (m,)."""
    cache = forward_propagation(problem.X, problem.parameters, problem.hidden,
                                problem.output)
    L = len(problem.parameters) // 2
    layers = [l for l in range(1, L)
              if problem.hidden.name in ("relu", "leaky_relu")]
    if problem.output.name == "relu":
        layers.append(L)
    kinked = np.zeros(problem.X.shape[1], dtype=bool)
    for l in layers:
        # θ ± ε moves z = w·a + b by ε·|a| for θ = w, ε for θ = b (by about
        # as much for a θ of a lower layer): 10 times that is within reach
        A_prev = cache[f"A{l - 1}"]
        reach = 10 * epsilon * max(1.0, float(np.max(np.abs(A_prev), initial=0)))
        kinked |= np.any(np.abs(cache[f"Z{l}"]) <= reach, axis=0)
    return kinked


def _central_differences(problem, epsilon):
    """dθ̃ for every entry of every W[l], b[l]: 2 forward passes each."""
    parameters, X, Y = problem.parameters, problem.X, problem.Y

    def J():
        cache = forward_propagation(X, parameters, problem.hidden, problem.output)
        return compute_cost(cache, Y, parameters, problem.output, problem.s,
                            problem.alpha)

    approx = {}
    for name, theta in parameters.items():
        slope = np.zeros_like(theta)
        for index in np.ndindex(theta.shape):
            saved = theta[index]
            theta[index] = saved + epsilon
            J_plus = J()
            theta[index] = saved - epsilon
            J_minus = J()
            theta[index] = saved
            slope[index] = (J_plus - J_minus) / (2 * epsilon)
        approx[f"d{name}"] = slope
    return approx


def _analytic(problem, backward):
    """dW[l], db[l] from the package's backward propagation, or the learner's."""
    cache = forward_propagation(problem.X, problem.parameters, problem.hidden,
                                problem.output)
    if backward is None:
        return backward_propagation(cache, problem.Y, problem.parameters,
                                    problem.hidden, problem.output, problem.s,
                                    problem.alpha)
    # the learner's function sees copies: nothing it does reaches the check
    grads = backward({k: np.array(v) for k, v in cache.items()},
                     problem.Y.copy(),
                     {k: v.copy() for k, v in problem.parameters.items()})
    if not hasattr(grads, "keys"):
        raise TypeError(
            f"backward must return a dict of gradients {{'dW1': …, 'db1': …}}; "
            f"it returned {type(grads).__name__}."
        )
    for name, theta in problem.parameters.items():
        if f"d{name}" not in grads:
            raise ValueError(
                f"backward returned no 'd{name}'; it must return 'dW[l]' and "
                f"'db[l]' for every layer: "
                f"{', '.join('d' + n for n in problem.parameters)}."
            )
        shape = np.shape(grads[f"d{name}"])
        if shape != theta.shape:
            raise ValueError(
                f"backward returned d{name} of shape {shape}; it must have "
                f"{name}'s shape {theta.shape} (n[l], n[l-1]) for W[l], "
                f"(n[l], 1) for b[l])."
            )
    return grads


@dataclass(frozen=True, repr=False)
class GradientCheck:
    r"""The result of :func:`check_gradients`.

    Attributes
    ----------
    gradients : dict
        dθ of backward propagation: ``{"dW1": …, "db1": …, …}``.
    approximations : dict
        dθ̃, the central differences of J, same keys and shapes.
    differences : dict
        ``{"W1": …, "b1": …}``: ‖dθ − dθ̃‖₂ / (‖dθ‖₂ + ‖dθ̃‖₂) per parameter.
    difference : float
        The same over all parameters stacked into one vector (the course's
        single number).
    verdicts : dict
        ``{"W1": "correct" | "look closer" | "wrong" | "too small to tell",
        …}``; see :func:`check_gradients`.
    thresholds : tuple of float
        (good, wrong): a difference at most ``good`` is "correct", one above
        ``wrong`` is "wrong".
    epsilon : float
        ε of the central differences.
    resolution : float
        The smallest slope they resolve, 10·u·max(abs(J), 1)/ε (u = 2.2e-16,
        float64's rounding unit): entries of dθ and dθ̃ that differ by no more
        are equal as far as J's rounding can tell.
    cost : float
        J at the parameters checked, on the samples checked.
    n_samples : int
        The samples the check used.
    left_out : ndarray of int
        Indices of the samples left out because a ReLU (or Leaky ReLU) unit
        has its pre-activation z within reach of ε of its kink at 0, where J
        has no derivative (b[l] = 0 puts z = 0 exactly where a whole
        previous layer is off).
    passed : bool
        No parameter is "wrong".
    wrong : list of str
        The parameters whose gradient is wrong, W[L] first as backward
        propagation computes them.
    """

    gradients: dict
    approximations: dict
    differences: dict
    difference: float
    verdicts: dict
    thresholds: tuple
    epsilon: float
    resolution: float
    cost: float
    n_samples: int
    left_out: np.ndarray

    @property
    def passed(self):
        return not self.wrong

    @property
    def wrong(self):
        # layer L first (a stable sort keeps W[l] before b[l])
        by_layer = sorted(self.verdicts, key=lambda name: -int(name[1:]))
        return [name for name in by_layer if self.verdicts[name] == VERDICTS[2]]

    def table(self):
        """(name, shape, ‖dθ‖, ‖dθ̃‖, difference, verdict) per parameter."""
        return [(name, self.gradients[f"d{name}"].shape,
                 float(np.linalg.norm(self.gradients[f"d{name}"])),
                 float(np.linalg.norm(self.approximations[f"d{name}"])),
                 self.differences[name], self.verdicts[name])
                for name in self.differences]

    def __str__(self):
        good, wrong = self.thresholds
        lines = [
            f"Gradient check 梯度检验 (ε = {self.epsilon:g}, J = {self.cost:.6g}): "
            f"difference = ‖dθ − dθ̃‖ / (‖dθ‖ + ‖dθ̃‖)",
            f"{'param':<7}{'shape':>10}{'‖dθ‖ backprop':>16}"
            f"{'‖dθ̃‖ numeric':>16}{'difference':>12}  verdict",
        ]
        for name, shape, norm, approx, difference, verdict in self.table():
            shape = "×".join(str(n) for n in shape)
            lines.append(f"{name:<7}{shape:>10}{norm:>16.6g}{approx:>16.6g}"
                         f"{difference:>12.2e}  {verdict}")
        lines.append(f"all parameters: {self.difference:.2e}. Thresholds: ≤ "
                     f"{good:g} correct, > {wrong:g} wrong; entries closer than "
                     f"{self.resolution:.1e} (J's rounding at ε) count as equal.")
        if len(self.left_out):
            lines.append(f"Checked on {self.n_samples} samples: "
                         f"{len(self.left_out)} left out, a ReLU z at its kink 0.")
        if VERDICTS[3] in self.verdicts.values():
            lines.append("Too small to tell: both gradients are below the "
                         "resolution; check at weights where they are larger "
                         "(init='xavier', or after a few iterations).")
        if self.passed:
            lines.append("Backward propagation agrees with the cost's slopes.")
        else:
            lines.append(f"Wrong: {', '.join(self.wrong)}. Look at the formula "
                         f"of the first one named: backward propagation runs "
                         f"from layer L down, and a mistake flows to the "
                         f"layers below.")
        return "\n".join(lines)

    def __repr__(self):
        state = "passed" if self.passed else f"wrong: {', '.join(self.wrong)}"
        return f"<GradientCheck: {state}, difference={self.difference:.2e}>"


def check_gradients(estimator, X, y, *, sample_weight=None, backward=None,
                    epsilon=1e-7, thresholds=THRESHOLDS):
    r"""Check backward propagation against central differences of the cost.

    Gradient checking (梯度检验), the course's way to find a mistake in a
    backward pass: for every entry θ of every W[l] and b[l],

    .. math:: \widetilde{d\theta} = \frac{J(\theta + \varepsilon) -
              J(\theta - \varepsilon)}{2\varepsilon}, \qquad
              \text{difference} = \frac{\lVert d\theta - \widetilde{d\theta}
              \rVert_2}{\lVert d\theta \rVert_2 + \lVert \widetilde{d\theta}
              \rVert_2}

    per parameter, with a verdict. J is the estimator's own cost (L2 term and
    weights included) in float64 at its weights, fitted or those ``fit``
    would start from; the estimator is not changed.

    Parameters
    ----------
    estimator : estimator instance
        LogisticGD or one of the four networks, fitted or not.
    X : array-like of shape (n_samples, n_features)
        Samples, one per row (dense).
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Labels or targets, as for ``fit``.
    sample_weight : array-like of shape (n_samples,), default=None
        As for ``fit``.
    backward : callable, default=None
        Your own backward pass, checked instead of the package's:
        ``backward(cache, Y, parameters) -> {"dW1": …, "db1": …}``; ``cache``
        holds ``"A0"`` (Xᵀ), ``"Z1"``, ``"A1"``, …, ``Y`` is (n[L], m) and
        ``parameters`` the ``"W1"``, ``"b1"``, … (copies).
    epsilon : float, default=1e-7
        ε, the course's: error O(ε²), still resolved by float64's J.
    thresholds : (float, float), default=(1e-7, 1e-5)
        (good, wrong): "correct" at most good (or when every entry agrees
        within what the rounding of J can tell, ``resolution``), "wrong"
        above wrong, "look closer" between, "too small to tell" when every
        entry is below the resolution (the vanishing gradients of deep
        layers at randn·0.01). Samples at a ReLU kink (z within ε of 0) are
        left out (``left_out``): there is no derivative to check.

    Returns
    -------
    check : GradientCheck
        ``passed``, ``wrong`` (names), ``differences``, ``gradients``,
        ``approximations``; ``print(check)`` shows the table.

    See Also
    --------
    one_iteration : Every array of one iteration, gradients included.

    Examples
    --------
    >>> from sknnbasics import ShallowNetClassifier, check_gradients, lecture
    >>> from sknnbasics.datasets import make_flower
    >>> X, y = make_flower(n_samples=40, random_state=0)
    >>> net = lecture(ShallowNetClassifier, init="xavier", random_state=0)
    >>> check = check_gradients(net, X, y)
    >>> check.passed, check.difference < 1e-7
    (True, True)

    A backward pass with a mistake, the tanh derivative forgotten in dZ[1]:

    >>> def my_backward(cache, Y, parameters):
    ...     m = Y.shape[1]
    ...     dZ2 = cache["A2"] - Y
    ...     dZ1 = parameters["W2"].T @ dZ2            # should be ∗ (1 − A1²)
    ...     return {"dW2": dZ2 @ cache["A1"].T / m,
    ...             "db2": dZ2.sum(axis=1, keepdims=True) / m,
    ...             "dW1": dZ1 @ cache["A0"].T / m,
    ...             "db1": dZ1.sum(axis=1, keepdims=True) / m}
    >>> check = check_gradients(net, X, y, backward=my_backward)
    >>> check.wrong  # print(check) shows the table
    ['W1', 'b1']
    """
    _check_settings(epsilon, thresholds, backward)
    problem = _problem(estimator, X, y, sample_weight, dtype=np.float64,
                       caller="check_gradients")
    return _run_check(problem, backward, epsilon, thresholds)


def _run_check(problem, backward, epsilon, thresholds):
    """The check of :func:`check_gradients` on a prepared problem."""
    with np.errstate(over="ignore"):
        kinked = _kinks(problem, epsilon)
        if kinked.all():
            raise ValueError(
                f"Every one of the {kinked.size} samples has a ReLU "
                f"pre-activation z at (or within ε of) 0, where ReLU has no "
                f"derivative, so no sample is left to check the gradients on. "
                f"Check at other weights: another random_state, init='he', or "
                f"a fitted model."
            )
        if kinked.any():
            problem = _columns(problem, ~kinked)
        grads = _analytic(problem, backward)
        approx = _central_differences(problem, epsilon)
        cost = compute_cost(
            forward_propagation(problem.X, problem.parameters, problem.hidden,
                                problem.output),
            problem.Y, problem.parameters, problem.output, problem.s,
            problem.alpha)
    names = list(problem.parameters)
    gradients = {f"d{n}": np.asarray(grads[f"d{n}"], dtype=np.float64)
                 for n in names}
    resolution = _resolution(cost, epsilon)
    return GradientCheck(
        gradients=gradients, approximations=approx,
        differences={n: relative_difference(gradients[f"d{n}"], approx[f"d{n}"])
                     for n in names},
        difference=relative_difference(
            np.concatenate([np.ravel(gradients[f"d{n}"]) for n in names]),
            np.concatenate([np.ravel(approx[f"d{n}"]) for n in names])),
        verdicts={n: _verdict(gradients[f"d{n}"], approx[f"d{n}"], thresholds,
                              resolution) for n in names},
        thresholds=tuple(float(t) for t in thresholds), epsilon=float(epsilon),
        resolution=resolution, cost=float(cost),
        n_samples=int(kinked.size - kinked.sum()),
        left_out=np.flatnonzero(kinked))


def _columns(problem, keep):
    """``problem`` on the columns (samples) ``keep`` only."""
    return replace(problem, X=problem.X[:, keep], Y=problem.Y[:, keep],
                   s=None if problem.s is None else problem.s[keep])


def _check_settings(epsilon, thresholds, backward):
    if isinstance(epsilon, bool) or not (isinstance(epsilon, Real)
                                         and 0 < epsilon < 1):
        raise ValueError(
            f"epsilon must be a number between 0 and 1 (the course's is 1e-7); "
            f"got {epsilon!r}."
        )
    try:
        good, wrong = (float(t) for t in thresholds)
        valid = 0 < good <= wrong
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(
            f"thresholds must be two numbers (good, wrong) with 0 < good <= "
            f"wrong, e.g. (1e-7, 1e-5); got {thresholds!r}."
        )
    if backward is not None and not callable(backward):
        raise TypeError(
            f"backward must be a function backward(cache, Y, parameters) -> "
            f"{{'dW1': …, 'db1': …}}, or None for the package's; got "
            f"{type(backward).__name__}."
        )
