"""The lecture's gradient descent, one argument away from the defaults.

The networks default to MLPClassifier's recipe (Adam on mini-batches of 200,
ReLU, 200 epochs, tol=1e-4). The tests about the lecture's algorithm, and the
exactness tests against a plain transcription of it, build their networks with
:func:`lecture`: full-batch gradient descent at the lecture-sized α (0.5 for
classifiers, 0.05 for regressors), tanh, n[1] = 4 or (20, 7, 5) hidden units,
2000 iterations, tol=1e-5, init="xavier" and alpha=0 (the networks'
defaults before issue 13). Every
hyperparameter a test gives explicitly wins.
"""

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    ShallowNetClassifier,
    ShallowNetRegressor,
)

LECTURE = dict(solver="gd", batch_size=None, max_iter=2000, tol=1e-5,
               activation="tanh", init="xavier", alpha=0.0)

SETTINGS = {
    ShallowNetClassifier: dict(LECTURE, learning_rate=0.5, n_hidden=4),
    DeepNetClassifier: dict(LECTURE, learning_rate=0.5,
                            hidden_layer_sizes=(20, 7, 5)),
    ShallowNetRegressor: dict(LECTURE, learning_rate=0.05, n_hidden=4),
    DeepNetRegressor: dict(LECTURE, learning_rate=0.05,
                           hidden_layer_sizes=(20, 7, 5)),
}


def lecture(Estimator, *args, **params):
    """``Estimator(*args, **params)`` with the lecture's settings for every
    network hyperparameter not given (other estimators: unchanged)."""
    settings = dict(SETTINGS.get(Estimator, {}))
    if args:  # the first positional argument is n_hidden / hidden_layer_sizes
        settings.pop("n_hidden", None)
        settings.pop("hidden_layer_sizes", None)
    return Estimator(*args, **{**settings, **params})
