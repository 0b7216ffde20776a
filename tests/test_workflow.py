"""The user's workflow around the estimators: Pipelines, GridSearchCV,
persistence (joblib, pickle, skops) and grid searches on a Dask cluster.

Every public estimator (each estimator class in ``sknnbasics.__all__``) goes
through the persistence round trips; a new one without a case here fails
:func:`fitted_case` instead of being skipped.
"""

import copy
import pickle
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import (
    BaseEstimator,
    TransformerMixin,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.datasets import load_iris, make_regression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import sknnbasics
from sknnbasics import (
    HiddenLayerTransformer,
    InconsistentVersionWarning,
    LogisticGD,
    ShallowNetClassifier,
)
from sknnbasics.datasets import make_flower

# The round trips save and reload small models trained for a few iterations
# (see small()): whether those converged is not what is checked, so their
# ConvergenceWarnings are ignored. (This used to read filterwarnings("ignore",
# category=...): the mark takes filter strings only, so that ignored every
# warning of every kind.)
pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning")

PUBLIC_ESTIMATORS = sorted(
    (getattr(sknnbasics, name) for name in sknnbasics.__all__
     if isinstance(getattr(sknnbasics, name), type)
     and issubclass(getattr(sknnbasics, name), BaseEstimator)),
    key=lambda cls: cls.__name__)
PREDICTORS = [cls for cls in PUBLIC_ESTIMATORS
              if is_classifier(cls()) or is_regressor(cls())]

# What `skops.io.load` must be told to trust for each estimator
# (docs/user_guide/practice.rst lists the same): the estimator's own class and
# nothing else. Its fitted state is numpy arrays, lists, tuples, ints, floats,
# strings and, after partial_fit, a numpy RandomState, all of which skops
# trusts by default.
SKOPS_MISSING = ('skops (in the test extra) is not installed: python -m pip '
                 'install -e ".[test]" runs this test')
SKOPS_TRUSTED = {
    "DeepNetClassifier": "sknnbasics._classifiers.DeepNetClassifier",
    "DeepNetRegressor": "sknnbasics._regressors.DeepNetRegressor",
    "HiddenLayerTransformer": "sknnbasics._hidden.HiddenLayerTransformer",
    "ImageVectorizer": "sknnbasics._image.ImageVectorizer",
    "LogisticGD": "sknnbasics._logistic.LogisticGD",
    "ShallowNetClassifier": "sknnbasics._classifiers.ShallowNetClassifier",
    "ShallowNetRegressor": "sknnbasics._regressors.ShallowNetRegressor",
}


def small(estimator):
    """``estimator`` with few iterations and small layers, seeded."""
    options = {"max_iter": 50, "n_hidden": 3, "hidden_layer_sizes": (5, 3),
               "random_state": 0}
    if isinstance(estimator, HiddenLayerTransformer):  # a small network inside
        return estimator.set_params(estimator=small(ShallowNetClassifier()))
    params = estimator.get_params()
    return estimator.set_params(**{k: v for k, v in options.items() if k in params})


def data_for(estimator):
    """(X, y) that ``estimator`` (unfitted) can learn from."""
    if is_classifier(estimator) or isinstance(estimator, HiddenLayerTransformer):
        iris = load_iris()
        return iris.data, iris.target_names[iris.target]  # three text labels
    if is_regressor(estimator):
        X, y = make_regression(n_samples=80, n_features=4, noise=1.0, random_state=0)
        return X, y / np.std(y)
    if isinstance(estimator, TransformerMixin):  # images, 4×3 RGB
        images = np.random.default_rng(0).integers(0, 256, size=(40, 4, 3, 3),
                                                   dtype=np.uint8)
        y = images[..., 0].mean(axis=(1, 2)) > images[..., 1].mean(axis=(1, 2))
        return images, y.astype(int)
    raise AssertionError(f"no workflow case for {type(estimator).__name__}")


def fitted_case(cls, where):
    """A fitted ``cls`` alone, in a Pipeline, or in a fitted GridSearchCV, and
    the X it applies to."""
    estimator = small(cls())
    X, y = data_for(estimator)
    if where == "alone":
        return estimator.fit(X, y), X
    if isinstance(estimator, HiddenLayerTransformer):
        model = Pipeline([("hidden", estimator), ("model", small(LogisticGD()))])
        grid = {"hidden__estimator__n_hidden": [3, 4]}
    elif not (is_classifier(estimator) or is_regressor(estimator)):
        model = Pipeline([("images", estimator), ("model", small(LogisticGD()))])
        grid = {"images__scale": [True, 100.0]}
    else:
        model = Pipeline([("scaler", StandardScaler()), ("model", estimator)])
        # steps of Adam's size (the networks' default solver; 0.1 and more
        # with Adam warns that it is the lecture's size, for "gd")
        grid = {"model__learning_rate": [0.001, 0.01]}
    if where == "pipeline":
        return model.fit(X, y), X
    return GridSearchCV(model, grid, cv=3).fit(X, y), X


def outputs(model, X):
    """Everything ``model`` computes from X, by method name."""
    results = {}
    for method in ("predict", "predict_proba", "predict_log_proba",
                   "decision_function", "transform"):
        if hasattr(model, method):
            results[method] = getattr(model, method)(X)
    if hasattr(model, "inverse_transform") and "transform" in results:
        results["inverse_transform"] = model.inverse_transform(results["transform"])
    return results


def assert_same_outputs(model, loaded, X):
    expected, got = outputs(model, X), outputs(loaded, X)
    assert expected and expected.keys() == got.keys()
    for method in expected:
        assert np.array_equal(expected[method], got[method]), method


def sknnbasics_estimators_in(model):
    """The sknnbasics estimators inside ``model`` (itself, steps, best_estimator_)."""
    if isinstance(model, GridSearchCV):
        return sknnbasics_estimators_in(model.best_estimator_)
    if isinstance(model, Pipeline):
        return [e for _, step in model.steps for e in sknnbasics_estimators_in(step)]
    if isinstance(model, HiddenLayerTransformer):  # and the network it holds
        return [model, *sknnbasics_estimators_in(model.estimator_)]
    return [model] if type(model).__module__.startswith("sknnbasics.") else []


def test_every_public_estimator_is_covered():
    assert {cls.__name__ for cls in PUBLIC_ESTIMATORS} == set(SKOPS_TRUSTED)


# -- joblib and pickle ------------------------------------------------------------


@pytest.mark.parametrize("where", ["alone", "pipeline", "grid_search"])
@pytest.mark.parametrize("cls", PUBLIC_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_joblib_round_trip_gives_identical_outputs(cls, where, tmp_path):
    model, X = fitted_case(cls, where)
    joblib.dump(model, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    assert type(loaded) is type(model)
    assert_same_outputs(model, loaded, X)
    if where == "grid_search":
        assert loaded.best_params_ == model.best_params_
        assert np.array_equal(loaded.cv_results_["mean_test_score"],
                              model.cv_results_["mean_test_score"])


@pytest.mark.parametrize("where", ["alone", "grid_search"])
@pytest.mark.parametrize("cls", PUBLIC_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_pickles_record_the_version_and_warn_when_it_differs(cls, where, monkeypatch):
    model, X = fitted_case(cls, where)
    data = pickle.dumps(model)
    written_by = sknnbasics.__version__
    for estimator in sknnbasics_estimators_in(model):
        assert estimator.__getstate__()["_sknnbasics_version"] == written_by
    with warnings.catch_warnings():
        warnings.simplefilter("error", InconsistentVersionWarning)
        pickle.loads(data)  # the same version: silent

    monkeypatch.setattr(sknnbasics, "__version__", "0.0.0+other")
    with pytest.warns(InconsistentVersionWarning) as record:
        loaded = pickle.loads(data)
    caught = [w.message for w in record
              if isinstance(w.message, InconsistentVersionWarning)]
    assert {(w.estimator_name, w.original_version, w.current_version)
            for w in caught} == {(type(e).__name__, written_by, "0.0.0+other")
                                 for e in sknnbasics_estimators_in(model)}
    assert written_by in str(caught[0]) and "0.0.0+other" in str(caught[0])
    assert_same_outputs(model, loaded, X)  # it warns, and still works


def assert_same_state(saved, loaded, where="__dict__"):
    """``saved`` and ``loaded`` hold equal values: arrays equal in dtype,
    shape and every entry, containers item by item, RandomStates in state."""
    assert type(loaded) is type(saved), where
    if isinstance(saved, np.ndarray):
        assert saved.dtype == loaded.dtype and saved.shape == loaded.shape, where
        assert np.array_equal(saved, loaded, equal_nan=saved.dtype.kind in "fc"), \
            where
    elif isinstance(saved, dict):
        assert saved.keys() == loaded.keys(), where
        for key in saved:
            assert_same_state(saved[key], loaded[key], f"{where}[{key!r}]")
    elif isinstance(saved, (list, tuple)):
        assert len(saved) == len(loaded), where
        for i, (a, b) in enumerate(zip(saved, loaded, strict=True)):
            assert_same_state(a, b, f"{where}[{i}]")
    elif isinstance(saved, np.random.RandomState):
        assert_same_state(saved.get_state(legacy=False),
                          loaded.get_state(legacy=False), where)
    elif isinstance(saved, BaseEstimator):
        assert_same_state(saved.__dict__, loaded.__dict__, f"{where}.__dict__")
    else:
        assert saved == loaded, where


@pytest.mark.parametrize(
    "cls, how",
    [(cls, "fit") for cls in PUBLIC_ESTIMATORS]
    + [(cls, "partial_fit") for cls in PUBLIC_ESTIMATORS
       if hasattr(cls, "partial_fit")],
    ids=lambda case: getattr(case, "__name__", case))
def test_an_unpickled_estimator_has_exactly_the_saved_state(cls, how):
    # the version stamps pickling adds (sknnbasics' and scikit-learn's) are
    # checked on load and removed: the loaded __dict__ is the saved one
    estimator = small(cls())
    X, y = data_for(estimator)
    if how == "partial_fit":  # which adds a RandomState to the state
        extra = {"classes": np.unique(y)} if is_classifier(estimator) else {}
        estimator.partial_fit(X, y, **extra).partial_fit(X, y)
    else:
        estimator.fit(X, y)
    saved = copy.deepcopy(estimator.__dict__)
    loaded = pickle.loads(pickle.dumps(estimator))
    assert "_sknnbasics_version" not in loaded.__dict__
    assert "_sklearn_version" not in loaded.__dict__
    assert_same_state(saved, loaded.__dict__)
    assert_same_outputs(estimator, loaded, X)


@pytest.mark.parametrize("cls", PUBLIC_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_pickling_leaves_the_estimator_unchanged(cls):
    # the version stamp goes into the pickled state, not into the estimator
    estimator = small(cls())
    estimator.fit(*data_for(estimator))
    before = copy.deepcopy(estimator.__dict__)
    state = estimator.__getstate__()
    assert state["_sknnbasics_version"] == sknnbasics.__version__
    pickle.dumps(estimator)
    assert_same_state(before, estimator.__dict__)


# -- skops: secure persistence ------------------------------------------------------


@pytest.mark.parametrize("where", ["alone", "pipeline"])
@pytest.mark.parametrize("cls", PUBLIC_ESTIMATORS, ids=lambda cls: cls.__name__)
def test_skops_needs_exactly_the_sknnbasics_classes_trusted(cls, where, tmp_path):
    sio = pytest.importorskip("skops.io", reason=SKOPS_MISSING)
    model, X = fitted_case(cls, where)
    path = tmp_path / "model.skops"
    sio.dump(model, path)
    expected = sorted(SKOPS_TRUSTED[type(e).__name__]
                      for e in sknnbasics_estimators_in(model))
    assert sio.get_untrusted_types(file=path) == expected
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.load(path, trusted=[])
    assert_same_outputs(model, sio.load(path, trusted=expected), X)


@pytest.mark.parametrize("cls", [cls for cls in PREDICTORS
                                 if hasattr(cls, "partial_fit")],
                         ids=lambda cls: cls.__name__)
def test_skops_keeps_the_partial_fit_random_state(cls):
    # partial_fit keeps its RandomState to reshuffle the next chunk's batches:
    # skops stores it without asking for more trust, and the loaded copy
    # continues exactly like the original.
    sio = pytest.importorskip("skops.io", reason=SKOPS_MISSING)
    estimator = small(cls(batch_size=16))
    X, y = data_for(estimator)
    extra = {"classes": np.unique(y)} if is_classifier(estimator) else {}
    estimator.partial_fit(X, y, **extra)
    data = sio.dumps(estimator)
    assert sio.get_untrusted_types(data=data) == [SKOPS_TRUSTED[cls.__name__]]
    loaded = sio.loads(data, trusted=[SKOPS_TRUSTED[cls.__name__]])
    for model in (estimator, loaded):
        model.partial_fit(X, y)
    assert_same_outputs(estimator, loaded, X)


def test_skops_grid_search_adds_only_scikit_learn_types():
    # A whole GridSearchCV also holds scikit-learn's splitter and scorer
    # objects, whose names vary between scikit-learn versions: save
    # search.best_estimator_ instead (docs/user_guide/practice.rst says so).
    sio = pytest.importorskip("skops.io", reason=SKOPS_MISSING)
    search, X = fitted_case(ShallowNetClassifier, "grid_search")
    untrusted = sio.get_untrusted_types(data=sio.dumps(search))
    ours = [name for name in untrusted if name.startswith("sknnbasics.")]
    assert ours == [SKOPS_TRUSTED["ShallowNetClassifier"]]
    assert all(name.startswith("sklearn.") for name in untrusted if name not in ours)
    loaded = sio.loads(sio.dumps(search), trusted=untrusted)
    assert_same_outputs(search, loaded, X)


def test_skops_load_also_checks_the_version(monkeypatch):
    sio = pytest.importorskip("skops.io", reason=SKOPS_MISSING)
    model, _ = fitted_case(LogisticGD, "alone")
    data = sio.dumps(model)
    monkeypatch.setattr(sknnbasics, "__version__", "0.0.0+other")
    with pytest.warns(InconsistentVersionWarning, match="0.0.0"):
        sio.loads(data, trusted=[SKOPS_TRUSTED["LogisticGD"]])


def test_the_docs_list_the_types_to_trust():
    # the table of the user guide's "Saving models and scaling out" page (it
    # left the README in issue 24)
    page = (Path(__file__).resolve().parents[1] / "docs" / "user_guide"
            / "practice.rst").read_text(encoding="utf-8")
    for name in SKOPS_TRUSTED.values():
        assert f"``{name}``" in page


# -- pipelines and grid searches ----------------------------------------------


def test_grid_search_on_the_flower_prefers_hidden_units_to_the_linear_baseline():
    # §三: no straight line separates the petals; hidden units do.
    X, y = make_flower(400, random_state=0)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    network = Pipeline([("scaler", StandardScaler()),
                        ("model", ShallowNetClassifier(
                            activation="tanh", solver="gd", learning_rate=1.2,
                            max_iter=2000, tol=1e-5, random_state=0))])
    search = GridSearchCV(network, {"model__n_hidden": [1, 4, 20]}, cv=cv).fit(X, y)
    linear = cross_val_score(Pipeline([("scaler", StandardScaler()),
                                       ("model", LogisticGD())]), X, y, cv=cv)
    assert search.best_params_["model__n_hidden"] > 1
    assert search.best_score_ > linear.mean() + 0.2


def reproducibility_search(cls, n_jobs):
    estimator = small(cls(solver="gd", batch_size=16, max_iter=30,
                          random_state=0))
    grid = {"model__learning_rate": [0.05, 0.2]}
    params = estimator.get_params()
    if "n_hidden" in params:
        grid["model__n_hidden"] = [2, 5]
    elif "activation" in params:
        grid["model__activation"] = ["tanh", "relu"]
    pipeline = Pipeline([("scaler", StandardScaler()), ("model", estimator)])
    return GridSearchCV(pipeline, grid, cv=3, n_jobs=n_jobs)


@pytest.mark.parametrize("cls", PREDICTORS, ids=lambda cls: cls.__name__)
def test_grid_search_in_parallel_is_reproducible(cls):
    # Mini-batches reshuffle and networks start from random weights: with a
    # fixed random_state every run, in any worker process, sees the same draws.
    X, y = data_for(cls())
    runs = [reproducibility_search(cls, n_jobs).fit(X, y) for n_jobs in (2, 2, 1)]
    for search in runs[1:]:
        assert search.best_params_ == runs[0].best_params_
        assert np.array_equal(search.cv_results_["mean_test_score"],
                              runs[0].cv_results_["mean_test_score"])


# -- scale-out on a Dask cluster ----------------------------------------------


def test_grid_search_on_a_dask_cluster_matches_the_local_run():
    pytest.importorskip("distributed", reason="dask.distributed (in the test extra) "
                        'is not installed: python -m pip install -e ".[test]" '
                        "runs this test")
    import logging

    from distributed import Client, LocalCluster, get_task_stream

    X, y = make_flower(200, random_state=0)
    search = GridSearchCV(
        Pipeline([("scaler", StandardScaler()),
                  ("model", ShallowNetClassifier(solver="gd", max_iter=300,
                                                 random_state=0))]),
        {"model__n_hidden": [2, 4], "model__activation": ["tanh", "relu"],
         "model__learning_rate": [0.5, 1.2]}, cv=3)
    local = clone(search).fit(X, y)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        with get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
            remote = clone(search).fit(X, y)
        workers = set(client.scheduler_info()["workers"])
    assert tasks.data and {task["worker"] for task in tasks.data} <= workers
    assert np.array_equal(remote.cv_results_["mean_test_score"],
                          local.cv_results_["mean_test_score"])
    assert remote.best_params_ == local.best_params_
