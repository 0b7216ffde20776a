"""The lecture's algorithm, asked for by name.

The estimators' defaults serve users: the networks train as MLPClassifier
does (Adam on mini-batches of 200, Glorot's initial weights, ReLU, stopping on
``tol``). Every page, example and test that shows the *lecture* builds its
estimator through :func:`lecture`, which sets every hyperparameter that
shapes training (all but ``random_state`` and ``verbose``) to the lecture's
choice, so a change of the defaults never reaches a lecture page.
"""

from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._logistic import LogisticGD
from ._regressors import DeepNetRegressor, ShallowNetRegressor

# The algorithm (§二 梯度下降, §三 随机初始化): W := W − α·dW on the whole
# training set, N = max_iter iterations exactly (no stopping rule), no
# momentum, no penalty, W[l] = randn · 0.01 and b[l] = 0. The entries that
# only another solver reads (Adam's betas, L-BFGS's max_fun, the stopping
# and early-stopping controls) are pinned too, so that nothing in a lecture
# estimator is left to a default.
_ALGORITHM = dict(
    solver="gd",
    batch_size=None,
    learning_rate_schedule="constant",
    power_t=0.5,
    momentum=0.0,
    nesterovs_momentum=False,
    beta_1=0.9,
    beta_2=0.999,
    epsilon=1e-8,
    max_iter=2000,
    max_fun=15000,
    tol=None,
    n_iter_no_change=10,
    alpha=0.0,
    shuffle=False,
    early_stopping=False,
    early_stopping_metric="loss",
    validation_fraction=0.1,
    warm_start=False,
)

# The model (§三 激活函数, 神经网络表示): tanh hidden units (better than
# sigmoid for hidden layers, §三 激活函数比较), Leaky ReLU's slope 0.01, the
# lecture's 4 hidden units, the course's (20, 7, 5) deep network.
_NETWORK = dict(_ALGORITHM, activation="tanh", negative_slope=0.01,
                init="random", init_scale=0.01)
_CLASSIFIER = dict(_NETWORK, learning_rate=0.5, class_weight=None)
_REGRESSOR = dict(_NETWORK, learning_rate=0.05, out_activation="identity",
                  loss="squared_error")

LECTURE_SETTINGS = {
    # logistic regression starts from w = 0, b = 0 (its cost is convex: no
    # symmetry to break) and takes α = 1/(a bound on J's curvature), the
    # largest step at which gradient descent cannot overshoot
    LogisticGD: dict(_ALGORITHM, learning_rate="auto", class_weight=None),
    ShallowNetClassifier: dict(_CLASSIFIER, n_hidden=4),
    # the course's deep networks scale randn by 1/√n[l−1] (init="xavier"):
    # randn · 0.01 through three tanh layers leaves dW[1] ~1e-6 · dW[L]
    DeepNetClassifier: dict(_CLASSIFIER, hidden_layer_sizes=(20, 7, 5),
                            init="xavier"),
    ShallowNetRegressor: dict(_REGRESSOR, n_hidden=4),
    DeepNetRegressor: dict(_REGRESSOR, hidden_layer_sizes=(20, 7, 5),
                           init="xavier"),
}

# not part of the algorithm: which draw, and how much is printed
NOT_PINNED = ("random_state", "verbose")


def lecture(estimator, **hyperparameters):
    r"""Build ``estimator`` with the lecture's algorithm.

    The estimators' defaults are MLPClassifier's (Adam, mini-batches, Glorot's
    weights); this returns one that runs the lecture's gradient descent
    exactly:

    - W[l] := W[l] − α·dW[l], b[l] := b[l] − α·db[l] on all m samples at once
      (``solver="gd"``, ``batch_size=None``, no momentum, no penalty);
    - N = ``max_iter`` = 2000 iterations, exactly (``tol=None``);
    - W[l] = randn · 0.01, b[l] = 0 (``init="random"``, ``init_scale=0.01``;
      the deep networks: the course's deep scaling randn / √n[l−1],
      ``init="xavier"``; :class:`LogisticGD` starts from w = 0, b = 0);
    - tanh hidden units, 4 of them (:class:`ShallowNetClassifier`) or the
      course's (20, 7, 5) (:class:`DeepNetClassifier`); α = 0.5 for the
      classifiers, 0.05 for the regressors, ``"auto"`` (1/curvature bound)
      for LogisticGD.

    Every hyperparameter but ``random_state`` and ``verbose`` is set, so no
    default of the estimator reaches the result. Those given here win: the
    lecture's hyperparameters (α, N, L and n[l], g, the initialisation) are
    yours to choose.

    Parameters
    ----------
    estimator : class
        One of :class:`LogisticGD`, :class:`ShallowNetClassifier`,
        :class:`DeepNetClassifier`, :class:`ShallowNetRegressor`,
        :class:`DeepNetRegressor`.
    **hyperparameters
        Any of the estimator's hyperparameters, overriding the lecture's.

    Returns
    -------
    estimator : instance of ``estimator``
        Unfitted; ``get_params()`` shows every setting.

    Examples
    --------
    >>> from sknnbasics import ShallowNetClassifier, lecture
    >>> net = lecture(ShallowNetClassifier, learning_rate=1.2, random_state=0)
    >>> params = net.get_params()
    >>> params["solver"], params["batch_size"], params["init"], params["tol"]
    ('gd', None, 'random', None)
    >>> params["n_hidden"], params["activation"], params["learning_rate"]
    (4, 'tanh', 1.2)
    """
    settings = LECTURE_SETTINGS.get(estimator)
    if settings is None:
        allowed = ", ".join(cls.__name__ for cls in LECTURE_SETTINGS)
        given = (f"an instance of {type(estimator).__name__}"
                 if not isinstance(estimator, type) else estimator.__name__)
        raise TypeError(
            f"lecture() takes one of the estimator classes {allowed}; got "
            f"{given}. Pass the class itself, e.g. lecture(ShallowNetClassifier, "
            f"n_hidden=4), and give hyperparameters as keywords."
        )
    known = estimator().get_params(deep=False)
    unknown = sorted(set(hyperparameters) - set(known))
    if unknown:
        raise TypeError(
            f"{estimator.__name__} has no hyperparameter {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(known))}."
        )
    return estimator(**{**settings, **hyperparameters})
