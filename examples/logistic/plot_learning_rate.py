r"""
Learning rate α: too small, about right, too large
==================================================

Logistic regression is trained by gradient descent (§二 逻辑回归的梯度下降):

.. math::

    w := w - \alpha \frac{\partial J(w, b)}{\partial w}, \qquad
    b := b - \alpha \frac{\partial J(w, b)}{\partial b}

The lecture warns that α "不宜太小也不宜过大": too small and gradient descent
needs many more iterations; too large and it steps over the minimum. Here
:class:`~sknnbasics.LogisticGD` is trained with three values of α on the same
data, and we watch the cost J(w, b) it records in ``loss_curve_`` and the path
that (w₁, w₂) takes on the cost surface. Every model is built with
:func:`sknnbasics.lecture`, which runs exactly the lecture's algorithm:
full-batch gradient descent from w = 0, b = 0, no momentum, no penalty.
"""

# %%
# Data: two correlated features
# -----------------------------
# Two features keep w = (w₁, w₂) small enough to draw. They are correlated,
# which makes the valley of J long and narrow, as it usually is with real
# features; the labels are drawn from a logistic model with w = (2, −1).
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression

from sknnbasics import LogisticGD, lecture
from sknnbasics._cost import logistic_loss

rng = np.random.RandomState(0)
X = rng.multivariate_normal([0, 0], [[1, 0.85], [0.85, 1]], size=300)
y = (rng.uniform(size=300) < 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 1])))).astype(int)

# %%
# Three learning rates
# --------------------
# ``learning_rate="auto"`` picks α = 1/L from a bound L on the curvature of J
# (see :class:`~sknnbasics.LogisticGD`); we take a hundredth of it, it, and
# twelve times it. The lecture runs exactly ``max_iter`` iterations (N, no
# stopping rule), so the three curves have the same length.
auto = lecture(LogisticGD, max_iter=1).fit(X, y).learning_rate_
rates = {"too small": auto / 100, "about right": auto, "too large": 12 * auto}
N = 60

models = {}
for label, alpha in rates.items():
    models[label] = lecture(LogisticGD, learning_rate=alpha, max_iter=N).fit(X, y)
    print(f"{label:>12}: α = {alpha:7.3f}   J after {N} iterations = "
          f"{models[label].loss_curve_[-1]:.4f}")

# the minimum that gradient descent is looking for, from scikit-learn
best = LogisticRegression(C=np.inf).fit(X, y)
J_min = logistic_loss(best.decision_function(X)[None, :], y[None, :]).mean()
print(f"{'minimum':>12}: J = {J_min:.4f}")

# %%
# The path of w on the cost surface
# ---------------------------------
# ``partial_fit`` makes one gradient-descent step per call, so calling it N
# times records every (w₁, w₂) on the way. The contours are J(w₁, w₂, b*) with
# the bias held at its optimum b*, computed with the same cross-entropy the
# estimator uses (:func:`sknnbasics._cost.logistic_loss`).
paths = {}
for label, alpha in rates.items():
    model = lecture(LogisticGD, learning_rate=alpha)
    path = [np.zeros(2)]  # w starts at 0 (§二)
    for _ in range(N):
        model.partial_fit(X, y, classes=[0, 1])
        path.append(model.coef_[0].copy())
    paths[label] = np.array(path)

everything = np.vstack(list(paths.values()))
low, high = everything.min(axis=0) - 0.5, everything.max(axis=0) + 0.5
w1, w2 = np.meshgrid(np.linspace(low[0], high[0], 121),
                     np.linspace(low[1], high[1], 121))
W = np.column_stack([w1.ravel(), w2.ravel()])
Z = W @ X.T + best.intercept_[0]
J_grid = np.array([logistic_loss(z[None, :], y[None, :]).mean() for z in Z])

colors = {"too small": "tab:blue", "about right": "tab:green",
          "too large": "tab:red"}
fig, (ax_cost, ax_path) = plt.subplots(1, 2, figsize=(8, 3.8))
for label, model in models.items():
    ax_cost.plot(model.loss_curve_, color=colors[label],
                 label=f"{label}: α = {rates[label]:.3g}")
ax_cost.axhline(J_min, color="k", ls=":", label="minimum of J")
ax_cost.set(xlabel="iteration", ylabel="cost J(w, b)", yscale="log",
            title="loss_curve_")
ax_cost.legend(loc="upper right")

ax_path.contour(w1, w2, J_grid.reshape(w1.shape), levels=20, cmap="Greys")
for label, path in paths.items():
    ax_path.plot(path[:, 0], path[:, 1], ".-", color=colors[label], lw=1,
                 ms=3, label=label)
ax_path.plot(*best.coef_[0], "k*", ms=14, label="minimum")
ax_path.set(xlabel="w₁", ylabel="w₂", title="w on the contours of J")
ax_path.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %%
# Reading the figure
# ------------------
# * **Too small**: every step is tiny; after N iterations w has barely left 0
#   and J has hardly moved. More iterations would get there, slowly.
# * **About right**: J falls fast and flattens at the minimum.
# * **Too large**: each step overshoots the valley floor and lands on the
#   other side; J jumps up and down instead of falling steadily.
#
# The cost of logistic regression is convex (§二 逻辑回归的总结), so any α
# small enough reaches the same global minimum; α only decides how fast, or
# whether, gradient descent gets there. Choosing it is the subject of
# :ref:`sphx_glr_auto_examples_hyperparameters_plot_grid_search.py`.
