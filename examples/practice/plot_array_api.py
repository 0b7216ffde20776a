"""
The same network on PyTorch tensors (or any Array API library)
==============================================================

With scikit-learn's ``array_api_dispatch``, every estimator of sknnbasics
trains and predicts in the array library of its input, on its device: the
lecture's vectorised formulas are plain Array API operations. Here the
network is trained twice, once on NumPy arrays and once on PyTorch CPU
tensors (array-api-strict when torch is not installed), and the two cost
curves coincide. On a GPU, only the device changes::

    X_gpu = torch.asarray(X, device="cuda", dtype=torch.float32)
    model = ShallowNetClassifier(...).fit(X_gpu, torch.asarray(y, device="cuda"))

See :ref:`array_api` in the user guide.
"""

# %%
# Dispatch on, and the library at hand
# ------------------------------------
# scipy's Array API support must be switched on before scipy (and so
# scikit-learn) is imported.
import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402

from sknnbasics import ShallowNetClassifier, to_numpy  # noqa: E402

try:
    import torch

    library = "PyTorch (CPU)"

    def to_library(a):
        return torch.asarray(a)
except ImportError:
    try:
        import array_api_strict

        library = "array-api-strict"

        def to_library(a):
            return array_api_strict.asarray(a)
    except ImportError:
        library = None

if library is None:
    print("Neither torch nor array-api-strict is installed: falling back to "
          "NumPy for both runs.")
    library = "NumPy (fallback)"

    def to_library(a):
        return a

print("array library:", library)

# %%
# The same fit, twice
# -------------------
# Same data, same hyperparameters, same ``random_state``: the initial weights
# are drawn from NumPy's generator on both runs and moved to the library.
X, y = make_moons(400, noise=0.2, random_state=0)
params = dict(n_hidden=8, solver="adam", learning_rate=0.01, batch_size=None,
              max_iter=300, tol=None, random_state=0)

on_numpy = ShallowNetClassifier(**params).fit(X, y)
with sklearn.config_context(array_api_dispatch=True):
    elsewhere = ShallowNetClassifier(**params).fit(to_library(X), to_library(y))
    proba = elsewhere.predict_proba(to_library(X))
print("weights live in:", type(elsewhere.coefs_[0]).__module__)
print("predict_proba returns:", type(proba).__module__)

# %%
# The cost curves coincide
# ------------------------
# The two runs compute the same formulas; only the order of a few sums
# differs, so the weights agree to rounding.
largest = max(float(np.max(np.abs(a - b))) for a, b in
              zip(on_numpy.coefs_, to_numpy(elsewhere).coefs_, strict=True))
print(f"largest difference between the weights: {largest:.1e}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(on_numpy.loss_curve_, lw=4, alpha=0.4, label="NumPy")
ax.plot(elsewhere.loss_curve_, "--", label=library)
ax.set_xlabel("iteration")
ax.set_ylabel("cost J")
ax.set_title("One network, two array libraries")
ax.legend()
plt.show()

# %%
# Back to NumPy for saving
# ------------------------
# :func:`~sknnbasics.to_numpy` copies every fitted array of the model (and of
# the steps of a pipeline) to NumPy: the copy pickles, and predicts on NumPy
# arrays on a machine without the library or the GPU.
model = to_numpy(elsewhere)
print("accuracy of the NumPy copy:", model.score(X, y))
