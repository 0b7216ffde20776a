"""scikit-learn's own estimator checks over every public estimator, with no
expected failures (SCIPY_ARRAY_API=1 is set by the root conftest.py)."""

from sklearn.utils.estimator_checks import parametrize_with_checks

import sknnbasics
from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    ImageVectorizer,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)


def _public_estimators():
    return [
        LogisticGD(),
        ShallowNetClassifier(),
        DeepNetClassifier(hidden_layer_sizes=(8, 4)),
        ShallowNetRegressor(),
        # Adam at 0.001 takes 200 small steps on check_regressors_train's
        # unscaled target (std ≈ 42); the narrow and the ReLU-output networks
        # need a larger step to reach its R² > 0.5 in 200 epochs
        DeepNetRegressor(hidden_layer_sizes=(8, 4), learning_rate=0.01),
        ShallowNetRegressor(out_activation="relu", learning_rate=0.01),
        ImageVectorizer(),
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
