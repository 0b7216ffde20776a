"""Activation functions g(z) and their derivatives g'(z) (lecture §三 激活函数).

Each activation is one :class:`Activation` holding the pair (g, g'), defined
together so the two can never drift apart. Both work elementwise on arrays of
any shape and write into ``out`` when it is given, so the training loop can
reuse its buffers.

The derivative takes both ``Z`` and ``A = g(Z)``: the lecture writes
sigmoid' and tanh' in terms of ``a`` (``a(1 - a)``, ``1 - a**2``), which is
cheaper than recomputing g, while ReLU' and Leaky ReLU' read the sign of ``z``.

Training needs g'(Z[l]) of every hidden layer in backward propagation, so its
forward propagation asks for both at once (:meth:`Activation.g_and_prime`).
For ReLU and Leaky ReLU that is cheaper than the two apart: g'(z) is a
comparison, and g(z) = z·g'(z) is then one multiplication (those two
passes cost less than numpy's ``maximum`` alone).

Arrays of another Array API library (PyTorch, CuPy, array-api-strict) take
the same formulas as plain ``xp`` operations, without ``out`` buffers (see
:mod:`sknnbasics._array_api`).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._array_api import namespace


@dataclass(frozen=True)
class Activation:
    """An activation function g and its derivative g', by name.

    Attributes
    ----------
    name : str
        The name used by the estimators' ``activation`` hyperparameter.
    g : callable ``g(Z, out=None) -> A``
        The activation, elementwise.
    g_prime : callable ``g_prime(Z, A, out=None) -> g'(Z)``
        Its derivative at ``Z``, elementwise; ``A`` must be ``g(Z)``.
    both : callable ``both(Z, out=None, prime_out=None) -> (A, g'(Z))``, optional
        g and g' computed together, where that is cheaper than one after the
        other; see :meth:`g_and_prime`.
    """

    name: str
    g: Callable
    g_prime: Callable
    both: Callable | None = None

    def g_and_prime(self, Z, out=None, prime_out=None):
        """``(g(Z), g'(Z))``, into ``out`` and ``prime_out`` when given.

        The same numbers as ``g`` and ``g_prime`` (for ReLU and Leaky ReLU,
        a negative z gives -0.0 where ``g`` gives 0.0: equal numbers).
        ``out`` may be ``Z`` itself; ``prime_out`` must not overlap ``Z``.
        """
        if self.both is not None:
            return self.both(Z, out=out, prime_out=prime_out)
        A = self.g(Z, out=out)
        return A, self.g_prime(Z, A, out=prime_out)


def sigmoid(Z, out=None):
    r"""The sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, for any finite z.

    Evaluated as written, in four in-place passes over ``out``. For
    ``z < -709`` the term :math:`e^{-z}` overflows to ``inf`` and
    :math:`1 / (1 + \infty) = 0` is the right limit (the true value is below
    1e-308), so that overflow is expected and silenced: the result is finite,
    in [0, 1], and never NaN for finite ``z``.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnbasics._activations import sigmoid
    >>> sigmoid(np.array([0.0, 1e4, -1e4]))
    array([0.5, 1. , 0. ])
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return 1.0 / (1.0 + xp.exp(-Z))
    with np.errstate(over="ignore"):
        if out is None:
            return 1.0 / (1.0 + np.exp(np.negative(Z)))
        np.exp(np.negative(Z, out=out), out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def sigmoid_prime(Z, A, out=None):
    r""":math:`\sigma'(z) = \sigma(z)(1 - \sigma(z)) = a(1 - a)`."""
    if not namespace(A)[1]:
        return (1.0 - A) * A
    out = np.subtract(1.0, A, out=np.empty_like(A) if out is None else out)
    return np.multiply(out, A, out=out)


def tanh(Z, out=None):
    r""":math:`\tanh(z) = (e^{z} - e^{-z}) / (e^{z} + e^{-z})`."""
    xp, is_numpy = namespace(Z)
    return np.tanh(Z, out=out) if is_numpy else xp.tanh(Z)


def tanh_prime(Z, A, out=None):
    r""":math:`\tanh'(z) = 1 - \tanh^2(z) = 1 - a^2`."""
    if not namespace(A)[1]:
        return 1.0 - A * A
    out = np.multiply(A, A, out=np.empty_like(A) if out is None else out)
    return np.subtract(1.0, out, out=out)


def relu(Z, out=None):
    r""":math:`\mathrm{ReLU}(z) = \max(0, z)`."""
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return xp.maximum(Z, xp.zeros_like(Z))
    return np.maximum(Z, 0.0, out=out)


def relu_prime(Z, A, out=None):
    r""":math:`\mathrm{ReLU}'(z) = 1` for :math:`z > 0`, else 0.

    At :math:`z = 0` ReLU has no derivative, and the lecture allows either
    value there ("可以当成1也可以当成0"). This is 0, the choice of the course's
    notebooks and of scikit-learn's MLPClassifier: exact zeros do occur (a
    unit whose inputs are all dead has Z = b = 0 exactly), and only this
    choice reproduces both.
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return xp.astype(Z > 0, Z.dtype)
    if out is None:
        return (Z > 0).astype(Z.dtype)
    return np.greater(Z, 0.0, out=out)


def relu_and_prime(Z, out=None, prime_out=None):
    r"""ReLU and ReLU' together: :math:`g'(z) = [z > 0]`, then
    :math:`g(z) = z\,g'(z)`, which is :math:`z` or :math:`\pm 0`."""
    G = relu_prime(Z, None, out=prime_out)
    return (Z * G if out is None else np.multiply(Z, G, out=out)), G


def leaky_relu(Z, out=None, negative_slope=0.01):
    r"""Leaky ReLU :math:`\max(s z, z)`, slope :math:`s` (the lecture's 0.01) for z < 0.

    For :math:`s \le 1` that is ``maximum(z, s z)``, which picks ``z`` for
    z >= 0 and ``s z`` below; a slope above 1 swaps the two, so it is
    ``minimum(z, s z)``. Either way each element is exactly ``z`` or ``s z``.
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        pick = xp.maximum if negative_slope <= 1 else xp.minimum
        return pick(Z, negative_slope * Z)
    pick = np.maximum if negative_slope <= 1 else np.minimum
    if out is not None and np.may_share_memory(out, Z):  # in place: keep z
        return pick(Z, np.multiply(Z, negative_slope), out=out)
    out = np.multiply(Z, negative_slope, out=np.empty_like(Z) if out is None else out)
    return pick(Z, out, out=out)


def leaky_relu_prime(Z, A, out=None, negative_slope=0.01):
    r"""Leaky ReLU': 1 for :math:`z \ge 0`, the slope :math:`s` otherwise.

    At :math:`z = 0` it takes 1 (the lecture allows either; no reference
    disagrees here, unlike ReLU's, see :func:`relu_prime`).

    For :math:`s \le 1` that is ``maximum([z >= 0], s)`` (two passes, no
    mask); a slope above 1 takes the masked route.
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return xp.where(Z >= 0, xp.ones_like(Z), xp.full_like(Z, negative_slope))
    if out is None:
        out = np.empty_like(Z)
    if negative_slope <= 1:
        return np.maximum(np.greater_equal(Z, 0.0, out=out), negative_slope,
                          out=out)
    out.fill(negative_slope)
    np.copyto(out, 1.0, where=Z >= 0)
    return out


def leaky_relu_and_prime(Z, out=None, prime_out=None, negative_slope=0.01):
    r"""Leaky ReLU and its derivative together: :math:`g(z) = z\,g'(z)`, which
    is exactly ``z`` or ``s z`` as :func:`leaky_relu` gives."""
    G = leaky_relu_prime(Z, None, out=prime_out, negative_slope=negative_slope)
    return (Z * G if out is None else np.multiply(Z, G, out=out)), G


def identity(Z, out=None):
    r""":math:`g(z) = z`: linear, so a network of them is one affine map (§三)."""
    if out is None:
        xp, is_numpy = namespace(Z)
        return np.array(Z, copy=True) if is_numpy else xp.asarray(Z, copy=True)
    if out is not Z:
        np.copyto(out, Z)
    return out


def identity_prime(Z, A, out=None):
    r""":math:`g'(z) = 1`."""
    if out is None:
        return namespace(Z)[0].ones_like(Z)
    out.fill(1.0)
    return out


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime, relu_and_prime),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_prime,
                             leaky_relu_and_prime),
    "identity": Activation("identity", identity, identity_prime),
}


def get_activation(name, negative_slope=0.01):
    """The :class:`Activation` called ``name``; Leaky ReLU gets its slope bound.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnbasics._activations import get_activation
    >>> act = get_activation("leaky_relu", negative_slope=0.1)
    >>> act.g(np.array([-2.0, 3.0]))
    array([-0.2,  3. ])
    """
    try:
        activation = ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"Unknown activation {name!r}; the allowed activations are "
            f"{sorted(ACTIVATIONS)}."
        ) from None
    if name != "leaky_relu":
        return activation

    def g(Z, out=None):
        return leaky_relu(Z, out=out, negative_slope=negative_slope)

    def g_prime(Z, A, out=None):
        return leaky_relu_prime(Z, A, out=out, negative_slope=negative_slope)

    def both(Z, out=None, prime_out=None):
        return leaky_relu_and_prime(Z, out=out, prime_out=prime_out,
                                    negative_slope=negative_slope)

    return Activation(name, g, g_prime, both)
