"""ShallowNetClassifier and DeepNetClassifier: two front doors on one network
(lecture §三 浅层神经网络, §四 深层神经网络)."""

from ._base import _BaseGradientDescent
from ._base_classifier import _CLASSIFIER_CONSTRAINTS, _GDClassifierMixin
from ._network_params import (
    HIDDEN_LAYER_SIZES_CONSTRAINT,
    N_HIDDEN_CONSTRAINT,
    NETWORK_CONSTRAINTS,
    NETWORK_NOTES,
    check_hidden_layer_sizes,
    check_n_hidden,
    network_doc,
    network_see_also,
    set_hyperparameters,
)

_DOC = network_doc(
    learning_rate=0.5,
    output="The output layer is a sigmoid unit for two classes, a softmax "
    "with one unit per class for more, and one sigmoid unit per label for a "
    "multilabel y (a 0/1 indicator matrix, as MLPClassifier), whose cost "
    "sums the labels' cross-entropies.",
    extra_parameters="""
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into the sample weights.""",
    extra_attributes="""
    classes_ : ndarray of shape (n_classes,)
        The class labels; ``np.arange(n_labels)`` for a multilabel y.""",
    mlp="MLPClassifier",
)


class ShallowNetClassifier(_GDClassifierMixin, _BaseGradientDescent):
    __doc__ = (
        """A network with one hidden layer (§三); Adam by default, the lecture's
    gradient descent with ``solver="gd"`` or :func:`~sknnbasics.lecture`.

    Forward propagation Z[1] = W[1]X + b[1], A[1] = g(Z[1]),
    Z[2] = W[2]A[1] + b[2], A[2] = σ(Z[2]); backward propagation
    dZ[2] = A[2] − Y, dW[2] = (1/m)dZ[2]A[1]ᵀ, db[2] = (1/m)Σ dZ[2],
    dZ[1] = W[2]ᵀdZ[2] ∗ g′(Z[1]), dW[1] = (1/m)dZ[1]Xᵀ, db[1] = (1/m)Σ dZ[1].
    ``ShallowNetClassifier(n_hidden=k)`` is exactly
    ``DeepNetClassifier(hidden_layer_sizes=(k,))``.

    Read more in the :ref:`User Guide <ug_shallow>`.

    Parameters
    ----------
    n_hidden : int, default=100
        n[1], the number of hidden units.
"""
        + _DOC
        + network_see_also(
            "DeepNetClassifier : The same network with any number of hidden "
            "layers.",
            "ShallowNetRegressor : The same network for regression.",
            "sklearn.neural_network.MLPClassifier : scikit-learn's network, "
            "with\n        stochastic solvers (sgd, adam) and L-BFGS.")
        + NETWORK_NOTES
        + """
    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from sknnbasics import ShallowNetClassifier, lecture
    >>> X, y = make_moons(n_samples=200, noise=0.1, random_state=0)
    >>> # the lecture's gradient descent (the default solver is Adam)
    >>> net = lecture(ShallowNetClassifier, n_hidden=4, learning_rate=1.2,
    ...               random_state=0).fit(X, y)
    >>> net.parameters_["W1"].shape, net.parameters_["b2"].shape
    ((4, 2), (1, 1))
    >>> net.score(X, y) > 0.95
    True
    """
    )

    _parameter_constraints = {
        **NETWORK_CONSTRAINTS, **_CLASSIFIER_CONSTRAINTS, **N_HIDDEN_CONSTRAINT,
    }

    def __init__(
        self,
        n_hidden=100,
        *,
        activation="relu",
        negative_slope=0.01,
        solver="adam",
        learning_rate="auto",
        learning_rate_schedule="constant",
        power_t=0.5,
        momentum=0.0,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        max_iter=200,
        max_fun=15000,
        tol=1e-4,
        n_iter_no_change=10,
        init="glorot",
        init_scale=0.01,
        alpha=0.0,
        batch_size="auto",
        shuffle=True,
        early_stopping=False,
        early_stopping_metric="loss",
        validation_fraction=0.1,
        class_weight=None,
        warm_start=False,
        verbose=0,
        random_state=None,
    ):
        set_hyperparameters(self, locals())

    def _hidden_layer_sizes(self):
        return check_n_hidden(self.n_hidden)


class DeepNetClassifier(_GDClassifierMixin, _BaseGradientDescent):
    __doc__ = (
        """A network with any number of hidden layers (§四); Adam by default,
    the lecture's gradient descent with ``solver="gd"`` or
    :func:`~sknnbasics.lecture`.

    Forward propagation Z[l] = W[l]A[l−1] + b[l], A[l] = g(Z[l]) for the
    hidden layers, A[L] = σ(Z[L]) or softmax at the output; backward propagation
    dZ[L] = A[L] − Y, dW[l] = (1/m)dZ[l]A[l−1]ᵀ, db[l] = (1/m)Σ dZ[l],
    dZ[l−1] = W[l]ᵀdZ[l] ∗ g′(Z[l−1]).

    Read more in the :ref:`User Guide <ug_deep>`.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64, 32)
        (n[1], …, n[L−1]), the widths of the hidden layers.
"""
        + _DOC
        + network_see_also(
            "ShallowNetClassifier : The network with one hidden layer "
            "(``n_hidden``).",
            "DeepNetRegressor : The same network for regression.",
            "sklearn.neural_network.MLPClassifier : scikit-learn's network, "
            "with\n        stochastic solvers (sgd, adam) and L-BFGS.")
        + NETWORK_NOTES
        + """
    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from sknnbasics import DeepNetClassifier, lecture
    >>> X, y = make_circles(n_samples=200, noise=0.05, factor=0.5, random_state=0)
    >>> net = lecture(DeepNetClassifier, hidden_layer_sizes=(8, 4),
    ...               random_state=0)  # the lecture's gradient descent
    >>> net.fit(X, y).n_layers_
    4
    >>> [W.shape for W in net.coefs_]
    [(2, 8), (8, 4), (4, 1)]
    >>> net.score(X, y) > 0.95
    True
    """
    )

    _parameter_constraints = {
        **NETWORK_CONSTRAINTS, **_CLASSIFIER_CONSTRAINTS,
        **HIDDEN_LAYER_SIZES_CONSTRAINT,
    }

    def __init__(
        self,
        hidden_layer_sizes=(64, 32),
        *,
        activation="relu",
        negative_slope=0.01,
        solver="adam",
        learning_rate="auto",
        learning_rate_schedule="constant",
        power_t=0.5,
        momentum=0.0,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        max_iter=200,
        max_fun=15000,
        tol=1e-4,
        n_iter_no_change=10,
        init="glorot",
        init_scale=0.01,
        alpha=0.0,
        batch_size="auto",
        shuffle=True,
        early_stopping=False,
        early_stopping_metric="loss",
        validation_fraction=0.1,
        class_weight=None,
        warm_start=False,
        verbose=0,
        random_state=None,
    ):
        set_hyperparameters(self, locals())

    def _hidden_layer_sizes(self):
        return check_hidden_layer_sizes(self.hidden_layer_sizes)
