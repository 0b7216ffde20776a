"""ShallowNetClassifier and DeepNetClassifier: two front doors on one network
(lecture §三 浅层神经网络, §四 深层神经网络)."""

from numbers import Integral

from sklearn.utils._param_validation import Interval

from ._base import (
    _CLASSIFIER_CONSTRAINTS,
    _NETWORK_CONSTRAINTS,
    _BaseGradientDescent,
    _GDClassifierMixin,
)

_SHARED_DOC = """
    activation : {"sigmoid", "tanh", "relu", "leaky_relu", "identity"}, \
default="tanh"
        g of the hidden layers (§三 激活函数). The output layer is a sigmoid
        unit for two classes and a softmax with one unit per class otherwise.
    negative_slope : float, default=0.01
        The slope of Leaky ReLU for z < 0 (the lecture's 0.01).
    learning_rate : float, default=0.5
        α.
    max_iter : int, default=2000
        N, the number of iterations (epochs when ``batch_size`` is set).
    tol : float or None, default=1e-4
        Stop once the cost has not improved by at least ``tol`` for
        ``n_iter_no_change`` consecutive iterations; ``None`` runs exactly
        ``max_iter`` iterations.
    n_iter_no_change : int, default=10
        See ``tol``.
    init : {"random", "zeros", "xavier", "he"}, default="xavier"
        How W[l] starts (b[l] starts at 0): ``"random"`` is N(0,1)·init_scale
        (the lecture's ``randn * 0.01``), ``"zeros"`` the lecture's
        counter-example (every hidden unit stays the same), ``"xavier"``
        N(0,1)/√n[l−1], ``"he"`` N(0,1)·√(2/n[l−1]).
    init_scale : float, default=0.01
        The scale of ``init="random"``.
    alpha : float, default=0.0
        L2 penalty: J + (alpha/2m)·Σ‖W[l]‖² (biases are not penalised).
    batch_size : int or None, default=None
        None: full batch (the lecture). An int: mini-batches reshuffled each
        epoch from ``random_state``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified), stop on its
        cost, and restore the weights with the lowest validation cost.
    validation_fraction : float, default=0.1
        Share held out when ``early_stopping=True``.
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into the sample weights.
    warm_start : bool, default=False
        Continue from the current ``coefs_``/``intercepts_`` (also ones you
        assigned) on the next ``fit`` when their shapes fit.
    verbose : int, default=0
        Print the iteration and cost every ``verbose`` iterations.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, shuffles and validation split.

    Attributes
    ----------
    coefs_ : list of ndarray
        ``coefs_[l-1]`` is W[l]ᵀ, shape (n[l−1], n[l]): the layout of
        scikit-learn's MLPClassifier, so weights move freely between the two.
    intercepts_ : list of ndarray
        ``intercepts_[l-1]`` is b[l] flattened, shape (n[l],).
    parameters_ : dict
        The lecture's parameters ``{"W1": (n[1], n[0]), "b1": (n[1], 1), …}``
        (views of ``coefs_`` and ``intercepts_``); ``get_params()`` holds the
        hyperparameters (§五).
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    loss_curve_ : list of float
        J at each iteration, before that iteration's update.
    validation_loss_curve_ : list of float
        Validation cost at each iteration (only with ``early_stopping=True``).
    best_loss_ : float
        The lowest monitored cost.
    n_iter_ : int
        Iterations run.
    n_layers_ : int
        Layers including the input layer: L + 1.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names seen during fit, when X has string column names.
"""


class _NetworkClassifier(_GDClassifierMixin, _BaseGradientDescent):
    _parameter_constraints = {
        **_BaseGradientDescent._parameter_constraints,
        **_NETWORK_CONSTRAINTS,
        **_CLASSIFIER_CONSTRAINTS,
    }

    def _set_shared(self, *, activation, negative_slope, learning_rate, max_iter,
                    tol, n_iter_no_change, init, init_scale, alpha, batch_size,
                    early_stopping, validation_fraction, class_weight, warm_start,
                    verbose, random_state):
        self.activation = activation
        self.negative_slope = negative_slope
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.init = init
        self.init_scale = init_scale
        self.alpha = alpha
        self.batch_size = batch_size
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.verbose = verbose
        self.random_state = random_state


class ShallowNetClassifier(_NetworkClassifier):
    __doc__ = (
        """A network with one hidden layer, trained by gradient descent (§三).

    Forward propagation Z[1] = W[1]X + b[1], A[1] = g(Z[1]),
    Z[2] = W[2]A[1] + b[2], A[2] = σ(Z[2]); backward propagation
    dZ[2] = A[2] − Y, dW[2] = (1/m)dZ[2]A[1]ᵀ, db[2] = (1/m)Σ dZ[2],
    dZ[1] = W[2]ᵀdZ[2] ∗ g′(Z[1]), dW[1] = (1/m)dZ[1]Xᵀ, db[1] = (1/m)Σ dZ[1].
    ``ShallowNetClassifier(n_hidden=k)`` is exactly
    ``DeepNetClassifier(hidden_layer_sizes=(k,))``.

    Parameters
    ----------
    n_hidden : int, default=4
        n[1], the number of hidden units.
"""
        + _SHARED_DOC
        + """
    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from sknnbasics import ShallowNetClassifier
    >>> X, y = make_moons(n_samples=200, noise=0.1, random_state=0)
    >>> net = ShallowNetClassifier(n_hidden=4, random_state=0).fit(X, y)
    >>> net.parameters_["W1"].shape, net.parameters_["b2"].shape
    ((4, 2), (1, 1))
    >>> net.score(X, y) > 0.95
    True
    """
    )

    _parameter_constraints = {
        **_NetworkClassifier._parameter_constraints,
        "n_hidden": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, n_hidden=4, *, activation="tanh", negative_slope=0.01,
                 learning_rate=0.5, max_iter=2000, tol=1e-4, n_iter_no_change=10,
                 init="xavier", init_scale=0.01, alpha=0.0, batch_size=None,
                 early_stopping=False, validation_fraction=0.1, class_weight=None,
                 warm_start=False, verbose=0, random_state=None):
        self.n_hidden = n_hidden
        self._set_shared(
            activation=activation, negative_slope=negative_slope,
            learning_rate=learning_rate, max_iter=max_iter, tol=tol,
            n_iter_no_change=n_iter_no_change, init=init, init_scale=init_scale,
            alpha=alpha, batch_size=batch_size, early_stopping=early_stopping,
            validation_fraction=validation_fraction, class_weight=class_weight,
            warm_start=warm_start, verbose=verbose, random_state=random_state)

    def _hidden_layer_sizes(self):
        return (self.n_hidden,)


class DeepNetClassifier(_NetworkClassifier):
    __doc__ = (
        """A network with any number of hidden layers, trained by gradient
    descent (§四).

    Forward propagation Z[l] = W[l]A[l−1] + b[l], A[l] = g(Z[l]) for the
    hidden layers, A[L] = σ(Z[L]) or softmax at the output; backward propagation
    dZ[L] = A[L] − Y, dW[l] = (1/m)dZ[l]A[l−1]ᵀ, db[l] = (1/m)Σ dZ[l],
    dZ[l−1] = W[l]ᵀdZ[l] ∗ g′(Z[l−1]).

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(20, 7, 5)
        (n[1], …, n[L−1]), the widths of the hidden layers.
"""
        + _SHARED_DOC
        + """
    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from sknnbasics import DeepNetClassifier
    >>> X, y = make_circles(n_samples=200, noise=0.05, factor=0.5, random_state=0)
    >>> net = DeepNetClassifier(hidden_layer_sizes=(8, 4), random_state=0)
    >>> net.fit(X, y).n_layers_
    4
    >>> [W.shape for W in net.coefs_]
    [(2, 8), (8, 4), (4, 1)]
    >>> net.score(X, y) > 0.95
    True
    """
    )

    _parameter_constraints = {
        **_NetworkClassifier._parameter_constraints,
        "hidden_layer_sizes": ["array-like"],
    }

    def __init__(self, hidden_layer_sizes=(20, 7, 5), *, activation="tanh",
                 negative_slope=0.01, learning_rate=0.5, max_iter=2000, tol=1e-4,
                 n_iter_no_change=10, init="xavier", init_scale=0.01, alpha=0.0,
                 batch_size=None, early_stopping=False, validation_fraction=0.1,
                 class_weight=None, warm_start=False, verbose=0, random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self._set_shared(
            activation=activation, negative_slope=negative_slope,
            learning_rate=learning_rate, max_iter=max_iter, tol=tol,
            n_iter_no_change=n_iter_no_change, init=init, init_scale=init_scale,
            alpha=alpha, batch_size=batch_size, early_stopping=early_stopping,
            validation_fraction=validation_fraction, class_weight=class_weight,
            warm_start=warm_start, verbose=verbose, random_state=random_state)

    def _hidden_layer_sizes(self):
        return _check_hidden_layer_sizes(self.hidden_layer_sizes)


def _check_hidden_layer_sizes(hidden_layer_sizes):
    """The widths as a tuple of positive ints, or a ValueError that says why."""
    sizes = (hidden_layer_sizes,) if isinstance(hidden_layer_sizes, Integral) \
        else tuple(hidden_layer_sizes)
    if not all(isinstance(n, Integral) and not isinstance(n, bool) and n >= 1
               for n in sizes):
        raise ValueError(
            f"hidden_layer_sizes must be a sequence of positive ints, one width "
            f"per hidden layer, e.g. (20, 7, 5); got {hidden_layer_sizes!r}."
        )
    return sizes
