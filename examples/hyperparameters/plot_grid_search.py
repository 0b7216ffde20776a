"""
Choosing hyperparameters: a grid search over α × n[1]
=====================================================

The lecture (§五 参数 VS 超参数) separates two kinds of numbers:

* **parameters**, W[l] and b[l], which gradient descent learns: here the
  fitted ``parameters_`` (and ``coefs_``, ``intercepts_``);
* **hyperparameters**, which decide what the parameters become: learning
  rate α, iterations N, layers L, units n[l], activation g(z): here the
  constructor arguments, ``get_params()``.

"通常的做法是选择超参数一定范围内的值，分别代入神经网络进行训练，测试成本函数随着
迭代次数增加的变化，根据结果选择成本函数最小时对应的超参数值". scikit-learn's
:class:`~sklearn.model_selection.GridSearchCV` does exactly that, and because
the estimators follow scikit-learn's conventions it works on them unchanged.
The cost it compares is the cross-entropy J on held-out folds
(``scoring="neg_log_loss"`` is −J), like the lecture's "这类似于验证的方法".
"""

# %%
# Parameters vs hyperparameters on one estimator
# ----------------------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from sknnbasics import CostCurveDisplay, ShallowNetClassifier, lecture
from sknnbasics.datasets import make_flower

X_train, y_train = make_flower(n_samples=400, random_state=0)
X_test, y_test = make_flower(n_samples=400, random_state=1)

# :func:`sknnbasics.lecture` builds the lecture's network (full-batch
# gradient descent, tanh, W[l] = randn · 0.01, b[l] = 0) with the
# hyperparameters we give it.
net = lecture(ShallowNetClassifier, n_hidden=4, learning_rate=1.2,
              max_iter=1000, random_state=0)
hyper = net.get_params()
print("hyperparameters:", {k: hyper[k] for k in
                           ["learning_rate", "max_iter", "n_hidden", "activation"]})
net.fit(X_train, y_train)
print("parameters:     ", {k: v.shape for k, v in net.parameters_.items()})

# %%
# The search
# ----------
# Five learning rates × five hidden-layer sizes, each scored by its
# validation cost on three folds. The flower's rows are ordered by angle, so
# the folds are shuffled: otherwise each fold would hold out whole petals.
param_grid = {"learning_rate": [0.01, 0.1, 0.5, 1.2, 3.0],
              "n_hidden": [1, 2, 3, 5, 20]}
search = GridSearchCV(
    lecture(ShallowNetClassifier, max_iter=1000, random_state=0),
    param_grid,
    scoring="neg_log_loss",
    cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
)
search.fit(X_train, y_train)
print("best hyperparameters:", search.best_params_)
print(f"best validation cost J = {-search.best_score_:.3f}")
print(f"test accuracy of the refitted best network: "
      f"{search.best_estimator_.score(X_test, y_test):.3f}")

# %%
# The heat map
# ------------
# The mean validation cost J of every (α, n[1]); brighter is better. The four
# best candidates are framed in red.
rates, sizes = param_grid["learning_rate"], param_grid["n_hidden"]
J = -search.cv_results_["mean_test_score"].reshape(len(rates), len(sizes))
ranks = search.cv_results_["rank_test_score"]
best = np.argsort(ranks, kind="stable")[:4]

fig, ax_map = plt.subplots(figsize=(6.5, 4.6))
image = ax_map.imshow(J, cmap="viridis_r")
for i in range(len(rates)):
    for j in range(len(sizes)):
        ax_map.text(j, i, f"{J[i, j]:.2f}", ha="center", va="center",
                    color="w" if J[i, j] > J.mean() else "k", fontsize=9)
for index in best:
    params = search.cv_results_["params"][index]
    i, j = rates.index(params["learning_rate"]), sizes.index(params["n_hidden"])
    ax_map.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False,
                                   ec="red", lw=2))
ax_map.set(xticks=range(len(sizes)), xticklabels=sizes,
           yticks=range(len(rates)), yticklabels=rates,
           xlabel="n_hidden  (n[1])", ylabel="learning_rate  (α)",
           title="validation cost J (3-fold mean)")
fig.colorbar(image, ax=ax_map)
fig.tight_layout()
plt.show()

# %%
# The cost curves of the best candidates
# --------------------------------------
# :meth:`sknnbasics.CostCurveDisplay.from_search` refits the four best
# candidates on all the training data and draws their training cost J against
# the iteration, each labelled with its rank and the hyperparameters that
# differ: the lecture's "成本函数随着迭代次数增加的变化".
fig, ax_curves = plt.subplots(figsize=(7, 4.2))
CostCurveDisplay.from_search(search, X_train, y_train, candidates=4,
                             ax=ax_curves, log_scale=True)
ax_curves.set_title("loss_curve_ of the best candidates")
fig.tight_layout()
plt.show()

# %%
# Reading the result
# ------------------
# * Along a row (fixed α): one or two hidden units cannot separate the petals
#   (J stays high); from three on the cost drops, and more units buy little.
# * Down a column (fixed n[1]): α = 0.01 has barely started after N = 1000
#   iterations; too small an α costs iterations, exactly as in
#   :ref:`sphx_glr_auto_examples_logistic_plot_learning_rate.py`.
# * The best few candidates are close to each other; any of them would do.
#
# The search is ordinary scikit-learn, so ``n_jobs`` spreads it over cores and
# a Dask cluster spreads it over machines; see
# :ref:`sphx_glr_auto_examples_practice_plot_persistence_and_dask.py`.
