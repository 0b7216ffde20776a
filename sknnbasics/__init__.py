"""sknnbasics: neural-network basics as scikit-learn estimators.

Logistic regression, shallow and deep networks trained by gradient descent,
written with the lecture's own formulas (W[l], b[l], Z[l], A[l], dZ[l], …).
"""

# first, before numpy and scikit-learn: importing it makes `sknnbasics …` on
# the command line end in one line on a Ctrl-C during the imports below
from . import _interrupt  # noqa: F401
from ._array_api import to_numpy
from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._display import CostCurveDisplay
from ._gradient_check import GradientCheck, check_gradients
from ._hidden import HiddenLayerTransformer
from ._image import ImageVectorizer, PixelRangeWarning
from ._lecture import lecture
from ._logistic import LogisticGD
from ._persistence import InconsistentVersionWarning
from ._regressors import DeepNetRegressor, ShallowNetRegressor
from ._step import OneIteration, one_iteration

__version__ = "0.2.0"

__all__ = [
    "CostCurveDisplay",
    "DeepNetClassifier",
    "DeepNetRegressor",
    "GradientCheck",
    "HiddenLayerTransformer",
    "ImageVectorizer",
    "InconsistentVersionWarning",
    "LogisticGD",
    "OneIteration",
    "PixelRangeWarning",
    "ShallowNetClassifier",
    "ShallowNetRegressor",
    "__version__",
    "check_gradients",
    "lecture",
    "one_iteration",
    "to_numpy",
]
