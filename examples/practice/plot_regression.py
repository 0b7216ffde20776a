"""
Regression: a noisy sine, and a target that is never negative
=============================================================

The lecture (§三 为什么需要非线性激活函数 (2)): "如果是预测问题而不是分类问题，输出
y 是连续的情况下，输出层的激活函数可以使用线性函数。如果输出 y 恒为正值，则也可以
使用ReLU激活函数". :class:`~sknnbasics.ShallowNetRegressor` and
:class:`~sknnbasics.DeepNetRegressor` keep the classifiers' hidden layers and
training loop, and end in ``out_activation="identity"`` (ŷ = z[L], any real
value) or ``"relu"`` (ŷ = max(0, z[L]), never negative). Their cost is the
squared loss of §二, J = (1/m) Σᵢ ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)², whose dZ[L] is again
A[L] − Y.
"""

# %%
# A noisy sine
# ------------
# 200 points of y = sin(x) + ε with ε ~ N(0, 0.1²). The noise alone costs
# J = ½ · 0.1² = 0.005, the best any model can do on average.
import matplotlib.pyplot as plt
import numpy as np

from sknnbasics import DeepNetRegressor, ShallowNetRegressor, lecture

rng = np.random.RandomState(0)
X = np.sort(rng.uniform(-3, 3, size=(200, 1)), axis=0)
y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(200)
x_plot = np.linspace(-3, 3, 300).reshape(-1, 1)

# %%
# Networks of one hidden layer with 1, 3 and 10 tanh units, and one with two
# hidden layers of 10, all with a linear output, trained by the lecture's
# algorithm (:func:`sknnbasics.lecture`: full-batch gradient descent on the
# plain squared loss, no penalty, N = 5000 iterations). α is 0.1, and 0.05
# for the deeper network, whose cost jumps now and then at 0.1.
nets = {f"n_hidden = {n}": lecture(ShallowNetRegressor, n_hidden=n,
                                   learning_rate=0.1, max_iter=5000,
                                   random_state=0)
        for n in (1, 3, 10)}
nets["deep (10, 10)"] = lecture(DeepNetRegressor, hidden_layer_sizes=(10, 10),
                                learning_rate=0.05, max_iter=5000, random_state=0)
for name, net in nets.items():
    net.fit(X, y)
    print(f"{name:>14}: J = {net.loss_curve_[-1]:.4f}, R² = {net.score(X, y):.3f}")

# %%
# A target that is never negative
# -------------------------------
# y = max(0, 2 sin x) plus the absolute value of some noise: zero on half of
# the range. With a linear output
# the network is free to predict negative values, and does where it has to
# extrapolate beyond the data; a ReLU output cannot.
y_positive = np.maximum(0, 2 * np.sin(X[:, 0])) + 0.1 * np.abs(rng.standard_normal(200))
x_wide = np.linspace(-4.5, 4.5, 300).reshape(-1, 1)
outputs = {}
for out_activation in ("identity", "relu"):
    outputs[out_activation] = lecture(
        ShallowNetRegressor, n_hidden=10, out_activation=out_activation,
        learning_rate=0.1, max_iter=5000, random_state=0).fit(X, y_positive)
    prediction = outputs[out_activation].predict(x_wide)
    print(f'out_activation="{out_activation}": R² = '
          f"{outputs[out_activation].score(X, y_positive):.3f}, "
          f"smallest prediction on [−4.5, 4.5] = {prediction.min():.3f}")

# %%
# The figure
# ----------
fig, panels = plt.subplot_mosaic([["fit", "fit"], ["cost", "relu"]],
                                 figsize=(8, 7.6))
ax_fit, ax_cost, ax_relu = panels["fit"], panels["cost"], panels["relu"]
ax_fit.scatter(X[:, 0], y, s=6, color="grey", label="data")
ax_fit.plot(x_plot[:, 0], np.sin(x_plot[:, 0]), "k:", label="sin x")
for name, net in nets.items():
    ax_fit.plot(x_plot[:, 0], net.predict(x_plot), label=name)
    ax_cost.plot(net.loss_curve_, label=name)
ax_fit.set(xlabel="x", ylabel="y", title="ŷ of each network")
ax_fit.legend(fontsize=8)
ax_cost.axhline(0.005, color="k", ls=":", label="noise level ½σ²")
ax_cost.set(xlabel="iteration", ylabel="cost J", yscale="log",
            title="loss_curve_")
ax_cost.legend(fontsize=8)

ax_relu.scatter(X[:, 0], y_positive, s=6, color="grey", label="data")
for out_activation, net in outputs.items():
    ax_relu.plot(x_wide[:, 0], net.predict(x_wide),
                 label=f'out_activation="{out_activation}"')
ax_relu.axhline(0, color="k", lw=0.5)
ax_relu.axvspan(-4.5, -3, color="0.9")
ax_relu.axvspan(3, 4.5, color="0.9")
ax_relu.set(xlabel="x (grey: no data)", ylabel="y",
            title="a target that is never negative")
ax_relu.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %%
# What the figure shows
# ---------------------
# * One tanh unit gives one S-shaped step: it cannot bend back, and J stays
#   well above the noise level. Three units already follow the sine, and ten
#   units or two layers of ten come close to the noise level, where there is
#   nothing left to learn but the noise itself.
# * With a linear output the network's predictions dip below zero outside
#   the data; ``out_activation="relu"`` keeps every prediction at zero or
#   above, as the lecture suggests for targets that are never negative.
