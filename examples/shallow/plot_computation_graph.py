"""
The computation graph of a 2 → 4 → 1 network
=============================================

Forward propagation (正向传播) computes, left to right, Z[1], A[1], Z[2],
A[2] and the cost J; backward propagation (反向传播) walks the same graph
right to left, and each node's gradient is made from the gradient of the
node after it (the chain rule):

.. math::

    dZ^{[2]} = A^{[2]} - Y,\\quad dW^{[2]} = \\tfrac1m dZ^{[2]}A^{[1]T},\\quad
    db^{[2]} = \\tfrac1m \\textstyle\\sum dZ^{[2]},\\quad
    dZ^{[1]} = W^{[2]T}dZ^{[2]} * g'(Z^{[1]}),\\quad \\dots

Here the graph of the lecture's shallow network — n_x = 2 inputs, n[1] = 4
tanh units, one sigmoid output — is drawn twice: with the shape of every
array, then with its size (Frobenius norm ‖·‖) after one iteration of
gradient descent on the flower data set, computed by
:func:`sknnbasics.one_iteration`.
"""

# %%
# One iteration, every array kept
# -------------------------------
# :func:`~sknnbasics.one_iteration` runs forward propagation, the cost,
# backward propagation and the update W := W − α·dW on all m = 400 samples,
# exactly as ``fit``'s first iteration, and keeps every array in the
# lecture's orientation (one sample per column).
import matplotlib.pyplot as plt
import numpy as np

from sknnbasics import ShallowNetClassifier, lecture, one_iteration
from sknnbasics.datasets import make_flower

X, y = make_flower(n_samples=400, random_state=0)
step = one_iteration(lecture(ShallowNetClassifier, random_state=0), X, y)
print(step)

# %%
# The graph and the shapes
# ------------------------
# Blue: forward values; yellow: parameters; red: gradients. Black arrows
# are forward propagation, red dashed ones backward propagation.
FORWARD, PARAMETER, GRADIENT = "#dbe9f6", "#fdf2c4", "#f8d5d0"
NODES = {  # name: (x, y, colour, lecture symbol, in matplotlib's mathtext)
    "A0": (0.0, 2.0, FORWARD, r"$X = A^{[0]}$"),
    "W1": (1.0, 3.5, PARAMETER, r"$W^{[1]}$"),
    "b1": (2.6, 3.5, PARAMETER, r"$b^{[1]}$"),
    "Z1": (2.0, 2.0, FORWARD, r"$Z^{[1]}$"),
    "A1": (3.8, 2.0, FORWARD, r"$A^{[1]} = \tanh(Z^{[1]})$"),
    "W2": (4.8, 3.5, PARAMETER, r"$W^{[2]}$"),
    "b2": (6.4, 3.5, PARAMETER, r"$b^{[2]}$"),
    "Z2": (5.8, 2.0, FORWARD, r"$Z^{[2]}$"),
    "A2": (7.5, 2.0, FORWARD, r"$A^{[2]} = \sigma(Z^{[2]})$"),
    "Y": (8.1, 3.5, FORWARD, r"$Y$"),
    "J": (9.3, 2.0, FORWARD, r"$J$"),
    "dZ2": (6.6, 0.4, GRADIENT, r"$dZ^{[2]} = A^{[2]} - Y$"),
    "dW2": (5.8, -1.0, GRADIENT, r"$dW^{[2]}$"),
    "db2": (7.4, -1.0, GRADIENT, r"$db^{[2]}$"),
    "dA1": (4.2, 0.4, GRADIENT, r"$dA^{[1]} = W^{[2]T}dZ^{[2]}$"),
    "dZ1": (1.8, 0.4, GRADIENT, r"$dZ^{[1]} = dA^{[1]} * g'(Z^{[1]})$"),
    "dW1": (1.0, -1.0, GRADIENT, r"$dW^{[1]}$"),
    "db1": (2.6, -1.0, GRADIENT, r"$db^{[1]}$"),
}
FORWARD_EDGES = [("A0", "Z1"), ("W1", "Z1"), ("b1", "Z1"), ("Z1", "A1"),
                 ("A1", "Z2"), ("W2", "Z2"), ("b2", "Z2"), ("Z2", "A2"),
                 ("A2", "J"), ("Y", "J")]
BACKWARD_EDGES = [("J", "dZ2"), ("dZ2", "dW2"), ("dZ2", "db2"), ("dZ2", "dA1"),
                  ("dA1", "dZ1"), ("dZ1", "dW1"), ("dZ1", "db1")]


def shape(name):
    """'n×m' of an array of the iteration, 'scalar' for J."""
    if name == "J":
        return "scalar"
    return "×".join(str(n) for n in step[name].shape)


def draw(ax, text):
    """The graph on ``ax``, each node labelled by ``text(name)``."""
    boxes = {}
    for name, (x, y, colour, symbol) in NODES.items():
        boxes[name] = ax.text(
            x, y, f"{symbol}\n{text(name)}", ha="center", va="center",
            fontsize=9, bbox=dict(boxstyle="round,pad=0.4", fc=colour,
                                  ec="0.4"))
    for edges, style in ((FORWARD_EDGES, dict(color="black", lw=1.0)),
                         (BACKWARD_EDGES, dict(color="tab:red", lw=1.2,
                                               ls="--"))):
        for start, end in edges:
            # the arrow runs from box edge to box edge
            ax.annotate("", xy=NODES[end][:2], xytext=NODES[start][:2],
                        arrowprops=dict(arrowstyle="-|>", shrinkA=1, shrinkB=1,
                                        patchA=boxes[start].get_bbox_patch(),
                                        patchB=boxes[end].get_bbox_patch(),
                                        **style))
    ax.set(xlim=(-0.8, 10.1), ylim=(-1.6, 4.1))
    ax.axis("off")
    return boxes


fig, ax = plt.subplots(figsize=(12, 5.5))
draw(ax, shape)
ax.set_title(f"Shapes: n_x = 2, n[1] = 4, n[2] = 1, m = {step['A0'].shape[1]} "
             f"samples as columns")
fig.tight_layout()

# %%
# After one step: the size of every array
# ---------------------------------------
# Each value node shows ‖·‖ of its array; each parameter ‖W‖ before → after
# the update W − α·dW (α = 0.5); each gradient ‖dW‖. With W[l] = randn·0.01
# the first step is tiny: A[2] ≈ ½ for every sample, so dZ[2] = A[2] − Y is
# ±½ (‖dZ[2]‖ = ½·√400 = 10), and it reaches the hidden layer through W[2]:
# dA[1] = W[2]ᵀdZ[2] has the norm ‖W[2]‖·‖dZ[2]‖ ≈ 0.15 (one output unit
# makes it an outer product). Small weights pass back small gradients — the
# reason the first iterations barely move (see
# :ref:`sphx_glr_auto_examples_shallow_plot_training_unfolds.py`).


def norms(name):
    if name == "J":
        return f"= {step.cost:.4f}"
    norm = np.linalg.norm(step[name])
    if name in step.updated:
        return f"‖·‖ {norm:.3g} → {np.linalg.norm(step.updated[name]):.3g}"
    return f"‖·‖ = {norm:.3g}"


fig, ax = plt.subplots(figsize=(12, 5.5))
draw(ax, norms)
ax.set_title(f"After one iteration of gradient descent (α = "
             f"{step.learning_rate:g}): Frobenius norms")
fig.tight_layout()
plt.show()

# %%
# Reading the graph
# -----------------
# * Every backward node needs a forward value: dZ[2] needs A[2], dW[2] needs
#   A[1], dZ[1] needs g′(Z[1]) = 1 − A[1]². That is why forward propagation
#   keeps its cache.
# * The gradients have the shapes of what they differentiate: dW[l] is
#   W[l]'s shape, dZ[l] is Z[l]'s, db[l] is b[l]'s. A shape that does not
#   match is the first sign of a mistake in a hand-written backward pass;
#   :func:`sknnbasics.check_gradients` finds the others, parameter by
#   parameter.
assert np.isclose(np.linalg.norm(step["dA1"]),
                  np.linalg.norm(step["W2"]) * np.linalg.norm(step["dZ2"]))
for l in (1, 2):
    assert step[f"dW{l}"].shape == step[f"W{l}"].shape
    assert step[f"dZ{l}"].shape == step[f"Z{l}"].shape
