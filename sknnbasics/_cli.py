"""The ``sknnbasics`` command line: ``demo``, ``fit`` and ``predict``.

::

    sknnbasics demo [--output-dir DIR] [--force] [--fast]
    sknnbasics fit DATA.csv --target COL --model {logistic,shallow,deep}
                   [--set NAME=VALUE ...] [--grid NAME=V1,V2 ...] [--cv K]
                   -o MODEL.joblib [--force]
    sknnbasics predict MODEL.joblib DATA.csv [--proba] [-o OUT.csv] [--force]

Every model is a Pipeline(StandardScaler, estimator). A model file is a
joblib pickle of a small dict (see :func:`_model_bundle`) that keeps the
feature column names and the target name with the fitted pipeline, so that
``predict`` can check the columns of new data. Choosing hyperparameters is
the lecture's §五: try a range (``--grid``), compare the cross-validated
score, keep the best.

Bad input ends the command with one line ``sknnbasics: error: …`` on stderr
and exit status 1 (2 for a malformed command line, as argparse does), never
with a traceback. CSV files are read with the standard library's ``csv``
module: a header line of column names, then one sample per line, numbers in
every feature column.
"""

import argparse
import ast
import contextlib
import csv
import math
import os
import sys
import time
import warnings
from pathlib import Path

import joblib
import numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from . import __version__
from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._logistic import LogisticGD

PROG = "sknnbasics"
MODEL_FORMAT = "sknnbasics-model"
MODELS = {
    "logistic": LogisticGD,
    "shallow": ShallowNetClassifier,
    "deep": DeepNetClassifier,
}


class CommandError(Exception):
    """Bad input: reported as one line on stderr, exit status 1."""


def _one_line(text):
    return " ".join(str(text).split())


# -- CSV files -----------------------------------------------------------------


def _read_csv(path):
    """The header and the data rows of a CSV file.

    Returns
    -------
    header : list of str
        The column names, stripped of surrounding spaces.
    rows : list of (int, list of str)
        Each data row with the line number it ends on (the header is line 1);
        blank lines are skipped.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            header = next(reader, None)
            if header is None:
                raise CommandError(
                    f"{path} is empty: expected a header line of column names "
                    f"and then one sample per line."
                )
            header = [name.strip() for name in header]
            rows = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise CommandError(
                        f"{path}, line {reader.line_num}: {len(row)} values, but "
                        f"the header has {len(header)} columns."
                    )
                rows.append((reader.line_num, row))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(
            f"{path} is not a UTF-8 text file; expected a CSV file."
        ) from None
    except csv.Error as exc:
        raise CommandError(f"{path} is not a readable CSV file: {exc}.") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}.") from None

    if not any(header):
        raise CommandError(
            f"{path}: line 1 is blank; expected the column names there.")
    if any(not name for name in header):
        raise CommandError(f"{path}: column {header.index('') + 1} has no name.")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise CommandError(f"{path}: duplicate column names {', '.join(duplicates)}.")
    if not rows:
        raise CommandError(f"{path} has a header but no data rows.")
    return header, rows


def _numeric_columns(path, header, rows, columns):
    """The named columns as an (n_samples, n_features) float64 array.

    Raises a :class:`CommandError` naming the column and line of the first
    value that is not a finite number.
    """
    indices = [header.index(name) for name in columns]
    X = np.empty((len(rows), len(columns)), dtype=np.float64)
    for i, (line, row) in enumerate(rows):
        for j, k in enumerate(indices):
            text = row[k].strip()
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                what = "is empty" if not text else f"{text!r} is not a finite number"
                raise CommandError(
                    f"{path}, line {line}, column {columns[j]!r}: the value {what}; "
                    f"every feature column must hold numbers."
                )
            X[i, j] = value
    return X


def _check_new_file(path, force):
    """Refuse to overwrite ``path`` without ``--force``; its folder must exist."""
    path = Path(path)
    if path.is_dir():
        raise CommandError(f"{path} is a directory; give a file name.")
    if path.exists() and not force:
        raise CommandError(f"{path} already exists; pass --force to overwrite it.")
    if not path.parent.is_dir():
        raise CommandError(f"cannot write {path}: no directory {path.parent}.")


def _format_value(value):
    if isinstance(value, float | np.floating):
        return repr(float(value))  # shortest text that reads back exactly
    return str(value)


def _write_csv(file, header, columns):
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(header)
    for row in zip(*columns, strict=True):
        writer.writerow([_format_value(value) for value in row])


def _save_csv(path, header, columns):
    with open(path, "w", newline="", encoding="utf-8") as file:
        _write_csv(file, header, columns)


# -- model files -----------------------------------------------------------------


def _model_bundle(model, feature_names, target, **info):
    """What a model file holds: the fitted pipeline and what it expects.

    ``{"format": "sknnbasics-model", "sknnbasics_version": …, "model":
    Pipeline, "feature_names": [...], "target": str, **info}``; ``info`` holds
    how it was chosen (``cv_score``, ``best_params``).
    """
    return {
        "format": MODEL_FORMAT,
        "sknnbasics_version": __version__,
        "model": model,
        "feature_names": [str(name) for name in feature_names],
        "target": str(target),
        **info,
    }


def _save_model(path, bundle):
    joblib.dump(bundle, path)


def _load_model(path):
    """The bundle saved by ``fit`` or ``demo``; warnings (another sknnbasics or
    scikit-learn version) are reported as one line each.

    joblib files are pickles: load only files you trust.
    """
    if not Path(path).is_file():
        raise CommandError(f"{path}: no such file.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            bundle = joblib.load(path)
        except Exception as exc:  # a foreign file fails in many ways
            raise CommandError(
                f"{path} is not an sknnbasics model: joblib cannot load it "
                f"({type(exc).__name__}: {_one_line(exc)})."
            ) from None
    if not (isinstance(bundle, dict) and bundle.get("format") == MODEL_FORMAT):
        raise CommandError(
            f"{path} is not an sknnbasics model: it holds a "
            f"{type(bundle).__name__}, not a model saved by `{PROG} fit` or "
            f"`{PROG} demo`."
        )
    _report_warnings(caught)
    return bundle


# -- hyperparameters on the command line ------------------------------------------


def _parse_value(text):
    """A Python literal (int, float, None, bool, tuple, …) or else the string.

    >>> [_parse_value(t) for t in ["4", "0.5", "None", "True", "(8, 4)", "relu"]]
    [4, 0.5, None, True, (8, 4), 'relu']
    """
    text = text.strip()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def _split_top_level(text):
    """Split at the commas that are not inside brackets or quotes.

    >>> _split_top_level("(8, 4),(20, 7, 5)")
    ['(8, 4)', '(20, 7, 5)']
    """
    parts, depth, quote, start = [], 0, None, 0
    for i, char in enumerate(text):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _parse_assignment(text, option):
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        example = "n_hidden=4" if option == "--set" else "n_hidden=1,2,4"
        raise CommandError(
            f"{option} {text!r}: expected NAME=VALUE{'S' * (option == '--grid')}, "
            f"e.g. {option} {example}."
        )
    return name, value


def _parse_set(assignments):
    """``--set NAME=VALUE`` options as a dict of parsed values."""
    params = {}
    for text in assignments:
        name, value = _parse_assignment(text, "--set")
        params[name] = _parse_value(value)
    return params


def _parse_grid(assignments):
    """``--grid NAME=V1,V2,…`` options as a param grid {name: [values]}.

    >>> _parse_grid(["n_hidden=1,2,4", "hidden_layer_sizes=(8, 4),(20, 7, 5)"])
    {'n_hidden': [1, 2, 4], 'hidden_layer_sizes': [(8, 4), (20, 7, 5)]}
    >>> _parse_grid(["activation=tanh,relu", "learning_rate=auto,0.1"])
    {'activation': ['tanh', 'relu'], 'learning_rate': ['auto', 0.1]}
    """
    grid = {}
    for text in assignments:
        name, values = _parse_assignment(text, "--grid")
        parts = _split_top_level(values)
        if any(not part.strip() for part in parts):
            raise CommandError(
                f"--grid {text!r}: empty value; give values separated by commas, "
                f"e.g. --grid {name}=1,2,4."
            )
        grid[name] = [_parse_value(part) for part in parts]
    return grid


def _check_names(estimator, names):
    valid = set(estimator.get_params(deep=False))
    unknown = [name for name in names if name not in valid]
    if unknown:
        raise CommandError(
            f"{type(estimator).__name__} has no hyperparameter "
            f"{', '.join(map(repr, unknown))}; its hyperparameters are "
            f"{', '.join(sorted(valid))}."
        )


def _describe_params(params):
    return ", ".join(f"{name.split('__')[-1]}={value!r}"
                     for name, value in sorted(params.items()))


# -- progress and warnings -----------------------------------------------------------


class _Progress:
    """A progress line on ``stream`` counting finished fits.

    On a terminal it is rewritten in place (carriage return) after each fit;
    elsewhere (a file, a pipe, a test) only the final line is written, so logs
    stay readable.
    """

    def __init__(self, label, total, stream=None):
        self.label, self.total, self.done = label, total, 0
        self.stream = sys.stderr if stream is None else stream
        try:
            self.live = self.stream is not None and self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            self.live = False
        self.start = time.perf_counter()
        self._width = 0
        if self.live:
            self._show(f"{self.label}: 0/{self.total} fits")

    def _show(self, text, end=""):
        padded = text.ljust(self._width)
        self._width = len(text)
        self.stream.write(("\r" if self.live else "") + padded + end)
        self.stream.flush()

    def advance(self):
        self.done += 1
        if self.live:
            self._show(f"{self.label}: {self.done}/{self.total} fits")

    def close(self, failed=False):
        """End the line: with the count and the time, or as it is on failure."""
        if self.stream is None:
            return
        if failed:
            if self.live:
                self.stream.write("\n")
            return
        seconds = time.perf_counter() - self.start
        self._show(f"{self.label}: {self.done}/{self.total} fits in {seconds:.1f} s",
                   end="\n")


class _CountingScorer:
    """Accuracy (the estimator's ``score``) that advances a :class:`_Progress`.

    GridSearchCV calls its scorer once per fitted (candidate, fold); with
    ``n_jobs=1`` it does so in this process, so the count is live.
    """

    def __init__(self, progress):
        self.progress = progress

    def __call__(self, estimator, X, y):
        score = estimator.score(X, y)
        self.progress.advance()
        return score


def _report_warnings(caught):
    """One line per kind of warning, with how many times it came."""
    by_category = {}
    for warning in caught:
        by_category.setdefault(warning.category.__name__, []).append(warning)
    for category, group in by_category.items():
        first = _one_line(group[0].message)
        if len(group) == 1:
            print(f"{PROG}: warning: {first} ({category})", file=sys.stderr)
        else:
            print(f"{PROG}: warning: {len(group)} {category}s, the first: {first}",
                  file=sys.stderr)


@contextlib.contextmanager
def _collecting_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    _report_warnings(caught)


def _search(pipeline, param_grid, X, y, cv, label):
    """GridSearchCV over ``param_grid`` with a live progress line; returns the
    fitted search. One candidate (an empty grid) is plain cross-validation."""
    n_candidates = math.prod(len(values) for values in param_grid.values())
    progress = _Progress(label, n_candidates * cv)
    search = GridSearchCV(
        pipeline, param_grid or [{}],
        cv=StratifiedKFold(cv, shuffle=True, random_state=0),
        scoring=_CountingScorer(progress), error_score="raise", n_jobs=1,
    )
    try:
        search.fit(X, y)
    except BaseException:
        progress.close(failed=True)
        raise
    progress.close()
    return search


def _best_scores(search):
    i = search.best_index_
    return (search.cv_results_["mean_test_score"][i],
            search.cv_results_["std_test_score"][i])


# -- sknnbasics fit / predict -----------------------------------------------------


def _fit(args):
    _check_new_file(args.output, args.force)
    estimator = MODELS[args.model]()
    params, grid = _parse_set(args.set), _parse_grid(args.grid)
    _check_names(estimator, [*params, *grid])
    both = sorted(set(params) & set(grid))
    if both:
        raise CommandError(f"{', '.join(both)} given both by --set and --grid.")
    if "random_state" not in params and "random_state" not in grid:
        params["random_state"] = 0  # the same command gives the same model
    estimator.set_params(**params)

    header, rows = _read_csv(args.data)
    if args.target not in header:
        raise CommandError(
            f"{args.data} has no column {args.target!r}; its columns are "
            f"{', '.join(header)}."
        )
    features = [name for name in header if name != args.target]
    if not features:
        raise CommandError(f"{args.data} has no feature columns besides the target.")
    X = _numeric_columns(args.data, header, rows, features)
    k = header.index(args.target)
    y = np.array([row[k].strip() for _, row in rows])
    empty = [line for line, row in rows if not row[k].strip()]
    if empty:
        raise CommandError(
            f"{args.data}, line {empty[0]}: the target {args.target!r} is empty.")
    labels = np.unique(y)
    if len(labels) < 2:
        raise CommandError(
            f"the target {args.target!r} of {args.data} holds only one class, "
            f"{str(labels[0])!r}; a classifier needs at least two."
        )
    print(f"{args.data}: {X.shape[0]} samples, {X.shape[1]} features; target "
          f"{args.target!r} with {len(labels)} classes: "
          f"{', '.join(labels[:10])}{' …' if len(labels) > 10 else ''}")

    pipeline = Pipeline([("scaler", StandardScaler()), ("model", estimator)])
    param_grid = {f"model__{name}": values for name, values in grid.items()}
    with _collecting_warnings():
        search = _search(pipeline, param_grid, X, y, args.cv,
                         label=f"{type(estimator).__name__}")
    mean, std = _best_scores(search)
    n_candidates = len(search.cv_results_["params"])
    print(f"{type(estimator).__name__}: {args.cv}-fold cross-validated accuracy "
          f"{mean:.4f} ± {std:.4f}"
          + (f" (best of {n_candidates} candidates)" if n_candidates > 1 else ""))
    if grid:
        print(f"best parameters: {_describe_params(search.best_params_)}")
    bundle = _model_bundle(search.best_estimator_, features, args.target,
                           cv_score=float(mean), best_params=dict(search.best_params_))
    _save_model(args.output, bundle)
    print(f"saved {args.output}")
    return 0


def _predict(args):
    if args.output is not None:
        _check_new_file(args.output, args.force)
    bundle = _load_model(args.model)
    model, names, target = bundle["model"], bundle["feature_names"], bundle["target"]
    header, rows = _read_csv(args.data)
    missing = [name for name in names if name not in header]
    extra = [name for name in header if name not in names and name != target]
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + \
                ([f"unexpected {', '.join(extra)}"] if extra else [])
        raise CommandError(
            f"the columns of {args.data} differ from those the model was trained "
            f"on: {'; '.join(parts)} (the model expects {', '.join(names)})."
        )
    X = _numeric_columns(args.data, header, rows, names)
    out_header, columns = [target], [model.predict(X)]
    if args.proba:
        proba = model.predict_proba(X)
        out_header += [f"proba_{label}" for label in model.classes_]
        columns += list(proba.T)
    if args.output is None:
        _write_csv(sys.stdout, out_header, columns)
    else:
        _save_csv(args.output, out_header, columns)
        print(f"wrote {len(rows)} predictions to {args.output}")
    return 0


# -- sknnbasics demo -----------------------------------------------------------------

DEMO_FILES = (
    "flower.joblib", "breast_cancer.joblib",
    "flower_train.csv", "flower_test.csv",
    "breast_cancer_train.csv", "breast_cancer_test.csv",
    "cost_curves.png", "flower_decision_boundary.png",
)


def _demo_datasets():
    """(name, X, y, feature names, target name) of the demo's two data sets."""
    from sklearn.datasets import load_breast_cancer

    from .datasets import make_flower

    X, y = make_flower(400, random_state=0)
    yield "flower", X, y, ["x1", "x2"], "class"
    data = load_breast_cancer()
    yield ("breast_cancer", data.data, data.target_names[data.target],
           list(data.feature_names), "diagnosis")


def _demo_searches(fast):
    """(estimator, param grid) for each model, from the linear baseline up.

    The grids are the lecture's §五: try a range of α, n[1] and g and compare
    the cost. The hidden sizes 1, 2, 3, 4, 5, 20, 50 are the course's own for
    the flower. Everything else is the estimators' defaults.
    """
    if fast:
        return [
            (LogisticGD(), {"learning_rate": ["auto", 0.1]}),
            (ShallowNetClassifier(max_iter=300, random_state=0),
             {"n_hidden": [2, 4], "activation": ["tanh"], "learning_rate": [1.2]}),
            (DeepNetClassifier(max_iter=300, random_state=0),
             {"hidden_layer_sizes": [(8, 4)], "activation": ["tanh"],
              "learning_rate": [0.5]}),
        ]
    return [
        (LogisticGD(), {"learning_rate": ["auto", 0.01, 0.1, 1.0]}),
        (ShallowNetClassifier(random_state=0),
         {"n_hidden": [1, 2, 3, 4, 5, 20, 50], "activation": ["tanh", "relu"],
          "learning_rate": [0.5, 1.2]}),
        (DeepNetClassifier(random_state=0),
         {"hidden_layer_sizes": [(8, 4), (20, 7, 5)], "activation": ["tanh", "relu"],
          "learning_rate": [0.1, 0.5]}),
    ]


def _demo(args):
    started = time.perf_counter()
    out = Path(args.output_dir)
    if out.exists() and not out.is_dir():
        raise CommandError(f"--output-dir {out} is a file, not a directory.")
    existing = [name for name in DEMO_FILES if (out / name).exists()]
    if existing and not args.force:
        raise CommandError(
            f"{out} already holds {', '.join(existing)} from an earlier demo; "
            f"pass --force to overwrite them, or choose another --output-dir."
        )
    cv = 3 if args.fast else 5

    results = []  # one dict per (data set, model)
    splits = {}
    for name, X, y, features, target in _demo_datasets():
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=0)
        splits[name] = (X_train, X_test, y_train, y_test, features, target)
        print(f"{name}: {len(y_train)} training and {len(y_test)} test samples, "
              f"n_x = {X.shape[1]} features", file=sys.stderr)
        for estimator, grid in _demo_searches(args.fast):
            model = type(estimator).__name__
            pipeline = Pipeline([("scaler", StandardScaler()), ("model", estimator)])
            param_grid = {f"model__{key}": values for key, values in grid.items()}
            with _collecting_warnings():
                search = _search(pipeline, param_grid, X_train, y_train, cv,
                                 label=f"  {name} · {model}")
            mean, std = _best_scores(search)
            results.append(dict(
                dataset=name, model=model, search=search, cv=mean,
                test=search.score(X_test, y_test), refit=search.refit_time_,
                params=_describe_params(search.best_params_)))

    print(f"\n{'data set':<15}{'model':<22}{'CV accuracy':>12}{'test accuracy':>15}"
          f"{'fit time':>10}  best parameters")
    for r in results:
        print(f"{r['dataset']:<15}{r['model']:<22}{r['cv']:>12.3f}{r['test']:>15.3f}"
              f"{r['refit']:>9.2f}s  {r['params']}")
    print(f"({cv}-fold cross-validation on the training split; fit time: the best "
          f"parameters refitted on the whole training split)\n")

    out.mkdir(parents=True, exist_ok=True)
    for name, (X_train, X_test, y_train, y_test, features, target) in splits.items():
        _save_csv(out / f"{name}_train.csv", [*features, target], [*X_train.T, y_train])
        _save_csv(out / f"{name}_test.csv", [*features, target], [*X_test.T, y_test])
        best = max((r for r in results if r["dataset"] == name), key=lambda r: r["cv"])
        search = best["search"]
        path = out / f"{name}.joblib"
        _save_model(path, _model_bundle(
            search.best_estimator_, features, target, cv_score=float(best["cv"]),
            best_params=dict(search.best_params_)))
        reloaded = _load_model(path)["model"]
        if not np.array_equal(reloaded.predict(X_test), search.predict(X_test)):
            raise CommandError(f"{path} predicts differently once reloaded.")
        print(f"saved the best {name} model ({best['model']}) to {path}; reloaded, "
              f"it gives identical predictions on the {len(y_test)} test samples")
    print(f"wrote the train/test splits as CSV files to {out}")

    written = _demo_plots(out, results, splits)
    if written:
        print(f"wrote {', '.join(str(path) for path in written)}")
    else:
        print("matplotlib is not installed: no plots "
              "(python -m pip install matplotlib)")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def _demo_plots(out, results, splits):
    """Cost curves J(iteration) of the best models and their decision
    boundaries on the flower; [] when matplotlib is missing."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return []
    datasets = list(splits)
    fig = Figure(figsize=(5 * len(datasets), 4), layout="constrained")
    for ax, name in zip(fig.subplots(1, len(datasets)), datasets, strict=True):
        for r in results:
            if r["dataset"] == name:
                curve = r["search"].best_estimator_[-1].loss_curve_
                ax.plot(np.arange(1, len(curve) + 1), curve, label=r["model"])
        ax.set(title=f"{name}: cost J per iteration", xlabel="iteration",
               ylabel="J", xscale="log")
        ax.legend()
    cost_path = out / "cost_curves.png"
    fig.savefig(cost_path, dpi=80)

    X_train, X_test, y_train, y_test, features, _ = splits["flower"]
    X = np.vstack([X_train, X_test])
    y = np.concatenate([y_train, y_test])
    x1, x2 = np.meshgrid(
        np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, 200),
        np.linspace(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, 200))
    flower = [r for r in results if r["dataset"] == "flower"]
    fig = Figure(figsize=(4.5 * len(flower), 4.5), layout="constrained")
    for ax, r in zip(fig.subplots(1, len(flower)), flower, strict=True):
        regions = r["search"].predict(np.column_stack([x1.ravel(), x2.ravel()]))
        ax.contourf(x1, x2, regions.reshape(x1.shape), alpha=0.3, cmap="coolwarm")
        ax.scatter(X[:, 0], X[:, 1], c=y, s=8, cmap="coolwarm")
        ax.set(title=f"{r['model']}: test accuracy {r['test']:.2f}",
               xlabel=features[0], ylabel=features[1])
    boundary_path = out / "flower_decision_boundary.png"
    fig.savefig(boundary_path, dpi=80)
    return [cost_path, boundary_path]


# -- the parser ----------------------------------------------------------------------


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line (and exit status 2)."""

    def error(self, message):
        self.exit(2, f"{PROG}: error: {message} (see `{self.prog} --help`)\n")


def _parser():
    parser = _ArgumentParser(
        prog=PROG,
        description="Neural-network basics as scikit-learn estimators: fit, "
                    "grid-search, save and apply models from the command line.")
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="grid-search LogisticGD and the networks on bundled data",
        description="Grid-search LogisticGD, ShallowNetClassifier and "
                    "DeepNetClassifier (each after a StandardScaler) on the flower "
                    "and the breast-cancer data, print the results, save the best "
                    "model of each data set, the train/test splits as CSV and, with "
                    "matplotlib, PNGs of the cost curves and decision boundaries.")
    demo.add_argument("--output-dir", default="sknnbasics-demo", metavar="DIR",
                      help="folder for the files (default: ./sknnbasics-demo; "
                           "created if missing)")
    demo.add_argument("--force", action="store_true",
                      help="overwrite the files of an earlier demo in DIR")
    demo.add_argument("--fast", action="store_true",
                      help="tiny grids and 3 folds (seconds; for tests)")
    demo.set_defaults(run=_demo)

    fit = commands.add_parser(
        "fit", help="fit StandardScaler + a model on a CSV file and save it",
        description="Fit Pipeline(StandardScaler, model) on a CSV file with a "
                    "header line, report the cross-validated accuracy (the best "
                    "of a --grid), refit on all rows and save it with joblib. "
                    "random_state is 0 unless you set it.")
    fit.add_argument("data", metavar="DATA.csv")
    fit.add_argument("--target", required=True, metavar="COL",
                     help="the column holding the class labels")
    fit.add_argument("--model", required=True, choices=sorted(MODELS))
    fit.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="a hyperparameter, e.g. --set n_hidden=8 or --set "
                          "hidden_layer_sizes='(8, 4)'; values are Python "
                          "literals, anything else a string (repeatable)")
    fit.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2",
                     help="values to grid-search, e.g. --grid activation=tanh,relu "
                          "(repeatable)")
    fit.add_argument("--cv", type=_at_least_two, default=5, metavar="K",
                     help="cross-validation folds (default: 5)")
    fit.add_argument("-o", "--output", required=True, metavar="MODEL.joblib")
    fit.add_argument("--force", action="store_true",
                     help="overwrite MODEL.joblib if it exists")
    fit.set_defaults(run=_fit)

    predict = commands.add_parser(
        "predict", help="apply a saved model to a CSV file",
        description="Predict the class of each row of DATA.csv, which must have "
                    "the model's feature columns (any order; the training target "
                    "column may be present and is ignored). Writes CSV with a "
                    "header to OUT.csv or stdout.")
    predict.add_argument("model", metavar="MODEL.joblib")
    predict.add_argument("data", metavar="DATA.csv")
    predict.add_argument("--proba", action="store_true",
                         help="add one probability column per class")
    predict.add_argument("-o", "--output", metavar="OUT.csv",
                         help="write here instead of stdout")
    predict.add_argument("--force", action="store_true",
                         help="overwrite OUT.csv if it exists")
    predict.set_defaults(run=_predict)
    return parser


def _at_least_two(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 2:
        raise argparse.ArgumentTypeError(f"expected an integer >= 2, got {text!r}")
    return value


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``).

    Returns
    -------
    status : int
        0 on success, 1 for bad input, 2 for a malformed command line.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or argparse's usage error
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        return args.run(args)
    except CommandError as exc:
        message = str(exc)
    except ValueError as exc:  # scikit-learn rejecting a hyperparameter or the data
        message = _one_line(exc)
    except BrokenPipeError:  # `sknnbasics predict … | head`: the reader left
        with contextlib.suppress(AttributeError, ValueError, OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        message = f"{where}{exc.strerror or _one_line(exc)}."
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted.", file=sys.stderr)
        return 130
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
