"""Helpers that several test files share: the estimator lists, the links the
documentation cites, small data makers, and the one warning filter that tests
of short runs use. (``_reference.py`` is the lecture's numpy transcription,
``_gradcheck.py`` the central differences, ``_lecture.py`` the lecture's
settings for tests; this file is everything else that used to be repeated.)
"""

import ast
import importlib
import re
from pathlib import Path

import numpy as np
import pytest

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    HiddenLayerTransformer,
    ImageVectorizer,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# -- the estimators -------------------------------------------------------------

CLASSIFIERS = [LogisticGD, ShallowNetClassifier, DeepNetClassifier]
REGRESSORS = [ShallowNetRegressor, DeepNetRegressor]
# the five that train (the lecture's §二–§四)
PREDICTORS = CLASSIFIERS + REGRESSORS
# every public estimator class (tests/test_common.py checks that its instances
# cover them all, so that a new estimator cannot miss scikit-learn's checks)
PUBLIC_ESTIMATORS = PREDICTORS + [ImageVectorizer, HiddenLayerTransformer]

# -- warnings -------------------------------------------------------------------

# A test that runs a few iterations to compare weights, costs or outputs with a
# reference (the lecture's transcription, MLPClassifier, a hand-worked step)
# or to watch the machinery (printing, callbacks) does not train to the end:
# the estimator's verdict on such a run ("reached max_iter …", "has learned
# nothing …") is expected and is not what the test checks. Any other warning
# (a rising cost, divergence, saturation, numpy's RuntimeWarning) still fails.
short_run = pytest.mark.filterwarnings(
    r"ignore:.*(reached max_iter|has learned nothing)"
    r":sklearn.exceptions.ConvergenceWarning")

# -- what the documentation cites -----------------------------------------------

CITED_TEST = re.compile(r"tests/(test_\w+\.py)::(test_\w+)")
CITED_OBJECT = re.compile(r":(?:func|meth|class|attr):`~?(sknnbasics\.[\w.]+)`")
LABEL = re.compile(r"^\.\. _([\w-]+):\s*$", flags=re.MULTILINE)


def resolve(dotted):
    """The object a dotted name refers to: the longest importable module
    prefix, then attributes (ImportError or AttributeError when it does not
    exist)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(dotted)


def cited_test_exists(test_file, name):
    """Whether ``tests/<test_file>`` defines the top-level test ``name``."""
    path = ROOT / "tests" / test_file
    if not path.is_file():
        return False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return name in {node.name for node in tree.body
                    if isinstance(node, ast.FunctionDef)}


def doc_labels(docs=DOCS):
    """Every ``.. _label:`` defined in the documentation's pages."""
    return {label for page in docs.rglob("*.rst")
            for label in LABEL.findall(page.read_text(encoding="utf-8"))}


# -- data -----------------------------------------------------------------------


def regression_data(m=40, n_x=3, n_out=1, seed=0, positive=False):
    """(X, y): smooth targets of standard-normal features, one output (a 1-d
    y) or ``n_out`` columns; ``positive`` shifts them above 0.1 (for a ReLU
    output)."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((m, n_x))
    Y = np.column_stack([np.sin(X[:, 0] + k) + 0.3 * X[:, -1] for k in range(n_out)])
    if positive:
        Y = np.abs(Y) + 0.1
    return X, (Y[:, 0] if n_out == 1 else Y)


def noisy_sine(m=300, seed=0):
    """(X, y): y = sin(x) + 0.1·noise for x uniform in [−3, 3], one column."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-3, 3, size=(m, 1))
    return X, np.sin(X[:, 0]) + 0.1 * rng.standard_normal(m)


def correlated_logistic_data(m=300, seed=0):
    """The data of examples/logistic/plot_learning_rate.py: two correlated
    features, labels drawn from σ(2x₁ − x₂)."""
    rng = np.random.RandomState(seed)
    X = rng.multivariate_normal([0, 0], [[1, 0.85], [0.85, 1]], size=m)
    p = 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 1])))
    return X, (rng.uniform(size=m) < p).astype(int)


def make_checkerboard(n_samples, squares=4, random_state=None):
    """The data of examples/deep/plot_depth_checkerboard.py: points uniform in
    [−1, 1]², labelled by the colour of their square."""
    rng = np.random.RandomState(random_state)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    cells = np.floor((X + 1) * squares / 2).astype(int)
    return X, cells.sum(axis=1) % 2
