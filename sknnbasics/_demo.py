"""``sknnbasics demo``: grid searches on bundled data, the best models, the
splits as CSV and, with matplotlib, the cost curves and decision boundaries."""

import contextlib
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._files import Outputs, _load_model, _model_bundle, _write_csv, _write_model
from ._lecture import lecture
from ._logistic import LogisticGD
from ._messages import CommandError, _collecting_warnings
from ._search import _best_scores, _describe_params, _search

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
    the cost. The hidden sizes run from 1 to 20 as in the course's flower
    experiment (1, 2, 3, 4, 5, 20, 50), thinned so that the whole demo stays
    short on two cores. Every model is built by :func:`sknnbasics.lecture`:
    the lecture's full-batch gradient descent for exactly ``max_iter``
    iterations (1000, where the costs of these grids have levelled off; 300
    with ``--fast``), from its initial weights, with the α, n[l] and g of the
    grid.
    """
    if fast:
        return [
            (lecture(LogisticGD, max_iter=300), {"learning_rate": ["auto", 0.1]}),
            (lecture(ShallowNetClassifier, max_iter=300, random_state=0),
             {"n_hidden": [2, 4], "activation": ["tanh"], "learning_rate": [1.2]}),
            (lecture(DeepNetClassifier, max_iter=300, random_state=0),
             {"hidden_layer_sizes": [(8, 4)], "activation": ["tanh"],
              "learning_rate": [0.5]}),
        ]
    return [
        (lecture(LogisticGD, max_iter=1000),
         {"learning_rate": ["auto", 0.01, 0.1, 1.0]}),
        (lecture(ShallowNetClassifier, max_iter=1000, random_state=0),
         {"n_hidden": [1, 4, 20], "activation": ["tanh", "relu"],
          "learning_rate": [0.5, 1.2]}),
        (lecture(DeepNetClassifier, max_iter=1000, random_state=0),
         {"hidden_layer_sizes": [(8, 4), (20, 7, 5)], "activation": ["tanh", "relu"],
          "learning_rate": [0.5]}),
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
            with _collecting_warnings(grid_option=False):  # no --grid here
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

    created = _make_folder(out)
    try:
        with Outputs(args.force) as outputs:
            said = _write_demo_files(outputs, out, results, splits)
            outputs.commit()
    except BaseException:
        if created:  # leave no trace: the folder is empty again
            with contextlib.suppress(OSError):
                out.rmdir()
        raise
    for line in said:
        print(line)
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def _make_folder(out):
    """Create ``out`` (and its parents); whether it was created."""
    if out.is_dir():
        return False
    try:
        out.mkdir(parents=True)
    except FileExistsError:
        return False
    except OSError as exc:
        raise CommandError(f"cannot create --output-dir {out}: {exc.strerror}.") \
            from None
    return True


def _write_demo_files(outputs, out, results, splits):
    """Write every file of the demo into ``outputs``; what to say once they
    are in place."""
    said = []
    for name, (X_train, X_test, y_train, y_test, features, target) in splits.items():
        for part, X_part, y_part in [("train", X_train, y_train),
                                     ("test", X_test, y_test)]:
            outputs.write_text(
                out / f"{name}_{part}.csv",
                lambda file, X=X_part, y=y_part, header=[*features, target]:
                    _write_csv(file, header, [*X.T, y]))
        best = max((r for r in results if r["dataset"] == name), key=lambda r: r["cv"])
        search = best["search"]
        path = out / f"{name}.joblib"
        temporary = _write_model(outputs, path, _model_bundle(
            search.best_estimator_, features, target, cv_score=float(best["cv"]),
            scoring="accuracy", best_params=dict(search.best_params_)))
        reloaded = _load_model(temporary)["model"]
        if not np.array_equal(reloaded.predict(X_test), search.predict(X_test)):
            raise CommandError(f"{path} predicts differently once reloaded.")
        said.append(f"saved the best {name} model ({best['model']}) to {path}; "
                    f"reloaded, it gives identical predictions on the "
                    f"{len(y_test)} test samples")
    said.append(f"wrote the train/test splits as CSV files to {out}")

    written = _demo_plots(outputs, out, results, splits)
    if written:
        said.append(f"wrote {', '.join(str(path) for path in written)}")
    else:
        said.append("matplotlib is not installed: no plots "
                    "(python -m pip install matplotlib)")
    return said


def _demo_plots(outputs, out, results, splits):
    """The cost curves J(iteration) of the best network candidates of each
    data set and the decision boundaries of the best models on the flower;
    [] when matplotlib is missing."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return []
    from sklearn.inspection import DecisionBoundaryDisplay

    from ._display import CostCurveDisplay

    # the lecture's §五 picture: the cost of several hyperparameter values,
    # each curve labelled with the values that differ
    datasets = list(splits)
    fig = Figure(figsize=(8, 4 * len(datasets)), layout="constrained")
    for ax, name in zip(fig.subplots(len(datasets), 1), datasets, strict=True):
        X_train, _, y_train, *_ = splits[name]
        shallow = next(r for r in results if r["dataset"] == name
                       and r["model"] == "ShallowNetClassifier")
        with warnings.catch_warnings():  # the search has reported them
            warnings.simplefilter("ignore", ConvergenceWarning)
            display = CostCurveDisplay.from_search(
                shallow["search"], X_train, y_train, log_scale=True, ax=ax,
                candidates=min(4, len(shallow["search"].cv_results_["params"])))
        ax.set_title(f"{name}: the {len(display.lines_)} best "
                     f"ShallowNetClassifier candidates\n"
                     f"(rank by CV accuracy), refitted on the training split",
                     fontsize="medium")
        ax.legend(fontsize="small")
    cost_path = out / "cost_curves.png"
    outputs.write(cost_path, lambda file: fig.savefig(file, format="png", dpi=100))

    X_train, X_test, y_train, y_test, features, target = splits["flower"]
    flower = [r for r in results if r["dataset"] == "flower"]
    fig = Figure(figsize=(4.2 * len(flower), 4.6), layout="constrained")
    colours = {0: "tab:red", 1: "tab:blue"}
    for ax, r in zip(fig.subplots(1, len(flower)), flower, strict=True):
        DecisionBoundaryDisplay.from_estimator(
            r["search"].best_estimator_, X_train, response_method="predict",
            grid_resolution=200, eps=0.5, cmap="coolwarm_r", alpha=0.25, ax=ax,
            xlabel=features[0], ylabel=features[1])
        for label, colour in colours.items():
            ax.scatter(*X_train[y_train == label].T, s=6, color=colour, alpha=0.35,
                       linewidths=0, label=f"{target} {label}, training")
            ax.scatter(*X_test[y_test == label].T, s=22, color=colour,
                       edgecolors="black", linewidths=0.6,
                       label=f"{target} {label}, test")
        ax.set_title(f"{r['model']}\naccuracy on the {len(y_test)} test "
                     f"points: {r['test']:.2f}", fontsize="medium")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center",
               ncols=4, fontsize="small")
    boundary_path = out / "flower_decision_boundary.png"
    outputs.write(boundary_path,
                  lambda file: fig.savefig(file, format="png", dpi=100))
    return [cost_path, boundary_path]
