"""sknnbasics: neural-network basics as scikit-learn estimators.

Logistic regression, shallow and deep networks trained by gradient descent,
written with the lecture's own formulas (W[l], b[l], Z[l], A[l], dZ[l], …).
"""

from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._logistic import LogisticGD

__version__ = "0.1.0"

__all__ = [
    "DeepNetClassifier",
    "LogisticGD",
    "ShallowNetClassifier",
    "__version__",
]
