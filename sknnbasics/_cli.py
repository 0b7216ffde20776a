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
import os
import sys

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from . import __version__
from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._demo import _demo
from ._files import (
    _check_new_file,
    _load_model,
    _model_bundle,
    _numeric_columns,
    _read_csv,
    _save_csv,
    _save_model,
    _write_csv,
)
from ._logistic import LogisticGD
from ._messages import PROG, CommandError, _collecting_warnings, _one_line
from ._search import _best_scores, _describe_params, _search

MODELS = {
    "logistic": LogisticGD,
    "shallow": ShallowNetClassifier,
    "deep": DeepNetClassifier,
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
