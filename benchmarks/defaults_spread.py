"""The defaults' accuracy against MLPClassifier() over several splits and seeds.

Issue 26, item 7: ``benchmarks/bench.py --sections defaults`` compares the
networks at their defaults with ``MLPClassifier()`` on three splits, each
estimator with ``random_state=0``. This script asks how much that comparison
moves with the split and the seed: for each of the six classification sets of
issue 13 it fits ``MLPClassifier()``, ``ShallowNetClassifier()`` and
``DeepNetClassifier()`` — each in ``make_pipeline(StandardScaler(), est)`` as
``bench.py`` does — on ``--splits`` stratified 75/25 splits (seeds 0, 1, …)
× ``--seeds`` estimator seeds (``random_state`` 0, 1, …), and prints, per data
set, the mean, min and max test accuracy of each estimator and of the
difference (ours − MLP) over the (split, seed) pairs, with the share of pairs
within the bar (ours ≥ MLP − 0.01).

Run ``python benchmarks/defaults_spread.py --blas-threads 1`` (a few minutes
on two cores). Not a test: pytest never collects it.
"""

import argparse
import statistics

from bench import defaults_data, quiet_fit  # benchmarks/ is on sys.path
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnbasics import DeepNetClassifier, ShallowNetClassifier

BAR = 0.01  # issue 26, item 7: within 0.01 of MLPClassifier()'s accuracy
MODELS = {
    "MLPClassifier()": MLPClassifier,
    "ShallowNetClassifier()": ShallowNetClassifier,
    "DeepNetClassifier()": DeepNetClassifier,
}


def stratified_splits(X, y, n_splits):
    """One stratified 75/25 split per seed 0 … n_splits − 1 (the first three
    are bench.py's)."""
    return [next(StratifiedShuffleSplit(1, test_size=0.25, random_state=s)
                 .split(X, y)) for s in range(n_splits)]


def accuracy(Model, seed, X, y, split):
    """Test accuracy of ``Model(random_state=seed)`` after StandardScaler."""
    train, test = split
    model = make_pipeline(StandardScaler(), Model(random_state=seed))
    quiet_fit(model, X[train], y[train])
    return model.score(X[test], y[test])


def scores_over_pairs(X, y, n_splits, n_seeds):
    """{model name: [accuracy per (split, seed) pair]}, pairs in the same
    order for every model."""
    scores = {name: [] for name in MODELS}
    for split in stratified_splits(X, y, n_splits):
        for seed in range(n_seeds):
            for name, Model in MODELS.items():  # interleaved
                scores[name].append(accuracy(Model, seed, X, y, split))
    return scores


def spread(values):
    return (f"{statistics.fmean(values):.3f} "
            f"[{min(values):.3f}, {max(values):.3f}]")


def table_rows(data_name, scores):
    """One Markdown row per estimator of ours, and the notes on any whose
    mean difference from MLP is beyond the bar."""
    mlp = scores["MLPClassifier()"]
    rows, notes = [], []
    for name in list(MODELS)[1:]:
        difference = [ours - theirs
                      for ours, theirs in zip(scores[name], mlp, strict=True)]
        within = sum(d >= -BAR for d in difference) / len(difference)
        rows.append(f"| {data_name} | {name} | {spread(mlp)} | "
                    f"{spread(scores[name])} | {spread(difference)} | "
                    f"{within:.0%} |")
        if statistics.fmean(difference) < -BAR:
            notes.append(f"{data_name}: {name} trails MLPClassifier() by "
                         f"{-statistics.fmean(difference):.3f} on average "
                         f"(bar {BAR})")
    return rows, notes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", type=int, default=5,
                        help="stratified 75/25 splits, seeds 0, 1, … (default 5)")
    parser.add_argument("--seeds", type=int, default=3,
                        help="estimator random_state 0, 1, … (default 3)")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit the BLAS to this many threads")
    parser.add_argument("--data", default=None,
                        help="comma-separated subset of the data sets")
    args = parser.parse_args(argv)
    if args.blas_threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.blas_threads)
    classification, _ = defaults_data()
    if args.data:
        classification = {k: classification[k] for k in args.data.split(",")}
    pairs = args.splits * args.seeds
    print(f"Test accuracy over {args.splits} splits × {args.seeds} seeds = "
          f"{pairs} pairs: mean [min, max]; difference = ours − MLP per pair; "
          f"within bar = share of pairs with ours ≥ MLP − {BAR}.\n")
    print("| data | estimator | MLPClassifier() | ours | ours − MLP "
          "| within bar |")
    print("| --- | --- | --- | --- | --- | --- |")
    notes = []
    for data_name, (X, y) in classification.items():
        rows, data_notes = table_rows(
            data_name, scores_over_pairs(X, y, args.splits, args.seeds))
        print("\n".join(rows), flush=True)
        notes += data_notes
    print()
    print("\n".join(notes) if notes else
          f"Every default is within {BAR} of MLPClassifier() on average.")


if __name__ == "__main__":
    main()
