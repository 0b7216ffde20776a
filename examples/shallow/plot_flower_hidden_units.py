r"""
How many hidden units? The flower data set
==========================================

Logistic regression draws one straight line. The lecture's shallow network
adds one hidden layer of n[1] units (§三 浅层神经网络):

.. math::

    Z^{[1]} = W^{[1]}X + b^{[1]},\quad A^{[1]} = \tanh(Z^{[1]}),\quad
    Z^{[2]} = W^{[2]}A^{[1]} + b^{[2]},\quad A^{[2]} = \sigma(Z^{[2]})

On the planar "flower" (:func:`sknnbasics.datasets.make_flower`), whose petals
of the two classes interleave, we fit :class:`~sknnbasics.LogisticGD` and
:class:`~sknnbasics.ShallowNetClassifier` with n[1] = ``n_hidden`` ∈
{1, 2, 3, 4, 5, 20, 50} and draw the decision boundaries.
"""

# %%
# The data
# --------
# 400 training points and 400 fresh test points from the same flower.
import matplotlib.pyplot as plt
from sklearn.inspection import DecisionBoundaryDisplay

from sknnbasics import LogisticGD, ShallowNetClassifier, lecture
from sknnbasics.datasets import make_flower

X_train, y_train = make_flower(n_samples=400, random_state=0)
X_test, y_test = make_flower(n_samples=400, random_state=1)
print("X:", X_train.shape, " y:", y_train.shape)

# %%
# Logistic regression: one neuron, one straight line
# --------------------------------------------------
# :func:`sknnbasics.lecture` builds an estimator that runs exactly the
# lecture's algorithm (full-batch gradient descent, N iterations, no
# momentum, no penalty), whatever the estimators' defaults are.
logistic = lecture(LogisticGD).fit(X_train, y_train)
print(f"logistic regression: train accuracy {logistic.score(X_train, y_train):.3f},"
      f" test accuracy {logistic.score(X_test, y_test):.3f}")

# %%
# One hidden layer, n[1] = 1 … 50 units
# -------------------------------------
# The lecture's network: tanh hidden units, W[l] starts as ``randn * 0.01``
# and b[l] at zero, full-batch gradient descent; we choose α = 1.2 and
# N = 5000 iterations (all of them run: the lecture has no stopping rule).
hidden_sizes = [1, 2, 3, 4, 5, 20, 50]
nets = {}
for n_hidden in hidden_sizes:
    nets[n_hidden] = lecture(
        ShallowNetClassifier, n_hidden=n_hidden, learning_rate=1.2,
        max_iter=5000, random_state=0,
    ).fit(X_train, y_train)
    net = nets[n_hidden]
    print(f"n_hidden = {n_hidden:2d}: cost J = {net.loss_curve_[-1]:.3f}, "
          f"train accuracy {net.score(X_train, y_train):.3f}, "
          f"test accuracy {net.score(X_test, y_test):.3f}")

# %%
# The parameters have the lecture's shapes: W[1] is (n[1], n_x), b[1] is
# (n[1], 1), W[2] is (1, n[1]) and b[2] is (1, 1).
for name, value in nets[4].parameters_.items():
    print(name, value.shape)

# %%
# The decision boundaries
# -----------------------
fig, axes = plt.subplots(4, 2, figsize=(8, 13), sharex=True, sharey=True)
models = [("logistic regression", logistic)] + [
    (f"n_hidden = {n}", nets[n]) for n in hidden_sizes
]
for ax, (title, model) in zip(axes.ravel(), models, strict=True):
    DecisionBoundaryDisplay.from_estimator(
        model, X_train, ax=ax, response_method="predict", cmap="RdBu", alpha=0.4,
        grid_resolution=150,
    )
    ax.scatter(X_train[:, 0], X_train[:, 1], c=y_train, cmap="RdBu", s=6,
               edgecolors="k", linewidths=0.2)
    ax.set_title(f"{title}\ntest accuracy {model.score(X_test, y_test):.2f}",
                 fontsize=10)
    ax.set(xlabel="", ylabel="")
fig.tight_layout()
plt.show()

# %%
# What the figure shows
# ---------------------
# * Logistic regression can only cut the plane in two with a line: about half
#   of the points are on the wrong side.
# * One or two tanh units give the network one or two straight cuts to work
#   with: still not enough for four petals.
# * From about three to five units the network follows the petals.
# * Twenty or fifty units fit the training points slightly better (lower J),
#   carving small islands around a few noisy points, but the test accuracy
#   does not improve: more hidden units mean more parameters, not necessarily
#   a better model. n[1] is a hyperparameter (§五); see
#   :ref:`sphx_glr_auto_examples_hyperparameters_plot_grid_search.py` for
#   choosing it on held-out data.
