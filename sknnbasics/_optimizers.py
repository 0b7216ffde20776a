"""Update rules: how W[l] and b[l] move once backward propagation has given
dW[l] and db[l] (lecture §二 梯度下降, and what came after it).

The lecture's rule is gradient descent with a learning rate α::

    W[l] := W[l] − α dW[l]          b[l] := b[l] − α db[l]

The rules below keep that shape and add state that lives beside the weights,
one array per parameter, named after the lecture's notation (``v_dW1`` is the
velocity of W[1]). Each is written in the exact form scikit-learn's
MLPClassifier uses, so that the same weights, data and hyperparameters give
the same numbers; where that form differs from the one usually taught, the
docstring says how and why.

An optimizer is created for a ``fit`` (a fresh state, as MLPClassifier does,
also with ``warm_start``); its :meth:`state` (a dict of arrays and numbers,
which pickles and persists with skops like the weights) is kept on the
estimator, and the next ``partial_fit`` continues from it. Its
``learning_rate`` is the current α, which a schedule (:func:`invscaling_rate`,
the ``"adaptive"`` division) may change between iterations.

The state arrays are made with ``zeros_like`` of the weights, so they live in
the weights' array library and on their device (NumPy, PyTorch on a GPU, …).
"""

import math

from ._array_api import namespace

SOLVERS = ("gd", "adam", "lbfgs")
SCHEDULES = ("constant", "invscaling", "adaptive")


class GradientDescent:
    r"""The lecture's gradient descent, with optional (Nesterov) momentum.

    With ``momentum=0`` the update is exactly the lecture's
    W := W − α dW, computed as one in-place subtraction (bit for bit what
    :func:`~sknnbasics._network.update_parameters` does).

    With a momentum μ > 0 each parameter has a velocity, starting at 0, and
    the update is classical momentum in the form MLPClassifier uses::

        v_dW := μ v_dW − α dW
        W    := W + v_dW                      (nesterov=False)
        W    := W + μ v_dW − α dW             (nesterov=True)

    The form usually taught, v_dW := β v_dW + (1 − β) dW followed by
    W := W − α v_dW, is an exponentially weighted average of the gradients;
    with a constant α it is the same trajectory as the form above with μ = β
    and α scaled by (1 − β). MLPClassifier's form is kept because its α is
    the step of the first update (as in the lecture's rule) and because a
    schedule that changes α then only changes the new gradient's share, as
    it does in MLPClassifier.

    Parameters
    ----------
    parameters : dict
        ``"W1"``, ``"b1"``, …: only their shapes and dtypes are used.
    learning_rate : float
        α.
    momentum : float
        μ in [0, 1).
    nesterov : bool
        Nesterov's momentum: the step looks ahead along the new velocity.
    """

    name = "gd"

    def __init__(self, parameters, learning_rate, momentum=0.0, nesterov=True):
        self.learning_rate = float(learning_rate)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity = ({f"v_d{name}": namespace(value)[0].zeros_like(value)
                          for name, value in parameters.items()}
                         if self.momentum else None)

    def state(self):
        """α and the velocities, as a dict (the arrays themselves)."""
        return {"solver": self.name, "learning_rate": self.learning_rate,
                **(self.velocity or {})}

    def restore(self, state):
        """Continue from :meth:`state` (velocities kept when shapes fit)."""
        self.learning_rate = float(state["learning_rate"])
        if self.velocity is not None:
            _adopt(self.velocity, state)

    def update(self, parameters, grads):
        """Move ``parameters`` in place by one step along ``grads``."""
        alpha = self.learning_rate
        if self.velocity is None:  # the lecture's rule
            for name, value in parameters.items():
                value -= alpha * grads[f"d{name}"]
            return parameters
        mu = self.momentum
        for name, value in parameters.items():
            d = grads[f"d{name}"]
            v = self.velocity[f"v_d{name}"]
            v *= mu
            v -= alpha * d  # v_dW := μ v_dW − α dW
            if self.nesterov:
                step = mu * v
                step -= alpha * d
                value += step
            else:
                value += v
        return parameters


class Adam:
    r"""Adam (Kingma & Ba 2014): momentum and RMSprop with bias correction.

    Each parameter has a first moment v_dW and a second moment s_dW, both
    starting at 0, and t counts the updates::

        t    := t + 1
        v_dW := β₁ v_dW + (1 − β₁) dW
        s_dW := β₂ s_dW + (1 − β₂) dW²
        α_t  := α √(1 − β₂ᵗ) / (1 − β₁ᵗ)
        W    := W − α_t v_dW / (√s_dW + ε)

    This is the form MLPClassifier uses (section 2 of the paper): the bias
    corrections v_dW/(1 − β₁ᵗ) and s_dW/(1 − β₂ᵗ) are folded into α_t, so ε
    is added to √s_dW rather than to the corrected √(s_dW/(1 − β₂ᵗ)). The two
    differ only in how much ε weighs during the first updates.

    Parameters
    ----------
    parameters : dict
        ``"W1"``, ``"b1"``, …: only their shapes and dtypes are used.
    learning_rate : float
        α.
    beta_1, beta_2 : float
        β₁, β₂ in [0, 1).
    epsilon : float
        ε > 0.
    """

    name = "adam"

    def __init__(self, parameters, learning_rate, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-8):
        self.learning_rate = float(learning_rate)
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = float(epsilon)
        self.t = 0
        self.v = {f"v_d{name}": namespace(value)[0].zeros_like(value)
                  for name, value in parameters.items()}
        self.s = {f"s_d{name}": namespace(value)[0].zeros_like(value)
                  for name, value in parameters.items()}

    def state(self):
        """α, t and both moments, as a dict (the arrays themselves)."""
        return {"solver": self.name, "learning_rate": self.learning_rate,
                "t": self.t, **self.v, **self.s}

    def restore(self, state):
        """Continue from :meth:`state`."""
        self.learning_rate = float(state["learning_rate"])
        self.t = int(state["t"])
        _adopt(self.v, state)
        _adopt(self.s, state)

    def update(self, parameters, grads):
        """Move ``parameters`` in place by one Adam step along ``grads``."""
        beta_1, beta_2 = self.beta_1, self.beta_2
        self.t += 1
        alpha_t = (self.learning_rate * math.sqrt(1 - beta_2 ** self.t)
                   / (1 - beta_1 ** self.t))
        for name, value in parameters.items():
            d = grads[f"d{name}"]
            v, s = self.v[f"v_d{name}"], self.s[f"s_d{name}"]
            v *= beta_1
            v += (1 - beta_1) * d
            s *= beta_2
            s += (1 - beta_2) * (d * d)
            value -= alpha_t * v / (namespace(s)[0].sqrt(s) + self.epsilon)
        return parameters


def _adopt(arrays, state):
    """Take the arrays of ``state`` whose names and shapes match ``arrays``."""
    for name, value in arrays.items():
        saved = state.get(name)
        if saved is not None and saved.shape == value.shape:
            arrays[name] = saved


def make_optimizer(solver, parameters, learning_rate, *, momentum=0.0,
                   nesterov=True, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                   state=None):
    """A :class:`GradientDescent` (``solver="gd"``) or :class:`Adam`: fresh,
    or continuing ``state`` (what :meth:`state` returned) when it is the same
    solver's."""
    if solver == "gd":
        optimizer = GradientDescent(parameters, learning_rate, momentum, nesterov)
    elif solver == "adam":
        optimizer = Adam(parameters, learning_rate, beta_1, beta_2, epsilon)
    else:
        optimizer = None
    if optimizer is not None:
        if state is not None and state.get("solver") == solver:
            optimizer.restore(state)
        return optimizer
    raise ValueError(
        f"Unknown solver {solver!r} for an update rule; allowed: ['gd', 'adam'] "
        f"('lbfgs' is not a step-by-step rule)."
    )


def invscaling_rate(learning_rate, samples_seen, power_t):
    r"""α / (t + 1)^power_t, where t counts the samples trained on so far.

    The ``"invscaling"`` schedule sets α to this after every iteration, as
    MLPClassifier does (its t_ counts samples, not updates).
    """
    return float(learning_rate) / (samples_seen + 1) ** power_t


# "adaptive": α is divided by this when the monitored cost stalls, and
# training stops instead once α is at or below the floor (MLPClassifier's)
ADAPTIVE_FACTOR = 5.0
ADAPTIVE_FLOOR = 1e-6
