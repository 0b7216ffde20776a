"""``fit --scoring``, ``--n-jobs``, the regressors, ``predict``'s evaluation
line, and errors that still end in one line. Each result is checked against
the same pipeline built with scikit-learn directly."""

import contextlib
import csv
import io

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_iris
from sklearn.metrics import r2_score
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sknnbasics import DeepNetRegressor, LogisticGD, ShallowNetClassifier
from sknnbasics._cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


def write_csv(path, header, X, y):
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows([*map(repr, map(float, x)), label]
                         for x, label in zip(X, y, strict=True))
    return path


def pipeline(estimator):
    return Pipeline([("scaler", StandardScaler()), ("model", estimator)])


@pytest.fixture(scope="module")
def iris(tmp_path_factory):
    data = load_iris()
    X, y = data.data, data.target_names[data.target]
    path = tmp_path_factory.mktemp("iris") / "iris.csv"
    return X, y, write_csv(path, ["a", "b", "c", "d", "species"], X, y)


@pytest.fixture(scope="module")
def diabetes(tmp_path_factory):
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:200], y[:200]
    path = tmp_path_factory.mktemp("diabetes") / "diabetes.csv"
    names = [f"x{i}" for i in range(X.shape[1])]
    return X, y, write_csv(path, [*names, "progression"], X, map(repr, y.tolist()))


# the reference search fitted here spans α = 0.05 to 1.2 on purpose, and some
# of its candidates warn; their ranking is what is compared
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_scoring_neg_log_loss_ranks_by_the_validation_cost(tmp_path, iris):
    X, y, path = iris
    status, stdout, stderr = run(
        "fit", path, "--target", "species", "--model", "shallow",
        "--set", "solver=gd", "--set", "max_iter=100",
        "--grid", "learning_rate=0.05,1.2", "--cv", "3",
        "--scoring", "neg_log_loss", "-o", tmp_path / "m.joblib")
    assert status == 0, stderr
    search = GridSearchCV(
        pipeline(ShallowNetClassifier(solver="gd", max_iter=100, random_state=0)),
        {"model__learning_rate": [0.05, 1.2]}, scoring="neg_log_loss",
        cv=StratifiedKFold(3, shuffle=True, random_state=0)).fit(X, y)
    i = search.best_index_
    mean = search.cv_results_["mean_test_score"][i]
    std = search.cv_results_["std_test_score"][i]
    assert (f"3-fold cross-validated neg_log_loss {mean:.4f} ± {std:.4f} "
            f"(= −J, the cross-entropy cost on the held-out folds)") in stdout
    lr = search.best_params_["model__learning_rate"]
    assert f"best parameters: learning_rate={lr!r}" in stdout
    bundle = joblib.load(tmp_path / "m.joblib")
    assert bundle["scoring"] == "neg_log_loss" and bundle["cv_score"] == mean


def test_an_unknown_scoring_is_one_error_line(tmp_path, iris):
    status, stdout, stderr = run(
        "fit", iris[2], "--target", "species", "--model", "logistic",
        "--scoring", "cost", "-o", tmp_path / "m.joblib")
    assert status == 1 and stdout == "" and stderr.count("\n") == 1
    assert stderr.startswith("sknnbasics: error: --scoring 'cost' is not a "
                             "scikit-learn scorer name")
    assert "neg_log_loss" in stderr and not (tmp_path / "m.joblib").exists()


def test_n_jobs_gives_the_same_model(tmp_path, iris, monkeypatch):
    outputs, used = [], []

    def grid_search(*args, **kwargs):  # which n_jobs the search gets
        used.append(kwargs["n_jobs"])
        return GridSearchCV(*args, **kwargs)

    monkeypatch.setattr("sknnbasics._search.GridSearchCV", grid_search)
    for jobs in ("1", "2"):
        path = tmp_path / f"m{jobs}.joblib"
        status, stdout, stderr = run(
            "fit", iris[2], "--target", "species", "--model", "logistic",
            "--cv", "3", "--n-jobs", jobs, "-o", path)
        assert status == 0, stderr
        assert "LogisticGD: 4/4 fits in " in stderr
        outputs.append((stdout.splitlines()[1],
                        joblib.load(path)["model"][-1].coef_))
    assert used == [1, 2]
    assert outputs[0][0] == outputs[1][0]  # the score line
    assert np.array_equal(outputs[0][1], outputs[1][1])


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_n_jobs_must_be_a_number_of_processes(tmp_path, iris, jobs):
    status, _, stderr = run("fit", iris[2], "--target", "species", "--model",
                            "logistic", "--n-jobs", jobs, "-o", tmp_path / "m")
    assert status == 2 and "--n-jobs: expected a number of processes" in stderr


# 50 iterations: the reference fitted here stops on max_iter; its R² is what
# is compared with the command's
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_regressor_fit_and_predict_with_r2(tmp_path, diabetes):
    X, y, path = diabetes
    model = tmp_path / "m.joblib"
    status, stdout, stderr = run(
        "fit", path, "--target", "progression", "--model", "deep-regressor",
        "--set", "max_iter=50", "--cv", "3", "-o", model)
    assert status == 0, stderr
    reference = pipeline(DeepNetRegressor(max_iter=50, random_state=0))
    scores = cross_val_score(reference, X, y,
                             cv=KFold(3, shuffle=True, random_state=0))
    assert (f"DeepNetRegressor: 3-fold cross-validated r2 {scores.mean():.4f} ± "
            f"{scores.std():.4f}") in stdout

    status, stdout, stderr = run("predict", model, path)
    assert status == 0, stderr
    predicted = np.array([float(v) for v in stdout.splitlines()[1:]])
    fitted = joblib.load(model)["model"]
    names = [f"x{i}" for i in range(X.shape[1])]
    assert np.array_equal(predicted, fitted.predict(pd.DataFrame(X, columns=names)))
    assert stderr == (f"sknnbasics: R² {r2_score(y, predicted):.4f} on the 200 rows "
                      f"of {path} with a 'progression' value\n")

    status, _, stderr = run("predict", model, path, "--proba")
    assert status == 1 and "holds a regressor" in stderr


def test_a_regressor_needs_a_numeric_target(tmp_path, iris):
    status, _, stderr = run("fit", iris[2], "--target", "species", "--model",
                            "shallow-regressor", "-o", tmp_path / "m.joblib")
    assert status == 1 and stderr.count("\n") == 1
    assert "line 2, column 'species': the value 'setosa' is not a finite" in stderr


def test_predict_reports_the_accuracy_on_labelled_rows(tmp_path, iris):
    X, y, path = iris
    model = tmp_path / "m.joblib"
    assert run("fit", path, "--target", "species", "--model", "logistic",
               "--cv", "2", "-o", model)[0] == 0
    fitted = joblib.load(model)["model"]
    # half of the rows without a label: evaluated on the other half only
    partial = write_csv(tmp_path / "partial.csv", ["a", "b", "c", "d", "species"],
                        X, [label if i % 2 else "" for i, label in enumerate(y)])
    status, stdout, stderr = run("predict", model, partial, "-o", tmp_path / "p.csv")
    assert status == 0, stderr
    accuracy = fitted.score(pd.DataFrame(X[1::2], columns=["a", "b", "c", "d"]),
                            y[1::2])
    assert stderr == (f"sknnbasics: accuracy {accuracy:.4f} on the 75 rows of "
                      f"{partial} with a 'species' value\n")
    # without the target column: no such line
    features = write_csv(tmp_path / "features.csv", ["a", "b", "c", "d"],
                         X[:, :3], X[:, 3])
    status, _, stderr = run("predict", model, features)
    assert (status, stderr) == (0, "")


def test_warnings_say_the_features_are_already_standardised(tmp_path, iris):
    # the pipeline standardises, so the estimators' own warnings say the
    # features are on unit scale and advise a smaller step (issue 23, item
    # 10): no "standardise", and no note needed to correct one
    status, _, stderr = run(
        "fit", iris[2], "--target", "species", "--model", "shallow",
        "--set", "learning_rate=1000", "--cv", "2", "-o", tmp_path / "m.joblib")
    assert status == 0
    lines = stderr.splitlines()
    assert any("ConvergenceWarning" in line and "try a smaller learning_rate "
               "(the features are already on unit scale)" in line
               for line in lines)
    assert "standardis" not in stderr


@pytest.mark.parametrize("bundle, expected", [
    ({"format": "sknnbasics-model"}, "it lacks model, feature_names, target"),
    ({"format": "sknnbasics-model", "model": None, "feature_names": ["a"],
      "target": "y"}, "its model, feature_names or target is not what"),
])
def test_a_damaged_model_file_is_one_error_line(tmp_path, iris, bundle, expected):
    joblib.dump(bundle, tmp_path / "m.joblib")
    status, _, stderr = run("predict", tmp_path / "m.joblib", iris[2])
    assert status == 1 and stderr.count("\n") == 1
    assert stderr.startswith(f"sknnbasics: error: {tmp_path / 'm.joblib'} is a "
                             f"damaged sknnbasics model: {expected}")


def test_an_absurd_size_is_one_error_line(tmp_path, iris):
    status, _, stderr = run(
        "fit", iris[2], "--target", "species", "--model", "shallow",
        "--set", "n_hidden=1000000000000", "--cv", "2", "-o", tmp_path / "m.joblib")
    assert status == 1 and stderr.count("\n") == 1
    assert stderr.startswith("sknnbasics: error: not enough memory: ")
    assert not (tmp_path / "m.joblib").exists()


def test_an_unexpected_error_is_still_one_line(tmp_path, iris, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("something\nunforeseen")

    monkeypatch.setattr("sknnbasics._cli._search", fail)
    status, _, stderr = run("fit", iris[2], "--target", "species", "--model",
                            "logistic", "-o", tmp_path / "m.joblib")
    assert (status, stderr) == (
        1, "sknnbasics: error: RuntimeError: something unforeseen\n")


@pytest.mark.parametrize("grid_option", [True, False])
def test_the_standardised_note_offers_grid_only_where_there_is_one(grid_option,
                                                                   capsys):
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from sknnbasics._messages import _report_warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("... standardise the features ...", ConvergenceWarning,
                      stacklevel=1)
    _report_warnings(caught, standardised=True, grid_option=grid_option)
    err = capsys.readouterr().err
    assert "try a smaller learning_rate instead" in err
    assert ("--grid learning_rate=" in err) == grid_option


# -- finite values too large to standardise ---------------------------------------

MAX = np.finfo(np.float64).max  # 1.8e308


def alternating(n, times_max):
    """n values a, -a, a, … whose squares add up to ``times_max`` × MAX."""
    a = np.sqrt(times_max) * np.sqrt(MAX / n)
    return np.where(np.arange(n) % 2, -a, a)


def one_value(n, i, value):
    column = np.zeros(n)
    column[i] = value
    return column


@pytest.mark.parametrize("column, what, largest, line", [
    # the value: finite, its square (the variance's) is not
    (one_value(150, 7, 1.7e308), "variance", "1.7e+308", 9),
    # the variance just past the range: the squares add up to 1.1 × MAX
    (alternating(150, 1.1), "variance", repr(float(alternating(150, 1.1)[0])), 2),
    # the mean: two values whose sum overflows
    (one_value(150, 10, 1e308) + one_value(150, 20, 1e308), "mean", "1e+308", 12),
])
def test_a_column_that_overflows_the_scaler_is_named(tmp_path, iris, column, what,
                                                     largest, line):
    X, y, _ = iris
    X = X.copy()
    X[:, 1] = column
    path = write_csv(tmp_path / "big.csv", ["a", "b", "c", "d", "species"], X, y)
    status, stdout, stderr = run("fit", path, "--target", "species", "--model",
                                 "logistic", "-o", tmp_path / "m.joblib")
    assert (status, stdout) == (1, "")  # refused before anything is fitted
    assert stderr == (
        f"sknnbasics: error: {path}, column 'b': standardising it overflows: "
        f"computing its {what} exceeds the range of float64 (±1.8e308); its "
        f"largest |value| is {largest} on line {line}. Rescale the column (e.g. "
        f"divide it by a power of ten) and fit again.\n")
    assert not (tmp_path / "m.joblib").exists()


def test_a_column_just_inside_the_range_is_standardised(tmp_path, iris):
    X, y, _ = iris
    X = X.copy()
    X[:, 1] = alternating(len(X), 0.9)  # squares add up to 0.9 × MAX
    path = write_csv(tmp_path / "big.csv", ["a", "b", "c", "d", "species"], X, y)
    status, _, stderr = run("fit", path, "--target", "species", "--model",
                            "logistic", "--cv", "2", "-o", tmp_path / "m.joblib")
    assert status == 0, stderr
    fitted = joblib.load(tmp_path / "m.joblib")["model"]
    reference = pipeline(LogisticGD(random_state=0)).fit(X, y)
    assert np.array_equal(fitted[-1].coef_, reference[-1].coef_)
    assert np.isclose(fitted[0].var_[1], 0.9 * MAX / len(X))
