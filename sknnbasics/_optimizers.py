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

import numpy as np

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
        self._flat = _FlatMoments.of(parameters)
        if self._flat is not None:
            self.v, self.s = self._flat.views("v_d"), self._flat.views("s_d")
        else:
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
        _adopt(self.v, state, into=self._flat is not None)
        _adopt(self.s, state, into=self._flat is not None)

    def update(self, parameters, grads):
        """Move ``parameters`` in place by one Adam step along ``grads``."""
        beta_1, beta_2 = self.beta_1, self.beta_2
        self.t += 1
        alpha_t = (self.learning_rate * math.sqrt(1 - beta_2 ** self.t)
                   / (1 - beta_1 ** self.t))
        if self._flat is not None:
            self._flat.adam_step(parameters, grads, beta_1, beta_2, alpha_t,
                                 self.epsilon)
            return parameters
        for name, value in parameters.items():
            d = grads[f"d{name}"]
            v, s = self.v[f"v_d{name}"], self.s[f"s_d{name}"]
            v *= beta_1
            v += (1 - beta_1) * d
            s *= beta_2
            s += (1 - beta_2) * (d * d)
            value -= alpha_t * v / (namespace(s)[0].sqrt(s) + self.epsilon)
        return parameters


class _FlatMoments:
    """Adam's moments of every parameter in one contiguous NumPy vector each
    (NumPy's fast path).

    The step is elementwise, so it can run over all parameters at once: the
    gradients are gathered into one vector (a single ``concatenate``) and the
    moments, √s + ε and the step are each a handful of passes over it,
    instead of a dozen small passes per parameter, which on mini-batches of a
    (100, 50) network took a fifth of the time. Every number is computed by
    the same operations in the same order as the per-parameter form above,
    so the results are identical to the last bit; the moments stay
    per-parameter arrays to everyone else (views of the vectors).
    """

    def __init__(self, parameters, dtype):
        self.names = list(parameters)
        self.shapes = [parameters[name].shape for name in self.names]
        self.sizes = [parameters[name].size for name in self.names]
        n = sum(self.sizes)
        self.v, self.s = np.zeros(n, dtype), np.zeros(n, dtype)
        self.g, self.work = np.empty(n, dtype), np.empty(n, dtype)
        self.steps = list(zip(self.names, self._split(self.work), strict=True))

    @classmethod
    def of(cls, parameters):
        """The flat moments for NumPy parameters of one dtype, else None."""
        values = list(parameters.values())
        if not values or not all(type(value) is np.ndarray for value in values):
            return None
        dtype = values[0].dtype
        if any(value.dtype != dtype for value in values):
            return None
        return cls(parameters, dtype)

    def _split(self, flat):
        pieces, start = [], 0
        for shape, size in zip(self.shapes, self.sizes, strict=True):
            pieces.append(flat[start:start + size].reshape(shape))
            start += size
        return pieces

    def views(self, prefix):
        """{"v_dW1": view, …} of the first (``"v_d"``) or second moments."""
        flat = self.v if prefix == "v_d" else self.s
        return {f"{prefix}{name}": piece
                for name, piece in zip(self.names, self._split(flat), strict=True)}

    def adam_step(self, parameters, grads, beta_1, beta_2, alpha_t, epsilon):
        g, v, s, work = self.g, self.v, self.s, self.work
        np.concatenate([grads[f"d{name}"].ravel() for name in self.names],
                       out=g)
        v *= beta_1
        np.multiply(g, 1 - beta_1, out=work)
        v += work  # v := β₁ v + (1 − β₁) dW
        s *= beta_2
        np.multiply(g, g, out=g)
        g *= 1 - beta_2
        s += g  # s := β₂ s + (1 − β₂) dW²
        np.sqrt(s, out=g)
        g += epsilon
        np.multiply(v, alpha_t, out=work)
        np.divide(work, g, out=work)  # α_t v / (√s + ε)
        for name, step in self.steps:
            parameters[name] -= step


def _adopt(arrays, state, into=False):
    """Take the arrays of ``state`` whose names and shapes match ``arrays``
    (``into``: copy their values into the arrays instead, which are views of
    flat vectors)."""
    for name, value in arrays.items():
        saved = state.get(name)
        if saved is not None and saved.shape == value.shape:
            if into:
                np.copyto(value, np.asarray(saved))
            else:
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
    MLPClassifier does (its t_ counts samples, not updates). A ``power_t`` so
    large that α underflows to 0 (MLP raises Python's OverflowError there) is
    refused: training could not move any more.
    """
    try:
        decay = float(samples_seen + 1) ** float(power_t)
    except OverflowError:  # beyond the largest float: α/decay is 0
        decay = math.inf
    rate = float(learning_rate) / decay
    if rate == 0.0 and learning_rate > 0:
        raise ValueError(
            f"learning_rate_schedule='invscaling' with power_t={power_t!r} "
            f"shrinks α = {learning_rate:g} to α / (t + 1)^power_t = 0 (below "
            f"the smallest float) after t = {samples_seen:g} samples, so "
            f"training could not move any more. Use a power_t around 0.5 "
            f"(MLPClassifier's default) or learning_rate_schedule='constant'."
        )
    return rate


# "adaptive": α is divided by this when the monitored cost stalls, and
# training stops instead once α is at or below the floor (MLPClassifier's)
ADAPTIVE_FACTOR = 5.0
ADAPTIVE_FLOOR = 1e-6
