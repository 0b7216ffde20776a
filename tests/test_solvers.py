"""The solvers and schedules beyond the lecture's gradient descent (issue 13):
momentum, Nesterov, Adam, "invscaling", "adaptive" and L-BFGS give
scikit-learn's MLPClassifier / MLPRegressor numbers from the same weights.

MLP is started from given weights by overriding its ``_init_coef`` (called
once per layer on the first fit), so both estimators start a fresh fit: a
fresh optimizer, t = 0, no best cost yet. Full batch (MLP: batch_size = m,
shuffle=False) so that nothing random is left.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
)
from sknnbasics._optimizers import Adam, GradientDescent

N = 40  # iterations compared


def _classification(n_classes, m=60, seed=3):
    X, y = make_classification(
        n_samples=m, n_features=4, n_informative=3, n_redundant=0,
        n_classes=n_classes, n_clusters_per_class=1, random_state=seed)
    return StandardScaler().fit_transform(X), y


def _regression(m=60, seed=4):
    X, y = make_regression(n_samples=m, n_features=4, noise=5.0, random_state=seed)
    return StandardScaler().fit_transform(X), (y - y.mean()) / y.std()


def _weights(dims, seed):
    """MLP-layout coefs_ and intercepts_ for the layer widths ``dims``."""
    rng = np.random.RandomState(seed)
    coefs = [rng.uniform(-1, 1, (dims[l - 1], dims[l])) / np.sqrt(dims[l - 1])
             for l in range(1, len(dims))]
    intercepts = [rng.uniform(-0.1, 0.1, dims[l]) for l in range(1, len(dims))]
    return coefs, intercepts


def _mlp_from(MLP, coefs, intercepts, **params):
    """An MLP whose first fit starts from ``coefs``/``intercepts``."""
    layers = iter(zip(coefs, intercepts, strict=True))

    class Started(MLP):
        def _init_coef(self, fan_in, fan_out, dtype):
            W, b = next(layers)
            assert W.shape == (fan_in, fan_out)
            return W.astype(dtype), b.astype(dtype)

    return Started(**params)


def _ours_from(estimator, coefs, intercepts):
    """Our estimator, its first fit starting from the same weights (a
    warm start from assigned weights, as MLPClassifier's documented way)."""
    estimator.set_params(warm_start=True)
    estimator.coefs_ = [W.copy() for W in coefs]
    estimator.intercepts_ = [b.copy() for b in intercepts]
    return estimator


# (our hyperparameters, MLP's) for each rule; the α of each is chosen so that
# training moves far from the start in N iterations without diverging
RULES = {
    "momentum": (dict(solver="gd", learning_rate=0.1, momentum=0.9,
                      nesterovs_momentum=False),
                 dict(solver="sgd", learning_rate_init=0.1, momentum=0.9,
                      nesterovs_momentum=False)),
    "nesterov": (dict(solver="gd", learning_rate=0.1, momentum=0.8,
                      nesterovs_momentum=True),
                 dict(solver="sgd", learning_rate_init=0.1, momentum=0.8,
                      nesterovs_momentum=True)),
    "adam": (dict(solver="adam", learning_rate=0.01),
             dict(solver="adam", learning_rate_init=0.01)),
    "adam, other betas and epsilon": (
        dict(solver="adam", learning_rate=0.02, beta_1=0.8, beta_2=0.99,
             epsilon=1e-4),
        dict(solver="adam", learning_rate_init=0.02, beta_1=0.8, beta_2=0.99,
             epsilon=1e-4)),
    "invscaling": (dict(solver="gd", learning_rate=2.0,
                        learning_rate_schedule="invscaling", power_t=0.3),
                   dict(solver="sgd", learning_rate_init=2.0, momentum=0.0,
                        learning_rate="invscaling", power_t=0.3)),
    "invscaling with momentum": (
        dict(solver="gd", learning_rate=1.0, learning_rate_schedule="invscaling",
             momentum=0.5),
        dict(solver="sgd", learning_rate_init=1.0, learning_rate="invscaling",
             momentum=0.5)),
}
# MLPClassifier divides α when its stall counter *exceeds* n_iter_no_change;
# ours when the counter reaches it: MLP's k is our k + 1
ADAPTIVE = (dict(solver="gd", learning_rate=0.5, learning_rate_schedule="adaptive",
                 tol=1e-2, n_iter_no_change=3),
            dict(solver="sgd", learning_rate_init=0.5, momentum=0.0,
                 learning_rate="adaptive", tol=1e-2, n_iter_no_change=2))
NOT_STOPPING = dict(tol=0.0, n_iter_no_change=10**9)


def _fit_both(Ours, MLP, X, y, hidden, activation, ours, theirs, seed=7,
              alpha=0.0, n_outputs=None):
    n_out = n_outputs if n_outputs is not None else (
        1 if len(np.unique(y)) == 2 else len(np.unique(y)))
    coefs, intercepts = _weights([X.shape[1], *hidden, n_out], seed)
    theirs = {**NOT_STOPPING, **theirs}
    mlp = _mlp_from(MLP, coefs, intercepts, hidden_layer_sizes=hidden,
                    activation=activation, batch_size=len(X), shuffle=False,
                    alpha=alpha, max_iter=N, random_state=0, **theirs)
    ours = {"tol": None, **ours}
    net = _ours_from(Ours(hidden, activation=activation, alpha=alpha,
                          batch_size=None, max_iter=N, random_state=0, **ours),
                     coefs, intercepts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
        net.fit(X, y)
    return net, mlp


def _assert_same(net, mlp, X, atol, same_n_iter=True):
    if same_n_iter:
        assert net.n_iter_ == mlp.n_iter_
    for ours, theirs in zip(net.coefs_ + net.intercepts_,
                            mlp.coefs_ + mlp.intercepts_, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)
    if hasattr(mlp, "predict_proba"):
        np.testing.assert_allclose(net.predict_proba(X), mlp.predict_proba(X),
                                   rtol=0, atol=atol)
    else:
        np.testing.assert_allclose(net.predict(X), mlp.predict(X), rtol=0,
                                   atol=atol)


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("hidden", [(5,), (5, 3)])
def test_each_rule_equals_mlpclassifier(rule, n_classes, activation, hidden):
    X, y = _classification(n_classes)
    ours, theirs = RULES[rule]
    net, mlp = _fit_both(DeepNetClassifier, MLPClassifier, X, y, hidden,
                         activation, ours, theirs)
    assert net.n_iter_ == N
    _assert_same(net, mlp, X, atol=1e-9)
    # and the trajectory, not only its end: J before each update
    np.testing.assert_allclose(net.loss_curve_, mlp.loss_curve_, rtol=0, atol=1e-9)


@pytest.mark.parametrize("rule", ["momentum", "nesterov", "adam", "invscaling"])
@pytest.mark.parametrize("hidden", [(5,), (5, 3)])
def test_each_rule_equals_mlpregressor(rule, hidden):
    X, y = _regression()
    ours, theirs = RULES[rule]
    net, mlp = _fit_both(DeepNetRegressor, MLPRegressor, X, y, hidden, "tanh",
                         ours, theirs, n_outputs=1)
    _assert_same(net, mlp, X, atol=1e-9)
    np.testing.assert_allclose(net.loss_curve_, mlp.loss_curve_, rtol=0, atol=1e-9)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_the_adaptive_schedule_equals_mlpclassifier(n_classes, activation):
    X, y = _classification(n_classes)
    ours, theirs = ADAPTIVE
    coefs, intercepts = _weights([4, 5, 1 if n_classes == 2 else n_classes], 7)
    mlp = _mlp_from(MLPClassifier, coefs, intercepts, hidden_layer_sizes=(5,),
                    activation=activation, batch_size=len(X), shuffle=False,
                    alpha=0.0, max_iter=N, random_state=0, **theirs)
    net = _ours_from(DeepNetClassifier((5,), activation=activation, max_iter=N,
                                       batch_size=None, random_state=0, **ours),
                     coefs, intercepts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
        net.fit(X, y)
    # the schedule did divide α, more than once, at the same iterations
    assert mlp._optimizer.learning_rate < 0.5 / 5
    assert net._optimizer_state["learning_rate"] == pytest.approx(
        mlp._optimizer.learning_rate, rel=1e-15)
    _assert_same(net, mlp, X, atol=1e-9)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("hidden", [(5,), (5, 3)])
def test_lbfgs_equals_mlpclassifier(n_classes, hidden):
    X, y = _classification(n_classes)
    net, mlp = _fit_both(DeepNetClassifier, MLPClassifier, X, y, hidden, "tanh",
                         dict(solver="lbfgs", tol=1e-12),
                         dict(solver="lbfgs", tol=1e-12), alpha=1e-3)
    assert net.n_iter_ > 10
    _assert_same(net, mlp, X, atol=1e-6)
    assert net.loss_ == pytest.approx(mlp.loss_, abs=1e-9)


def test_lbfgs_equals_mlpregressor():
    X, y = _regression()
    net, mlp = _fit_both(DeepNetRegressor, MLPRegressor, X, y, (6,), "tanh",
                         dict(solver="lbfgs", tol=1e-12),
                         dict(solver="lbfgs", tol=1e-12), n_outputs=1)
    _assert_same(net, mlp, X, atol=1e-6)


def test_lbfgs_loss_curve_is_j_before_each_iteration():
    # loss_curve_[k] is J at the start of iteration k + 1, as for gradient
    # descent; loss_ is J at the weights returned (MLP's loss_ for L-BFGS)
    X, y = _classification(3)
    coefs, intercepts = _weights([4, 5, 3], 7)
    net = _ours_from(DeepNetClassifier((5,), activation="tanh", solver="lbfgs",
                                       max_iter=15, tol=None),
                     coefs, intercepts)
    start = DeepNetClassifier((5,), activation="tanh")
    start.coefs_, start.intercepts_, start.classes_ = coefs, intercepts, np.unique(y)
    start.n_features_in_, start.n_layers_ = 4, 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, y)
    first = -np.mean(np.log(start.predict_proba(X)[np.arange(len(y)), y]))
    assert net.loss_curve_[0] == pytest.approx(first, rel=1e-12)
    assert len(net.loss_curve_) == net.n_iter_ == 15
    # L-BFGS's line search never accepts a higher J
    assert np.all(np.diff(net.loss_curve_) <= 0)
    final = -np.mean(np.log(net.predict_proba(X)[np.arange(len(y)), y]))
    assert net.loss_ == pytest.approx(final, rel=1e-12)
    assert net.loss_ < net.loss_curve_[-1]


def test_momentum_zero_is_the_lecture_update_bit_for_bit():
    X, y = _classification(3)
    plain = ShallowNetClassifier(5, solver="gd", learning_rate=0.3, max_iter=25,
                                 tol=None, batch_size=None, random_state=1).fit(X, y)
    explicit = ShallowNetClassifier(5, solver="gd", learning_rate=0.3, momentum=0.0,
                                    nesterovs_momentum=False, max_iter=25,
                                    tol=None, batch_size=None,
                                    random_state=1).fit(X, y)
    for a, b in zip(plain.coefs_ + plain.intercepts_,
                    explicit.coefs_ + explicit.intercepts_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_update_rules_by_hand():
    # one parameter, three updates, each rule worked out by hand
    W = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    g = {"dW1": np.array([[2.0]]), "db1": np.array([[-1.0]])}
    gd = GradientDescent(W, 0.1, momentum=0.5, nesterov=False)
    p = {k: v.copy() for k, v in W.items()}
    gd.update(p, g)  # v = −0.2, W = 0.8
    gd.update(p, g)  # v = 0.5·(−0.2) − 0.2 = −0.3, W = 0.5
    assert p["W1"][0, 0] == pytest.approx(0.5, abs=1e-15)
    nag = GradientDescent(W, 0.1, momentum=0.5, nesterov=True)
    p = {k: v.copy() for k, v in W.items()}
    nag.update(p, g)  # v = −0.2, W = 1 + 0.5·(−0.2) − 0.2 = 0.7
    assert p["W1"][0, 0] == pytest.approx(0.7, abs=1e-15)
    adam = Adam(W, 0.1, beta_1=0.9, beta_2=0.999, epsilon=0.0)
    p = {k: v.copy() for k, v in W.items()}
    adam.update(p, g)
    # v = 0.2, s = 0.004, α_t = 0.1·√0.001/0.1: the first step is α·sign(g)
    assert p["W1"][0, 0] == pytest.approx(0.9, abs=1e-12)
    assert p["b1"][0, 0] == pytest.approx(0.1, abs=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_over_one_flat_vector_is_the_per_parameter_rule_bit_for_bit(dtype):
    # NumPy parameters step through one flat vector (_FlatMoments); the
    # per-parameter form (the path of other array libraries) is the rule as
    # written. Same operations, same order: identical to the last bit, for
    # the weights and for the moments kept in the state.
    rng = np.random.RandomState(0)
    shapes = {"W1": (6, 3), "b1": (6, 1), "W2": (1, 6), "b2": (1, 1)}
    start = {k: rng.randn(*shape).astype(dtype) for k, shape in shapes.items()}
    flat = Adam(start, 0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-7)
    plain = Adam(start, 0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-7)
    assert flat._flat is not None
    plain._flat = None  # the per-parameter rule, with its own moments
    plain.v = {k: np.zeros_like(v) for k, v in plain.v.items()}
    plain.s = {k: np.zeros_like(v) for k, v in plain.s.items()}
    p, q = ({k: v.copy() for k, v in start.items()} for _ in range(2))
    for _ in range(5):
        grads = {f"d{k}": rng.randn(*shape).astype(dtype)
                 for k, shape in shapes.items()}
        flat.update(p, grads)
        plain.update(q, grads)
    for k in shapes:
        assert p[k].dtype == dtype and np.array_equal(p[k], q[k]), k
    for k, v in plain.state().items():
        if isinstance(v, np.ndarray):
            assert np.array_equal(flat.state()[k], v), k
    # and a fresh optimizer restored from the flat one's state goes on alike
    again = Adam(start, 0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-7)
    again.restore(flat.state())
    grads = {f"d{k}": rng.randn(*shape).astype(dtype) for k, shape in shapes.items()}
    r = {k: v.copy() for k, v in p.items()}
    again.update(r, grads)
    flat.update(p, grads)
    assert all(np.array_equal(p[k], r[k]) for k in shapes)


def test_partial_fit_continues_the_optimizer_state_as_mlp():
    X, y = _classification(3)
    coefs, intercepts = _weights([4, 5, 3], 7)
    mlp = _mlp_from(MLPClassifier, coefs, intercepts, hidden_layer_sizes=(5,),
                    activation="tanh", alpha=0.0, solver="adam",
                    learning_rate_init=0.05, batch_size=len(X), shuffle=False,
                    random_state=0)
    net = _ours_from(DeepNetClassifier((5,), activation="tanh", solver="adam",
                                       learning_rate=0.05, batch_size=None),
                     coefs, intercepts)
    net.set_params(warm_start=False)
    classes = np.unique(y)
    for _ in range(12):
        mlp.partial_fit(X, y, classes=classes)
        net.partial_fit(X, y, classes=classes)
    assert net._optimizer_state["t"] == 12
    # (MLPClassifier's n_iter_ is 1 after any partial_fit; ours counts them)
    assert net.n_iter_ == 12 and mlp.n_iter_ == 1
    _assert_same(net, mlp, X, atol=1e-10, same_n_iter=False)


def test_a_warm_start_fit_starts_a_fresh_optimizer_as_mlp():
    X, y = _classification(2)
    coefs, intercepts = _weights([4, 5, 1], 7)
    mlp = _mlp_from(MLPClassifier, coefs, intercepts, hidden_layer_sizes=(5,),
                    activation="tanh", alpha=0.0, solver="sgd",
                    learning_rate_init=0.5, momentum=0.9, learning_rate="invscaling",
                    batch_size=len(X), shuffle=False,
                    warm_start=True, max_iter=10, random_state=0, **NOT_STOPPING)
    net = _ours_from(DeepNetClassifier((5,), activation="tanh", solver="gd",
                                       batch_size=None, learning_rate=0.5,
                                       momentum=0.9,
                                       learning_rate_schedule="invscaling",
                                       max_iter=10, tol=None), coefs, intercepts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(3):  # velocities restart at 0, t_ goes on
            mlp.fit(X, y)
            net.fit(X, y)
    assert net.t_ == mlp.t_ == 30 * len(X)
    _assert_same(net, mlp, X, atol=1e-10)


def test_shuffle_false_takes_the_batches_in_order_as_mlp():
    X, y = _classification(3, m=50)
    coefs, intercepts = _weights([4, 5, 3], 7)
    mlp = _mlp_from(MLPClassifier, coefs, intercepts, hidden_layer_sizes=(5,),
                    activation="tanh", alpha=0.0, solver="sgd",
                    learning_rate_init=0.2, momentum=0.0, batch_size=16,
                    shuffle=False, max_iter=N, random_state=0,
                    **NOT_STOPPING)
    net = _ours_from(DeepNetClassifier((5,), activation="tanh", solver="gd",
                                       learning_rate=0.2, batch_size=16,
                                       shuffle=False, max_iter=N, tol=None),
                     coefs, intercepts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(X, y)
        net.fit(X, y)
    _assert_same(net, mlp, X, atol=1e-10)
    # with shuffle=True the batches differ, and so does the model
    shuffled = _ours_from(DeepNetClassifier((5,), activation="tanh", solver="gd",
                                            learning_rate=0.2, batch_size=16,
                                            max_iter=N, tol=None, random_state=0),
                          coefs, intercepts).fit(X, y)
    assert not np.allclose(shuffled.coefs_[0], net.coefs_[0])


def test_early_stopping_on_the_score_records_mlps_attributes():
    X, y = _classification(3, m=300)
    params = dict(activation="tanh", solver="adam", learning_rate=0.01,
                  batch_size=32,
                  early_stopping=True, early_stopping_metric="score",
                  random_state=0)
    net = DeepNetClassifier((8,), max_iter=300, tol=1e-4, **params).fit(X, y)
    scores = net.validation_scores_
    assert len(scores) == net.n_iter_ == len(net.validation_loss_curve_)
    assert net.best_validation_score_ == max(scores)
    assert net.best_loss_ == -max(scores)
    # the stopping rule replayed on the recorded scores: stop once the score
    # has not beaten its best by tol for n_iter_no_change iterations
    best, stalled = -np.inf, 0
    for k, score in enumerate(scores, 1):  # noqa: B007 (k is used after)
        stalled = stalled + 1 if score < best + 1e-4 else 0
        best = max(best, score)
        if stalled == net.n_iter_no_change:
            break
    assert k == net.n_iter_ < 300
    # the weights kept are those of the first best score: a run stopped
    # right there (same split, same shuffles) ends with them
    first_best = scores.index(max(scores)) + 1
    there = DeepNetClassifier((8,), max_iter=first_best, tol=None,
                              **params).fit(X, y)
    for a, b in zip(net.coefs_ + net.intercepts_, there.coefs_ + there.intercepts_,
                    strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("Estimator", [LogisticGD, ShallowNetClassifier])
def test_lbfgs_refuses_partial_fit_and_early_stopping(Estimator):
    X, y = _classification(2)
    # partial_fit is not there at all (as MLPClassifier), and says why
    assert not hasattr(Estimator(solver="lbfgs"), "partial_fit")
    assert hasattr(Estimator(solver="adam"), "partial_fit")
    with pytest.raises(AttributeError) as error:
        Estimator(solver="lbfgs").partial_fit(X, y, classes=[0, 1])
    # scikit-learn's available_if raises its own AttributeError from ours
    assert "solver='lbfgs' has no partial_fit" in str(error.value.__cause__)
    with pytest.raises(ValueError, match="solver='lbfgs' cannot use early_stopping"):
        Estimator(solver="lbfgs", early_stopping=True).fit(X, y)


def test_several_outputs_train_as_mlpregressor_with_k_times_its_reported_loss():
    # the squared loss ½‖ŷ − y‖² is summed over the k outputs here and
    # averaged over them in MLPRegressor's reported loss_ — but its
    # gradients are those of the sum, so the weights are the same
    rng = np.random.RandomState(0)
    X = rng.standard_normal((40, 3))
    Y = np.column_stack([X[:, 0], X[:, 1] * X[:, 2], np.sin(X[:, 2])])
    net, mlp = _fit_both(DeepNetRegressor, MLPRegressor, X, Y, (5,), "tanh",
                         dict(solver="gd", learning_rate=0.1),
                         dict(solver="sgd", learning_rate_init=0.1, momentum=0.0),
                         n_outputs=3)
    _assert_same(net, mlp, X, atol=1e-12)
    np.testing.assert_allclose(net.loss_curve_, 3 * np.array(mlp.loss_curve_),
                               rtol=1e-12)


def test_n_iter_no_change_stops_one_iteration_before_mlp():
    # ours stops once the counter of iterations without improvement by tol
    # reaches n_iter_no_change; MLPClassifier once it exceeds it
    X, y = _classification(3)
    k = 4
    stops = []
    for ours_k in (k, k + 1):
        net, mlp = _fit_both(
            DeepNetClassifier, MLPClassifier, X, y, (5,), "tanh",
            dict(solver="gd", learning_rate=0.5, tol=1e-2, n_iter_no_change=ours_k),
            dict(solver="sgd", learning_rate_init=0.5, momentum=0.0, tol=1e-2,
                 n_iter_no_change=k))
        stops.append((net.n_iter_, mlp.n_iter_))
    (ours_k_stop, mlp_stop), (ours_k1_stop, _) = stops
    assert mlp_stop < N
    assert ours_k_stop == mlp_stop - 1 and ours_k1_stop == mlp_stop


def test_lbfgs_that_cannot_move_says_so():
    # raw iris (all features positive) through ReLU units of 8 and 4 from
    # random_state=0 (init="xavier": b = 0): every unit of the second hidden
    # layer is off for every sample, the softmax starts at 1/3 each, and
    # every gradient is 0
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    net = DeepNetClassifier((8, 4), activation="relu", solver="lbfgs",
                            init="xavier", random_state=0)
    with pytest.warns(ConvergenceWarning, match="did not move from its starting"):
        net.fit(X, y)
    assert net.n_iter_ == 0
    hidden = np.maximum(np.maximum(X @ net.coefs_[0], 0) @ net.coefs_[1], 0)
    assert np.all(hidden == 0)


@pytest.mark.parametrize("Estimator, data", [
    (DeepNetClassifier, lambda: _classification(3, m=200)),
    (DeepNetRegressor, lambda: _regression(m=200)),
])
def test_validation_scores_are_the_estimators_score_on_the_held_out_rows(
        Estimator, data, monkeypatch):
    # record the rows early stopping holds out (the split itself unchanged)
    from sknnbasics._base import _BaseGradientDescent

    X, y = data()
    split = _BaseGradientDescent._validation_split
    held_out = []

    def recording_split(self, X, Y, y, sample_weight, rng):
        result = split(self, X, Y, y, sample_weight, rng)
        held_out.append(result[3][0].T)  # X_val, one sample per row again
        return result

    monkeypatch.setattr(_BaseGradientDescent, "_validation_split", recording_split)
    net = Estimator((6,), activation="tanh", solver="adam", learning_rate=0.01,
                    batch_size=32, early_stopping=True,
                    early_stopping_metric="score", max_iter=60, tol=None,
                    random_state=0).fit(X, y)
    (X_val,) = held_out
    rows = [np.flatnonzero((X == row).all(axis=1))[0] for row in X_val]
    # the weights restored are those of the best score, and that score is
    # exactly what score() (accuracy / R²) gives on the held-out rows
    assert net.score(X[rows], y[rows]) == pytest.approx(
        net.best_validation_score_, abs=1e-12)
    assert net.best_validation_score_ == max(net.validation_scores_)
    assert len(set(net.validation_scores_)) > 1


@pytest.mark.parametrize("power_t", [300, 300.0, 1e4])
@pytest.mark.parametrize("solver", ["gd", "adam"])
def test_invscaling_that_underflows_alpha_is_refused_with_a_sentence(solver,
                                                                     power_t):
    # α / (t + 1)^power_t = 0.001 / 21^300: beyond the largest float, where
    # MLPClassifier raises Python's OverflowError; the fit is refused and
    # leaves the estimator unfitted
    X = np.random.RandomState(0).randn(20, 2)
    y = np.arange(20) % 2
    net = ShallowNetClassifier(solver=solver, learning_rate_schedule="invscaling",
                               power_t=power_t, max_iter=5)
    with pytest.raises(ValueError, match=r"power_t=.*shrinks α.*= 0.*power_t "
                                         r"around 0.5"):
        net.fit(X, y)
    assert not hasattr(net, "coefs_")


def test_invscaling_rate_is_mlps_formula_where_it_is_finite():
    from sknnbasics._optimizers import invscaling_rate
    for t, power_t in [(0, 0.5), (20, 0.5), (20, 1), (10**6, 0.25), (7.5, 2.0)]:
        assert invscaling_rate(0.01, t, power_t) == 0.01 / (t + 1) ** power_t
