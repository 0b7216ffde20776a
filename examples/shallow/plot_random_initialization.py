r"""
Zero vs random initialisation: the symmetry problem
===================================================

The lecture (§三 随机初始化的必要性): "W 不能初始化为零，否则一层中每个单元都做
相同的计算，和一个单元没什么区别". If :math:`W^{[1]}` and :math:`W^{[2]}`
start at zero, every hidden unit computes the same :math:`a^{[1]}_i`, receives
the same :math:`dz^{[1]}_i` and the same update :math:`dW^{[1]}_i`, so the rows
:math:`W^{[1]}_1, W^{[1]}_2, \dots` stay equal for ever: four hidden units are
one hidden unit, copied four times.

:class:`~sknnbasics.ShallowNetClassifier` can start either way:
``init="zeros"`` is the lecture's counter-example, ``init="random"`` its
cure, ``W = np.random.randn(...) * 0.01`` (``init_scale=0.01``), with b = 0 in
both cases.
"""

# %%
# Two networks that differ only in how W starts
# ---------------------------------------------
# The lecture's algorithm (:func:`sknnbasics.lecture`: full-batch gradient
# descent, four hidden units, b = 0) with its σ as hidden activation and
# α = 3; only ``init`` differs between the two networks. The two
# moons hold 200 and 100 points: with exactly balanced classes and σ(0) = ½
# every first gradient would be zero and the zero network would not move at
# all, which hides the symmetry instead of showing it.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.inspection import DecisionBoundaryDisplay

from sknnbasics import ShallowNetClassifier, lecture
from sknnbasics._activations import get_activation
from sknnbasics._cost import OutputLayer
from sknnbasics._network import forward_propagation
from sknnbasics.datasets import make_flower

X, y = make_moons(n_samples=(200, 100), noise=0.15, random_state=0)

inits = ["zeros", "random"]

# %%
# Watching W[1] during training
# -----------------------------
# ``warm_start=True`` lets us train 25 iterations at a time and record the
# lecture's W[1] (``parameters_["W1"]``, one row per hidden unit) in between.
chunks, chunk = 160, 25
history = {}
nets = {}
for init in inits:
    net = lecture(ShallowNetClassifier, activation="sigmoid", learning_rate=3.0,
                  init=init, max_iter=chunk, warm_start=True, random_state=0)
    rows = []
    for _ in range(chunks):
        net.fit(X, y)
        rows.append(net.parameters_["W1"].copy())
    history[init], nets[init] = np.array(rows), net

for init, net in nets.items():
    W1 = net.parameters_["W1"]
    print(f"init={init!r}: N = {len(net.loss_curve_)} iterations, "
          f"J = {net.loss_curve_[-1]:.3f}, accuracy {net.score(X, y):.3f}")
    print("W[1] =\n", np.round(W1, 3))
    spread = np.max(np.abs(W1 - W1[0]))
    print(f"largest difference between two rows of W[1]: {spread:.3g}\n")

# %%
# The figures
# -----------
# One figure per start. Top left: the first weight :math:`W^{[1]}_{i1}` of
# each hidden unit i against the iteration. Top right: the decision boundary.
# Bottom: what each hidden unit computes, :math:`a^{[1]}_i(x)` over the plane,
# obtained with :func:`sknnbasics._network.forward_propagation` on the fitted
# parameters.
xx, yy = np.meshgrid(np.linspace(-1.5, 2.5, 120), np.linspace(-1.0, 1.5, 120))
grid = np.column_stack([xx.ravel(), yy.ravel()])

iterations = chunk * np.arange(1, chunks + 1)
for init in inits:  # one figure per start
    fig, panels = plt.subplot_mosaic(
        [["W", "W", "D", "D"], ["a1", "a2", "a3", "a4"]], figsize=(8, 5.6),
        gridspec_kw={"height_ratios": [1.4, 1]})
    row = [panels[key] for key in ("W", "a1", "a2", "a3", "a4", "D")]
    net = nets[init]
    for i in range(4):
        row[0].plot(iterations, history[init][:, i, 0], lw=3 - 0.6 * i,
                    label=f"unit {i + 1}")
    row[0].set(title=f'init="{init}": first column of W[1]',
               xlabel="iteration", ylabel="$W^{[1]}_{i1}$")
    row[0].legend(fontsize=8)

    cache = forward_propagation(grid.T, net.parameters_,
                                hidden=get_activation("sigmoid"),
                                output=OutputLayer("logistic"))
    for i in range(4):
        ax = row[1 + i]
        ax.contourf(xx, yy, cache["A1"][i].reshape(xx.shape), levels=20,
                    cmap="viridis", vmin=0, vmax=1)
        ax.set(title=f"$a_{i + 1}^{{[1]}}(x)$", xticks=[], yticks=[])

    DecisionBoundaryDisplay.from_estimator(
        net, X, ax=row[5], response_method="predict", cmap="RdBu", alpha=0.4)
    row[5].scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", s=5)
    row[5].set(title=f"accuracy {net.score(X, y):.2f}", xlabel="", ylabel="",
               xticks=[], yticks=[])
    fig.tight_layout()
    plt.show()

# %%
# What the figure shows
# ---------------------
# * **init="zeros"**: the four curves of the first figure lie exactly on top
#   of each other and the four hidden units draw the same picture. Gradient
#   descent never breaks the tie, because the update of unit i depends on
#   unit i only through its weights, and those are equal. The network has the
#   power of a single hidden unit; its boundary is a single smooth cut.
# * **init="random"**: the tiny random differences (``randn * 0.01``) grow
#   into four different units, each cutting the plane its own way, and
#   together they follow the moons.
#
# With ``activation="tanh"`` the zero start is even worse: tanh(0) = 0, so
# A[1] = 0, dW[2] = 0 and dZ[1] = W[2]ᵀdZ[2] ∗ g′(Z[1]) = 0. Only b[2] ever
# changes:
frozen = lecture(ShallowNetClassifier, activation="tanh", init="zeros",
                 learning_rate=3.0, max_iter=500).fit(X, y)
print("tanh, init='zeros': |W[1]| + |W[2]| =",
      np.abs(frozen.parameters_["W1"]).sum() + np.abs(frozen.parameters_["W2"]).sum(),
      " b[2] =", frozen.parameters_["b2"].ravel())
# %%
# The biases, on the other hand, may start at zero (the lecture's
# ``b = np.zeros((2, 1))``): once W is random, the units differ already.

# %%
# Why *small* random weights: ``init_scale`` 0.01, 1 and 10
# ---------------------------------------------------------
# The lecture multiplies by 0.01 on purpose (§三 随机初始化的操作): with
# sigmoid or tanh, small W keeps :math:`|z|` near 0, where the slope
# :math:`g'(z)` is largest; large W pushes :math:`|z|` out to where
# :math:`g'(z) \approx 0` and gradient descent crawls. For ReLU "则不需要考虑这
# 个问题", since ReLU′(z) is 1 for every z > 0 whatever its size, but a sigmoid
# *output* layer should still start small.
#
# The same network (four hidden units, α = 0.2, N = 300) from ``init="random"``
# with three scales, with tanh and with ReLU hidden units, on the flower data.
X_flower, y_flower = make_flower(n_samples=200, random_state=0)
scales = [0.01, 1.0, 10.0]
curves = {}
for activation in ["tanh", "relu"]:
    for scale in scales:
        net = lecture(ShallowNetClassifier, activation=activation,
                      init_scale=scale, learning_rate=0.2, max_iter=300,
                      random_state=0)
        net.fit(X_flower, y_flower)
        curves[activation, scale] = net.loss_curve_
        print(f"{activation:>4}, init_scale={scale:<5}: J from "
              f"{net.loss_curve_[0]:7.3f} to {net.loss_curve_[-1]:.3f}")

fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharey=True)
for ax, activation in zip(axes, ["tanh", "relu"], strict=True):
    for scale, color in zip(scales, ["tab:green", "tab:blue", "tab:red"],
                            strict=True):
        ax.plot(curves[activation, scale], color=color,
                label=f"init_scale={scale}")
    ax.set(title=f"{activation} hidden layer", xlabel="iteration",
           ylabel="cost J", yscale="log")
    ax.legend()
fig.tight_layout()
plt.show()

# %%
# Reading the curves
# ------------------
# * **tanh, init_scale=10**: the hidden units start saturated (:math:`|z|` of
#   tens, tanh′ ≈ 0), so the hidden layer hardly learns and J stays high.
#   ``tests/test_lecture_claims.py`` measures it: from scale 1 to 10 the
#   hidden layer's first step ‖dW[1]‖/‖W[1]‖ shrinks to about a fifth with
#   tanh and does not shrink with ReLU, and after N iterations the tanh
#   network's J is more than 1.5 times higher.
# * **ReLU, init_scale=10**: the hidden layer is not slowed, but the output
#   layer is a sigmoid with huge weights: J starts in the tens and the first
#   steps are wild. That is the lecture's second remark, "如果输出层是sigmoid
#   函数，则对应的权重 W 最好初始化到比较小的值".
# * **init_scale=0.01**: small is safe, but with only 4 units and a
#   non-standardised 2-D input the signal through :math:`W^{[2]}W^{[1]}` is
#   tiny at first, so this run starts slowly too; ``init="xavier"``
#   (N(0,1)/√n[l−1]) picks the scale from the number of inputs instead of a
#   fixed 0.01.
