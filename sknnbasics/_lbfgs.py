"""scipy's L-BFGS-B on the lecture's J and gradients: the objective and the
callback of one :func:`~sknnbasics._training.lbfgs` call on NumPy arrays.

The weights travel as one float64 vector in MLPClassifier's layout
(:func:`_pack`, :func:`_unpack`); J and its gradient are the ones one
iteration of gradient descent computes (:func:`_cost_and_gradients`).
"""

import math

import numpy as np

from ._array_api import copy_into
from ._network import l2_penalty
from ._workspace import _cost_and_gradients, _Workspace


class _StopRequested(Exception):
    """Raised from L-BFGS's callback when a hook asks training to stop."""


class _NotFinite(Exception):
    """Raised from L-BFGS's callback when scipy accepts an iterate whose J,
    weights or gradient are inf or NaN: training stops at the one before."""


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



class _LBFGSRun:
    """One call of :func:`lbfgs` on NumPy arrays: scipy's objective and
    callback, and the history they fill in."""

    def __init__(self, parameters, X, Y, s, history, *, hidden, output,
                 max_iter, max_fun, tol, alpha, hooks):
        self.parameters, self.X, self.Y, self.s = parameters, X, Y, s
        self.history, self.hooks = history, hooks
        self.hidden, self.output, self.alpha = hidden, output, alpha
        self.max_iter, self.max_fun, self.tol = max_iter, max_fun, tol
        self.m = X.shape[1] if s is None else float(np.sum(s))
        self.workspace = _Workspace(parameters, X, Y, s, X.shape[1])
        self.start_of_fit = {name: value.copy() for name, value in
                             parameters.items()}
        self.evaluated = {}  # the latest evaluation: x, J and the first J
        self.accepted = {"x": _pack(parameters)}
        # an evaluation since the last accepted iterate was inf or NaN
        self.rejected = False
        self.start = len(history.loss_curve)

    def cost_and_gradient(self, x):
        """scipy's objective: J and its gradient, packed, at the vector x.

        Where the weights, J or the gradient are inf or NaN, J is reported
        as inf (so that L-BFGS's line search backs off) and the point is
        marked ``"not_finite"``, never to be accepted."""
        J, gradient = math.inf, None
        if np.all(np.isfinite(x)):
            _unpack(x, self.parameters)
            J, grads = _cost_and_gradients(self.workspace, self.X, self.Y,
                                           self.s, self.m, self.parameters,
                                           self.hidden, self.output, self.alpha)
            if grads is not None:
                gradient = _pack({name[1:]: value for name, value in grads.items()
                                  if name[1] in "Wb" and name[2:].isdigit()})
        if "J0" not in self.evaluated:
            self.evaluated["J0"] = J
        finite = (gradient is not None and math.isfinite(J)
                  and bool(np.all(np.isfinite(gradient))))
        self.evaluated.update(x=x.copy(), J=J if finite else math.inf,
                              not_finite=not finite)
        if not finite:
            self.rejected = True
            return math.inf, np.zeros_like(x)
        return J, gradient

    def after_iteration(self, x):
        """scipy's callback: one iteration accepted at x."""
        history, evaluated, accepted = self.history, self.evaluated, self.accepted
        J = (evaluated["J"] if np.array_equal(x, evaluated.get("x"))
             else self.cost_and_gradient(x)[0])
        if not math.isfinite(J):  # scipy took a step into inf or NaN
            raise _NotFinite
        self.rejected = False
        iteration = self.start + history.n_iter
        history.loss_curve.append(accepted.get("J", evaluated["J0"]))
        accepted.update(x=x.copy(), J=J)
        history.n_iter += 1
        history.updates += 1
        history.samples_seen += self.X.shape[1] if self.s is None else self.m
        if J < history.best_loss:
            history.best_loss, history.best_iteration = J, iteration
        if self.hooks is not None:
            _unpack(x, self.parameters)
            if self.hooks.iteration_end(iteration, history):
                raise _StopRequested
            if history.n_iter < self.max_iter:
                self.hooks.iteration_begin(iteration + 1)

    def minimize(self):
        """Run scipy's L-BFGS-B; the weights of the last accepted iterate."""
        from scipy.optimize import minimize

        history = self.history
        if self.hooks is not None:
            self.hooks.iteration_begin(self.start)
        try:
            result = minimize(
                self.cost_and_gradient, self.accepted["x"], method="L-BFGS-B",
                jac=True, callback=self.after_iteration,
                options={"maxiter": self.max_iter, "maxfun": self.max_fun,
                         "gtol": 0.0 if self.tol is None else self.tol},
            )
        except _StopRequested:
            history.stop_reason = "callback"
        except _NotFinite:
            history.stop_reason = "diverged"
        except KeyboardInterrupt:
            history.stop_reason = "interrupted"
        else:
            history.stop_reason = self.stop_reason(result)
        return self.finish()

    def stop_reason(self, result):
        """Why scipy stopped, in the words of ``TrainingHistory.stop_reason``."""
        J0 = self.evaluated.get("J0")
        if J0 is not None and not math.isfinite(J0):
            return "not_finite_at_start"
        if result.status == 0:
            return "converged"
        if result.status == 1:
            return "max_iter" if self.history.n_iter >= self.max_iter else "max_fun"
        if self.rejected:  # every step the line search tried was inf or NaN
            return "diverged"
        return "no_progress"  # the line search found no lower J: precision's limit

    def finish(self):
        """The last accepted iterate (the start when there was none) and its
        J; the starting weights back when J was not finite there."""
        history, parameters = self.history, self.parameters
        J0 = self.evaluated.get("J0")
        if J0 is None or not math.isfinite(J0):
            copy_into(parameters, self.start_of_fit)
            if history.stop_reason not in ("interrupted", "callback"):
                history.stop_reason = "not_finite_at_start"
            return history
        _unpack(self.accepted["x"], parameters)
        if history.updates:
            history.final_data_loss = history.final_loss = self.accepted["J"]
            if self.alpha:
                penalty = l2_penalty(parameters, self.alpha, self.m)
                history.final_data_loss = self.accepted["J"] - penalty
        history.start_of_last = None
        return history
