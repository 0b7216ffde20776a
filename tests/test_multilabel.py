"""Multilabel classification (issue 14, item 1): a 0/1 indicator matrix y gets
one sigmoid output unit per label (the lecture's "one output unit per label"),
J = (1/m) Σᵢ Σ_labels cross-entropy, as MLPClassifier.

Checked against MLPClassifier from the same weights, central differences, a
plain transcription of the cost, k independent logistic regressions, and
scikit-learn's own multilabel checks."""

import warnings

import numpy as np
import pytest
from _gradcheck import package_gradients
from _helpers import short_run
from _lecture import lecture
from _reference import relative_error
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.metrics import accuracy_score, f1_score, hamming_loss
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_classifier_multioutput

from sknnbasics import DeepNetClassifier, LogisticGD, ShallowNetClassifier
from sknnbasics._activations import get_activation
from sknnbasics._cost import OutputLayer, logistic_loss
from sknnbasics._network import (
    initialize_parameters,
)

MLP_NAMES = {"tanh": "tanh", "relu": "relu", "sigmoid": "logistic"}


def _data(m=60, n_x=4, k=3, seed=0):
    X, Y = make_multilabel_classification(n_samples=m, n_features=n_x, n_classes=k,
                                          n_labels=2, random_state=seed)
    return StandardScaler().fit_transform(X), Y


def _weights(dims, seed, dead_unit=False):
    """MLP-layout weights; with ``dead_unit`` hidden unit 0 of every hidden
    layer has zero incoming weights and bias, so its Z is exactly 0 (where
    ReLU'(0) = 0 matters, as in MLPClassifier)."""
    rng = np.random.RandomState(seed)
    coefs = [rng.standard_normal((dims[l - 1], dims[l])) * 0.5
             for l in range(1, len(dims))]
    intercepts = [rng.standard_normal(dims[l]) * 0.2 for l in range(1, len(dims))]
    if dead_unit:
        for l in range(len(dims) - 2):
            coefs[l][:, 0] = 0.0
            intercepts[l][0] = 0.0
    return coefs, intercepts


def _full_batch_mlp(hidden_layer_sizes, activation, m, learning_rate, alpha=0.0):
    """MLPClassifier as the lecture's batch gradient descent: one batch of all
    m samples in order, plain steps, never stopping early."""
    return MLPClassifier(
        hidden_layer_sizes, activation=MLP_NAMES[activation], solver="sgd",
        batch_size=m, learning_rate="constant", learning_rate_init=learning_rate,
        momentum=0.0, nesterovs_momentum=False, alpha=alpha, shuffle=False,
        tol=0.0, n_iter_no_change=10**9, random_state=0)


def _fit_from(estimator, X, Y, coefs, intercepts, max_iter, sample_weight=None):
    """One fit to set up the shapes, then the given weights, then max_iter
    iterations of warm-started training from them."""
    estimator.set_params(warm_start=True, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, Y, sample_weight)
        estimator.coefs_ = [c.copy() for c in coefs]
        estimator.intercepts_ = [b.copy() for b in intercepts]
        estimator.set_params(max_iter=max_iter)
        return estimator.fit(X, Y, sample_weight)


def _assert_same_weights(net, mlp, atol):
    for ours, theirs in zip(net.coefs_ + net.intercepts_,
                            mlp.coefs_ + mlp.intercepts_, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)


# -- MLPClassifier from the same weights -------------------------------------------

# float64: each iteration adds rounding of order eps ≈ 2.2e-16 times the few
# dozen terms of each product, and 60 iterations of small steps stay far below
# 1e-10 (the differences seen are ~1e-16)
ATOL = 1e-10


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("hidden_layer_sizes", [(5,), (5, 3)])
def test_full_batch_path_equals_mlpclassifier(activation, hidden_layer_sizes):
    X, Y = _data()
    N, rate = 60, 0.1
    dims = [X.shape[1], *hidden_layer_sizes, Y.shape[1]]
    coefs, intercepts = _weights(dims, seed=6, dead_unit=activation == "relu")
    mlp = _fit_from(_full_batch_mlp(hidden_layer_sizes, activation, len(X), rate),
                    X, Y, coefs, intercepts, N)
    net = _fit_from(lecture(DeepNetClassifier,
                            hidden_layer_sizes, activation=activation,
                                      learning_rate=rate, tol=None),
                    X, Y, coefs, intercepts, N)
    _assert_same_weights(net, mlp, ATOL)
    # MLP's loss_ is binary_log_loss: Σ over labels, mean over samples
    np.testing.assert_allclose(net.loss_curve_[-N:], mlp.loss_curve_[-N:],
                               rtol=0, atol=ATOL)
    np.testing.assert_allclose(net.predict_proba(X), mlp.predict_proba(X),
                               rtol=0, atol=ATOL)
    np.testing.assert_array_equal(net.predict(X), mlp.predict(X))
    assert net.predict(X).dtype == mlp.predict(X).dtype
    np.testing.assert_array_equal(net.classes_, mlp.classes_)
    assert (net.n_outputs_, net.out_activation_) == (mlp.n_outputs_,
                                                     mlp.out_activation_)
    if activation == "relu":  # the dead unit stays dead, as in MLP
        assert np.all(net.coefs_[0][:, 0] == 0.0)


def test_shallow_network_with_sample_weight_and_penalty_equals_mlpclassifier():
    X, Y = _data(seed=2)
    s = np.random.RandomState(3).uniform(0.2, 3.0, size=len(X))
    N, rate = 50, 0.2
    coefs, intercepts = _weights([X.shape[1], 6, Y.shape[1]], seed=4)
    mlp = _fit_from(_full_batch_mlp((6,), "tanh", len(X), rate, alpha=0.3),
                    X, Y, coefs, intercepts, N, sample_weight=s)
    net = _fit_from(lecture(ShallowNetClassifier,
                            6, learning_rate=rate, alpha=0.3, tol=None),
                    X, Y, coefs, intercepts, N, sample_weight=s)
    _assert_same_weights(net, mlp, ATOL)
    np.testing.assert_allclose(net.loss_curve_[-N:], mlp.loss_curve_[-N:],
                               rtol=0, atol=ATOL)


# MLP's batch_size is the 60 rows of the first fit, larger than the 30-row
# chunks given to partial_fit: MLP clips it to the chunk (as ours takes the
# chunk as one batch) and says so in a UserWarning of its own
@pytest.mark.filterwarnings("ignore:Got `batch_size` less than 1:UserWarning")
def test_partial_fit_epochs_equal_mlpclassifier_partial_fit():
    X, Y = _data(seed=5)
    coefs, intercepts = _weights([X.shape[1], 5, Y.shape[1]], seed=7)
    mlp = _fit_from(_full_batch_mlp((5,), "tanh", len(X), 0.1), X, Y, coefs,
                    intercepts, 1)
    net = _fit_from(lecture(ShallowNetClassifier, 5, learning_rate=0.1, tol=None), X, Y,
                    coefs, intercepts, 1)
    for chunk in (slice(0, 30), slice(30, 60), slice(0, 60)):
        mlp.partial_fit(X[chunk], Y[chunk])
        net.partial_fit(X[chunk], Y[chunk])
    _assert_same_weights(net, mlp, ATOL)


# -- the cost and its gradient -----------------------------------------------------


def test_cost_is_the_sum_over_labels_of_the_mean_cross_entropy():
    # a plain transcription: J = (1/m) Σᵢ Σₖ −(y log σ(z) + (1 − y) log(1 − σ(z)))
    rng = np.random.RandomState(0)
    Z = rng.standard_normal((4, 9)) * 3
    Y = (rng.uniform(size=(4, 9)) > 0.5).astype(float)
    A = 1 / (1 + np.exp(-Z))
    plain = np.sum(-(Y * np.log(A) + (1 - Y) * np.log(1 - A))) / 9
    output = OutputLayer("logistic")
    assert output.cost(Z, output.g(Z), Y) == pytest.approx(plain, rel=1e-13)
    # each row's loss is the one-unit loss of that label
    per_label = sum(logistic_loss(Z[[k]], Y[[k]]) for k in range(4))
    np.testing.assert_allclose(logistic_loss(Z, Y), per_label, rtol=1e-14)
    # and the buffers training passes give the same numbers
    work = (np.empty(9), np.empty((4, 9)), np.empty((4, 9)))
    assert output.cost(Z, output.g(Z), Y, work=work) == output.cost(Z, A, Y)


def test_one_logistic_unit_is_unchanged_by_the_multilabel_code():
    # the one-unit path is the elementwise formula on one row, nothing summed
    rng = np.random.RandomState(1)
    z, y = rng.standard_normal(11) * 5, (rng.uniform(size=11) > 0.5) * 1.0
    expected = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))
    np.testing.assert_array_equal(logistic_loss(z[None], y[None]), expected)


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("weighted", [False, True])
def test_gradient_matches_central_differences(hidden, weighted):
    rng = np.random.RandomState(2)
    dims, m = [3, 5, 4], 8
    X = rng.standard_normal((dims[0], m))
    Y = (rng.uniform(size=(dims[-1], m)) > 0.5).astype(float)
    s = rng.uniform(0.2, 3.0, size=m) if weighted else None
    g, output = get_activation(hidden), OutputLayer("logistic")
    parameters = initialize_parameters(dims, "xavier", rng=rng)
    numerical, analytical = package_gradients(X, Y, parameters, g, output, s, 0.1)
    error = relative_error(numerical, analytical)
    assert error < 1e-7, error


def test_baseline_cost_is_the_sum_of_the_label_entropies():
    Y = np.array([[1, 0, 1, 1], [0, 0, 0, 1], [1, 1, 1, 1]], dtype=float)
    output = OutputLayer("logistic")
    # label frequencies 3/4, 1/4, 1 (the last label is certain: entropy 0)
    H = 2 * -(0.75 * np.log(0.75) + 0.25 * np.log(0.25))
    assert output.baseline_cost(Y) == pytest.approx(H, rel=1e-14)
    # it is the cost of the constant logits log(p / (1 − p)) of the first two
    p = np.array([0.75, 0.25])
    Z = np.tile(np.log(p / (1 - p))[:, None], 4)
    assert output.cost(Z, output.g(Z), Y[:2]) == pytest.approx(H, rel=1e-12)


# -- what the fitted estimator returns -----------------------------------------------


@pytest.mark.parametrize("Estimator", [LogisticGD, ShallowNetClassifier,
                                       DeepNetClassifier])
# properties of the outputs of whatever model the training reached: the
# verdict on the run (max_iter reached; a cost that rose in its last
# iterations with the deep network's α) is not what is checked
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_outputs_are_per_label_and_consistent(Estimator):
    X, Y = _data(m=80, k=4, seed=3)
    net = lecture(Estimator, random_state=0, max_iter=300).fit(X, Y)
    np.testing.assert_array_equal(net.classes_, np.arange(4))
    proba, z = net.predict_proba(X), net.decision_function(X)
    assert proba.shape == z.shape == (80, 4)
    np.testing.assert_allclose(proba, 1 / (1 + np.exp(-z)), rtol=1e-14)
    # log σ(z) is computed from z; np.log of a probability near 1 has an
    # absolute error of about eps, hence the atol
    np.testing.assert_allclose(net.predict_log_proba(X), np.log(proba),
                               rtol=1e-12, atol=4 * np.finfo(float).eps)
    y_pred = net.predict(X)
    np.testing.assert_array_equal(y_pred, (z > 0).astype(int))
    np.testing.assert_array_equal(y_pred, (proba > 0.5).astype(int))
    # score is subset accuracy (every label right), as for any classifier
    assert net.score(X, Y) == accuracy_score(Y, y_pred)
    # multilabel metrics take the indicator matrix directly (no OneVsRest)
    tp = np.sum((y_pred == 1) & (Y == 1))
    wrong = np.sum(y_pred != Y)
    assert f1_score(Y, y_pred, average="micro") == pytest.approx(
        2 * tp / (2 * tp + wrong), rel=1e-14)
    assert hamming_loss(Y, y_pred) == wrong / Y.size
    # and the features were used: fewer wrong labels than each label's
    # majority value predicted for every sample
    majority = np.tile((Y.mean(axis=0) > 0.5).astype(int), (len(Y), 1))
    assert hamming_loss(Y, y_pred) < hamming_loss(Y, majority)


def test_log_proba_stays_finite_where_the_probability_rounds_to_0():
    X, Y = _data(seed=15)
    net = lecture(ShallowNetClassifier, random_state=0, max_iter=30, tol=None).fit(X, Y)
    net.intercepts_[-1] += [-900.0, 0.0, 900.0]  # σ(z) rounds to 0, ·, 1
    z = net.decision_function(X)
    assert np.max(z[:, 0]) < -800 and np.min(z[:, 2]) > 800
    # log σ(z) = −log(1 + e^{−z}), written out for z < 0 and z ≥ 0
    expected = np.where(z < 0, z - np.log1p(np.exp(np.minimum(z, 0))),
                        -np.log1p(np.exp(-np.maximum(z, 0))))
    np.testing.assert_allclose(net.predict_log_proba(X), expected, rtol=1e-14)


@short_run  # 20 iterations: only the dtype is checked
def test_float32_stays_float32():
    X, Y = _data(seed=4)
    net = lecture(ShallowNetClassifier, random_state=0, max_iter=20).fit(
        X.astype(np.float32), Y)
    assert net.coefs_[0].dtype == np.float32
    assert net.predict_proba(X.astype(np.float32)).dtype == np.float32


def test_logistic_gd_is_one_logistic_regression_per_label():
    # no hidden layer: the k sigmoid units share nothing, so each label's row
    # of W follows the path of a binary LogisticGD on that label alone
    X, Y = _data(seed=6)
    together = LogisticGD(learning_rate=0.3, max_iter=100, tol=None).fit(X, Y)
    for k in range(Y.shape[1]):
        alone = LogisticGD(learning_rate=0.3, max_iter=100, tol=None).fit(
            X, Y[:, k])
        np.testing.assert_allclose(together.coef_[k], alone.coef_[0], rtol=1e-12,
                                   atol=1e-14)
        np.testing.assert_allclose(together.intercept_[k], alone.intercept_[0],
                                   rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("Estimator", [LogisticGD, ShallowNetClassifier,
                                       DeepNetClassifier])
def test_scikit_learns_multioutput_classifier_check(Estimator):
    # parametrize_with_checks runs it only for the multi_output target tag,
    # which these estimators (like MLPClassifier) do not claim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check_classifier_multioutput(Estimator.__name__, lecture(Estimator,
                                                                 random_state=0))


@short_run  # 30 iterations, compared with each other
def test_sparse_and_bool_indicator_matrices_are_the_dense_one():
    from scipy.sparse import csr_matrix

    X, Y = _data(seed=7)
    dense = lecture(ShallowNetClassifier, random_state=0, max_iter=30).fit(X, Y)
    for other in (csr_matrix(Y), Y.astype(bool), Y.astype(float)):
        net = lecture(ShallowNetClassifier, random_state=0, max_iter=30).fit(X, other)
        np.testing.assert_array_equal(net.coefs_[0], dense.coefs_[0])


@short_run  # 30 iterations, compared with each other
def test_a_column_vector_is_one_column_of_labels_as_in_mlp():
    X, Y = _data(seed=8)
    with pytest.warns(DataConversionWarning):
        column = lecture(ShallowNetClassifier,
                         random_state=0, max_iter=30).fit(X, Y[:, :1])
    flat = lecture(ShallowNetClassifier, random_state=0, max_iter=30).fit(X, Y[:, 0])
    np.testing.assert_array_equal(column.coefs_[1], flat.coefs_[1])
    assert column.predict(X).shape == (len(X),)


# -- partial_fit, warm_start, early stopping -------------------------------------


@pytest.mark.parametrize("classes", [None, [0, 1, 2]])
def test_partial_fit_takes_the_label_columns_as_classes(classes):
    X, Y = _data(seed=9)
    net = lecture(ShallowNetClassifier,
                  random_state=0).partial_fit(X, Y, classes=classes)
    np.testing.assert_array_equal(net.classes_, np.arange(3))
    net.partial_fit(X, Y)
    assert net.n_iter_ == 2


def test_early_stopping_splits_without_stratifying():
    # a label combination that occurs once cannot be stratified on; the split
    # is unstratified (as MLP's), so training goes on
    X, Y = _data(m=60, seed=10)
    Y[0] = [1, 1, 1]
    Y[1:][(Y[1:] == 1).all(axis=1)] = [1, 1, 0]
    net = lecture(ShallowNetClassifier,
                  early_stopping=True, random_state=0, max_iter=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, Y)
    assert len(net.validation_loss_curve_) == net.n_iter_


def _refused(net, call, match):
    before = dict(net.__dict__)
    with pytest.raises(ValueError, match=match):
        call()
    assert net.__dict__.keys() == before.keys()  # nothing changed


def test_targets_that_are_not_an_indicator_matrix_are_refused():
    X, Y = _data(seed=11)
    net = lecture(ShallowNetClassifier)
    _refused(net, lambda: net.fit(X, 2 * Y - 1), r"0/1 indicator matrix.*\[-1, 1\]")
    _refused(net, lambda: net.fit(X, Y * 2), r"values \[0, 2\]")
    labels = np.where(Y == 1, "cat", "dog")
    labels[0, 0] = "fish"
    _refused(net, lambda: net.fit(X, labels),
             r"3 columns that are not 0/1 \(multiclass-multioutput\).*"
             r"MultiOutputClassifier")


@pytest.mark.parametrize("class_weight", ["balanced", {0: 1.0, 1: 2.0}])
def test_class_weight_is_refused(class_weight):
    X, Y = _data(seed=12)
    net = lecture(ShallowNetClassifier, class_weight=class_weight)
    _refused(net, lambda: net.fit(X, Y), "class_weight=.*multilabel.*sample_weight")


def test_partial_fit_chunks_must_keep_the_kind_of_y():
    X, Y = _data(seed=13)
    net = lecture(ShallowNetClassifier).partial_fit(X, Y)
    _refused(net, lambda: net.partial_fit(X, Y[:, :2]),
             "multilabel y of 3 labels, but this y is an indicator matrix of 2")
    _refused(net, lambda: net.partial_fit(X, Y[:, 0]),
             "multilabel y .* but this y is one column of labels")
    _refused(net, lambda: net.partial_fit(X, Y, classes=[0, 1]),
             r"np.arange\(3\).*got classes=\[0, 1\]")
    binary = lecture(ShallowNetClassifier).partial_fit(X, Y[:, 0], classes=[0, 1])
    _refused(binary, lambda: binary.partial_fit(X, Y),
             r"one column of labels \[0, 1\], but this y is an indicator matrix")


def test_warm_start_needs_the_same_labels():
    X, Y = _data(seed=14)
    net = lecture(ShallowNetClassifier, warm_start=True, max_iter=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, Y)
    _refused(net, lambda: net.fit(X, Y[:, :2]),
             "3 labels, but this y is an indicator matrix of 2 labels: warm_start")
    _refused(net, lambda: net.fit(X, Y[:, 0]), "warm_start=True")
    # without warm_start a new fit may change the labels
    net.set_params(warm_start=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, Y[:, :2])
    assert net.predict(X).shape == (len(X), 2)


def test_logistic_auto_step_uses_the_sigmoid_bound_for_every_label():
    # one sigmoid unit per label: J's Hessian is block diagonal, each block
    # at most ¼ mean‖x̃‖² (+ λ/m), so α = 1/H as for two classes
    rng = np.random.RandomState(0)
    X = rng.standard_normal((80, 3))
    Y = (X[:, :2] + 0.3 * rng.standard_normal((80, 2)) > 0).astype(int)
    lam = 0.5
    est = LogisticGD(alpha=lam, max_iter=5, tol=None).fit(X, Y)
    mean = np.mean(np.sum(X ** 2, axis=1) + 1.0)
    assert est.learning_rate_ == pytest.approx(1 / (0.25 * mean + lam / 80),
                                               rel=1e-13)
    # and the cost never rises with it (the bound holds)
    assert np.all(np.diff(est.loss_curve_) <= 0)
