r"""
Why not the squared loss: a non-convex cost
===========================================

The lecture (§二 逻辑回归的损失函数) first writes the squared loss
:math:`\mathcal{L}(\hat y, y) = \frac12(\hat y - y)^2`, then drops it for
logistic regression: "使用这个损失函数将得到一个非凸函数，最终将存在很多局部
最优解，这种情况下使用梯度下降将无法获得最优解". Here is that sentence drawn:
the cost :math:`J(w, b)` of a sigmoid unit with the squared loss and with the
cross-entropy, on the same six points.
"""

# %%
# Six points on a line
# --------------------
# One feature, so that the weight w is a single number; one point far out at
# x = 4.1 with label 0, five near the origin with mixed labels.
import matplotlib.pyplot as plt
import numpy as np

from sknnbasics._activations import sigmoid
from sknnbasics._cost import logistic_loss, squared_loss

x = np.array([4.1, 0.2, -0.2, -0.5, -0.2, -0.6])
y = np.array([0, 1, 0, 0, 1, 0])
Y = y[None, :].astype(float)


def J_squared(w, b):
    """(1/m) Σ ½(σ(w x + b) − y)², with the package's own squared loss."""
    return squared_loss(sigmoid((w * x + b)[None, :]), Y).mean()


def J_cross_entropy(w, b):
    """(1/m) Σ −(y log σ + (1 − y) log(1 − σ)), the package's cross-entropy."""
    return logistic_loss((w * x + b)[None, :], Y).mean()


# %%
# A slice: J(w) with b = 0
# ------------------------
# A local minimum is where J′ changes sign from − to +. The squared loss has
# two, and flat plateaus at both ends where :math:`\sigma` saturates and the
# slope is almost 0; the cross-entropy has one minimum and keeps rising.
w = np.linspace(-12, 12, 1201)
curves = {"squared loss": np.array([J_squared(v, 0.0) for v in w]),
          "cross-entropy": np.array([J_cross_entropy(v, 0.0) for v in w])}
minima = {}
for name, J in curves.items():
    slope = np.diff(J)
    minima[name] = np.flatnonzero((slope[:-1] < 0) & (slope[1:] > 0)) + 1
    print(f"{name:>14}: local minima at w = {np.round(w[minima[name]], 2)}, "
          f"J = {np.round(J[minima[name]], 4)}")

# %%
# Gradient descent from two starts
# --------------------------------
# The same α and N for both costs; the derivatives are those of the two
# losses through the sigmoid: :math:`\frac1m\sum (a - y)\,a(1 - a)\,x` for the
# squared loss (the factor :math:`a(1-a)` is what flattens it) and
# :math:`\frac1m\sum (a - y)\,x` for the cross-entropy.


def descend(name, w0, learning_rate=2.0, n_iter=300):
    path = [w0]
    for _ in range(n_iter):
        a = sigmoid(path[-1] * x)
        dz = (a - y) * a * (1 - a) if name == "squared loss" else a - y
        path.append(path[-1] - learning_rate * np.mean(dz * x))
    return np.array(path)


starts = [-3.0, 2.0]
paths = {(name, w0): descend(name, w0) for name in curves for w0 in starts}
for (name, w0), path in paths.items():
    print(f"{name:>14}, start w = {w0:+.0f}: ends at w = {path[-1]:+.2f}")

# %%
# The figure
# ----------
# Top: the slice with the local minima (dots) and the two descents (crosses).
# Bottom: J(w, b) over the plane; the squared loss is a landscape of plateaus
# and valleys, the cross-entropy a single bowl.
ww, bb = np.meshgrid(np.linspace(-12, 12, 121), np.linspace(-8, 8, 81))
surfaces = {"squared loss": np.vectorize(J_squared)(ww, bb),
            "cross-entropy": np.vectorize(J_cross_entropy)(ww, bb)}

fig, axes = plt.subplots(2, 2, figsize=(8, 6.8))
for column, (name, J) in zip(axes.T, curves.items(), strict=True):
    ax = column[0]
    ax.plot(w, J, color="k")
    ax.plot(w[minima[name]], J[minima[name]], "o", color="tab:red", ms=8,
            label="local minimum")
    for w0, color in zip(starts, ["tab:blue", "tab:green"], strict=True):
        path = paths[(name, w0)]
        J_path = [J_squared(v, 0) if name == "squared loss" else
                  J_cross_entropy(v, 0) for v in path]
        ax.plot(path, J_path, "x", color=color, ms=4,
                label=f"gradient descent from w = {w0:+.0f}")
    if name == "squared loss":
        for side in (-12, 8):
            ax.axvspan(side, side + 4, color="0.9")
        ax.text(-11.5, J.max() * 0.93, "flat", fontsize=9)
        ax.text(8.5, J.max() * 0.93, "flat", fontsize=9)
    ax.set(title=f"sigmoid + {name}: J(w, b = 0)", xlabel="w", ylabel="J")
    ax.legend(fontsize=8)
    ax = column[1]
    levels = np.quantile(surfaces[name], np.linspace(0, 1, 25))
    contour = ax.contourf(ww, bb, surfaces[name], levels=np.unique(levels),
                          cmap="viridis")
    fig.colorbar(contour, ax=ax)
    ax.set(title=f"sigmoid + {name}: J(w, b)", xlabel="w", ylabel="b")
fig.tight_layout()
plt.show()

# %%
# What the figure shows
# ---------------------
# * **Squared loss**: two valleys. Started at w = −3, gradient descent settles
#   in the lower one; started at w = +2, it heads into the other, a local
#   minimum with a higher cost, and stays there: every step there points back
#   into it. Far out, :math:`a(1-a) \approx 0` makes the cost flat, so a start
#   out there barely moves at all.
# * **Cross-entropy**: one minimum, reached from both starts. Its cost is
#   convex (§二 逻辑回归的总结: "其成本函数是一个凸函数，可以求得全局最小值"),
#   so every α small enough leads to the same place; the test
#   ``test_squared_loss_is_not_convex_and_cross_entropy_is`` in
#   ``tests/test_lecture_claims.py`` checks both along many lines through J.
#
# This is why :class:`~sknnbasics.LogisticGD` and the classifiers use the
# cross-entropy; the squared loss stays where it belongs, in the regressors
# (:class:`~sknnbasics.ShallowNetRegressor`), whose output is linear.
