"""The command line: ``sknnbasics demo``, ``fit`` and ``predict``.

Each command is run through ``main(argv)``, in process. Its results are
checked against the same pipeline built here with scikit-learn directly, and
every kind of bad input must end in exactly one ``sknnbasics: error: …`` line.
"""

import contextlib
import csv
import io
import subprocess
import sys
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import sknnbasics
from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)
from sknnbasics._cli import _parse_grid, _parse_set, main
from sknnbasics._demo import DEMO_FILES
from sknnbasics._search import _Progress, _search
from sknnbasics.datasets import make_flower

IRIS_FEATURES = ["sepal length", "sepal width", "petal length", "petal width"]


def run(*argv):
    """(status, stdout, stderr) of ``main(argv)``."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


def write_csv(path, header, rows):
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path):
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def iris():
    """Iris with the species as text labels: X, y (str), rows for a CSV."""
    data = load_iris()
    X, y = data.data, data.target_names[data.target]
    rows = [[*map(repr, map(float, x)), label] for x, label in zip(X, y, strict=True)]
    return X, y, rows


@pytest.fixture
def iris_csv(tmp_path, iris):
    return write_csv(tmp_path / "iris.csv", [*IRIS_FEATURES, "species"], iris[2])


def reference_pipeline(estimator):
    return Pipeline([("scaler", StandardScaler()), ("model", estimator)])


# -- demo ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "sknnbasics-demo"
    status, stdout, stderr = run("demo", "--fast", "--output-dir", out)
    return out, status, stdout, stderr


def test_demo_saves_reloadable_models_and_the_data_it_used(demo):
    out, status, stdout, stderr = demo
    assert status == 0, stderr
    table = {}
    for line in stdout.splitlines():
        fields = line.split()
        if len(fields) > 4 and fields[0] in ("flower", "breast_cancer"):
            table[fields[0], fields[1]] = (float(fields[2]), float(fields[3]))
    models = ("LogisticGD", "ShallowNetClassifier", "DeepNetClassifier")
    assert set(table) == {(d, m) for d in ("flower", "breast_cancer") for m in models}

    # the train and test CSVs hold the flower exactly (shortest-repr floats)
    X, y = make_flower(400, random_state=0)
    header, train = read_csv(out / "flower_train.csv")
    _, test = read_csv(out / "flower_test.csv")
    assert header == ["x1", "x2", "class"] and (len(train), len(test)) == (300, 100)
    written = np.array([[float(a), float(b), int(c)] for a, b, c in train + test])
    expected = np.column_stack([X, y])
    assert np.array_equal(written[np.lexsort(written.T)],
                          expected[np.lexsort(expected.T)])

    for dataset in ("flower", "breast_cancer"):
        assert (f"saved the best {dataset} model" in stdout
                and "identical predictions" in stdout)
        best = max(models, key=lambda m: table[dataset, m][0])
        bundle = joblib.load(out / f"{dataset}.joblib")
        assert type(bundle["model"][-1]).__name__ == best
        # `predict` on the saved test split scores what the table says
        status, _, _ = run("predict", out / f"{dataset}.joblib",
                           out / f"{dataset}_test.csv", "-o", out / "p.csv",
                           "--force")
        assert status == 0
        _, predicted = read_csv(out / "p.csv")
        _, test = read_csv(out / f"{dataset}_test.csv")
        accuracy = np.mean([p[0] == t[-1]
                            for p, t in zip(predicted, test, strict=True)])
        assert round(accuracy, 3) == table[dataset, best][1]


def test_demo_reports_each_search_once_when_stderr_is_not_a_terminal(demo):
    *_, stderr = demo
    finished = [line for line in stderr.splitlines() if " fits in " in line]
    # --fast: 2, 2 and 1 candidates, 3 folds each, + the refit, on two data sets
    counts = [line.split(": ")[1].split(" fits")[0] for line in finished]
    assert counts == ["7/7", "7/7", "4/4"] * 2
    assert "\r" not in stderr


def test_demo_writes_the_plots(demo):
    image = pytest.importorskip("matplotlib.image", reason="matplotlib (the plot "
                                "extra) is not installed, so the demo draws no "
                                'PNG: python -m pip install -e ".[test]" runs this')
    out = demo[0]
    for name in ("cost_curves.png", "flower_decision_boundary.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        pixels = image.imread(out / name)[..., :3]
        height, width = pixels.shape[:2]
        assert height >= 300 and width >= 300, (name, pixels.shape)
        # a drawn figure, not a blank canvas: many colours, much ink
        colours = np.unique(pixels.reshape(-1, 3).round(2), axis=0)
        assert len(colours) > 20, (name, len(colours))
        assert np.mean(pixels.min(axis=2) < 0.9) > 0.01, name


def test_demo_never_overwrites_without_force(demo):
    out = demo[0]
    written = [out / name for name in DEMO_FILES if (out / name).exists()]
    before = [path.stat().st_mtime_ns for path in written]
    status, stdout, stderr = run("demo", "--fast", "--output-dir", out)
    assert status == 1 and stdout == ""
    assert stderr.startswith("sknnbasics: error: ") and stderr.count("\n") == 1
    assert "--force" in stderr and "flower.joblib" in stderr
    assert before == [path.stat().st_mtime_ns for path in written]


def test_demo_force_overwrites_and_runs_without_matplotlib(tmp_path, monkeypatch):
    (tmp_path / "flower.joblib").write_text("an older file")
    (tmp_path / "notes.txt").write_text("not the demo's")
    assert run("demo", "--fast", "--output-dir", tmp_path)[0] == 1

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    status, stdout, stderr = run("demo", "--fast", "--force", "--output-dir", tmp_path)
    assert status == 0, stderr
    assert joblib.load(tmp_path / "flower.joblib")["format"] == "sknnbasics-model"
    assert "matplotlib is not installed" in stdout
    assert not list(tmp_path.glob("*.png"))
    assert (tmp_path / "notes.txt").read_text() == "not the demo's"


# -- the progress line -------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self):
        return True


class _Closed(io.StringIO):
    def isatty(self):
        raise ValueError("I/O operation on closed file")


def test_progress_line_is_rewritten_in_place_on_a_terminal():
    stream = _Terminal()
    progress = _Progress("search", 3, stream)
    for _ in range(3):
        progress.advance()
    progress.close()
    text = stream.getvalue()
    assert text.endswith("\n") and text.count("\n") == 1
    frames = text.rstrip("\n").split("\r")[1:]
    assert [f.rstrip() for f in frames[:4]] == [f"search: {i}/3 fits" for i in range(4)]
    assert frames[4].startswith("search: 3/3 fits in ")


def test_progress_line_on_failure_ends_the_terminal_line_and_nothing_else(
        monkeypatch):
    terminal, log = _Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = _Progress("search", 4, stream)
        progress.advance()
        progress.close(failed=True)
    assert terminal.getvalue().endswith("\rsearch: 1/4 fits\n")
    assert log.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", None)  # no stderr at all (pythonw)
    progress = _Progress("search", 1)
    progress.advance()
    progress.close()


def test_search_counts_every_fit_with_the_refit_and_then_writes_nothing(
        monkeypatch):
    # 2 candidates × 3 folds + the refit = 7 fits, counted live on a terminal;
    # scoring the fitted search afterwards (as the demo does on its test
    # split) is no fit and must not write to the finished line
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    X, y = make_flower(90, random_state=0)
    pipeline = Pipeline([("scaler", StandardScaler()),
                         ("model", LogisticGD(max_iter=20, tol=None))])
    search = _search(pipeline, {"model__learning_rate": [0.1, 1.0]}, X, y, 3,
                     label="search")
    finished = terminal.getvalue()
    search.score(X, y)
    search.predict(X)
    assert terminal.getvalue() == finished
    assert finished.endswith("\n") and finished.count("\n") == 1
    frames = [frame.rstrip() for frame in finished.rstrip("\n").split("\r")[1:]]
    assert frames[:7] == [f"search: {i}/7 fits" for i in range(6)] + [
        "search: 6/7 fits (refitting the best)"]
    assert len(frames) == 8 and frames[7].startswith("search: 7/7 fits in ")


@pytest.mark.parametrize("stream", [io.StringIO(), _Closed()])
def test_progress_line_elsewhere_is_one_final_line(stream):
    progress = _Progress("search", 2, stream)
    progress.advance()
    progress.advance()
    progress.close()
    text = stream.getvalue()
    assert "\r" not in text and text.count("\n") == 1
    assert text.startswith("search: 2/2 fits in ")


# -- fit and predict -------------------------------------------------------------------


def test_fit_reports_the_cv_score_of_the_documented_pipeline(tmp_path, iris_csv, iris):
    X, y, _ = iris
    status, stdout, stderr = run("fit", iris_csv, "--target", "species",
                                 "--model", "logistic", "-o", tmp_path / "m.joblib")
    assert status == 0, stderr
    reference = reference_pipeline(LogisticGD(random_state=0))
    scores = cross_val_score(reference, X, y,
                             cv=StratifiedKFold(5, shuffle=True, random_state=0))
    assert f"accuracy {scores.mean():.4f} ± {scores.std():.4f}" in stdout

    bundle = joblib.load(tmp_path / "m.joblib")
    assert bundle["feature_names"] == IRIS_FEATURES and bundle["target"] == "species"
    assert bundle["sknnbasics_version"] == sknnbasics.__version__
    model = bundle["model"]
    assert [type(step).__name__ for step in model.named_steps.values()] == [
        "StandardScaler", "LogisticGD"]
    reference.fit(X, y)
    assert np.array_equal(model[-1].coef_, reference[-1].coef_)
    assert list(model.classes_) == ["setosa", "versicolor", "virginica"]


# the reference GridSearchCV fitted here runs the same candidates, some of
# which stop on max_iter; the command's choice is what is compared
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_fit_grid_picks_what_grid_search_cv_picks(tmp_path, iris_csv, iris):
    X, y, _ = iris
    status, stdout, stderr = run(
        "fit", iris_csv, "--target", "species", "--model", "shallow",
        "--set", "max_iter=200", "--grid", "n_hidden=2,4",
        "--grid", "activation=tanh,relu", "--cv", "3", "-o", tmp_path / "m.joblib")
    assert status == 0, stderr
    search = GridSearchCV(
        reference_pipeline(ShallowNetClassifier(max_iter=200, random_state=0)),
        {"model__n_hidden": [2, 4], "model__activation": ["tanh", "relu"]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0)).fit(X, y)
    best = search.best_params_
    assert (f"best parameters: activation={best['model__activation']!r}, "
            f"n_hidden={best['model__n_hidden']}") in stdout
    assert "(best of 4 candidates)" in stdout
    assert "ShallowNetClassifier: 13/13 fits in " in stderr
    bundle = joblib.load(tmp_path / "m.joblib")
    assert bundle["best_params"] == best
    assert bundle["cv_score"] == search.best_score_


def test_set_values_are_python_literals_or_strings(tmp_path, iris_csv):
    status, _, stderr = run(
        "fit", iris_csv, "--target", "species", "--model", "deep",
        "--set", "hidden_layer_sizes=(3, 2)", "--set", "tol=None",
        "--set", "early_stopping=True", "--set", "activation=relu",
        "--set", "max_iter=20", "--set", "learning_rate=0.1",
        "--set", "random_state=None", "--cv", "2", "-o", tmp_path / "m.joblib")
    assert status == 0, stderr
    params = joblib.load(tmp_path / "m.joblib")["model"][-1].get_params()
    chosen = {name: params[name] for name in (
        "hidden_layer_sizes", "tol", "early_stopping", "activation", "max_iter",
        "learning_rate", "random_state")}
    assert chosen == dict(hidden_layer_sizes=(3, 2), tol=None, early_stopping=True,
                          activation="relu", max_iter=20, learning_rate=0.1,
                          random_state=None)
    assert [type(chosen[name]) for name in ("max_iter", "learning_rate")] == [
        int, float]


def test_parse_set_and_grid():
    assert _parse_set(["n_hidden=4", "init=he", "alpha= 1e-3"]) == {
        "n_hidden": 4, "init": "he", "alpha": 0.001}
    assert _parse_grid(["hidden_layer_sizes=(8, 4),[3],5",
                        "class_weight=None,balanced,'a,b'"]) == {
        "hidden_layer_sizes": [(8, 4), [3], 5],
        "class_weight": [None, "balanced", "a,b"]}


@pytest.fixture
def model_file(tmp_path, iris_csv):
    path = tmp_path / "model.joblib"
    status, _, stderr = run("fit", iris_csv, "--target", "species",
                            "--model", "logistic", "--cv", "2", "-o", path)
    assert status == 0, stderr
    return path


def test_predict_writes_labels_and_probabilities(tmp_path, model_file, iris_csv, iris):
    X = pd.DataFrame(iris[0], columns=IRIS_FEATURES)
    model = joblib.load(model_file)["model"]
    status, stdout, stderr = run("predict", model_file, iris_csv, "--proba",
                                 "-o", tmp_path / "out.csv")
    assert status == 0, stderr
    assert stdout == "wrote 150 predictions to " + str(tmp_path / "out.csv") + "\n"
    header, rows = read_csv(tmp_path / "out.csv")
    assert header == ["species", "proba_setosa", "proba_versicolor", "proba_virginica"]
    assert [row[0] for row in rows] == list(model.predict(X))
    proba = np.array([[float(v) for v in row[1:]] for row in rows])
    assert np.array_equal(proba, model.predict_proba(X))  # repr() round-trips


def test_predict_takes_columns_in_any_order_without_the_target(
        tmp_path, model_file, iris_csv, iris):
    X = iris[0]
    order = [2, 0, 3, 1]
    shuffled = write_csv(tmp_path / "new.csv", [IRIS_FEATURES[k] for k in order],
                         [[repr(float(v)) for v in x[order]] for x in X])
    status, stdout, stderr = run("predict", model_file, shuffled)
    assert status == 0, stderr
    expected = joblib.load(model_file)["model"].predict(
        pd.DataFrame(X, columns=IRIS_FEATURES))
    assert stdout.splitlines() == ["species", *expected]


def test_the_saved_model_knows_the_columns_of_the_csv(model_file, iris_csv):
    model = joblib.load(model_file)["model"]
    data = pd.read_csv(iris_csv)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a DataFrame, or the command: no warning
        predicted = model.predict(data[IRIS_FEATURES])
        status, stdout, stderr = run("predict", model_file, iris_csv)
    assert status == 0 and "warning" not in stderr, stderr
    assert stdout.splitlines() == ["species", *predicted]
    assert list(model.feature_names_in_) == IRIS_FEATURES
    # scikit-learn's own check of the names, as for a model fitted on a DataFrame
    with pytest.raises(ValueError, match="same order as they were in fit"):
        model.predict(data[IRIS_FEATURES[::-1]])
    renamed = data[IRIS_FEATURES].rename(columns={"petal width": "petal area"})
    with pytest.raises(ValueError, match="unseen at fit time:\n- petal area"):
        model.predict(renamed)


def test_predict_warns_in_one_line_about_another_version(
        tmp_path, model_file, iris_csv, monkeypatch):
    monkeypatch.setattr(sknnbasics, "__version__", "0.0.0+other")
    status, _, stderr = run("predict", model_file, iris_csv, "-o", tmp_path / "p.csv")
    assert status == 0
    line, evaluation = stderr.splitlines()  # iris.csv has the target: accuracy
    assert evaluation.startswith("sknnbasics: accuracy ")
    assert line.startswith("sknnbasics: warning: ")
    assert "InconsistentVersionWarning" in line
    assert "0.0.0+other" in line


def test_python_dash_m_sknnbasics_exits_with_main_s_status(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sknnbasics", "predict", tmp_path / "no.joblib",
         tmp_path / "no.csv"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    missing = tmp_path / "no.joblib"
    assert result.stderr == f"sknnbasics: error: {missing}: no such file.\n"


# -- bad input: one line on stderr, a non-zero status ---------------------------------


@pytest.fixture
def files(tmp_path, iris, model_file):
    rows = iris[2]
    header = [*IRIS_FEATURES, "species"]
    bad = [row[:] for row in rows]
    bad[3][3] = "abc"  # line 5 of the file: header, then rows 0..3
    blank = [row[:] for row in rows]
    blank[0][1] = " "
    infinite = [row[:] for row in rows]
    infinite[1][0] = "inf"
    one_class = [row for row in rows if row[-1] == "setosa"]
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "ragged.csv").write_text("a,b,c\n1,2,x\n1,2\n")
    (tmp_path / "dupes.csv").write_text("a,a,c\n1,2,x\n")
    joblib.dump({"weights": [1, 2]}, tmp_path / "dict.joblib")
    joblib.dump(LogisticGD(), tmp_path / "estimator.joblib")
    (tmp_path / "out.csv").write_text("keep me")
    paths = dict(
        good=write_csv(tmp_path / "good.csv", header, rows),
        bad=write_csv(tmp_path / "bad.csv", header, bad),
        blank=write_csv(tmp_path / "blank.csv", header, blank),
        infinite=write_csv(tmp_path / "infinite.csv", header, infinite),
        one_class=write_csv(tmp_path / "one.csv", header, one_class),
        header_only=write_csv(tmp_path / "header.csv", header, []),
        other=write_csv(tmp_path / "other.csv",
                        ["sepal length", "colour", "petal length", "petal width"],
                        [row[:4] for row in rows]),
        model=model_file,
    )
    return tmp_path, paths


FIT = ["fit", "{good}", "--target", "species", "--model", "shallow",
       "-o", "{dir}/m.joblib"]


@pytest.mark.parametrize("argv, expected", [
    (["fit", "{dir}/missing.csv", "--target", "y", "--model", "logistic",
      "-o", "{dir}/m.joblib"], ["missing.csv: no such file"]),
    (["fit", "{good}", "--target", "kind", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["no column 'kind'", "sepal length, sepal width"]),
    (["fit", "{bad}", "--target", "species", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["bad.csv, line 5, column 'petal width'", "'abc'"]),
    (["fit", "{blank}", "--target", "species", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["line 2, column 'sepal width'", "is empty"]),
    (["fit", "{infinite}", "--target", "species", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["line 3, column 'sepal length'", "'inf' is not a finite"]),
    (["fit", "{dir}/empty.csv", "--target", "y", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["empty.csv is empty"]),
    (["fit", "{header_only}", "--target", "species", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["header but no data rows"]),
    (["fit", "{dir}/ragged.csv", "--target", "c", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["ragged.csv, line 3: 2 values", "3 columns"]),
    (["fit", "{dir}/dupes.csv", "--target", "c", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["duplicate column names a"]),
    (["fit", "{one_class}", "--target", "species", "--model", "logistic", "-o",
      "{dir}/m.joblib"], ["only one class, 'setosa'"]),
    ([*FIT, "--set", "n_hidden"], ["--set 'n_hidden': expected NAME=VALUE"]),
    ([*FIT, "--set", "=4"], ["expected NAME=VALUE"]),
    ([*FIT, "--set", "hidden=4"], ["ShallowNetClassifier has no hyperparameter "
                                   "'hidden'", "n_hidden"]),
    ([*FIT, "--grid", "layers=1,2"], ["has no hyperparameter 'layers'"]),
    ([*FIT, "--grid", "n_hidden=1,,2"], ["--grid 'n_hidden=1,,2': empty value"]),
    ([*FIT, "--grid", "n_hidden="], ["empty value"]),
    ([*FIT, "--set", "activation=softplus"], ["'activation' parameter", "softplus"]),
    ([*FIT, "--grid", "n_hidden=2,0"], ["'n_hidden' parameter", "Got 0"]),
    ([*FIT, "--set", "n_hidden=2", "--grid", "n_hidden=1,2"],
     ["n_hidden given both by --set and --grid"]),
    (["fit", "{good}", "--target", "species", "--model", "logistic", "-o",
      "{dir}/out.csv"], ["out.csv already exists; pass --force"]),
    (["fit", "{good}", "--target", "species", "--model", "logistic", "-o",
      "{dir}/nowhere/m.joblib"], ["no directory"]),
    (["predict", "{dir}/missing.joblib", "{good}"], ["missing.joblib: no such file"]),
    (["predict", "{good}", "{good}"], ["good.csv is not an sknnbasics model",
                                      "joblib cannot load it"]),
    (["predict", "{dir}/dict.joblib", "{good}"], ["not an sknnbasics model",
                                                 "holds a dict"]),
    (["predict", "{dir}/estimator.joblib", "{good}"], ["holds a LogisticGD"]),
    (["predict", "{model}", "{other}"], ["missing sepal width", "unexpected colour"]),
    (["predict", "{model}", "{bad}"], ["line 5, column 'petal width'"]),
    (["predict", "{model}", "{model}"], ["model.joblib is not a UTF-8 text file"]),
    (["predict", "{model}", "{good}", "-o", "{dir}/out.csv"],
     ["out.csv already exists; pass --force to overwrite it"]),
    (["fit", "{good}", "--target", "species", "--model", "forest", "-o",
      "{dir}/m.joblib"], ["invalid choice: 'forest'"]),
    (["fit", "{good}", "--model", "logistic", "-o", "{dir}/m.joblib"],
     ["required: --target"]),
    ([*FIT, "--cv", "1"], ["--cv: expected an integer >= 2"]),
])
def test_bad_input_is_one_error_line(files, argv, expected):
    tmp_path, paths = files
    argv = [arg.format(dir=tmp_path, **paths) for arg in argv]
    status, stdout, stderr = run(*argv)
    assert status != 0 and "Traceback" not in stdout + stderr
    assert stderr.startswith("sknnbasics: error: ") and stderr.count("\n") == 1, stderr
    for text in expected:
        assert text in stderr
    assert (tmp_path / "out.csv").read_text() == "keep me"
    assert not (tmp_path / "m.joblib").exists()


def test_force_overwrites(files):
    tmp_path, paths = files
    status, _, stderr = run("predict", paths["model"], paths["good"],
                            "-o", tmp_path / "out.csv", "--force")
    assert status == 0, stderr
    assert read_csv(tmp_path / "out.csv")[0] == ["species"]
    for _ in range(2):  # the second time over the first one's file
        status, _, stderr = run("fit", paths["good"], "--target", "species",
                                "--model", "logistic", "--cv", "2",
                                "-o", tmp_path / "m.joblib", "--force")
        assert status == 0, stderr


def test_every_model_choice_is_an_estimator_of_the_package():
    from sknnbasics._cli import MODELS

    assert MODELS == {"logistic": LogisticGD, "shallow": ShallowNetClassifier,
                      "deep": DeepNetClassifier,
                      "shallow-regressor": ShallowNetRegressor,
                      "deep-regressor": DeepNetRegressor}


def test_demo_that_fails_while_writing_leaves_no_folder_and_no_done(tmp_path,
                                                                     monkeypatch):
    import sknnbasics._demo as demo_module

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(demo_module, "_write_demo_files", disk_full)
    out = tmp_path / "new-folder"
    status, stdout, stderr = run("demo", "--fast", "--output-dir", out)
    assert status == 1
    assert stderr.splitlines()[-1] == "sknnbasics: error: No space left on device."
    assert "Traceback" not in stderr
    assert "done in" not in stdout
    assert not out.exists()  # the folder it created is gone again


def test_importing_the_package_in_a_program_leaves_its_ctrl_c_alone():
    # only `python -m sknnbasics` / the script get the one-line Ctrl-C; any
    # other program that imports sknnbasics keeps its own SIGINT handler
    import signal

    from sknnbasics._interrupt import _quit_now, quiet_while_launching

    assert signal.getsignal(signal.SIGINT) is not _quit_now  # after the import
    before = signal.getsignal(signal.SIGINT)
    quiet_while_launching()
    assert signal.getsignal(signal.SIGINT) is before
