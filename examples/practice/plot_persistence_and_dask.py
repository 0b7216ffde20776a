"""
Saving and loading models; a grid search on a Dask cluster
==========================================================

A trained network is its parameters W[l], b[l] plus the hyperparameters that
made them (§五). Because the estimators are ordinary scikit-learn objects,
the usual tools keep them and spread their training:

* :mod:`joblib` (pickle) saves and loads any estimator or pipeline;
* `skops <https://skops.readthedocs.io>`_ saves them in a format that is
  loaded without running arbitrary code: you list the types you trust;
* :mod:`joblib`'s ``"dask"`` backend runs the fits of a
  :class:`~sklearn.model_selection.GridSearchCV` on a Dask cluster.

skops and Dask are optional (``python -m pip install ".[skops,distributed]"``
in a clone of the repository; both are also in the ``docs`` extra); the parts
that need them are skipped when they are missing.
"""

# %%
# A model worth keeping
# ---------------------
import tempfile
from pathlib import Path

import joblib
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnbasics import ShallowNetClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y,
                                                    random_state=0)
model = make_pipeline(StandardScaler(),
                      ShallowNetClassifier(n_hidden=4, activation="tanh",
                                           solver="gd", learning_rate=0.5,
                                           max_iter=2000, tol=1e-5,
                                           random_state=0))
model.fit(X_train, y_train)
print(f"test accuracy {model.score(X_test, y_test):.3f}")
folder = Path(tempfile.mkdtemp())

# %%
# joblib
# ------
# ``joblib.dump`` pickles the whole pipeline. sknnbasics stamps its version
# into the pickle, next to scikit-learn's, and warns with
# :class:`~sknnbasics.InconsistentVersionWarning` when another version loads
# it.
joblib.dump(model, folder / "model.joblib")
from_joblib = joblib.load(folder / "model.joblib")
same = np.array_equal(from_joblib.predict_proba(X_test), model.predict_proba(X_test))
print("joblib: identical predictions:", same)
print("version stamp in the pickle:",
      model[-1].__getstate__()["_sknnbasics_version"])

# %%
# skops
# -----
# ``skops.io.load`` refuses types it has not been told to trust;
# ``get_untrusted_types`` lists them so that you can check them first.
try:
    import skops.io as sio
except ImportError:
    sio = None
    print("skops is not installed: skipping this part.")

from_skops = None
if sio is not None:
    sio.dump(model, folder / "model.skops")
    untrusted = sio.get_untrusted_types(file=folder / "model.skops")
    print("types to trust:", untrusted)
    from_skops = sio.load(folder / "model.skops", trusted=untrusted)
    same = np.array_equal(from_skops.predict_proba(X_test),
                          model.predict_proba(X_test))
    print("skops: identical predictions:", same)

# %%
# A grid search on a Dask cluster
# -------------------------------
# The same search twice: once in this process, once with every fit sent to a
# local Dask cluster of two workers (``processes=False`` keeps them in this
# process as threads; on a real cluster you would pass the scheduler's
# address to :class:`dask.distributed.Client` instead). Only the place where
# the fits run changes, so the validation costs are the same.
search = GridSearchCV(
    make_pipeline(StandardScaler(),
                  ShallowNetClassifier(activation="tanh", solver="gd",
                                       max_iter=300, tol=None, random_state=0)),
    {"shallownetclassifier__learning_rate": [0.03, 0.1, 0.3, 1.0],
     "shallownetclassifier__n_hidden": [1, 2, 4, 8]},
    scoring="neg_log_loss",
    cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
)
local_scores = search.fit(X_train, y_train).cv_results_["mean_test_score"]
print("best (local):", search.best_params_)

try:
    from dask.distributed import Client, LocalCluster
except ImportError:
    Client = None
    print("dask.distributed is not installed: skipping this part.")

dask_scores = None
if Client is not None:
    with (LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                       dashboard_address=None) as cluster,
          Client(cluster) as client):
        print("Dask workers:", len(client.scheduler_info()["workers"]))
        with joblib.parallel_backend("dask"):
            search.fit(X_train, y_train)
    dask_scores = search.cv_results_["mean_test_score"]
    print("best (Dask): ", search.best_params_)
    print("largest difference in validation cost:",
          np.max(np.abs(dask_scores - local_scores)))

# %%
# The figure
# ----------
# Left: the probabilities ŷ of the loaded models against the original's; they
# lie on the diagonal. Right: each candidate's validation cost J, computed
# here and on the cluster.
fig, (ax_load, ax_dask) = plt.subplots(1, 2, figsize=(8, 3.8))
original = model.predict_proba(X_test)[:, 1]
ax_load.plot(original, from_joblib.predict_proba(X_test)[:, 1], "o", ms=8,
             mfc="none", label="joblib")
if from_skops is not None:
    ax_load.plot(original, from_skops.predict_proba(X_test)[:, 1], "x",
                 label="skops")
ax_load.set(xlabel="ŷ of the original model", ylabel="ŷ of the loaded model",
            title="saved and loaded")
ax_load.legend()

candidates = np.arange(len(local_scores))
ax_dask.bar(candidates - 0.2, -local_scores, width=0.4, label="local")
if dask_scores is not None:
    ax_dask.bar(candidates + 0.2, -dask_scores, width=0.4, label="Dask cluster")
ax_dask.set(xlabel="candidate (α, n[1])", ylabel="validation cost J",
            title="GridSearchCV, local vs Dask")
ax_dask.legend()
fig.tight_layout()
plt.show()
