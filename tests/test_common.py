"""scikit-learn's own estimator checks over every public estimator, with no
expected failures."""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

import sknnbasics  # noqa: E402
from sknnbasics import DeepNetClassifier, LogisticGD, ShallowNetClassifier  # noqa: E402


def _public_estimators():
    return [
        LogisticGD(),
        ShallowNetClassifier(),
        DeepNetClassifier(hidden_layer_sizes=(8, 4)),
        *[getattr(sknnbasics, name)() for name in ("ImageVectorizer",)
          if hasattr(sknnbasics, name)],
    ]


@parametrize_with_checks(_public_estimators())
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_every_public_estimator_is_checked():
    from sklearn.base import BaseEstimator

    public = {name for name in sknnbasics.__all__
              if isinstance(getattr(sknnbasics, name), type)
              and issubclass(getattr(sknnbasics, name), BaseEstimator)}
    checked = {type(est).__name__ for est in _public_estimators()}
    assert public == checked
