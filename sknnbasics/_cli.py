"""The ``sknnbasics`` command line: ``demo``, ``fit`` and ``predict``.

::

    sknnbasics demo [--output-dir DIR] [--force] [--fast]
    sknnbasics fit DATA.csv --target COL --model MODEL
                   [--set NAME=VALUE ...] [--grid NAME=V1,V2 ...] [--cv K]
                   [--scoring NAME] [--n-jobs N] -o MODEL.joblib [--force]
    sknnbasics predict MODEL.joblib DATA.csv [--proba] [-o OUT.csv] [--force]

Every model is a Pipeline(StandardScaler, estimator). Choosing
hyperparameters is the lecture's §五: try a range (``--grid``), compare the
cross-validated score (``--scoring``; ``neg_log_loss`` is the lecture's cost
J, negated), keep the best.

A command does all of its work or changes nothing: its files are written
all or nothing (:class:`sknnbasics._files.Outputs`), and Ctrl-C ends it with
the line ``sknnbasics: interrupted`` and exit status 130, writing nothing
(:mod:`sknnbasics._interrupt`). Bad input ends it with one line
``sknnbasics: error: …`` on stderr and exit status 1 (2 for a malformed
command line, as argparse does), never with a traceback.

The code: this module parses the command line and runs ``fit`` and
``predict``; ``_files`` reads CSV files and reads and writes model files;
``_search`` runs the grid search with its progress line; ``_demo`` is the
demo; ``_messages`` and ``_interrupt`` are what every command shares.
"""

import argparse
import ast
import contextlib
import io
import os
import sys
import warnings

import numpy as np
from sklearn.base import is_classifier
from sklearn.metrics import get_scorer, get_scorer_names, r2_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from . import __version__
from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._demo import _demo
from ._files import (
    Outputs,
    _check_output,
    _format_value,
    _line_of_row,
    _load_model,
    _model_bundle,
    _read_columns,
    _scan_csv,
    _write_csv,
    _write_model,
)
from ._interrupt import STATUS as INTERRUPTED_STATUS
from ._interrupt import Interrupted, stopping_the_command
from ._logistic import LogisticGD
from ._messages import PROG, CommandError, _collecting_warnings, _one_line
from ._regressors import DeepNetRegressor, ShallowNetRegressor
from ._search import _best_scores, _describe_params, _search

MODELS = {
    "logistic": LogisticGD,
    "shallow": ShallowNetClassifier,
    "deep": DeepNetClassifier,
    "shallow-regressor": ShallowNetRegressor,
    "deep-regressor": DeepNetRegressor,
}

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



# -- sknnbasics fit / predict -----------------------------------------------------

SCORING_NOTES = {
    "neg_log_loss": "= −J, the cross-entropy cost on the held-out folds",
    "neg_mean_squared_error": "= −2J, the squared-loss cost on the held-out folds",
}


def _check_scoring(name, classifier):
    if name is None:
        return "accuracy" if classifier else "r2"
    try:
        get_scorer(name)
    except ValueError:
        family = ("accuracy, balanced_accuracy, f1_macro, neg_log_loss" if classifier
                  else "r2, neg_mean_squared_error, neg_mean_absolute_error")
        raise CommandError(
            f"--scoring {name!r} is not a scikit-learn scorer name; for this model "
            f"try {family} (all {len(get_scorer_names())} names: "
            f"sklearn.metrics.get_scorer_names())."
        ) from None
    return name


def _fit(args):
    _check_output(args.output, args.force, inputs=[args.data])
    estimator = MODELS[args.model]()
    classifier = is_classifier(estimator)
    scoring = _check_scoring(args.scoring, classifier)
    params, grid = _parse_set(args.set), _parse_grid(args.grid)
    _check_names(estimator, [*params, *grid])
    both = sorted(set(params) & set(grid))
    if both:
        raise CommandError(f"{', '.join(both)} given both by --set and --grid.")
    if "random_state" not in params and "random_state" not in grid:
        params["random_state"] = 0  # the same command gives the same model
    estimator.set_params(**params)

    header, n_rows = _scan_csv(args.data)
    if args.target not in header:
        raise CommandError(
            f"{args.data} has no column {args.target!r}; its columns are "
            f"{', '.join(header)}."
        )
    features = [name for name in header if name != args.target]
    if not features:
        raise CommandError(f"{args.data} has no feature columns besides the target.")
    X, y = _read_columns(args.data, header, n_rows, features, args.target,
                         "labels" if classifier else "numbers")
    _check_standardisable(args.data, features, X)
    if classifier:
        labels = np.unique(y)
        if len(labels) < 2:
            raise CommandError(
                f"the target {args.target!r} of {args.data} holds only one class, "
                f"{str(labels[0])!r}; a classifier needs at least two."
            )
        what = (f"with {len(labels)} classes: {', '.join(labels[:10])}"
                f"{' …' if len(labels) > 10 else ''}")
    else:
        what = f"with values from {_format_value(y.min())} to {_format_value(y.max())}"
    print(f"{args.data}: {X.shape[0]} samples, {X.shape[1]} features; target "
          f"{args.target!r} {what}")

    pipeline = Pipeline([("scaler", StandardScaler()), ("model", estimator)])
    param_grid = {f"model__{name}": values for name, values in grid.items()}
    with _collecting_warnings():
        search = _search(pipeline, param_grid, X, y, args.cv,
                         label=f"{type(estimator).__name__}", scoring=scoring,
                         n_jobs=args.n_jobs)
    mean, std = _best_scores(search)
    n_candidates = len(search.cv_results_["params"])
    note = f" ({SCORING_NOTES[scoring]})" if scoring in SCORING_NOTES else ""
    print(f"{type(estimator).__name__}: {args.cv}-fold cross-validated {scoring} "
          f"{mean:.4f} ± {std:.4f}{note}"
          + (f" (best of {n_candidates} candidates)" if n_candidates > 1 else ""))
    if grid:
        print(f"best parameters: {_describe_params(search.best_params_)}")
    model = _knowing_column_names(search.best_estimator_, features)
    bundle = _model_bundle(model, features, args.target,
                           cv_score=float(mean), scoring=scoring,
                           best_params=dict(search.best_params_))
    with Outputs(args.force) as outputs:
        _write_model(outputs, args.output, bundle)
        outputs.commit()
    print(f"saved {args.output}")
    return 0


def _check_standardisable(path, features, X):
    """Refuse, naming the column, data whose standardisation overflows.

    Finite values can be too large for the pipeline's StandardScaler: the
    sum behind a column's mean, or the squares behind its variance (and the
    correction term of its two-pass formula), exceed float64's range
    (±1.8e308), and scikit-learn then fails with "Input X contains infinity
    or a value too large", which names nothing in the file. The scaler is
    fitted here once, on every row, to find such a column before any fit.
    """
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        scaler = StandardScaler().fit(X)
    overflows = ~(np.isfinite(scaler.mean_) & np.isfinite(scaler.var_))
    if overflows.any():
        j = int(np.flatnonzero(overflows)[0])
        what = "variance" if np.isfinite(scaler.mean_[j]) else "mean"
        i = int(np.argmax(np.abs(X[:, j])))
        raise CommandError(
            f"{path}, column {features[j]!r}: standardising it overflows: "
            f"computing its {what} exceeds the range of float64 (±1.8e308); "
            f"its largest |value| is {_format_value(X[i, j])} on line "
            f"{_line_of_row(path, i)}. Rescale the column (e.g. divide it by "
            f"a power of ten) and fit again.")


def _knowing_column_names(pipeline, features):
    """The fitted ``pipeline``, knowing ``features`` as its column names.

    ``fit`` reads the CSV into a bare array (no pandas), so the pipeline is
    fitted without feature names. Given them here, it is what fitting on a
    DataFrame with these columns makes: its first step (the scaler) holds
    them as ``feature_names_in_`` (the attribute scikit-learn's
    ``validate_data`` sets in ``fit`` and checks in ``predict``; the
    Pipeline reports its first step's), the later steps see the scaler's
    array output and hold none. So ``model.predict(df[features])`` runs
    without warning, and a DataFrame with other or misordered columns gets
    scikit-learn's usual error.
    """
    pipeline[0].feature_names_in_ = np.asarray(features, dtype=object)
    return pipeline


def _by_position(model, method, X):
    """``model.method(X)`` for the columns of X that ``predict`` matched by
    name.

    ``predict`` has checked the CSV's column names against the model's and
    read them in the model's order, so position is name here; scikit-learn,
    given the bare array (the CSV is read without pandas), cannot know that
    and warns that X has no feature names: only that warning is silenced.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="X does not have valid feature names",
            category=UserWarning)
        return getattr(model, method)(X)


def _predict(args):
    if args.output is not None:
        _check_output(args.output, args.force, inputs=[args.model, args.data])
    bundle = _load_model(args.model)
    model, names, target = bundle["model"], bundle["feature_names"], bundle["target"]
    classifier = is_classifier(model)
    if args.proba and not classifier:
        raise CommandError(
            f"--proba: {args.model} holds a regressor, which gives no class "
            f"probabilities.")
    header, n_rows = _scan_csv(args.data)
    missing = [name for name in names if name not in header]
    extra = [name for name in header if name not in names and name != target]
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + \
                ([f"unexpected {', '.join(extra)}"] if extra else [])
        raise CommandError(
            f"the columns of {args.data} differ from those the model was trained "
            f"on: {'; '.join(parts)} (the model expects {', '.join(names)})."
        )
    has_target = target in header
    X, y = _read_columns(
        args.data, header, n_rows, names, target if has_target else None,
        ("labels or empty" if classifier else "numbers or empty") if has_target
        else None)
    predicted = _by_position(model, "predict", X)
    out_header, columns = [target], [predicted]
    if args.proba:
        proba = _by_position(model, "predict_proba", X)
        out_header += [f"proba_{label}" for label in model.classes_]
        columns += list(proba.T)
    if args.output is None:
        text = io.StringIO()  # written at once: a Ctrl-C leaves no half table
        _write_csv(text, out_header, columns)
        sys.stdout.write(text.getvalue())
    else:
        with Outputs(args.force) as outputs:
            outputs.write_text(args.output,
                               lambda file: _write_csv(file, out_header, columns))
            outputs.commit()
        print(f"wrote {n_rows} predictions to {args.output}")
    if has_target:
        _evaluate(args.data, target, y, predicted, classifier)
    return 0


def _evaluate(path, target, y, predicted, classifier):
    """One line on stderr: how the predictions compare with the target column
    of the data (its rows with a value; predict's output is unchanged)."""
    if classifier:
        known = y != ""
        # compared as the output writes them: what a reader of both files sees
        hits = [_format_value(p) == t for p, t in zip(predicted[known], y[known],
                                                      strict=True)]
        n, what = len(hits), f"accuracy {np.mean(hits):.4f}" if hits else ""
    else:
        known = ~np.isnan(y)
        n = int(known.sum())
        what = f"R² {r2_score(y[known], predicted[known]):.4f}" if n >= 2 else ""
    if what:
        print(f"{PROG}: {what} on the {n} rows of {path} with a {target!r} value",
              file=sys.stderr)


# -- the parser ----------------------------------------------------------------------


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line (and exit status 2)."""

    def error(self, message):
        self.exit(2, f"{PROG}: error: {message} (see `{self.prog} --help`)\n")


def _parser():
    """The command line: ``demo``, ``fit`` and ``predict``, one function each."""
    parser = _ArgumentParser(
        prog=PROG,
        description="Neural-network basics as scikit-learn estimators: fit, "
                    "grid-search, save and apply models from the command line.")
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_demo(commands)
    _add_fit(commands)
    _add_predict(commands)
    return parser


def _add_demo(commands):
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


def _add_fit(commands):
    fit = commands.add_parser(
        "fit", help="fit StandardScaler + a model on a CSV file and save it",
        description="Fit Pipeline(StandardScaler, model) on a CSV file with a "
                    "header line, report the cross-validated score (the best "
                    "of a --grid), refit on all rows and save it with joblib. "
                    "random_state is 0 unless you set it. Ctrl-C stops it "
                    "(exit status 130) without writing anything.")
    fit.add_argument("data", metavar="DATA.csv")
    fit.add_argument("--target", required=True, metavar="COL",
                     help="the column to predict: class labels (kept as text) "
                          "for a classifier, numbers for a regressor")
    fit.add_argument("--model", required=True, choices=list(MODELS), metavar="MODEL",
                     help="logistic (LogisticGD), shallow (ShallowNetClassifier: "
                          "one hidden layer), deep (DeepNetClassifier); for "
                          "numeric targets shallow-regressor "
                          "(ShallowNetRegressor), deep-regressor "
                          "(DeepNetRegressor)")
    fit.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="a hyperparameter, e.g. --set n_hidden=8 or --set "
                          "hidden_layer_sizes='(8, 4)'; values are Python "
                          "literals, anything else a string (repeatable)")
    fit.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2",
                     help="values to grid-search, e.g. --grid activation=tanh,relu "
                          "(repeatable)")
    fit.add_argument("--cv", type=_at_least_two, default=5, metavar="K",
                     help="cross-validation folds (default: 5; stratified for "
                          "a classifier)")
    fit.add_argument("--scoring", metavar="NAME",
                     help="how the candidates are compared, a scikit-learn "
                          "scorer name (default: accuracy for a classifier, r2 "
                          "for a regressor); neg_log_loss is minus the "
                          "cross-entropy cost J on the held-out folds, the "
                          "lecture's rule of keeping the hyperparameters with "
                          "the lowest cost (it can pick other values than "
                          "accuracy: J also rewards confident right answers)")
    fit.add_argument("--n-jobs", type=_jobs, default=1, metavar="N",
                     help="fits to run at once in other processes (default: "
                          "1; -1: one per CPU); with N > 1 the progress line "
                          "shows only the final count")
    fit.add_argument("-o", "--output", required=True, metavar="MODEL.joblib")
    fit.add_argument("--force", action="store_true",
                     help="overwrite MODEL.joblib if it exists")
    fit.set_defaults(run=_fit)


def _add_predict(commands):
    predict = commands.add_parser(
        "predict", help="apply a saved model to a CSV file",
        description="Predict the class (or value) of each row of DATA.csv, "
                    "which must have the model's feature columns (any order). "
                    "Writes CSV with a header to OUT.csv or stdout. If DATA.csv "
                    "also has the training target column, a line on stderr "
                    "gives the accuracy (R² for a regressor) on its rows with a "
                    "value.")
    predict.add_argument("model", metavar="MODEL.joblib")
    predict.add_argument("data", metavar="DATA.csv")
    predict.add_argument("--proba", action="store_true",
                         help="add one probability column per class")
    predict.add_argument("-o", "--output", metavar="OUT.csv",
                         help="write here instead of stdout")
    predict.add_argument("--force", action="store_true",
                         help="overwrite OUT.csv if it exists")
    predict.set_defaults(run=_predict)


def _at_least_two(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 2:
        raise argparse.ArgumentTypeError(f"expected an integer >= 2, got {text!r}")
    return value


def _jobs(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(
            f"expected a number of processes >= 1, or -1 for one per CPU; "
            f"got {text!r}")
    return value


def main(argv=None):
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``).

    Returns
    -------
    status : int
        0 on success, 1 for bad input, 2 for a malformed command line, 130
        when interrupted by Ctrl-C.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or argparse's usage error
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        with stopping_the_command():
            return args.run(args)
    except (Interrupted, KeyboardInterrupt):  # Ctrl-C: nothing was written
        print(f"{PROG}: interrupted", file=sys.stderr)
        return INTERRUPTED_STATUS
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
    except MemoryError as exc:  # e.g. --set n_hidden=10000000000
        detail = _one_line(exc) or "the data or the model is too large"
        message = f"not enough memory: {detail}."
    except Exception as exc:  # anything else, still in one line
        message = f"{type(exc).__name__}: {_one_line(exc)}"
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
