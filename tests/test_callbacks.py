"""Progress and monitoring (issue 4): ``verbose`` printing and scikit-learn's
``sklearn.callback`` protocol (ScoringMonitor, ProgressBar, a custom
FitCallback that stops training or interrupts it), on every estimator."""

import re
import warnings

import numpy as np
import pytest
from _helpers import short_run
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss

from sknnbasics import DeepNetClassifier, LogisticGD, ShallowNetClassifier

each_estimator = pytest.mark.parametrize(
    "name", ["LogisticGD", "ShallowNetClassifier", "DeepNetClassifier"])


def make(name, **params):
    if name == "LogisticGD":
        return LogisticGD(**params)
    if name == "ShallowNetClassifier":
        return ShallowNetClassifier(n_hidden=3, **params)
    return DeepNetClassifier(hidden_layer_sizes=(4, 3), **params)


def data(m=60, seed=0):
    return make_classification(n_samples=m, n_features=4, n_informative=3,
                               n_redundant=0, n_clusters_per_class=1,
                               random_state=seed)


def callback_module():
    """sklearn.callback, or a skip on scikit-learn versions without it."""
    return pytest.importorskip("sklearn.callback", reason="sklearn.callback is "
                               "new in scikit-learn 1.9: install scikit-learn >= 1.9 "
                               "to run these tests")


def assert_same_weights(a, b):
    for k, v in b.parameters_.items():
        assert_array_equal(a.parameters_[k], v, err_msg=k)


class StopOrInterrupt:
    """A FitCallback that stops (returns True) or raises KeyboardInterrupt at
    the end of iteration ``k``, and records the tasks it saw end."""

    def __init__(self, k, interrupt=False):
        self.k, self.interrupt = k, interrupt
        self.ended = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context):
        self.ended.append((context.task_name, context.task_id))
        if context.task_name == "iteration" and context.task_id == self.k:
            if self.interrupt:
                raise KeyboardInterrupt
            return True
        return False


# -- verbose ------------------------------------------------------------------

LINE = re.compile(r"^Iteration (\d+), cost = (\d+\.\d{8})$")


STOP = re.compile(r"^Training stopped after (\d+) iterations: (.+)\.$")


@each_estimator
@pytest.mark.parametrize("verbose", [1, 3, True])
@short_run  # a few iterations, to watch the printing and the callbacks
def test_verbose_prints_every_iteration_then_why_it_stopped(name, verbose, capsys):
    # as MLPClassifier: any true verbose prints every iteration
    X, y = data()
    est = make(name, verbose=verbose, max_iter=10, tol=None,
               random_state=0).fit(X, y)
    *lines, last = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    for line, iteration in zip(lines, range(1, 11), strict=True):
        found = LINE.match(line)
        assert found, line
        assert int(found.group(1)) == iteration
        assert float(found.group(2)) == pytest.approx(
            est.loss_curve_[iteration - 1], abs=5.1e-9)
    found = STOP.match(last)
    assert found, last
    assert int(found.group(1)) == 10
    assert found.group(2) == "reached max_iter=10 iterations"


@each_estimator
@short_run  # a few iterations, to watch the printing and the callbacks
def test_verbose_last_line_says_it_converged(name, capsys):
    X, y = data()
    est = make(name, verbose=1, max_iter=5000, tol=1e-3, n_iter_no_change=2,
               random_state=0).fit(X, y)
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (f"Training stopped after {est.n_iter_} iterations: converged: "
                    f"the monitored cost did not improve by tol=0.001 for 2 "
                    f"consecutive iterations.")


@each_estimator
@short_run  # a few iterations, to watch the printing and the callbacks
def test_verbose_shows_the_validation_cost_under_early_stopping(name, capsys):
    X, y = data()
    est = make(name, verbose=1, early_stopping=True, max_iter=6, tol=None,
               random_state=0).fit(X, y)
    *lines, last = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    for line, iteration in zip(lines, range(1, 7), strict=True):
        found = re.fullmatch(r"Iteration (\d+), cost = (\S+), validation cost = "
                             r"(\S+), validation score = (\S+)", line)
        assert found, line
        assert int(found.group(1)) == iteration
        assert float(found.group(2)) == pytest.approx(
            est.loss_curve_[iteration - 1], abs=5.1e-9)
        assert float(found.group(3)) == pytest.approx(
            est.validation_loss_curve_[iteration - 1], abs=5.1e-9)
        assert float(found.group(4)) == pytest.approx(
            est.validation_scores_[iteration - 1], abs=5.1e-7)
    best = int(np.argmin(est.validation_loss_curve_))
    assert last.endswith(
        f"early stopping restored iteration {best + 1}, validation cost "
        f"{est.validation_loss_curve_[best]:.8f}.")


@each_estimator
@short_run  # a few iterations, to watch the printing and the callbacks
def test_verbose_zero_is_silent(name, capsys):
    X, y = data()
    make(name, max_iter=5, tol=None, random_state=0).fit(X, y)
    make(name, random_state=0).partial_fit(X, y, classes=[0, 1])
    assert capsys.readouterr().out == ""


# -- sklearn.callback ---------------------------------------------------------


@each_estimator
@short_run  # a few iterations, to watch the printing and the callbacks
def test_scoring_monitor_records_every_iteration(name):
    ScoringMonitor = callback_module().ScoringMonitor
    X, y = data()
    monitor = ScoringMonitor(scoring="neg_log_loss")
    est = make(name, max_iter=6, tol=None, random_state=0).set_callbacks(monitor)
    est.fit(X, y)
    rows = [row for row in monitor.get_logs().data if row["task_name"] == "iteration"]
    assert [row["task_id"] for row in rows] == list(range(est.n_iter_))
    # the model handed over at the end of iteration i has the weights after
    # update i, whose cost J is where iteration i + 1 starts
    scores = [-row["neg_log_loss"] for row in rows]
    np.testing.assert_allclose(scores[:-1], est.loss_curve_[1:], rtol=1e-10)
    assert scores[-1] == pytest.approx(log_loss(y, est.predict_proba(X)), rel=1e-10)


@each_estimator
def test_scoring_monitor_sees_each_partial_fit(name):
    ScoringMonitor = callback_module().ScoringMonitor
    X, y = data()
    monitor = ScoringMonitor(scoring="accuracy")
    est = make(name, random_state=0).set_callbacks(monitor)
    for _ in range(3):
        est.partial_fit(X, y, classes=[0, 1])
    runs = monitor.get_logs(select="all")
    assert len(runs) == 3
    for run in runs:
        assert [r["task_name"] for r in run.data].count("iteration") == 1
    assert runs[-1].data[-1]["accuracy"] == est.score(X, y)


@each_estimator
@pytest.mark.parametrize("k", [0, 4])
@short_run  # a few iterations, to watch the printing and the callbacks
def test_fit_callback_returning_true_stops_after_that_iteration(name, k):
    callback_module()
    X, y = data()
    stopper = StopOrInterrupt(k)
    est = make(name, max_iter=50, tol=None, random_state=0).set_callbacks(stopper)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # a requested stop
        est.fit(X, y)
    assert est.n_iter_ == len(est.loss_curve_) == k + 1
    assert stopper.ended == [("iteration", i) for i in range(k + 1)] + [("fit", 0)]
    ref = make(name, max_iter=k + 1, tol=None, random_state=0).fit(X, y)
    assert_same_weights(est, ref)


@each_estimator
@short_run  # a few iterations, to watch the printing and the callbacks
def test_keyboard_interrupt_in_a_callback_keeps_a_usable_estimator(name):
    callback_module()
    X, y = data()
    est = make(name, max_iter=50, tol=None, random_state=0)
    est.set_callbacks(StopOrInterrupt(3, interrupt=True))
    with pytest.warns(ConvergenceWarning, match="interrupted.*after 4 iterations"):
        est.fit(X, y)
    assert est.n_iter_ == len(est.loss_curve_) == 4
    ref = make(name, max_iter=4, tol=None, random_state=0).fit(X, y)
    assert_same_weights(est, ref)
    assert_array_equal(est.predict(X), ref.predict(X))
    # the callbacks were torn down: the estimator fits again
    est.set_callbacks().set_params(max_iter=2).fit(X, y)
    assert est.n_iter_ == 2


@each_estimator
@short_run  # a few iterations, to watch the printing and the callbacks
def test_progress_bar_shows_the_fit_and_completes(name, capsys):
    ProgressBar = callback_module().ProgressBar
    pytest.importorskip("rich", reason="rich (in the test extra) draws the progress "
                        'bar: python -m pip install -e ".[test]" runs this test')
    X, y = data()
    est = make(name, max_iter=5, tol=None, random_state=0)
    capsys.readouterr()
    est.set_callbacks(ProgressBar()).fit(X, y)
    shown = capsys.readouterr().out
    # one bar, named after the estimator's fit, that ends full
    assert re.search(rf"{name} - fit", shown), shown
    assert "100%" in shown, shown
    ref = make(name, max_iter=5, tol=None, random_state=0).fit(X, y)
    assert est.n_iter_ == 5
    assert_same_weights(est, ref)
