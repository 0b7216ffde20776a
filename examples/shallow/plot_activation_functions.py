"""
The four activation functions and their derivatives
===================================================

The lecture (§三 激活函数, 激活函数的导数) compares four activations g(z)
and gives their derivatives g′(z), which backward propagation multiplies in
at every hidden layer, dZ[l] = W[l+1]ᵀ dZ[l+1] ∗ g′(Z[l]):

===========  ================================  ============================
g            g(z)                              g′(z)
===========  ================================  ============================
sigmoid      1 / (1 + e^(−z))                  g(z)(1 − g(z)) = a(1 − a)
tanh         (e^z − e^(−z)) / (e^z + e^(−z))   1 − g(z)² = 1 − a²
ReLU         max(0, z)                         0 for z ≤ 0, 1 for z > 0
Leaky ReLU   max(0.01z, z)                     0.01 for z < 0, 1 for z ≥ 0
===========  ================================  ============================

Each pair lives in one :class:`sknnbasics._activations.Activation` (the
``ACTIVATIONS`` table, :func:`sknnbasics._activations.get_activation`). Here
we plot both halves of every pair and check each g′ against the slope of g
measured by central differences.
"""

# %%
# g and g′ from the package
# -------------------------
import matplotlib.pyplot as plt
import numpy as np

from sknnbasics._activations import get_activation

z = np.linspace(-5, 5, 1001)
names = ["sigmoid", "tanh", "relu", "leaky_relu"]
titles = {"sigmoid": "sigmoid σ(z)", "tanh": "tanh(z)", "relu": "ReLU",
          "leaky_relu": "Leaky ReLU (slope 0.01)"}

# %%
# The derivative is the slope
# ---------------------------
# ``g_prime(Z, A)`` takes both Z and A = g(Z), because the lecture writes the
# sigmoid's and tanh's derivatives in terms of a. A central difference
# (g(z + h) − g(z − h)) / 2h measures the slope of g without using g′ at all;
# away from the kink of ReLU at z = 0 the two agree to rounding error.
h = 1e-6
z_check = np.linspace(-4.75, 4.75, 20)  # avoids z = 0, where ReLU has a kink
for name in names:
    act = get_activation(name)
    slope = (act.g(z_check + h) - act.g(z_check - h)) / (2 * h)
    derivative = act.g_prime(z_check, act.g(z_check))
    print(f"{name:>10}: max |g′ − slope| = {np.max(np.abs(derivative - slope)):.1e}")

# %%
# The picture
# -----------
# The dots on the g′ curves are the central differences.
fig, axes = plt.subplots(4, 2, figsize=(8, 9), sharex=True)
axes = axes.T  # axes[0, k]: g of activation k, axes[1, k]: its g′
for column, name in enumerate(names):
    act = get_activation(name)
    a = act.g(z)
    axes[0, column].plot(z, a, color="tab:blue")
    axes[0, column].set_title(titles[name])
    axes[1, column].plot(z, act.g_prime(z, a), color="tab:orange")
    slope = (act.g(z_check + h) - act.g(z_check - h)) / (2 * h)
    axes[1, column].plot(z_check, slope, "k.", ms=4, label="slope of g")
    axes[1, column].set_xlabel("z")
    for ax in axes[:, column]:
        ax.axhline(0, color="grey", lw=0.5)
        ax.axvline(0, color="grey", lw=0.5)
axes[0, 0].set_ylabel("g(z)")
axes[1, 0].set_ylabel("g′(z)")
axes[1, 0].legend(loc="upper left")
fig.tight_layout()
plt.show()

# %%
# What the lecture reads off these curves
# ---------------------------------------
# * **tanh vs sigmoid**: tanh's output lies in [−1, 1] around 0, so hidden
#   layers pass on centred values; the lecture prefers it to the sigmoid for
#   hidden layers and keeps the sigmoid for the output of a binary
#   classifier, whose ŷ must lie in [0, 1].
# * **Saturation**: where :math:`|z|` is large, sigmoid′ and tanh′ are almost 0, so
#   gradient descent crawls. At z = 5:
for name in ["sigmoid", "tanh"]:
    act = get_activation(name)
    five = np.array([5.0])
    print(f"{name}′(5) = {act.g_prime(five, act.g(five))[0]:.5f}")

# %%
# * **ReLU**: the slope is exactly 1 for every z > 0, so the gradient never
#   shrinks there; for z < 0 it is exactly 0, and a unit stuck there stops
#   learning. At z = 0 the lecture allows either 0 or 1; the code takes 0, as
#   the course's notebooks and scikit-learn's MLPClassifier do:
relu = get_activation("relu")
zero = np.array([0.0])
print("ReLU′(0) =", relu.g_prime(zero, relu.g(zero))[0])

# %%
# * **Leaky ReLU** keeps a small slope for z < 0 (the lecture's 0.01), so
#   those units keep learning. The estimators expose the slope as
#   ``negative_slope``:
for slope in (0.01, 0.1):
    leaky = get_activation("leaky_relu", negative_slope=slope)
    minus_two = np.array([-2.0])
    print(f"negative_slope={slope}: g(−2) = {leaky.g(minus_two)[0]:.2f}, "
          f"g′(−2) = {leaky.g_prime(minus_two, leaky.g(minus_two))[0]:.2f}")
