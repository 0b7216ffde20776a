"""ONNX export (issue 26): the graphs skl2onnx builds with
:func:`sknnbasics.onnx.register_converters`, run by onnxruntime, against the
estimators' own predict / predict_proba, for every estimator × hidden
activation × output layer, binary, multiclass and multilabel classifiers,
inside a Pipeline, for float32 and float64 inputs.

Labels must be equal. Values: float32 graphs within relative 1e-5 of the
estimator's (the float32 rounding of a few hundred multiply-adds); float64
graphs within relative 1e-12. A probability below 1e-10 is compared to 1e-10
absolutely: it is about e^z with z < −23, and the float32 rounding of z alone
(|z|·6e-8, a few times over) moves it by more than 1e-5 relative. skl2onnx
and onnxruntime are the ``onnx`` extra: the tests that need them skip without
them.
"""

import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)
from sknnbasics.onnx import register_converters

# every warning a test here does not expect fails it (neither skl2onnx 1.20
# nor onnxruntime 1.32 warns on these conversions; a narrow filter goes here,
# with the warning it silences, should a later version start to)
pytestmark = pytest.mark.filterwarnings("error")

_EXTRA = 'the onnx extra is not installed: pip install ".[onnx]"'
ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
NETWORK_CLASSIFIERS = [ShallowNetClassifier, DeepNetClassifier]
NETWORK_REGRESSORS = [ShallowNetRegressor, DeepNetRegressor]
FLOAT32 = dict(rtol=1e-5, atol=1e-10)


@pytest.fixture(scope="module")
def to_onnx():
    """skl2onnx's ``to_onnx``, with the converters registered."""
    skl2onnx = pytest.importorskip("skl2onnx", reason=_EXTRA)
    pytest.importorskip("onnxruntime", reason=_EXTRA)
    register_converters()
    return skl2onnx.to_onnx


def run(onx, X):
    """The outputs of the ONNX model ``onx`` for X, by onnxruntime."""
    import onnxruntime

    session = onnxruntime.InferenceSession(onx.SerializeToString(),
                                           providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: X})


def data(dtype=np.float32, scale=1.0):
    """150 samples of 4 standardised features (``scale`` times), and
    targets of every kind read off them."""
    rng = np.random.RandomState(0)
    X = rng.randn(150, 4)
    s = X[:, 0] + X[:, 1] * X[:, 2]
    targets = {
        "binary": (s > 0).astype(int),
        "multiclass": np.digitize(s, [-0.7, 0.7]),
        "multilabel": np.c_[s > 0, X[:, 3] > 0.5, X[:, 1] < X[:, 2]].astype(int),
        "real": np.c_[s, X[:, 3] - X[:, 0]],
        "positive": np.c_[np.maximum(s, 0), np.abs(X[:, 3])],
        "counts": rng.poisson(np.exp(0.5 * X[:, :2])).astype(float),
    }
    return (X * scale).astype(dtype), targets


def network(Estimator, activation, **extra):
    """A small network trained for exactly 100 Adam epochs (tol=None: no
    stopping rule, so no ConvergenceWarning), enough to spread its outputs
    over many orders of magnitude; no L2 penalty (DeepNetRegressor's default
    3.0 leaves a sigmoid network with a ReLU output nothing learnt here)."""
    hidden = {"n_hidden": 6} if "Shallow" in Estimator.__name__ else {
        "hidden_layer_sizes": (6, 5)}
    return Estimator(**hidden, activation=activation, negative_slope=0.3,
                     learning_rate=0.05, tol=None, max_iter=100, alpha=0.0,
                     random_state=0, **extra)


def check_classifier(to_onnx, model, X, **options):
    """onnxruntime's labels equal predict; its probabilities are within
    float32 rounding (or 1e-12 for float64) of predict_proba."""
    onx = to_onnx(model, X[:1], options={"zipmap": False, **options})
    label, probabilities = run(onx, X)
    assert_array_equal(label, model.predict(X))
    assert probabilities.dtype == X.dtype
    tolerance = FLOAT32 if X.dtype == np.float32 else dict(rtol=1e-12)
    assert_allclose(probabilities, model.predict_proba(X), **tolerance)
    return label, probabilities


def check_regressor(to_onnx, model, X):
    """onnxruntime's (n, n_outputs) values are within float32 rounding of
    predict: relative 1e-5 of the largest |ŷ| (an identity output near 0 is
    the difference of terms of that size, rounded as they are)."""
    (values,) = run(to_onnx(model, X[:1]), X)
    expected = model.predict(X).reshape(X.shape[0], -1)
    assert values.dtype == X.dtype and values.shape == expected.shape
    scale = np.max(np.abs(expected))
    if X.dtype == np.float32:
        assert_allclose(values, expected, rtol=1e-5, atol=1e-5 * scale)
    else:
        assert_allclose(values, expected, rtol=1e-12, atol=1e-12 * scale)
    return values


# -- every estimator × activation × output -----------------------------------


@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("Estimator", NETWORK_CLASSIFIERS)
def test_network_classifiers(to_onnx, Estimator, activation, target):
    X, y = data()
    model = network(Estimator, activation).fit(X, y[target])
    label, probabilities = check_classifier(to_onnx, model, X)
    # the model is confident somewhere: its tails are compared too
    assert probabilities.min() < 1e-2
    assert len(np.unique(label, axis=0)) > 1


@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
def test_logistic_gd(to_onnx, target):
    X, y = data(scale=3.0)  # steep logits: probabilities far from ½
    model = LogisticGD(max_iter=300, tol=None).fit(X, y[target])
    _, probabilities = check_classifier(to_onnx, model, X)
    assert probabilities.min() < 1e-3


@pytest.mark.parametrize("output", ["identity", "relu", "poisson"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("Estimator", NETWORK_REGRESSORS)
def test_network_regressors(to_onnx, Estimator, activation, output):
    X, y = data()
    if output == "poisson":
        model, target = network(Estimator, activation, loss="poisson"), "counts"
    else:
        model = network(Estimator, activation, out_activation=output)
        target = "positive" if output == "relu" else "real"
    values = check_regressor(to_onnx, model.fit(X, y[target]), X)
    if output == "relu":
        assert values.min() == 0  # the ReLU output clips, as predict does
    if output == "poisson":
        assert values.min() > 0


@pytest.mark.parametrize("Estimator", [DeepNetClassifier, DeepNetRegressor])
def test_leaky_relu_with_a_slope_above_one(to_onnx, Estimator):
    """s > 1 takes min(z, s·z), not max: still s·z for z < 0."""
    X, y = data()
    model = network(Estimator, "leaky_relu").set_params(negative_slope=1.5)
    if Estimator is DeepNetClassifier:
        check_classifier(to_onnx, model.fit(X, y["multiclass"]), X)
    else:
        check_regressor(to_onnx, model.fit(X, y["real"]), X)


@pytest.mark.parametrize("Estimator", NETWORK_REGRESSORS)
def test_regressor_on_one_column_gives_one_column(to_onnx, Estimator):
    """A 1-D y: (n, 1) values, as skl2onnx's own regressors."""
    X, y = data()
    model = network(Estimator, "tanh").fit(X, y["real"][:, 0])
    assert check_regressor(to_onnx, model, X).shape == (X.shape[0], 1)


# -- pipelines, float64, labels, options -------------------------------------


ALL_FIVE = [
    (LogisticGD(tol=None, max_iter=200), "multiclass"),
    (network(ShallowNetClassifier, "tanh"), "binary"),
    (network(DeepNetClassifier, "leaky_relu"), "multilabel"),
    (network(ShallowNetRegressor, "relu"), "real"),
    (network(DeepNetRegressor, "sigmoid", loss="poisson"), "counts"),
]
IDS = [type(model).__name__ for model, _ in ALL_FIVE]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("model", "target"), ALL_FIVE, ids=IDS)
def test_in_a_pipeline_with_a_scaler(to_onnx, model, target, dtype):
    X, y = data(dtype, scale=50.0)  # raw features: the scaler matters
    pipeline = make_pipeline(StandardScaler(), model).fit(X, y[target])
    if target in ("real", "counts"):
        check_regressor(to_onnx, pipeline, X)
    else:
        check_classifier(to_onnx, pipeline, X)


@pytest.mark.parametrize(("model", "target"), ALL_FIVE, ids=IDS)
def test_float64_inputs_compute_in_float64(to_onnx, model, target):
    X, y = data(np.float64)
    model.fit(X, y[target])
    if target in ("real", "counts"):
        check_regressor(to_onnx, model, X)
    else:
        check_classifier(to_onnx, model, X)


@pytest.mark.parametrize(
    "labels",
    [np.array(["cat", "dog", "non-cat"]), np.array([-1, 3, 7]),
     np.array([0.0, 1.0, 2.0])],
    ids=["strings", "integers", "integral-floats"])
def test_class_labels(to_onnx, labels):
    X, y = data()
    model = network(ShallowNetClassifier, "relu").fit(X, labels[y["multiclass"]])
    label, _ = check_classifier(to_onnx, model, X)
    assert set(label.tolist()) == set(model.classes_.tolist())


def test_binary_string_labels(to_onnx):
    X, y = data()
    model = LogisticGD(tol=None, max_iter=100).fit(
        X, np.where(y["binary"], "yes", "no"))
    check_classifier(to_onnx, model, X)


def test_zipmap_default_gives_one_dict_per_sample(to_onnx):
    X, y = data()
    model = network(DeepNetClassifier, "tanh").fit(X, y["multiclass"])
    label, dicts = run(to_onnx(model, X[:1]), X)
    assert_array_equal(label, model.predict(X))
    expected = model.predict_proba(X)
    assert [sorted(row) for row in dicts] == [[0, 1, 2]] * X.shape[0]
    assert_allclose([[row[k] for k in (0, 1, 2)] for row in dicts], expected,
                    **FLOAT32)


def test_zipmap_columns_and_nocl_and_class_labels(to_onnx):
    X, y = data()
    model = network(ShallowNetClassifier, "sigmoid").fit(
        X, np.array([10, 20, 30])[y["multiclass"]])
    label, *columns = run(to_onnx(model, X[:1], options={"zipmap": "columns"}), X)
    assert_array_equal(label, model.predict(X))
    assert_allclose(np.column_stack(columns), model.predict_proba(X), **FLOAT32)

    indices, _ = run(to_onnx(model, X[:1], options={"zipmap": False, "nocl": True}),
                     X)
    assert_array_equal(model.classes_[indices], model.predict(X))

    outputs = run(to_onnx(model, X[:1], options={"zipmap": False,
                                                 "output_class_labels": True}), X)
    assert_array_equal(outputs[2], [10, 20, 30])


def test_register_twice_changes_nothing(to_onnx):
    register_converters()
    X, y = data()
    check_classifier(to_onnx, LogisticGD(tol=None, max_iter=50).fit(X, y["binary"]),
                     X)


# -- refusals ------------------------------------------------------------------


@pytest.mark.parametrize("Estimator", [LogisticGD, *NETWORK_CLASSIFIERS,
                                       *NETWORK_REGRESSORS])
def test_unfitted_estimator_is_refused_in_words(to_onnx, Estimator):
    X, _ = data()
    with pytest.raises(NotFittedError, match=f"This {Estimator.__name__} "
                       r"instance is not fitted yet, so there is nothing to "
                       r"convert to ONNX"):
        to_onnx(Estimator(), X[:1])


def test_float64_with_zipmap_is_refused_with_the_option_to_use(to_onnx):
    X, y = data(np.float64)
    model = LogisticGD(tol=None, max_iter=50).fit(X, y["binary"])
    with pytest.raises(ValueError, match=r"ZipMap .* takes float32 only.*"
                       r"options=\{LogisticGD: \{'zipmap': False\}\}"):
        to_onnx(model, X[:1])


def test_without_skl2onnx_registration_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "skl2onnx", None)  # import fails
    with pytest.raises(ImportError, match=r'pip install "sknnbasics\[onnx\]"'):
        register_converters()
