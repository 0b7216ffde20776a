"""The estimators on arrays of other Array API libraries (issue 15).

array-api-strict (a NumPy-backed implementation of exactly the standard, with
a CPU device and a second, "device1", that refuses to mix with it) stands in
for a GPU library in CI; PyTorch's CPU tensors are checked where torch is
installed. The formulas are the same on every library; only the order of
some additions differs (NumPy's ``einsum`` row sums and column blocking
against a plain ``sum``), so results agree to rounding, accumulated over the
iterations: a few hundred float64 roundings (~1e-16 each) per iteration, 50
iterations, on weights of size ~1, stay far below 1e-12.
"""

import io

import joblib
import numpy as np
import pytest
import sklearn
from _helpers import short_run
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._array_api import yield_namespace_device_dtype_combinations
from sklearn.utils.estimator_checks import check_array_api_input
from sklearn.utils.fixes import parse_version

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    ImageVectorizer,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
    to_numpy,
)
from sknnbasics._array_api import asnumpy, namespace
from sknnbasics._cost import OutputLayer
from sknnbasics._network import initialize_parameters

if parse_version(sklearn.__version__).release < (1, 9):
    pytest.skip("Array API support needs scikit-learn >= 1.9 (the signature of "
                "its check_array_api_input, its array-api-compat helpers): "
                "install scikit-learn >= 1.9 to run these tests",
                allow_module_level=True)
xs = pytest.importorskip("array_api_strict", reason="array-api-strict (in the test "
                         "extra) is not installed: python -m pip install -e "
                         '".[test]" runs these tests')

ESTIMATORS = [
    LogisticGD(max_iter=50),
    ShallowNetClassifier(max_iter=50),
    DeepNetClassifier(hidden_layer_sizes=(8, 4), max_iter=50),
    ShallowNetRegressor(max_iter=50),
    DeepNetRegressor(hidden_layer_sizes=(8, 4), max_iter=50),
    ImageVectorizer(),
]


def _combinations():
    """array-api-strict on both devices in both dtypes, then every other
    library scikit-learn knows (skipped by the check when not installed or
    without the device, with scikit-learn's own reason, e.g. "torch is not
    installed": install the library, e.g. python -m pip install -e ".[torch]",
    and they run)."""
    for device_name in ("CPU_DEVICE", "device1"):
        for dtype_name in ("float64", "float32"):
            yield "array_api_strict", device_name, dtype_name
    for combination in yield_namespace_device_dtype_combinations(
            include_numpy_namespaces=False):
        if combination[0] != "array_api_strict":
            yield combination


@pytest.fixture
def dispatch():
    with sklearn.config_context(array_api_dispatch=True):
        yield


# scikit-learn's check fits on its own small data for max_iter=50, and feeds
# ImageVectorizer random "images" far below max_value=255: our verdicts on
# those runs are not what it checks (see tests/test_common.py)
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore::sknnbasics.PixelRangeWarning")
@pytest.mark.parametrize("array_namespace, device_name, dtype_name",
                         list(_combinations()),
                         ids=lambda v: str(v))
@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_check_array_api_input_with_values_and_sample_weight(
        estimator, array_namespace, device_name, dtype_name):
    check_array_api_input(type(estimator).__name__, estimator, array_namespace,
                          device_name=device_name, dtype_name=dtype_name,
                          check_values=True, check_sample_weight=True)


def _is_strict(a):
    return namespace(a)[0] is xs


def _strict(a, device_name="CPU_DEVICE"):
    return xs.asarray(a, device=xs.Device(device_name))


def _weights(model):
    if hasattr(model, "coef_"):
        return [asnumpy(model.coef_), asnumpy(model.intercept_)]
    return [asnumpy(a) for a in (*model.coefs_, *model.intercepts_)]


SOLVERS = {
    "gd": dict(solver="gd", learning_rate=0.5),
    "momentum": dict(solver="gd", learning_rate=0.1, momentum=0.9,
                     nesterovs_momentum=False),
    "nesterov": dict(solver="gd", learning_rate=0.1, momentum=0.9,
                     nesterovs_momentum=True),
    "adam": dict(solver="adam", learning_rate=0.01),
    "lbfgs": dict(solver="lbfgs"),
}


def _data(kind, m=120):
    if kind == "regression":
        X, y = make_regression(m, 6, noise=5.0, random_state=0)
        return X, y / np.std(y)
    return make_classification(m, 6, n_informative=4, n_classes=3,
                               random_state=0)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator, kind, extra", [
    (ShallowNetClassifier, "classification", dict(n_hidden=5)),
    (DeepNetRegressor, "regression", dict(hidden_layer_sizes=(6, 4))),
    (LogisticGD, "classification", {}),
])
@short_run  # 50 iterations, compared with NumPy's
def test_array_api_strict_weights_equal_numpys(Estimator, kind, extra, solver,
                                               dispatch):
    X, y = _data(kind)
    params = dict(max_iter=50, tol=None, batch_size=None, random_state=0,
                  alpha=1e-3, **extra, **SOLVERS[solver])
    reference = Estimator(**params).fit(X, y)
    model = Estimator(**params).fit(_strict(X), _strict(y))
    assert model.n_iter_ == reference.n_iter_
    for got, expected in zip(_weights(model), _weights(reference), strict=True):
        assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    assert_allclose(model.loss_curve_, reference.loss_curve_, rtol=1e-12)


def test_mini_batches_early_stopping_and_sample_weights_on_array_api_strict(
        dispatch):
    """The mini-batches gathered with xp.take, the validation split taken
    from X's rows, weighted costs: the model of the NumPy run."""
    X, y = _data("classification", m=300)
    s = np.random.RandomState(1).uniform(0.5, 2.0, size=len(y))
    params = dict(n_hidden=5, solver="adam", learning_rate=0.01, batch_size=32,
                  max_iter=15, tol=None, early_stopping=True, random_state=0)
    reference = ShallowNetClassifier(**params).fit(X, y, sample_weight=s)
    model = ShallowNetClassifier(**params).fit(_strict(X, "device1"),
                                              _strict(y, "device1"),
                                              sample_weight=_strict(s, "device1"))
    for got, expected in zip(_weights(model), _weights(reference), strict=True):
        assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    assert_allclose(model.validation_scores_, reference.validation_scores_)
    assert model.coefs_[0].device == xs.Device("device1")
    assert model.predict(_strict(X, "device1")).device == xs.Device("device1")


def test_partial_fit_on_array_api_strict_continues_like_numpy(dispatch):
    X, y = _data("classification")
    params = dict(n_hidden=5, solver="adam", learning_rate=0.01, batch_size=None,
                  random_state=0)
    reference, model = ShallowNetClassifier(**params), ShallowNetClassifier(**params)
    for chunk in (slice(0, 60), slice(60, 120), slice(0, 120)):
        reference.partial_fit(X[chunk], y[chunk], classes=[0, 1, 2])
        model.partial_fit(_strict(X[chunk]), _strict(y[chunk]), classes=[0, 1, 2])
    for got, expected in zip(_weights(model), _weights(reference), strict=True):
        assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    state = model._optimizer_state
    assert all(_is_strict(state[name]) for name in state
               if name.startswith(("v_d", "s_d")))
    assert_array_equal(asnumpy(model.classes_), [0, 1, 2])


@pytest.mark.parametrize("Estimator, params", [
    (LogisticGD, dict(solver="adam", learning_rate=0.01)),
    (ShallowNetClassifier, dict(n_hidden=5, learning_rate=0.01)),
])
def test_partial_fit_stays_in_its_library_until_moved(Estimator, params,
                                                      dispatch):
    X, y = _data("classification")
    params = dict(params, batch_size=None, random_state=0)
    # classes may be given in the data's library too
    model = Estimator(**params).partial_fit(_strict(X), _strict(y),
                                            classes=_strict([0, 1, 2]))
    reference = Estimator(**params).partial_fit(X, y, classes=[0, 1, 2])
    # another library in the middle of partial_fit: refused, nothing changed
    before = _weights(model)
    with pytest.raises(ValueError, match=rf"{Estimator.__name__}.partial_fit\(\) "
                       r"must use the same namespace.*earlier calls.*to_numpy"):
        model.partial_fit(X, y)
    for got, expected in zip(_weights(model), before, strict=True):
        assert_array_equal(got, expected)
    with pytest.raises(ValueError, match=r"partial_fit\(\) must use the same"):
        reference.partial_fit(_strict(X), _strict(y))
    # moved to NumPy, it goes on where it left off, as the NumPy model does
    moved = to_numpy(model)
    moved.partial_fit(X, y)
    reference.partial_fit(X, y)
    assert moved.n_iter_ == reference.n_iter_ == 2
    for got, expected in zip(_weights(moved), _weights(reference), strict=True):
        assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@short_run  # 20 iterations, compared with NumPy's
def test_string_labels_stay_numpy_and_predict_gives_them(dispatch):
    X, y = _data("classification")
    labels = np.array(["a", "b", "c"])[y]
    model = ShallowNetClassifier(n_hidden=5, max_iter=20, random_state=0).fit(
        _strict(X), labels)
    reference = ShallowNetClassifier(n_hidden=5, max_iter=20, random_state=0).fit(
        X, labels)
    assert_array_equal(model.predict(_strict(X)), reference.predict(X))


def test_the_same_random_state_gives_the_same_initial_weights_everywhere():
    dims = [6, 5, 3]
    on_numpy = initialize_parameters(dims, "xavier", rng=np.random.RandomState(3))
    elsewhere = initialize_parameters(dims, "xavier", rng=np.random.RandomState(3),
                                      xp=xs, device=xs.Device("device1"))
    for name, value in on_numpy.items():
        assert elsewhere[name].device == xs.Device("device1")
        assert_array_equal(asnumpy(elsewhere[name]), value)


# KNOWN DEFECT, reported (issue 24, item 5): sknnbasics._activations.sigmoid
# silences exp's overflow for z < -709 on NumPy arrays (the limit 0 is right)
# but not in its other-namespace branch, so on array-api-strict, NumPy
# underneath, numpy's RuntimeWarning escapes. Remove this mark with the fix.
@pytest.mark.filterwarnings("ignore:overflow encountered in exp:RuntimeWarning")
@pytest.mark.parametrize("name", ["logistic", "softmax", "identity", "relu", "exp"])
def test_stable_costs_and_dZ_equal_numpys_for_extreme_logits(name):
    rng = np.random.RandomState(0)
    k = 1 if name == "logistic" else 3
    Z = rng.standard_normal((k, 8)) * ([[800.0]] if name != "exp" else [[5.0]])
    Y = rng.uniform(0, 1, (k, 8)).round() if name in ("logistic", "softmax") \
        else rng.uniform(0, 3, (k, 8))
    s = rng.uniform(0.5, 2, 8)
    output = OutputLayer(name)
    A = output.g(Z)
    A_xp = output.g(_strict(Z))
    assert_allclose(asnumpy(A_xp), A, rtol=1e-15)
    J = output.cost(Z, A, Y, s)
    J_xp = output.cost(_strict(Z), A_xp, _strict(Y), _strict(s))
    assert np.isfinite(J_xp)
    assert_allclose(J_xp, J, rtol=1e-14)
    assert_allclose(asnumpy(output.dZ(_strict(Z), A_xp, _strict(Y))),
                    output.dZ(Z, A, Y), rtol=1e-15)


@short_run  # 5 iterations: only the refusal is checked
def test_predicting_numpy_with_a_model_fitted_elsewhere_says_what_to_do(dispatch):
    X, y = _data("classification")
    model = LogisticGD(max_iter=5).fit(_strict(X), _strict(y))
    with pytest.raises(ValueError, match=r"LogisticGD.predict\(\) must use the "
                       r"same namespace.*to_numpy"):
        model.predict(X)


@short_run  # a few iterations, compared after the move
def test_to_numpy_copies_a_fitted_model_and_pipeline_to_numpy(dispatch, tmp_path):
    X, y = _data("classification")
    model = ShallowNetClassifier(n_hidden=5, solver="adam", max_iter=20,
                                 random_state=0).fit(_strict(X), _strict(y))
    pipe = make_pipeline(StandardScaler(), clone(model)).fit(X, y)
    pipe.steps[-1] = (pipe.steps[-1][0], model)
    on_numpy = to_numpy(model)
    assert all(isinstance(a, np.ndarray) for a in (*on_numpy.coefs_,
                                                   *on_numpy.intercepts_,
                                                   on_numpy.classes_))
    assert all(isinstance(v, np.ndarray) for k, v in
               on_numpy._optimizer_state.items() if k.startswith(("v_d", "s_d")))
    assert _is_strict(model.coefs_[0])  # the original is untouched
    expected = asnumpy(model.predict_proba(_strict(X)))
    assert_allclose(on_numpy.predict_proba(X), expected, rtol=1e-14)
    # it persists, and comes back predicting the same
    buffer = io.BytesIO()
    joblib.dump(on_numpy, buffer)
    buffer.seek(0)
    assert_allclose(joblib.load(buffer).predict_proba(X), expected, rtol=1e-14)
    sio = pytest.importorskip("skops.io", reason="skops (in the test extra) is "
                              'not installed: python -m pip install -e ".[test]"')
    sio.dump(on_numpy, tmp_path / "model.skops")
    loaded = sio.load(tmp_path / "model.skops",
                      trusted=["sknnbasics._classifiers.ShallowNetClassifier"])
    assert_allclose(loaded.predict_proba(X), expected, rtol=1e-14)
    # a pipeline: its sknnbasics step converted
    pipe_numpy = to_numpy(pipe)
    assert isinstance(pipe_numpy[-1].coefs_[0], np.ndarray)
    assert _is_strict(pipe[-1].coefs_[0])


@pytest.mark.parametrize("shape", [(4, 5, 3, 3), (4, 5, 3)])
def test_image_vectorizer_on_array_api_strict_images(shape, dispatch):
    images = np.random.RandomState(0).randint(0, 256, shape).astype(np.float32)
    reference = ImageVectorizer().fit(images)
    vectorizer = ImageVectorizer().fit(_strict(images, "device1"))
    X = vectorizer.transform(_strict(images, "device1"))
    assert X.device == xs.Device("device1") and X.dtype == xs.float32
    assert_array_equal(asnumpy(X), reference.transform(images))
    assert_array_equal(asnumpy(vectorizer.inverse_transform(X)), images)


@short_run  # 30 iterations, compared with NumPy's
def test_lbfgs_on_array_api_strict_returns_weights_there(dispatch):
    X, y = _data("classification")
    model = DeepNetClassifier(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=30,
                              random_state=0).fit(_strict(X, "device1"),
                                                  _strict(y, "device1"))
    assert all(a.device == xs.Device("device1") for a in model.coefs_)


# -- PyTorch (CPU here; CUDA where there is one) ----------------------------

@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("Estimator, kind, extra", [
    (ShallowNetClassifier, "classification", dict(n_hidden=5)),
    (DeepNetRegressor, "regression", dict(hidden_layer_sizes=(6, 4))),
    (LogisticGD, "classification", {}),
])
@pytest.mark.parametrize("device_name", ["cpu", "cuda"])
@short_run  # 50 iterations, compared with NumPy's
def test_torch_weights_equal_numpys_over_50_iterations(Estimator, kind, extra,
                                                       solver, device_name,
                                                       dispatch):
    torch = pytest.importorskip("torch", reason="torch is not installed: python -m "
                                'pip install -e ".[torch]" runs the CPU cases')
    if device_name == "cuda" and not torch.cuda.is_available():
        pytest.skip("no CUDA device here: the cuda cases run on a machine with an "
                    "NVIDIA GPU and a CUDA build of torch")
    X, y = _data(kind)
    params = dict(max_iter=50, tol=None, batch_size=None, random_state=0,
                  alpha=1e-3, **extra, **SOLVERS[solver])
    reference = Estimator(**params).fit(X, y)
    model = Estimator(**params).fit(torch.asarray(X, device=device_name),
                                    torch.asarray(y, device=device_name))
    assert model.n_iter_ == reference.n_iter_
    for got, expected in zip(_weights(model), _weights(reference), strict=True):
        assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
    assert isinstance(model.predict(torch.asarray(X, device=device_name)),
                      torch.Tensor)
