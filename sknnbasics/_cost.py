"""Output layers: the last activation g[L], its cost J and dZ[L] (lecture §二, §三).

An output layer pairs an activation with the loss it is trained with, because
the pair is what makes the lecture's first backward step so simple:

* sigmoid + cross-entropy (two classes, §二; one unit per label for
  multilabel targets, the cross-entropies summed over the labels): dZ[L] = A[L] - Y;
* softmax + multinomial cross-entropy (one unit per class, §一(C)): dZ[L] = A[L] - Y;
* identity + squared loss ½(ŷ - y)² (regression, §三 (2)): dZ[L] = A[L] - Y;
* ReLU + squared loss (positive targets, §三 (2)): dZ[L] = (A[L] - Y) * ReLU'(Z[L]);
* exp + half Poisson deviance (counts, y >= 0): dZ[L] = A[L] - Y.

Every cost is computed from the pre-activation Z[L] rather than from A[L], so
that ``log`` never sees 0 and nothing overflows for any finite Z[L]:
``-log σ(z) = log(1 + e^{-z}) = max(-z, 0) + log1p(e^{-|z|})``.

Shapes are the lecture's: Z[L], A[L] and Y are (n[L], m); the optional sample
weights ``s`` are (m,). With weights the cost is J = Σ sᵢ Lᵢ / Σ sᵢ; without,
Σ sᵢ = m and it is the lecture's J = (1/m) Σ Lᵢ.

Arrays of another Array API library take the same formulas as plain ``xp``
operations (no ``out`` or ``work`` buffers; see :mod:`sknnbasics._array_api`).
"""

import math

import numpy as np
from scipy.special import xlogy
from sklearn.utils._array_api import _xlogy

from ._activations import relu, sigmoid
from ._array_api import asnumpy, namespace


def _weighted_mean(losses, s):
    """(1/m) Σ Lᵢ, or Σ sᵢ Lᵢ / Σ sᵢ when weights ``s`` are given."""
    xp, is_numpy = namespace(losses)
    if not is_numpy:
        if s is None:
            m = losses.shape[0]
            return float(xp.sum(losses)) / m if m else math.nan
        return float(xp.sum(losses * s) / xp.sum(s))
    if s is None:
        return float(np.add.reduce(losses)) / losses.size if losses.size else np.nan
    return float(np.dot(losses, s) / np.sum(s))


def _elementwise_logistic_loss(Z, Y, out, work):
    """max(z, 0) − y z + log(1 + e^{−|z|}) for every entry of Z, into ``out``
    (shaped like Z); ``work``, shaped like Z too, is scratch."""
    out = np.maximum(Z, 0, out=out)
    t = np.multiply(Y, Z, out=work)
    out -= t
    # t := log(1 + e^{-|z|}), in place
    np.abs(Z, out=t)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    out += t
    return out


def logistic_loss(Z, Y, out=None, work=None):
    r"""Per-sample cross-entropy of sigmoid units, from their logits.

    .. math:: \mathcal{L}(\hat y, y) = -\sum_k (y_k \log \hat y_k
              + (1-y_k) \log(1-\hat y_k)), \quad \hat y_k = \sigma(z_k)

    each term of which simplifies to :math:`\max(z, 0) - y z + \log(1 +
    e^{-|z|})`. One unit (two classes, ``Z`` and ``Y`` of shape (1, m)) or one
    unit per label (multilabel, (n_labels, m)), the labels' losses summed.
    Returns (m,), written into ``out`` when given; ``work`` is scratch: (m,)
    for one unit, a pair shaped like ``Z`` for several.
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        losses = (xp.maximum(Z, xp.zeros_like(Z)) - Y * Z
                  + xp.log1p(xp.exp(-xp.abs(Z))))
        return xp.sum(losses, axis=0)
    if Z.shape[0] == 1:
        row = None if out is None else out.reshape(1, -1)
        scratch = None if work is None else work.reshape(1, -1)
        return _elementwise_logistic_loss(Z, Y, row, scratch)[0]
    P, Q = (None, None) if work is None else work
    P = _elementwise_logistic_loss(Z, Y, P, Q)
    return np.sum(P, axis=0, out=out)


def softmax(Z, out=None):
    r"""Softmax over the units (axis 0): :math:`a_k = e^{z_k} / \sum_j e^{z_j}`.

    The column maximum is subtracted first, which changes nothing mathematically
    and keeps every exponent at most 0.
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        E = xp.exp(Z - xp.max(Z, axis=0, keepdims=True))
        return E / xp.sum(E, axis=0, keepdims=True)
    out = np.subtract(Z, Z.max(axis=0, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=0, keepdims=True)
    return out


def log_softmax(Z, out=None, work=None):
    r""":math:`\log a_k = z_k - \log \sum_j e^{z_j}`, computed stably.

    ``out`` (shaped like ``Z``) receives the result; ``work`` is a pair of
    scratch arrays, one shaped like ``Z`` and one (m,).
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        shifted = Z - xp.max(Z, axis=0, keepdims=True)
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=0, keepdims=True))
    e, column = (None, None) if work is None else work
    column = np.max(Z, axis=0, out=column)
    shifted = np.subtract(Z, column, out=out)
    e = np.exp(shifted, out=e)
    np.sum(e, axis=0, out=column)
    shifted -= np.log(column, out=column)
    return shifted


def log_sigmoid(Z):
    r""":math:`\log \sigma(z) = -\log(1 + e^{-z})`, computed stably."""
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return xp.minimum(Z, xp.zeros_like(Z)) - xp.log1p(xp.exp(-xp.abs(Z)))
    return np.minimum(Z, 0) - np.log1p(np.exp(-np.abs(Z)))


def softmax_loss(Z, Y, out=None, work=None):
    r"""Per-sample multinomial cross-entropy :math:`-\sum_k y_k \log a_k`.

    ``Z`` and the one-hot ``Y`` are (K, m); returns (m,), written into ``out``
    when given (``work``: two scratch arrays shaped like ``Z``).
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return -xp.sum(log_softmax(Z) * Y, axis=0)
    P, Q = (None, None) if work is None else work
    log_a = log_softmax(Z, out=P, work=(Q, out))
    log_a *= Y
    out = np.sum(log_a, axis=0, out=out)
    return np.negative(out, out=out)


def poisson_loss(Z, A, Y, out=None, work=None):
    r"""Per-sample half Poisson deviance of exp outputs :math:`\hat y = e^z`,
    summed over the outputs:

    .. math:: \mathcal{L}(\hat y, y) = \sum_k \bigl(y_k \log(y_k / \hat y_k)
              - y_k + \hat y_k\bigr)
              = \sum_k \bigl(e^{z_k} - y_k z_k + y_k \log y_k - y_k\bigr)

    (:math:`0 \log 0 = 0`), MLPRegressor's ``loss="poisson"``; it is 0 when
    ŷ = y. Only :math:`e^z - y z` depends on the weights; the rest makes the
    loss a deviance. Computed from ``Z`` (log ŷ) so that ``log`` never sees
    ŷ = 0. ``Z``, ``A`` = e^Z and ``Y`` are (n[L], m); returns (m,), written
    into ``out`` when given (``work``: a pair of scratch arrays shaped like A).
    """
    xp, is_numpy = namespace(Z)
    if not is_numpy:
        return xp.sum((A - Y * Z) + (_xlogy(Y, Y, xp=xp) - Y), axis=0)
    P, Q = (None, None) if work is None else work
    P = np.multiply(Y, Z, out=P)
    np.subtract(A, P, out=P)  # e^z − y z
    Q = xlogy(Y, Y, out=Q)
    Q -= Y  # y log y − y
    P += Q
    return np.sum(P, axis=0, out=out)


def squared_loss(A, Y, out=None, work=None):
    r"""Per-sample squared loss :math:`\tfrac12 \lVert \hat y - y \rVert^2`, summed
    over the outputs (§二 平方误差). ``A`` and ``Y`` are (n[L], m); returns (m,),
    written into ``out`` when given (``work``: scratch shaped like ``A``)."""
    xp, is_numpy = namespace(A)
    if not is_numpy:
        diff = A - Y
        return 0.5 * xp.sum(diff * diff, axis=0)
    diff = np.subtract(A, Y, out=work)
    diff *= diff
    out = np.sum(diff, axis=0, out=out)
    out *= 0.5
    return out


class OutputLayer:
    """The last layer of a network: its activation g[L], cost and dZ[L].

    Parameters
    ----------
    name : {"logistic", "softmax", "identity", "relu", "exp"}
        ``"logistic"``: sigmoid units with cross-entropy, one for two classes
        or one per label (multilabel), the labels' losses summed;
        ``"softmax"``: one unit per class, multinomial cross-entropy;
        ``"identity"`` / ``"relu"``: linear or ReLU outputs, squared loss;
        ``"exp"``: ŷ = e^z with the half Poisson deviance (counts, y >= 0).
    """

    _NAMES = ("logistic", "softmax", "identity", "relu", "exp")

    def __init__(self, name):
        if name not in self._NAMES:
            raise ValueError(
                f"Unknown output layer {name!r}; allowed: {list(self._NAMES)}."
            )
        self.name = name

    def g(self, Z, out=None):
        """A[L] = g[L](Z[L])."""
        if self.name == "logistic":
            return sigmoid(Z, out=out)
        if self.name == "softmax":
            return softmax(Z, out=out)
        if self.name == "relu":
            return relu(Z, out=out)
        xp, is_numpy = namespace(Z)
        if self.name == "exp":
            return np.exp(Z, out=out) if is_numpy else xp.exp(Z)
        if not is_numpy:
            return xp.asarray(Z, copy=True)
        if out is None:
            return Z.copy()
        np.copyto(out, Z)
        return out

    def cost(self, Z, A, Y, s=None, work=None):
        """J: the (weighted) mean loss over the m samples, a Python float.

        ``work``, optional, is scratch for the per-sample losses: a tuple
        ``(losses, P, Q)`` with ``losses`` (m,) and ``P``, ``Q`` shaped like
        ``Z``, so that training computes J without allocating.
        """
        losses, P, Q = (None, None, None) if work is None else work
        if self.name == "logistic" and Z.shape[0] == 1:
            losses = logistic_loss(Z, Y, out=losses, work=None if P is None else P[0])
        elif self.name == "logistic":
            losses = logistic_loss(Z, Y, out=losses, work=(P, Q))
        elif self.name == "softmax":
            losses = softmax_loss(Z, Y, out=losses, work=(P, Q))
        elif self.name == "exp":
            losses = poisson_loss(Z, A, Y, out=losses, work=(P, Q))
        else:
            losses = squared_loss(A, Y, out=losses, work=P)
        return _weighted_mean(losses, s)

    def baseline_cost(self, Y, s=None):
        """J of the best prediction that ignores X: the same ŷ for every sample.

        For cross-entropy that ŷ is the (weighted) class frequencies p, and J
        is their entropy −Σₖ pₖ log pₖ (two classes: −p log p − (1−p) log(1−p));
        several sigmoid units (multilabel) sum the two-class entropy of each
        label. For the squared loss ŷ is the (weighted) mean of Y, and J is
        half the variance, summed over the outputs; for the Poisson deviance ŷ
        is that mean ȳ too, and J = mean(y log y) − ȳ log ȳ per output. A
        trained network whose J is no lower has learned nothing from the
        features. Arrays of another library are computed in NumPy (a few
        numbers, once per fit).
        """
        Y = np.asarray(asnumpy(Y), dtype=np.float64)
        w = None if s is None else np.asarray(asnumpy(s), dtype=np.float64)
        mean = np.average(Y, axis=1, weights=w)
        if self.name == "logistic":
            p = np.concatenate([mean, 1.0 - mean])  # each label's two classes
            return float(-np.sum(xlogy(p, p)))
        if self.name == "softmax":
            return float(-np.sum(xlogy(mean, mean)))
        if self.name == "exp":
            # mean(y log(y/ȳ) − y + ȳ) = mean(y log y) − ȳ log ȳ
            y_log_y = np.average(xlogy(Y, Y), axis=1, weights=w)
            return float(np.sum(y_log_y - xlogy(mean, mean)))
        variance = np.average((Y - mean[:, None]) ** 2, axis=1, weights=w)
        return float(0.5 * np.sum(variance))

    def dZ(self, Z, A, Y, out=None):
        """dZ[L] = ∂(m·J)/∂Z[L], per sample, before any sample weighting.

        The sigmoid's σ' = a(1 - a) cancels the 1/(a(1 - a)) of the
        cross-entropy's derivative, and softmax's Jacobian cancels its
        multinomial cross-entropy the same way; the squared loss' derivative is
        ŷ - y with an identity output, and the Poisson deviance's
        ∂(e^z − y z)/∂z = e^z − y with an exp output (each loss meets its
        canonical link): all four leave A[L] - Y. A ReLU output keeps its own
        g'(Z[L]) factor.
        """
        xp, is_numpy = namespace(A)
        if not is_numpy:
            dZ = A - Y
            return dZ * xp.astype(Z > 0, dZ.dtype) if self.name == "relu" else dZ
        out = np.subtract(A, Y, out=out)
        if self.name == "relu":
            out *= Z > 0  # times ReLU'(Z[L]): 1 for z > 0, else 0 (z = 0 too)
        return out
