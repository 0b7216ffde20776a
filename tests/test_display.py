"""CostCurveDisplay draws exactly the recorded costs, labelled with the
hyperparameters that differ (lecture §五), on matplotlib's Agg backend."""

import sys

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnbasics import (
    CostCurveDisplay,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
)
from sknnbasics.datasets import make_flower

matplotlib = pytest.importorskip(
    "matplotlib",
    reason='matplotlib draws the display: python -m pip install -e ".[plot]" runs '
           "these tests")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def flower():
    return make_flower(n_samples=120, random_state=0)


def _net(**params):
    # plain gradient descent: learning_rate is its α, as in the lecture's cost
    # curves (Adam would warn at the α of 0.1 and more these tests compare)
    defaults = {"n_hidden": 3, "solver": "gd", "learning_rate": 0.5, "max_iter": 30,
                "tol": None, "random_state": 0}
    return ShallowNetClassifier(**{**defaults, **params})


def _ax():
    return plt.subplots()[1]


def test_the_lines_are_the_recorded_costs_exactly(flower):
    X, y = flower
    nets = [_net(learning_rate=0.1).fit(X, y), _net(learning_rate=1.0).fit(X, y)]
    display = CostCurveDisplay.from_estimators(nets, ax=_ax())
    assert len(display.lines_) == 2
    for line, net in zip(display.lines_, nets, strict=True):
        assert list(line.get_ydata()) == net.loss_curve_
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 31))
    assert display.validation_lines_ == [None, None]


def test_plot_returns_itself_with_the_axes_and_the_figure(flower):
    X, y = flower
    ax = _ax()
    display = CostCurveDisplay(loss_curves=[[3.0, 2.0, 1.5]], names=["mine"])
    assert display.plot(ax=ax) is display
    assert display.ax_ is ax and display.figure_ is ax.figure
    assert ax.get_xlabel() == "iteration" and ax.get_ylabel() == "cost J"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mine"]
    assert ax.get_yscale() == "linear"
    # without ax: a new figure
    display = CostCurveDisplay.from_estimator(_net().fit(X, y), log_scale=True)
    assert display.ax_.get_yscale() == "log"
    assert display.figure_ is display.ax_.figure


def test_labels_name_only_the_hyperparameters_that_differ(flower):
    X, y = flower
    nets = [_net(learning_rate=0.1, n_hidden=2).fit(X, y),
            _net(learning_rate=0.1, n_hidden=5).fit(X, y)]
    with pytest.warns(ConvergenceWarning, match="cost rose instead of falling"):
        nets.append(_net(learning_rate=1.2, n_hidden=5).fit(X, y))  # α too large
    display = CostCurveDisplay.from_estimators(nets, ax=_ax())
    assert [line.get_label() for line in display.lines_] == [
        "learning_rate=0.1, n_hidden=2",
        "learning_rate=0.1, n_hidden=5",
        "learning_rate=1.2, n_hidden=5",
    ]


def test_one_estimator_or_identical_ones_are_labelled_by_class(flower):
    X, y = flower
    display = CostCurveDisplay.from_estimator(_net().fit(X, y), ax=_ax())
    assert display.lines_[0].get_label() == "ShallowNetClassifier"
    display = CostCurveDisplay.from_estimator(_net().fit(X, y), name="J", ax=_ax())
    assert display.lines_[0].get_label() == "J"


def test_different_classes_are_named_with_their_differing_hyperparameters(flower):
    X, y = flower
    logistic = LogisticGD(learning_rate=0.5, max_iter=30, tol=None).fit(X, y)
    net = _net().fit(X, y)
    labels = [line.get_label() for line in
              CostCurveDisplay.from_estimators([logistic, net], ax=_ax()).lines_]
    assert labels[0].startswith("LogisticGD: ")
    assert labels[1].startswith("ShallowNetClassifier: ")
    # the shared, equal hyperparameters are left out; the network's own are in
    assert "learning_rate" not in labels[0] + labels[1]
    assert "max_iter" not in labels[0] + labels[1]
    assert "n_hidden=3" in labels[1] and "n_hidden" not in labels[0]


def test_a_pipeline_plots_its_last_step_without_the_step_prefix(flower):
    X, y = flower
    pipes = [make_pipeline(StandardScaler(), _net(n_hidden=2)),
             make_pipeline(StandardScaler(with_mean=False), _net(n_hidden=4))]
    display = CostCurveDisplay.from_estimators([p.fit(X, y) for p in pipes],
                                               ax=_ax())
    assert [line.get_label() for line in display.lines_] == [
        "n_hidden=2, standardscaler__with_mean=True",
        "n_hidden=4, standardscaler__with_mean=False",
    ]
    for line, pipe in zip(display.lines_, pipes, strict=True):
        assert list(line.get_ydata()) == pipe[-1].loss_curve_


def test_validation_curves_are_dashed_in_the_training_colour(flower):
    X, y = flower
    held_out = _net(early_stopping=True, validation_fraction=0.2, n_hidden=4)
    nets = [held_out.fit(X, y), _net(n_hidden=2).fit(X, y)]
    assert hasattr(nets[0], "validation_loss_curve_")
    display = CostCurveDisplay.from_estimators(nets, ax=_ax())
    dashed, absent = display.validation_lines_
    assert absent is None
    assert list(dashed.get_ydata()) == nets[0].validation_loss_curve_
    np.testing.assert_array_equal(
        dashed.get_xdata(), np.arange(1, len(nets[0].validation_loss_curve_) + 1))
    assert dashed.get_linestyle() == "--"
    assert display.lines_[0].get_linestyle() == "-"
    assert dashed.get_color() == display.lines_[0].get_color()
    assert dashed.get_label() == display.lines_[0].get_label() + " (validation)"
    assert len(display.ax_.get_lines()) == 3


def test_curve_kwargs_apply_to_each_curve_and_its_validation_curve(flower):
    X, y = flower
    nets = [_net(early_stopping=True, n_hidden=n).fit(X, y) for n in (2, 4)]
    display = CostCurveDisplay.from_estimators(
        nets, ax=_ax(), curve_kwargs=[{"c": "red", "lw": 3}, {"color": "k"}])
    assert display.lines_[0].get_color() == "red"
    assert display.lines_[0].get_linewidth() == 3
    assert display.validation_lines_[0].get_color() == "red"
    assert display.validation_lines_[0].get_linewidth() == 3
    assert display.validation_lines_[1].get_color() == "k"


def test_a_regressor_is_drawn_too():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = X[:, 0] - 2 * X[:, 1]
    net = DeepNetRegressor(hidden_layer_sizes=(4,), solver="gd", max_iter=20,
                           tol=None, random_state=0).fit(X, y)
    line = CostCurveDisplay.from_estimator(net, ax=_ax()).lines_[0]
    assert list(line.get_ydata()) == net.loss_curve_


def test_an_unfitted_estimator_is_refused(flower):
    with pytest.raises(NotFittedError, match="ShallowNetClassifier is not fitted"):
        CostCurveDisplay.from_estimator(_net(), ax=_ax())
    pipe = make_pipeline(StandardScaler(), _net())
    with pytest.raises(NotFittedError, match="Pipeline is not fitted"):
        CostCurveDisplay.from_estimators([pipe], ax=_ax())


def test_an_estimator_without_loss_curve_is_refused(flower):
    X, y = flower
    other = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="LogisticRegression has no loss_curve_"):
        CostCurveDisplay.from_estimators([_net().fit(X, y), other], ax=_ax())


@pytest.mark.parametrize(
    ("estimators", "error", "match"),
    [([], ValueError, "at least one fitted estimator"),
     ("net", TypeError, "list of fitted estimators; got str"),
     ([3], TypeError, "not a scikit-learn estimator")],
)
def test_from_estimators_refuses_what_is_not_a_list_of_estimators(
        estimators, error, match):
    with pytest.raises(error, match=match):
        CostCurveDisplay.from_estimators(estimators, ax=_ax())


def test_plot_refuses_mismatched_lengths_and_odd_log_scale():
    display = CostCurveDisplay(loss_curves=[[1.0], [2.0]], names=["one"])
    with pytest.raises(ValueError, match="names has 1 entries, and there are 2"):
        display.plot(ax=_ax())
    display = CostCurveDisplay(loss_curves=[[1.0]])
    with pytest.raises(ValueError, match="log_scale must be True or False; got 'y'"):
        display.plot(ax=_ax(), log_scale="y")
    with pytest.raises(ValueError, match="no curve to draw"):
        CostCurveDisplay(loss_curves=[]).plot(ax=_ax())


def test_without_matplotlib_plot_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="CostCurveDisplay.plot requires matplotlib"):
        CostCurveDisplay(loss_curves=[[1.0]]).plot()


@pytest.fixture(scope="module")
def search(flower):
    X, y = flower
    search = GridSearchCV(_net(),
                          {"learning_rate": [0.05, 0.5, 2.0], "n_hidden": [1, 3]},
                          cv=KFold(3, shuffle=True, random_state=0))
    # 30 iterations of the smallest α with one hidden unit leave two folds at
    # the class-frequency cost, and they say so; the display draws whatever
    # the candidates recorded
    with pytest.warns(ConvergenceWarning, match="has learned nothing"):
        return search.fit(X, y)


def test_from_search_refits_the_best_candidates_in_rank_order(flower, search):
    X, y = flower
    display = CostCurveDisplay.from_search(search, X, y, candidates=2, ax=_ax())
    ranks = search.cv_results_["rank_test_score"]
    expected = list(np.argsort(ranks, kind="stable")[:2])
    assert display.candidates_ == expected
    for line, index in zip(display.lines_, expected, strict=True):
        params = search.cv_results_["params"][index]
        assert list(line.get_ydata()) == _net(**params).fit(X, y).loss_curve_
        assert line.get_label().startswith(f"rank {ranks[index]}: ")
    assert display.estimators_[0].get_params() == search.best_estimator_.get_params()


def test_from_search_labels_the_named_candidates(flower, search):
    X, y = flower
    params = search.cv_results_["params"]
    chosen = [params.index({"learning_rate": 0.05, "n_hidden": 3}),
              params.index({"learning_rate": 2.0, "n_hidden": 3})]
    display = CostCurveDisplay.from_search(search, X, y, candidates=chosen, ax=_ax())
    ranks = search.cv_results_["rank_test_score"]
    assert [line.get_label() for line in display.lines_] == [
        f"rank {ranks[chosen[0]]}: learning_rate=0.05",
        f"rank {ranks[chosen[1]]}: learning_rate=2.0",
    ]


@pytest.mark.parametrize(
    ("candidates", "match"),
    [(0, "pass an int from 1 to 6"), (7, "the search has 6"),
     ([0, 6], r"from 0 to 5; got \[0, 6\]"), ([], "non-empty list"),
     ("best", "an int .* or a list of indices")],
)
def test_from_search_refuses_unknown_candidates(flower, search, candidates, match):
    X, y = flower
    with pytest.raises(ValueError, match=match):
        CostCurveDisplay.from_search(search, X, y, candidates=candidates, ax=_ax())


def test_from_search_refuses_an_unfitted_search_or_another_object(flower):
    X, y = flower
    with pytest.raises(NotFittedError, match="GridSearchCV is not fitted yet"):
        CostCurveDisplay.from_search(GridSearchCV(_net(), {"n_hidden": [1, 2]}), X, y)
    with pytest.raises(TypeError,
                       match="fitted GridSearchCV .*; got ShallowNetClassifier"):
        CostCurveDisplay.from_search(_net().fit(X, y), X, y)
