"""Property-based fuzzing of every public estimator (issue 12, "Fuzzing as part
of the suite").

Whatever the input — shapes, dtypes, extreme or non-finite values, labels,
weights, hyperparameters inside or outside their ranges — a call ends in one of
two ways:

- a ValueError or TypeError raised before any training, whose message is a
  sentence that names what was wrong (not an internal numpy error), and that
  leaves a fresh estimator unfitted; or
- a fitted model whose weights are finite, whose ``predict_proba`` is finite,
  in [0, 1], with rows summing to 1, and whose predictions are among
  ``classes_`` (regressors: finite predictions). For a multilabel y (a 0/1
  indicator matrix) each label's probability is in [0, 1] on its own (the
  rows need not sum to 1) and ``predict`` is the matrix of 0/1 decisions
  ``predict_proba > 0.5``.

The inputs include sparse X (scipy.sparse CSR and CSC, matrices and arrays)
for every estimator, and the hyperparameters every solver ("gd", "adam",
"lbfgs") with its own settings (momentum, Nesterov; β₁, β₂, ε; max_fun) and
every ``learning_rate_schedule`` (with ``power_t`` for "invscaling").

Warnings along the way must be ConvergenceWarning or other UserWarnings (which
tell the user something), never a RuntimeWarning from numpy's arithmetic.

Profiles: the default one ("fast", a few hundred examples in all) runs with the
rest of the suite; ``HYPOTHESIS_PROFILE=ci`` runs twenty times as many. Both are
deterministic (``derandomize=True``, no example database).
"""

import os
import re
import traceback
import warnings
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from _helpers import CLASSIFIERS, REGRESSORS
from hypothesis import (
    HealthCheck,
    Phase,
    currently_in_test_context,
    event,
    given,
    settings,
)
from hypothesis import note as _hypothesis_note
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _num_samples
from threadpoolctl import threadpool_limits

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    ImageVectorizer,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)

# -- profiles -----------------------------------------------------------------

_COMMON = dict(
    derandomize=True,
    database=None,
    deadline=None,  # two shared cores: a fit's time says nothing here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
    # no "explain" phase: its line listings say little here and cost seconds
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
)
settings.register_profile("fast", max_examples=50, **_COMMON)  # ~550 in all
settings.register_profile("ci", max_examples=1000, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))



@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """The fuzzed fits are tiny: a second BLAS thread only waits (L-BFGS-B
    took ~0.2 s for 30 iterations on 20 samples with the default threads on
    the busy 2-core machine, ~7 ms with one)."""
    with threadpool_limits(1):
        yield


MAX_ITER = 30  # enough to train a little, diverge or converge; fast
ACTIVATIONS = ["tanh", "relu", "identity", "sigmoid", "leaky_relu"]


def small(cls, **params):
    """A seeded estimator with few iterations (and small layers)."""
    defaults = {"max_iter": MAX_ITER, "random_state": 0}
    if cls in (DeepNetClassifier, DeepNetRegressor):
        defaults["hidden_layer_sizes"] = (5, 3)
    return cls(**{**defaults, **params})


# -- the property -------------------------------------------------------------

_NUMPY_DIR = os.path.dirname(np.__file__)
_NAMES = {
    "x", "y", "sample_weight", "sample", "samples", "class", "classes",
    "class_weight", "label", "labels", "feature", "features", "float", "dtype",
    "array", "data", "input", "value", "values", "string", "target", "targets",
    "infinity", "nan", "image", "images", "shape",
}
# Messages of numpy or Python internals that reach the user unexplained.
_INTERNAL = re.compile(
    r"operands could not be broadcast|out of bounds|division by zero|"
    r"invalid value encountered|overflow encountered|setting an array element|"
    r"unsupported operand|not supported between instances|object is not|"
    r"has no attribute|cannot reshape|zero-size array|must be real number|"
    r"unhashable type|object cannot be interpreted"
)


def note(text):
    """Print `text` with a failing example (and nowhere outside hypothesis)."""
    if currently_in_test_context():
        _hypothesis_note(text)


def _is_fitted_attribute(name):
    return name.endswith("_") and not name.startswith("__")


def assert_clear_refusal(error, estimator, fitted_before, must_name=()):
    """A refusal: ValueError/TypeError, raised by sknnbasics or scikit-learn's
    validation, whose message is a sentence naming a parameter or the data
    (one of `must_name` when given: the only possible culprits), and after
    which a fresh estimator holds no fitted attribute."""
    message = str(error)
    innermost = traceback.extract_tb(error.__traceback__)[-1]
    note(f"refused: {type(error).__name__}: {message}\n  at {innermost.filename}:"
         f"{innermost.lineno}")
    assert not _INTERNAL.search(message), (
        f"{type(error).__name__}({message!r}) is an internal error, not a "
        "refusal of the input"
    )
    assert not innermost.filename.startswith(_NUMPY_DIR), (
        f"numpy raised {type(error).__name__}({message!r}) inside "
        f"{innermost.filename}:{innermost.lineno}; the input should have been "
        "refused before it reached numpy"
    )
    words = re.findall(r"[A-Za-z_][A-Za-z_0-9']*", message)
    named = {w.strip("'").lower() for w in words} & (
        _NAMES | set(estimator.get_params())
    )
    assert len(words) >= 3 and named, (
        f"{type(error).__name__}({message!r}) is not a sentence naming the "
        "parameter or data at fault"
    )
    if must_name:
        assert any(name in message for name in must_name), (
            f"{type(error).__name__}({message!r}) names none of the "
            f"hyperparameters {sorted(must_name)}, though only they can be at "
            "fault (the data alone are fine)"
        )
    if not fitted_before:
        left = sorted(k for k in vars(estimator) if _is_fitted_attribute(k))
        assert not left, (
            f"the refused first fit left fitted attributes {left} behind (a "
            "refused fit must leave an unfitted estimator)"
        )


def assert_only_user_warnings(caught):
    """ConvergenceWarning and other UserWarnings tell the user something; a
    RuntimeWarning is numpy's arithmetic failing (overflow, 0/0)."""
    seen = Counter(
        (w.category.__name__, str(w.message), f"{w.filename}:{w.lineno}")
        for w in caught
    )
    for (category, message, where), count in seen.items():
        note(f"warning ×{count}: {category}: {message} ({where})")
    bad = sorted({f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
                  for w in caught if not issubclass(w.category, UserWarning)})
    assert not bad, f"warnings that are not UserWarnings: {bad}"


def excuse_validation_side_effects(caught, error):
    """Drop numpy's RuntimeWarnings when scikit-learn's input validation
    refused the data: its finiteness check sums X, and inf + (−inf) warns
    "invalid value encountered in reduce" on the way to the clear error."""
    innermost = traceback.extract_tb(error.__traceback__)[-1].filename
    if not innermost.endswith(os.path.join("sklearn", "utils", "validation.py")):
        return caught
    return [w for w in caught if not (issubclass(w.category, RuntimeWarning)
                                      and w.filename.startswith(_NUMPY_DIR))]


def check_weights(estimator):
    """Finite weights, trained with a step α > 0 (α = 0 would not train)."""
    if hasattr(estimator, "coefs_"):
        weights = [*estimator.coefs_, *estimator.intercepts_]
    else:
        weights = [estimator.coef_, estimator.intercept_]
    for W in weights:
        assert np.all(np.isfinite(W)), f"non-finite weights {W!r}"
    alpha = estimator.learning_rate_
    assert np.isfinite(alpha) and alpha > 0, f"learning_rate_ = {alpha!r}"


def is_multilabel(y):
    """A 2-D 0/1 indicator matrix of several labels (not a column of labels)."""
    return (getattr(y, "ndim", 0) == 2 and y.shape[1] > 1
            and type_of_target(y) == "multilabel-indicator")


def check_classifier(estimator, X, y):
    n_samples = _num_samples(X)
    proba = estimator.predict_proba(X)
    predictions = estimator.predict(X)
    classes = estimator.classes_
    note(f"classes_ = {classes!r}\nproba = {proba!r}")
    check_weights(estimator)
    assert proba.shape == (n_samples, len(classes))
    assert np.all(np.isfinite(proba)), f"non-finite probabilities {proba!r}"
    assert proba.min() >= 0 and proba.max() <= 1, f"outside [0, 1]: {proba!r}"
    if is_multilabel(y):
        check_multilabel_predictions(classes, proba, predictions, y)
        return
    # Each probability carries a few roundings (exp, sum, division: ≤ 3 eps
    # relative) and summing K of them adds K − 1 more: 4·K eps bounds the sum.
    tolerance = 4 * len(classes) * np.finfo(proba.dtype).eps
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=0, atol=tolerance)
    assert predictions.shape == (n_samples,)
    assert np.all(np.isin(predictions, classes)), (
        f"predictions {predictions!r} outside classes_ {classes!r}"
    )


def check_multilabel_predictions(classes, proba, predictions, y):
    """One sigmoid per label: no sum to 1; the classes are the label columns,
    and each label is predicted where its probability passes 0.5 (a tie at
    exactly 0.5 is left to the logit's sign)."""
    np.testing.assert_array_equal(classes, np.arange(y.shape[1]))
    assert predictions.shape == y.shape, (
        f"multilabel predictions of shape {predictions.shape}, y {y.shape}")
    assert np.all(np.isin(predictions, (0, 1))), (
        f"multilabel predictions {predictions!r} are not 0/1")
    decided = proba != 0.5
    np.testing.assert_array_equal(predictions[decided],
                                  (proba > 0.5)[decided].astype(int))


def check_regressor(estimator, X, y):
    predictions = estimator.predict(X)
    note(f"predictions = {predictions!r}")
    check_weights(estimator)
    assert predictions.shape[0] == _num_samples(X)
    assert np.all(np.isfinite(predictions)), (
        f"non-finite predictions {predictions!r}"
    )


def assert_fit_ends_cleanly(estimator, X, y, sample_weight=None, *,
                            must_refuse=None, must_name=()):
    """The property: a clear refusal, or a sound fitted model. `must_refuse`
    names what the input holds that only a refusal answers; a refusal must
    name one of `must_name` when given."""
    note(f"estimator = {estimator!r}")
    note(f"X = {X!r}\ny = {y!r}\nsample_weight = {sample_weight!r}")
    check = check_classifier if is_classifier(estimator) else check_regressor
    fit_kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            estimator.fit(X, y, **fit_kwargs)
        except (ValueError, TypeError) as error:
            assert_clear_refusal(error, estimator, fitted_before=False,
                                 must_name=must_name)
            caught = excuse_validation_side_effects(caught, error)
        else:
            assert must_refuse is None, f"fit accepted {must_refuse}"
            check(estimator, X, y)
    assert_only_user_warnings(caught)


# -- strategies ---------------------------------------------------------------

_TINY = 5e-324  # the smallest subnormal float64
EXTREMES = [
    np.inf, -np.inf, np.nan, 1e300, -1e300, 1e160, -1e160, 1e154,
    np.finfo(np.float64).max, -np.finfo(np.float64).max,
    float(np.finfo(np.float32).max), float(np.finfo(np.float16).max),
    _TINY, -_TINY, 2.2e-310, 1e-300, 0.0, -0.0,
]
FINITE_EXTREMES = [v for v in EXTREMES if np.isfinite(v)]
DTYPES = ["float64", "float32", "float16", "int64", "uint8", "bool",
          "object-numbers", "object-strings"]


# scipy.sparse holds numbers only, and no float16
SPARSE = ["csr_matrix", "csc_matrix", "csr_array", "csc_array"]
SPARSE_DTYPES = {"float64", "float32", "int64", "uint8", "bool"}


def _ordinary(low=-5.0, high=5.0):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def _cast(values, dtype):
    """float64 `values` in the fuzzed dtype (1e300 becomes inf in float32, as
    the user's own cast would make it)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if dtype == "object-numbers":
            return values.astype(object)
        if dtype == "object-strings":
            return values.astype(str).astype(object)
        if dtype in ("int64", "uint8"):
            return np.nan_to_num(values).clip(-1e6, 1e6).round().astype(dtype)
        if dtype == "bool":
            return values > 0
        return values.astype(dtype)


@st.composite
def matrices(draw, min_samples=1, max_samples=12, max_features=8,
             values=("ordinary", "extreme", "non-finite", "huge-column")):
    """(m, n) data: ordinary, with extreme finite values sprinkled in, with
    non-finite ones too, or with one huge constant column; in any dtype."""
    m = draw(st.integers(min_samples, max_samples), label="n_samples")
    n = draw(st.integers(1, max_features), label="n_features")
    kind = draw(st.sampled_from(values), label="values")
    dtype = draw(st.sampled_from(DTYPES), label="dtype")
    if kind == "ordinary":
        elements = _ordinary()
    elif kind == "extreme":
        elements = st.one_of(_ordinary(), st.sampled_from(FINITE_EXTREMES))
    elif kind == "non-finite":
        elements = st.one_of(_ordinary(), st.sampled_from(EXTREMES))
    else:
        elements = _ordinary()
    X = draw(arrays(np.float64, (m, n), elements=elements), label="X (float64)")
    if kind == "huge-column":
        X[:, draw(st.integers(0, n - 1))] = draw(
            st.sampled_from([1e300, 1e160, np.finfo(np.float64).max, -1e300]))
    if dtype == "object-strings" and draw(st.booleans(), label="non-numeric"):
        X = X.astype(str).astype(object)
        X[0, 0] = "not a number"
        return X
    return draw(containers(_cast(X, dtype)), label="X")


@st.composite
def containers(draw, X):
    """`X` as it is, or (when scipy.sparse can hold its dtype) as a CSR or CSC
    matrix or array, whose zeros are then not stored."""
    if X.dtype.name not in SPARSE_DTYPES:
        return X
    container = draw(st.sampled_from(["ndarray", *SPARSE]), label="container")
    event(f"X: {container}")
    return X if container == "ndarray" else getattr(sp, container)(X)


def _two_classes(m):
    return np.arange(m) % 2


@st.composite
def class_labels(draw, m):
    """Labels of every kind: ints, strings, bools, floats (integral or not),
    mixed types, a column vector; one class to m classes; or a multilabel
    indicator matrix (see :func:`indicator_matrices`)."""
    k = draw(st.integers(1, m), label="n_classes")
    index = draw(arrays(np.intp, m, elements=st.integers(0, k - 1)), label="index")
    kind = draw(st.sampled_from(
        ["int", "str", "bool", "float", "fractional", "mixed", "column",
         "negative", "nan", "multilabel"]), label="label kind")
    if kind == "multilabel":
        return draw(indicator_matrices(m), label="indicator matrix")
    if kind == "int":
        return index
    if kind == "str":
        return np.array([f"class {i}" for i in index])
    if kind == "bool":
        return index % 2 == 1
    if kind == "float":
        return index.astype(np.float64)
    if kind == "fractional":
        return index * 0.5
    if kind == "mixed":
        return np.array([i if i % 2 else f"c{i}" for i in index], dtype=object)
    if kind == "column":
        return index.reshape(-1, 1)
    if kind == "negative":
        return -(10**12) * index
    y = index.astype(np.float64)
    y[0] = np.nan
    return y


@st.composite
def indicator_matrices(draw, m, kinds=("int", "bool", "float", "not 0/1",
                                       "nan", "one-label")):
    """Multilabel targets: an (m, k) 0/1 indicator matrix of 2 to 4 labels
    (a label may apply to every sample or to none) as ints, bools or floats;
    or a matrix that is not one (values other than 0 and 1, a NaN), or a
    single label column."""
    k = draw(st.integers(2, 4), label="n_labels")
    Y = draw(arrays(np.int64, (m, k), elements=st.integers(0, 1)), label="Y")
    kind = draw(st.sampled_from(kinds), label="indicator kind")
    event(f"multilabel y: {kind}")
    if kind == "bool":
        return Y.astype(bool)
    if kind == "float":
        return Y.astype(np.float64)
    if kind == "not 0/1":
        Y[0, 0] = 2
    if kind == "nan":
        Y = Y.astype(np.float64)
        Y[0, 0] = np.nan
    if kind == "one-label":
        return Y[:, :1]
    return Y


@st.composite
def sample_weights(draw, m):
    kind = draw(st.sampled_from(
        ["ordinary", "zeros", "some-zero", "negative", "huge", "tiny",
         "non-finite", "ints", "wrong-length"]), label="sample_weight kind")
    if kind == "ordinary":
        return draw(arrays(np.float64, m, elements=st.floats(0.1, 10)))
    if kind == "zeros":
        return np.zeros(m)
    if kind == "some-zero":
        return draw(arrays(np.float64, m, elements=st.sampled_from([0.0, 1.0])))
    if kind == "negative":
        weights = np.ones(m)
        weights[draw(st.integers(0, m - 1))] = -1.0
        return weights
    if kind == "huge":
        return draw(arrays(np.float64, m, elements=st.sampled_from(
            [1e300, np.finfo(np.float64).max, 1e38, 1.0])))
    if kind == "tiny":
        return draw(arrays(np.float64, m, elements=st.sampled_from(
            [_TINY, 1e-310, 1e-300, 1e-45])))
    if kind == "non-finite":
        weights = np.ones(m)
        weights[draw(st.integers(0, m - 1))] = draw(
            st.sampled_from([np.nan, np.inf]))
        return weights
    if kind == "ints":
        return draw(arrays(np.int64, m, elements=st.integers(0, 3)))
    return np.ones(m + 1)


@st.composite
def class_weights(draw, classes):
    kind = draw(st.sampled_from(["dict", "balanced", "unknown-label", "string"]),
                label="class_weight kind")
    if kind == "balanced":
        return "balanced"
    if kind == "string":
        return "uniform"
    weights = {
        c: draw(st.sampled_from([1.0, 2.0, 0.5, 0.0, -1.0, 1e300, np.inf, np.nan]))
        for c in classes
    }
    if kind == "unknown-label":
        weights["no such class"] = 1.0
    return weights


# Hyperparameters: values inside the allowed range (the first of each list is
# ordinary; hypothesis shrinks towards it, so a failing case keeps only the
# values that matter), and values at or outside its edges.
VALID = {
    "learning_rate": [0.1, 1e-300, 1e6, 1e300],
    "max_iter": [MAX_ITER, 1],
    "tol": [1e-4, None, 0.0, 1e300],
    "n_iter_no_change": [10, 1],
    "alpha": [0.0, 1e-3, 1e6, 1e300],
    "batch_size": [None, 1, 2, 10**6],
    "early_stopping": [False, True],
    "validation_fraction": [0.1, 0.5, 0.99, 1e-9],
    "warm_start": [False, True],
    "random_state": [0, None],
}
INVALID = {
    "learning_rate": [0, -0.5, np.inf, np.nan, True, "fast", None],
    "max_iter": [0, -3, 2.5, True, "10", None],
    "tol": [-1.0, np.nan],
    "n_iter_no_change": [0, 1.5],
    "alpha": [-1.0, np.nan, np.inf],
    "batch_size": [0, -1, 2.0, True],
    "early_stopping": [1, "yes"],
    "validation_fraction": [0.0, 1.0, -0.1],
    "random_state": [-1, "seed"],
    # the solvers' settings (drawn valid by solver_settings)
    "solver": ["sgd", "newton", None],
    "learning_rate_schedule": ["optimal", "invscaling ", None],
    "power_t": [-0.5, np.nan, "0.5"],
    "momentum": [-0.1, 1.5, np.nan],
    "nesterovs_momentum": [1, "yes"],
    "beta_1": [1.0, -0.1],
    "beta_2": [1.0, np.nan],
    "epsilon": [0.0, -1e-8],
    "max_fun": [0, 2.5],
}
# Each solver with what it uses: every schedule (power_t for "invscaling"; a
# power_t so large that α underflows to 0 must be refused, issue 26 item 9),
# momentum with or without Nesterov for "gd", Adam's β₁, β₂, ε, L-BFGS's
# max_fun. The first of each list is ordinary.
SOLVERS = ["gd", "adam", "lbfgs"]
SCHEDULES = ["constant", "invscaling", "adaptive"]
SOLVER_SETTINGS = {
    "gd": {"momentum": [0.0, 0.9, 0.5, 1.0], "nesterovs_momentum": [True, False]},
    "adam": {"beta_1": [0.9, 0.0, 0.999999], "beta_2": [0.999, 0.0, 0.5],
             "epsilon": [1e-8, 1e-300, 1e300]},
    "lbfgs": {"max_fun": [15000, 1, 3]},
}
POWER_T = [0.5, 0.0, 0.25, 2.0, 300.0]


@st.composite
def solver_settings(draw, cls):
    """{solver, schedule, and the settings they use}, the class's defaults
    left out (so that only what was changed can be blamed for a refusal)."""
    solver = draw(st.sampled_from(SOLVERS), label="solver")
    params = {"solver": solver}
    if solver != "lbfgs":  # L-BFGS chooses its own steps
        schedule = draw(st.sampled_from(SCHEDULES), label="learning_rate_schedule")
        params["learning_rate_schedule"] = schedule
        event(f"{solver}, {schedule}")
        if schedule == "invscaling":
            params["power_t"] = draw(st.sampled_from(POWER_T), label="power_t")
    if solver == "lbfgs":
        event("lbfgs")
    for name, values in SOLVER_SETTINGS[solver].items():
        params[name] = draw(st.sampled_from(values), label=name)
    defaults = cls().get_params()
    return {name: value for name, value in params.items()
            if not (type(value) is type(defaults[name]) and value == defaults[name])}
VALID_NETWORK = {
    "activation": ACTIVATIONS,
    "negative_slope": [0.01, 0.0, 1e300],
    "init": ["xavier", "he", "random", "zeros"],
    "init_scale": [0.01, 1e300, 1e-300],
}
INVALID_NETWORK = {
    "activation": ["softmax", None],
    "negative_slope": [-1.0],
    "init": ["ones"],
    "init_scale": [0.0, -1.0],
}
SHALLOW = ({"n_hidden": [4, 1, np.int64(3)]},
           {"n_hidden": [0, -2, 2.5, True, False, "4", (3,), None]})
DEEP = ({"hidden_layer_sizes": [(5, 3), (), 3, (1,), [3, 2], np.array([3, 2]),
                                (np.int8(2),)]},
        {"hidden_layer_sizes": [(0,), (3, -1), (True,), (2.0,), "3", None,
                                ((3,),)]})


def hyperparameter_space(cls):
    """({name: valid values}, {name: invalid values}) for `cls`."""
    valid, invalid = dict(VALID), dict(INVALID)
    if cls is LogisticGD:
        valid["learning_rate"] = ["auto", *VALID["learning_rate"]]
    else:
        valid.update(VALID_NETWORK)
        invalid.update(INVALID_NETWORK)
    if cls in (ShallowNetClassifier, ShallowNetRegressor):
        valid.update(SHALLOW[0])
        invalid.update(SHALLOW[1])
    if cls in (DeepNetClassifier, DeepNetRegressor):
        valid.update(DEEP[0])
        invalid.update(DEEP[1])
    if cls in REGRESSORS:
        valid["out_activation"] = ["identity", "relu"]
        invalid["out_activation"] = ["sigmoid", "softmax"]
    else:
        valid["class_weight"] = [None, "balanced"]
        invalid["class_weight"] = ["uniform", [1.0, 2.0]]
    return valid, invalid


@st.composite
def hyperparameters(draw, cls):
    """A solver with its settings, up to three other hyperparameters set to
    allowed values, and perhaps one to a value outside its range; the rest
    default."""
    valid, invalid = hyperparameter_space(cls)
    params = draw(solver_settings(cls), label="solver settings")
    names = draw(st.lists(st.sampled_from(sorted(valid)), max_size=3, unique=True),
                 label="changed")
    params.update({name: draw(st.sampled_from(valid[name]), label=name)
                   for name in names})
    bad = draw(st.none() | st.sampled_from(sorted(invalid)), label="invalid")
    if bad is not None:
        params[bad] = draw(st.sampled_from(invalid[bad]), label=bad)
    return params


def _blobs(m, n, n_classes, seed):
    """Learnable data: class c around c·(1, …, 1), standard deviation 0.5."""
    rng = np.random.default_rng(seed)
    y = np.arange(m) % n_classes
    return y[:, np.newaxis] + 0.5 * rng.standard_normal((m, n)), y


# -- classifiers --------------------------------------------------------------

classifier_classes = st.sampled_from(CLASSIFIERS)
regressor_classes = st.sampled_from(REGRESSORS)


def with_activation(cls, activation):
    """`cls` with hidden activation `activation` (LogisticGD has none)."""
    return small(cls) if cls is LogisticGD else small(cls, activation=activation)


@PROFILE
@given(cls=classifier_classes, X=matrices(), activation=st.sampled_from(ACTIVATIONS))
def test_classifiers_on_any_X(cls, X, activation):
    """Shapes (one sample, one feature, wider than tall), dtypes and values,
    through each hidden activation (unbounded ones let huge values through)."""
    assert_fit_ends_cleanly(with_activation(cls, activation), X,
                            _two_classes(_num_samples(X)))


@PROFILE
@given(cls=classifier_classes, data=st.data())
def test_classifiers_on_any_labels(cls, data):
    """One class, many classes, ints, strings, bools, floats, mixed, columns."""
    m = data.draw(st.integers(1, 12), label="n_samples")
    y = data.draw(class_labels(m), label="y")
    X, _ = _blobs(m, 3, 3, seed=0)
    assert_fit_ends_cleanly(small(cls), X, y)


@PROFILE
@given(cls=classifier_classes, data=st.data())
def test_classifiers_on_any_weights(cls, data):
    """sample_weight and class_weight of every kind, alone and together."""
    m = data.draw(st.integers(2, 12), label="n_samples")
    n_classes = data.draw(st.integers(2, min(m, 4)), label="n_classes")
    X, y = _blobs(m, 3, n_classes, seed=1)
    sample_weight = data.draw(st.none() | sample_weights(m), label="sample_weight")
    class_weight = data.draw(st.none() | class_weights(np.unique(y)),
                             label="class_weight")
    estimator = small(cls, class_weight=class_weight)
    assert_fit_ends_cleanly(estimator, X, y, sample_weight,
                            must_refuse=weights_to_refuse(y, sample_weight,
                                                          class_weight))


def weights_to_refuse(y, sample_weight, class_weight):
    """What sample_weight may not hold (negative or non-finite weights, all
    zero), the weights that class_weight makes may not hold either: the cost
    J = Σ sᵢ Lᵢ / Σ sᵢ needs sᵢ ≥ 0, finite, not all 0. None if all is well."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(
        sample_weight, dtype=np.float64)
    if isinstance(class_weight, dict):
        per_class = np.array([class_weight.get(label, 1.0) for label in y])
        if not np.all(np.isfinite(per_class) & (per_class >= 0)):
            return f"class weights {per_class.tolist()} for y = {y.tolist()}"
        if s.shape == per_class.shape:
            with np.errstate(over="ignore", invalid="ignore"):
                s = s * per_class
    if s.shape == (len(y),) and np.all(np.isfinite(s)) and not np.any(s > 0):
        return f"sample weights that are all 0: {s.tolist()}"
    return None


# The largest space: twice as many examples.
@settings(PROFILE, max_examples=2 * PROFILE.max_examples)
@given(cls=classifier_classes, data=st.data())
def test_classifiers_with_any_hyperparameters(cls, data):
    """Hyperparameters inside and outside their ranges, on small data (early
    stopping with a handful of samples included), dense or sparse, with class
    labels or a multilabel indicator matrix."""
    m = data.draw(st.integers(1, 20), label="n_samples")
    n_classes = data.draw(st.integers(1, 3), label="n_classes")
    params = data.draw(hyperparameters(cls), label="params")
    X, y = _blobs(m, 2, n_classes, seed=2)
    X = data.draw(containers(X), label="X")
    if data.draw(st.booleans(), label="multilabel"):
        y = data.draw(indicator_matrices(m, kinds=("int",)), label="y")
        # class_weight is refused for multilabel y (no classes per label)
        data_fine = params.get("class_weight") is None
    else:
        data_fine = len(np.unique(y)) >= 2  # then only a hyperparameter can be wrong
    assert_fit_ends_cleanly(small(cls, **params), X, y,
                            must_name=set(params) if data_fine else ())


# -- regressors ---------------------------------------------------------------


@st.composite
def regression_targets(draw, m):
    kind = draw(st.sampled_from(
        ["ordinary", "extreme", "non-finite", "int", "bool", "strings",
         "non-numeric", "two-outputs", "constant"]), label="target kind")
    if kind == "ordinary":
        return draw(arrays(np.float64, m, elements=_ordinary()))
    if kind == "extreme":
        return draw(arrays(np.float64, m, elements=st.one_of(
            _ordinary(), st.sampled_from(FINITE_EXTREMES))))
    if kind == "non-finite":
        return draw(arrays(np.float64, m, elements=st.one_of(
            _ordinary(), st.sampled_from(EXTREMES))))
    if kind == "int":
        return draw(arrays(np.int64, m, elements=st.integers(-(2**62), 2**62)))
    if kind == "bool":
        return draw(arrays(np.bool_, m, elements=st.booleans()))
    if kind == "strings":
        return np.array([str(v) for v in range(m)], dtype=object)
    if kind == "non-numeric":
        return np.array([f"v{v}" for v in range(m)], dtype=object)
    if kind == "two-outputs":
        return draw(arrays(np.float64, (m, 2), elements=_ordinary()))
    return np.full(m, draw(st.sampled_from([0.0, 1e300, -1e300, 7.0])))


@PROFILE
@given(cls=regressor_classes, X=matrices(), activation=st.sampled_from(ACTIVATIONS))
def test_regressors_on_any_X(cls, X, activation):
    y = np.linspace(-1, 1, _num_samples(X))
    assert_fit_ends_cleanly(with_activation(cls, activation), X, y)


@PROFILE
@given(cls=regressor_classes, data=st.data())
def test_regressors_on_any_targets_and_weights(cls, data):
    m = data.draw(st.integers(1, 12), label="n_samples")
    y = data.draw(regression_targets(m), label="y")
    sample_weight = data.draw(st.none() | sample_weights(m), label="sample_weight")
    X, _ = _blobs(m, 3, 2, seed=3)
    assert_fit_ends_cleanly(small(cls), X, y, sample_weight)


# The largest space: twice as many examples.
@settings(PROFILE, max_examples=2 * PROFILE.max_examples)
@given(cls=regressor_classes, data=st.data())
def test_regressors_with_any_hyperparameters(cls, data):
    m = data.draw(st.integers(1, 20), label="n_samples")
    params = data.draw(hyperparameters(cls), label="params")
    X, labels = _blobs(m, 2, 2, seed=4)
    X = data.draw(containers(X), label="X")
    # Any one sample or more is data to regress on: a refusal is the
    # hyperparameters' fault.
    assert_fit_ends_cleanly(small(cls, **params), X, labels - 0.5,
                            must_name=set(params))


# found by the fuzzing (issue 26): a regressor's refusal of a J that is inf at
# the starting weights said "the input values are too large" for inputs of
# size 0.3, when leaky_relu's negative_slope=1e300 was the cause
@pytest.mark.parametrize("cls", REGRESSORS)
def test_a_huge_negative_slope_is_named_not_the_inputs(cls):
    X, labels = _blobs(5, 2, 2, seed=4)
    estimator = small(cls, activation="leaky_relu", negative_slope=1e300)
    with pytest.raises(ValueError, match=r"leaky_relu' multiplies every "
                                         r"negative z by negative_slope=1e\+300"):
        estimator.fit(X, labels - 0.5)


# found by the fuzzing (issue 26): after a divergence, early stopping restored
# its best weights, those the diverging epoch started from, finite on the
# held-out rows but not on the training rows (a ReLU unit off for every
# training row, grown to 1e294 by Adam with ε = 1e-300): predict gave −inf
def test_weights_kept_after_divergence_with_early_stopping_predict_finitely():
    X, labels = _blobs(11, 2, 2, seed=4)
    estimator = small(ShallowNetRegressor, solver="adam", beta_2=0.0,
                      epsilon=1e-300, early_stopping=True)
    with pytest.warns(ConvergenceWarning, match="diverged"):
        estimator.fit(X, labels - 0.5)
    assert np.all(np.isfinite(estimator.predict(X)))


# -- ImageVectorizer ----------------------------------------------------------


@st.composite
def image_batches(draw):
    """Arrays of rank 1 to 5 (some dimension possibly 0), values in and out of
    [0, 255], non-finite ones, in any dtype."""
    shape = draw(st.one_of(
        st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
        st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4),
                  st.integers(1, 4)),
        st.tuples(st.integers(1, 4), st.integers(1, 4)),
        st.sampled_from([(3,), (2, 0, 2), (0, 2, 2), (2, 2, 2, 0), (1, 2, 1, 2, 1)]),
    ), label="shape")
    kind = draw(st.sampled_from(["pixels", "fractions", "outside", "non-finite"]),
                label="values")
    elements = {
        "pixels": st.integers(0, 255).map(float),
        "fractions": st.floats(0, 1),
        "outside": st.one_of(st.floats(-300, 600), st.sampled_from(FINITE_EXTREMES)),
        "non-finite": st.one_of(st.floats(0, 255), st.sampled_from(EXTREMES)),
    }[kind]
    images = draw(arrays(np.float64, shape, elements=elements), label="images")
    dtype = draw(st.sampled_from(DTYPES), label="dtype")
    if dtype in ("int64", "uint8"):
        with np.errstate(invalid="ignore", over="ignore"):
            return np.nan_to_num(images).clip(0, 255).astype(dtype)
    return _cast(images, dtype)


VECTORIZER_PARAMETERS = {
    "max_value": [255, 1, 16, 65535, 1e-300, 1e300, 0, -1, np.inf, np.nan, True,
                  "255", None],
    "scale": [True, False, 2.0, 1e-300, 1e300, 0, -1.0, np.nan, "yes", None],
    "image_shape": [None, (2, 2), (2, 2, 1), (4,), (0, 2), (2.0, 2), "2x2", 4],
}


# Cheap examples (no training): four times as many.
@settings(PROFILE, max_examples=4 * PROFILE.max_examples)
@given(images=image_batches(), data=st.data())
def test_image_vectorizer_on_any_input(images, data):
    names = data.draw(st.lists(st.sampled_from(sorted(VECTORIZER_PARAMETERS)),
                               max_size=2, unique=True), label="changed")
    params = {name: data.draw(st.sampled_from(VECTORIZER_PARAMETERS[name]),
                              label=name) for name in names}
    vectorizer = ImageVectorizer(**params)
    note(f"vectorizer = {vectorizer!r}\nimages = {images!r}")
    before = images.copy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            vectorizer.fit(images)
        except (ValueError, TypeError) as error:
            assert_clear_refusal(error, vectorizer, fitted_before=False)
            return
        X = vectorizer.transform(images)  # what fit accepted, transform takes
        back = vectorizer.inverse_transform(X)
    assert_only_user_warnings(caught)
    np.testing.assert_array_equal(images, before)  # the input is never modified
    assert X.shape == (len(images), vectorizer.n_features_in_)
    assert np.all(np.isfinite(X))
    expected_dtype = images.dtype if images.dtype == np.float32 else np.float64
    assert X.dtype == expected_dtype
    if vectorizer.scale is True:
        assert X.min() >= 0 and X.max() <= 1
    # x / d · d is within one rounding of x for each of the two operations;
    # below the normal range a rounding of x / d is absolute, one subnormal
    # step, which the multiplication scales by d.
    scale = vectorizer.scale
    divisor = vectorizer.max_value if scale is True else 1 if scale is False else scale
    np.testing.assert_allclose(
        back.reshape(len(images), -1),
        np.asarray(images, dtype=X.dtype).reshape(len(images), -1),
        rtol=2 * np.finfo(X.dtype).eps,
        atol=divisor * np.finfo(X.dtype).smallest_subnormal,
    )


def test_the_profile_is_chosen_by_the_environment():
    # The default run stays small; HYPOTHESIS_PROFILE=ci selects the big one.
    expected = os.environ.get("HYPOTHESIS_PROFILE", "fast")
    assert PROFILE == settings.get_profile(expected)
    assert PROFILE.derandomize and PROFILE.database is None
    assert settings.get_profile("ci").max_examples >= 20 * settings.get_profile(
        "fast").max_examples


def test_property_helpers_catch_what_they_should():
    """The property itself, checked on hand-made failures: each must trip it."""

    class Broken(LogisticGD):
        def predict_proba(self, X):
            proba = super().predict_proba(X)
            proba[0, 0] = np.nan
            return proba

    X, y = _blobs(6, 2, 2, seed=0)
    with pytest.raises(AssertionError, match="non-finite probabilities"):
        assert_fit_ends_cleanly(Broken(max_iter=5), X, y)

    class Internal(LogisticGD):
        def fit(self, X, y, sample_weight=None):
            return np.ones(2) + np.ones(3)  # numpy's broadcasting ValueError

    with pytest.raises(AssertionError, match="is an internal error"):
        assert_fit_ends_cleanly(Internal(), X, y)

    class InsideNumpy(LogisticGD):
        def fit(self, X, y, sample_weight=None):
            # a ValueError raised inside numpy's own code (in numpy 1.x and 2.x)
            return np.reshape(np.ones(3), (-1, -1))

    with pytest.raises(AssertionError, match="numpy raised ValueError"):
        assert_fit_ends_cleanly(InsideNumpy(), X, y)

    class Vague(LogisticGD):
        def fit(self, X, y, sample_weight=None):
            raise ValueError("bad")

    with pytest.raises(AssertionError, match="not a sentence naming"):
        assert_fit_ends_cleanly(Vague(), X, y)

    class Noisy(LogisticGD):
        def fit(self, X, y, sample_weight=None):
            with np.errstate(over="warn"):
                np.exp(np.array([1000.0]))
            return super().fit(X, y, sample_weight)

    with pytest.raises(AssertionError, match="RuntimeWarning: overflow"):
        assert_fit_ends_cleanly(Noisy(max_iter=5), X, y)

    class Leaky(LogisticGD):
        def fit(self, X, y, sample_weight=None):
            self.classes_ = np.unique(y)
            raise ValueError("LogisticGD refuses this X: it has too few samples.")

    with pytest.raises(AssertionError, match=r"left fitted attributes \['classes_'\]"):
        assert_fit_ends_cleanly(Leaky(), X, y)

    class Thresholded(LogisticGD):
        def predict(self, X):  # a multilabel decision at 0.7, not 0.5
            return (self.predict_proba(X) > 0.7).astype(int)

    Y = np.column_stack([y, 1 - y, y])
    with pytest.raises(AssertionError, match="Arrays are not equal"):
        assert_fit_ends_cleanly(Thresholded(max_iter=5), X, Y)

    with pytest.raises(AssertionError, match="fit accepted class weights"):
        assert_fit_ends_cleanly(LogisticGD(max_iter=5), X, y, must_refuse=(
            weights_to_refuse(y, None, {0: 1.0, 1: -1.0})))


@pytest.mark.parametrize(
    "sample_weight, class_weight, refused",
    [
        (None, None, False),
        (None, {0: 1.0, 1: 0.0}, False),
        (None, {0: 0.0, 1: 0.0}, True),
        (None, {0: 2.0, 1: -1.0}, True),
        (None, {0: 1.0, 1: np.inf}, True),
        (None, {0: np.nan}, True),
        ([0.0, 1.0, 1.0, 0.0], {0: 1.0, 1: 0.0}, True),  # every weight 0
        ([1.0, 1.0, 1.0, 0.0], {0: 1.0, 1: 0.0}, False),
        ([0.0, 0.0, 0.0, 0.0], None, True),
        (None, "balanced", False),
    ],
)
def test_weights_to_refuse(sample_weight, class_weight, refused):
    y = np.array([0, 1, 1, 0])
    assert (weights_to_refuse(y, sample_weight, class_weight) is not None) == refused
