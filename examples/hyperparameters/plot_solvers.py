"""
Beyond plain gradient descent: momentum, Adam and L-BFGS on one network
=======================================================================

The lecture trains with one rule, W := W − α dW, and chooses α by trying a
range of values and comparing the cost J (§五). The same comparison decides
between update rules: train the *same* network from the *same* starting
weights with each rule, and draw J against the iterations.

* ``solver="gd"``: the lecture's gradient descent, full batch;
* ``solver="gd", momentum=0.9``: each step also keeps 90 % of the last one
  (Nesterov's form, MLPClassifier's default);
* ``solver="adam"``: Adam, a step of about α per weight whatever the size of
  its gradient, on mini-batches of 64;
* ``solver="lbfgs"``: L-BFGS, which picks each step itself from the last
  gradients (full batch, no α).

Every rule is written in MLPClassifier's exact form (see the user guide's
"Beyond plain gradient descent" page), so these curves are also what
scikit-learn's MLP would draw from the same weights.
"""

# %%
# One network, four rules
# -----------------------
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from sknnbasics import CostCurveDisplay, ShallowNetClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

network = dict(n_hidden=32, activation="tanh", max_iter=100, tol=None,
               random_state=0)  # the same weights to start from, every time
rules = {
    "gd, α = 0.5": dict(solver="gd", learning_rate=0.5, batch_size=None),
    "gd + momentum 0.9, α = 0.2": dict(solver="gd", learning_rate=0.2,
                                       momentum=0.9, batch_size=None),
    "Adam, α = 0.003, batches of 64": dict(solver="adam", learning_rate=0.003,
                                           batch_size=64),
    "L-BFGS": dict(solver="lbfgs"),
}
fitted = []
with warnings.catch_warnings():
    # tol=None runs all 100 iterations: nothing to warn about here
    warnings.simplefilter("ignore", ConvergenceWarning)
    for label, rule in rules.items():
        net = ShallowNetClassifier(**network, **rule).fit(X_train, y_train)
        fitted.append(net)
        J = net.loss_curve_
        at = "  ".join(f"{J[k - 1]:.4f}" if k <= len(J) else "  —   "
                       for k in (10, 20, 50, 100))
        print(f"{label:32s} J at 10/20/50/100: {at}   after "
              f"{net.n_iter_:3d} iterations: test accuracy "
              f"{net.score(X_test, y_test):.3f}")

# %%
# The cost curves
# ---------------
# An "iteration" is one update for full-batch gradient descent and L-BFGS,
# and one epoch (here 21 updates of 64 samples) for Adam on mini-batches.
# The numbers printed above are read off these curves: with momentum, J
# falls several times faster per iteration than with the lecture's rule;
# Adam's epochs each hold many updates; L-BFGS stops by itself once its
# gradient is below ``tol`` (here ``tol=None`` makes that 0, so it stops
# once J no longer decreases measurably), each iteration costing one or
# more evaluations of J.
fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
CostCurveDisplay.from_estimators(fitted, names=list(rules), ax=ax, log_scale=True)
ax.set_title("Cost J of the same 64–32–10 network under four update rules")
plt.show()

# %%
# Choosing the rule like any hyperparameter
# -----------------------------------------
# ``solver`` is a hyperparameter like α: a grid search compares the rules on
# held-out folds (the lecture's "try a range and compare J"), each with the
# hyperparameters that belong to it.
from sklearn.model_selection import GridSearchCV  # noqa: E402

grid = [
    {"solver": ["gd"], "learning_rate": [0.1, 0.5], "momentum": [0.0, 0.9]},
    {"solver": ["adam"], "learning_rate": [0.001, 0.003], "batch_size": [64]},
    {"solver": ["lbfgs"]},
]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search = GridSearchCV(ShallowNetClassifier(**network), grid, cv=3,
                          scoring="neg_log_loss").fit(X_train, y_train)
print("best:", search.best_params_, f"held-out J = {-search.best_score_:.4f}")
