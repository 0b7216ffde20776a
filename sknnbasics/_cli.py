"""The ``sknnbasics`` command line."""

import argparse
import sys
import time


def _demo(args):
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from . import DeepNetClassifier, LogisticGD, ShallowNetClassifier

    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0)
    print(f"breast cancer: {X_train.shape[0]} training and {X_test.shape[0]} "
          f"test samples, n_x = {X.shape[1]} features")
    print(f"{'model':<34}{'iterations':>11}{'final cost':>12}{'test accuracy':>15}"
          f"{'fit time':>10}")
    for model in (LogisticGD(),
                  ShallowNetClassifier(n_hidden=4, random_state=0),
                  DeepNetClassifier(hidden_layer_sizes=(20, 7, 5), random_state=0)):
        pipe = make_pipeline(StandardScaler(), model)
        start = time.perf_counter()
        pipe.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        print(f"{repr(model):<34.34}{model.n_iter_:>11}{model.loss_curve_[-1]:>12.5f}"
              f"{pipe.score(X_test, y_test):>15.3f}{seconds:>9.2f}s")
    return 0


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="sknnbasics",
        description="Neural-network basics as scikit-learn estimators.")
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser(
        "demo", help="fit LogisticGD and the networks on a bundled dataset")
    demo.set_defaults(run=_demo)
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["demo"])
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
