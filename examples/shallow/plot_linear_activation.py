r"""
Why the hidden activation must be non-linear
============================================

The lecture (§三 为什么需要非线性激活函数) sets g(z) = z and simplifies:

.. math::

    a^{[2]} = W^{[2]}(W^{[1]}x + b^{[1]}) + b^{[2]}
            = (W^{[2]}W^{[1]})x + (W^{[2]}b^{[1]} + b^{[2]}) = W'x + b'

so a network whose hidden layers are linear is a linear model, however many
layers it has; with a sigmoid output it is just logistic regression. Here we
check this with ``activation="identity"``: the networks' parameters multiply
out to one (W', b'), and that (W', b') is the one
:class:`~sknnbasics.LogisticGD` finds.
"""

# %%
# Three models that can only be linear, one that is not
# -----------------------------------------------------
# All four run the lecture's algorithm, built with :func:`sknnbasics.lecture`:
# full-batch gradient descent for exactly N = ``max_iter`` iterations, no
# penalty; the shallow networks start from W[l] = randn · 0.01, the deep one
# from the course's randn / √n[l−1]. Only g, n[l], α and N are chosen here.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.inspection import DecisionBoundaryDisplay

from sknnbasics import DeepNetClassifier, LogisticGD, ShallowNetClassifier, lecture

X, y = make_moons(n_samples=300, noise=0.15, random_state=0)

models = {
    "LogisticGD": lecture(LogisticGD, max_iter=5000),
    "shallow, 20 identity units": lecture(
        ShallowNetClassifier, n_hidden=20, activation="identity",
        learning_rate=0.1, max_iter=3000, random_state=0),
    "deep (20, 20, 20), identity": lecture(
        DeepNetClassifier, hidden_layer_sizes=(20, 20, 20), activation="identity",
        learning_rate=0.02, max_iter=3000, random_state=0),
    "shallow, 20 tanh units": lecture(
        ShallowNetClassifier, n_hidden=20, activation="tanh", learning_rate=1.2,
        max_iter=3000, random_state=0),
}
for name, model in models.items():
    model.fit(X, y)
    print(f"{name:>28}: J = {model.loss_curve_[-1]:.5f}, "
          f"accuracy {model.score(X, y):.3f}")

# %%
# Multiplying the layers out
# --------------------------
# Following the lecture's derivation layer by layer, W' = W[L]⋯W[2]W[1] and
# b' = W[L](⋯(W[2]b[1] + b[2])⋯) + b[L], from the lecture-shaped
# ``parameters_``.


def collapse(parameters):
    """(W', b') of a network whose hidden activations are g(z) = z."""
    L = len(parameters) // 2
    W, b = parameters["W1"], parameters["b1"]
    for l in range(2, L + 1):
        W, b = parameters[f"W{l}"] @ W, parameters[f"W{l}"] @ b + parameters[f"b{l}"]
    return W, b


logistic = models["LogisticGD"]
print("logistic regression:    w =", np.round(logistic.coef_.ravel(), 4),
      " b =", np.round(logistic.intercept_, 4))
for name in ["shallow, 20 identity units", "deep (20, 20, 20), identity"]:
    net = models[name]
    W, b = collapse(net.parameters_)
    # Z[L] of the network is exactly W'x + b' for every sample
    gap = np.max(np.abs(net.decision_function(X) - (X @ W.T + b.T).ravel()))
    print(f"{name}: W' =", np.round(W.ravel(), 4), " b' =", np.round(b.ravel(), 4),
          f" max |Z[L] − (W'x + b')| = {gap:.1e}")

# %%
# The networks have 81 and 921 parameters, yet after training they are the
# same model as logistic regression's 3 parameters, up to rounding: the cost
# of a linear model is convex (§二), so all three descend to the same minimum.
#
# The boundaries
# --------------
fig, axes = plt.subplots(2, 2, figsize=(8, 7.2))
for ax, (name, model) in zip(axes.flat, models.items(), strict=True):
    DecisionBoundaryDisplay.from_estimator(
        model, X, ax=ax, response_method="predict", cmap="RdBu", alpha=0.4)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", s=5)
    ax.set(title=f"{name}\naccuracy {model.score(X, y):.2f}", xlabel="",
           ylabel="", xticks=[], yticks=[])
fig.tight_layout()
plt.show()

# %%
# Three straight lines, in the same place, and one curve. "隐藏层的激活函数必须
# 要是非线性的": only the tanh network bends. The identity is still useful at
# the *output* of a regression network (§三 (2)); see
# :ref:`sphx_glr_auto_examples_practice_plot_regression.py`.
