"""Output layers: the last activation g[L], its cost J and dZ[L] (lecture §二, §三).

An output layer pairs an activation with the loss it is trained with, because
the pair is what makes the lecture's first backward step so simple:

* sigmoid + cross-entropy (two classes, §二): dZ[L] = A[L] - Y;
* softmax + multinomial cross-entropy (one unit per class, §一(C)): dZ[L] = A[L] - Y;
* identity + squared loss ½(ŷ - y)² (regression, §三 (2)): dZ[L] = A[L] - Y;
* ReLU + squared loss (positive targets, §三 (2)): dZ[L] = (A[L] - Y) * ReLU'(Z[L]).

Every cost is computed from the pre-activation Z[L] rather than from A[L], so
that ``log`` never sees 0 and nothing overflows for any finite Z[L]:
``-log σ(z) = log(1 + e^{-z}) = max(-z, 0) + log1p(e^{-|z|})``.

Shapes are the lecture's: Z[L], A[L] and Y are (n[L], m); the optional sample
weights ``s`` are (m,). With weights the cost is J = Σ sᵢ Lᵢ / Σ sᵢ; without,
Σ sᵢ = m and it is the lecture's J = (1/m) Σ Lᵢ.
"""

import numpy as np

from ._activations import relu, sigmoid


def _weighted_mean(losses, s):
    """(1/m) Σ Lᵢ, or Σ sᵢ Lᵢ / Σ sᵢ when weights ``s`` are given."""
    if s is None:
        return float(np.add.reduce(losses)) / losses.size if losses.size else np.nan
    return float(np.dot(losses, s) / np.sum(s))


def logistic_loss(Z, Y, out=None, work=None):
    r"""Per-sample cross-entropy of a sigmoid unit, from its logits.

    .. math:: \mathcal{L}(\hat y, y) = -(y \log \hat y + (1-y) \log(1-\hat y)),
              \quad \hat y = \sigma(z)

    which simplifies to :math:`\max(z, 0) - y z + \log(1 + e^{-|z|})`.
    ``Z`` and ``Y`` are (1, m); returns (m,), written into ``out`` when given
    (``work``, also (m,), is scratch).
    """
    z, y = Z[0], Y[0]
    out = np.maximum(z, 0, out=out)
    t = np.multiply(y, z, out=work)
    out -= t
    # t := log(1 + e^{-|z|}), in place
    np.abs(z, out=t)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    out += t
    return out


def softmax(Z, out=None):
    r"""Softmax over the units (axis 0): :math:`a_k = e^{z_k} / \sum_j e^{z_j}`.

    The column maximum is subtracted first, which changes nothing mathematically
    and keeps every exponent at most 0.
    """
    out = np.subtract(Z, Z.max(axis=0, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=0, keepdims=True)
    return out


def log_softmax(Z, out=None, work=None):
    r""":math:`\log a_k = z_k - \log \sum_j e^{z_j}`, computed stably.

    ``out`` (shaped like ``Z``) receives the result; ``work`` is a pair of
    scratch arrays, one shaped like ``Z`` and one (m,).
    """
    e, column = (None, None) if work is None else work
    column = np.max(Z, axis=0, out=column)
    shifted = np.subtract(Z, column, out=out)
    e = np.exp(shifted, out=e)
    np.sum(e, axis=0, out=column)
    shifted -= np.log(column, out=column)
    return shifted


def log_sigmoid(Z):
    r""":math:`\log \sigma(z) = -\log(1 + e^{-z})`, computed stably."""
    return np.minimum(Z, 0) - np.log1p(np.exp(-np.abs(Z)))


def softmax_loss(Z, Y, out=None, work=None):
    r"""Per-sample multinomial cross-entropy :math:`-\sum_k y_k \log a_k`.

    ``Z`` and the one-hot ``Y`` are (K, m); returns (m,), written into ``out``
    when given (``work``: two scratch arrays shaped like ``Z``).
    """
    P, Q = (None, None) if work is None else work
    log_a = log_softmax(Z, out=P, work=(Q, out))
    log_a *= Y
    out = np.sum(log_a, axis=0, out=out)
    return np.negative(out, out=out)


def squared_loss(A, Y, out=None, work=None):
    r"""Per-sample squared loss :math:`\tfrac12 \lVert \hat y - y \rVert^2`, summed
    over the outputs (§二 平方误差). ``A`` and ``Y`` are (n[L], m); returns (m,),
    written into ``out`` when given (``work``: scratch shaped like ``A``)."""
    diff = np.subtract(A, Y, out=work)
    diff *= diff
    out = np.sum(diff, axis=0, out=out)
    out *= 0.5
    return out


class OutputLayer:
    """The last layer of a network: its activation g[L], cost and dZ[L].

    Parameters
    ----------
    name : {"logistic", "softmax", "identity", "relu"}
        ``"logistic"``: one sigmoid unit, cross-entropy (two classes);
        ``"softmax"``: one unit per class, multinomial cross-entropy;
        ``"identity"`` / ``"relu"``: linear or ReLU outputs, squared loss.
    """

    _NAMES = ("logistic", "softmax", "identity", "relu")

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
        if self.name == "logistic":
            losses = logistic_loss(Z, Y, out=losses, work=None if P is None else P[0])
        elif self.name == "softmax":
            losses = softmax_loss(Z, Y, out=losses, work=(P, Q))
        else:
            losses = squared_loss(A, Y, out=losses, work=P)
        return _weighted_mean(losses, s)

    def baseline_cost(self, Y, s=None):
        """J of the best prediction that ignores X: the same ŷ for every sample.

        For cross-entropy that ŷ is the (weighted) class frequencies p, and J
        is their entropy −Σₖ pₖ log pₖ (two classes: −p log p − (1−p) log(1−p));
        for the squared loss it is the (weighted) mean of Y, and J is half the
        variance, summed over the outputs. A trained network whose J is no
        lower has learned nothing from the features.
        """
        Y = np.asarray(Y, dtype=np.float64)
        w = None if s is None else np.asarray(s, dtype=np.float64)
        mean = np.average(Y, axis=1, weights=w)
        if self.name in ("logistic", "softmax"):
            p = np.append(mean, 1.0 - mean[0]) if self.name == "logistic" else mean
            p = p[p > 0]
            return float(-np.sum(p * np.log(p)))
        variance = np.average((Y - mean[:, None]) ** 2, axis=1, weights=w)
        return float(0.5 * np.sum(variance))

    def dZ(self, Z, A, Y, out=None):
        """dZ[L] = ∂(m·J)/∂Z[L], per sample, before any sample weighting.

        The sigmoid's σ' = a(1 - a) cancels the 1/(a(1 - a)) of the
        cross-entropy's derivative, and softmax's Jacobian cancels its
        multinomial cross-entropy the same way; the squared loss' derivative is
        ŷ - y with an identity output: all three leave A[L] - Y. A ReLU output
        keeps its own g'(Z[L]) factor.
        """
        out = np.subtract(A, Y, out=out)
        if self.name == "relu":
            out *= Z > 0  # times ReLU'(Z[L]): 1 for z > 0, else 0 (z = 0 too)
        return out
