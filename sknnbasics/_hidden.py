"""The activations A[l] of a hidden layer, as a scikit-learn transformer (§三, §四).

A trained network's hidden layer is a learned change of features: the
output layer is a logistic regression (one sigmoid or softmax unit per class)
on A[L-1]. :class:`HiddenLayerTransformer` hands A[l] on, one row per sample,
to whatever comes next in a Pipeline.
"""

from numbers import Integral

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    MetaEstimatorMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.frozen import FrozenEstimator
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from ._array_api import asnumpy
from ._classifiers import ShallowNetClassifier
from ._network import forward_propagation
from ._persistence import VersionedPickleMixin
from ._step import _check_estimator


def hidden_activations(X, parameters, hidden, layer):
    """A[layer] of the network ``parameters`` for X = A[0], (n_x, m).

    The first ``layer`` layers of a network are a network of their own whose
    last activation is the hidden g: :func:`forward_propagation` on W[1],
    b[1], …, W[layer], b[layer], with g as its output layer. (n[layer], m).
    """
    first = {name: value for name, value in parameters.items()
             if int(name[1:]) <= layer}
    return forward_propagation(X, first, hidden, output=hidden)[f"A{layer}"]


class HiddenLayerTransformer(VersionedPickleMixin, ClassNamePrefixFeaturesOutMixin,
                             TransformerMixin, MetaEstimatorMixin, BaseEstimator):
    r"""The activations A[l] of a network's hidden layer, as new features.

    ``fit`` trains a clone of ``estimator`` on (X, y); ``transform`` runs its
    forward propagation up to layer l,

    .. math:: Z^{[k]} = W^{[k]} A^{[k-1]} + b^{[k]}, \quad
              A^{[k]} = g(Z^{[k]}), \qquad k = 1, \dots, l,

    and returns :math:`A^{[l]T}`, one row per sample and one column per unit
    of layer l: the features the network learned, for a linear model, PCA or
    a plot. To use a network trained already, wrap it in
    :class:`sklearn.frozen.FrozenEstimator`: it is then used as it is.

    A transformer of its own rather than a ``transform`` method on the
    networks: a classifier with ``transform`` becomes a transformer to
    scikit-learn (its estimator checks, ``fit_transform`` in a Pipeline),
    and a transformer says which layer it hands on in its parameters,
    where grid searches and ``get_params`` see it.

    Parameters
    ----------
    estimator : estimator instance, default=None
        The network whose hidden layer is read: a ShallowNetClassifier,
        DeepNetClassifier, ShallowNetRegressor or DeepNetRegressor, or a
        FrozenEstimator of a fitted one; None: ``ShallowNetClassifier()``.
    layer : int, default=1
        l, the hidden layer: 1 … L−1 (1 is the only one of a shallow
        network).

    Attributes
    ----------
    estimator_ : estimator
        The fitted network (``estimator`` itself when frozen).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names seen during fit, when X has string column names.

    See Also
    --------
    one_iteration : Every Z[l] and A[l] of one pass, in the lecture's
        orientation.

    Notes
    -----
    scikit-learn's ``MLPClassifier`` offers no hidden activations (issues
    #8291 and #9468 asked; the answer was to compute them from ``coefs_``
    and ``intercepts_``, which is what this does, with the network's own
    activation).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sknnbasics import HiddenLayerTransformer, ShallowNetClassifier, lecture
    >>> from sknnbasics.datasets import make_flower
    >>> X, y = make_flower(n_samples=400, random_state=0)
    >>> net = lecture(ShallowNetClassifier, random_state=0)
    >>> hidden = HiddenLayerTransformer(net, layer=1).fit(X, y)
    >>> hidden.transform(X).shape     # A[1]ᵀ: 4 tanh units per sample
    (400, 4)
    >>> model = make_pipeline(HiddenLayerTransformer(net),
    ...                       LogisticRegression()).fit(X, y)
    >>> model.score(X, y) > 0.85
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"]), None],
        "layer": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, estimator=None, *, layer=1):
        self.estimator = estimator
        self.layer = layer

    def _network(self, estimator):
        """The sknnbasics network inside ``estimator`` (a FrozenEstimator's
        own), checked to have hidden layer ``layer``."""
        network = (estimator.estimator if isinstance(estimator, FrozenEstimator)
                   else estimator)
        _check_estimator(network, type(self).__name__)
        L = len(network._hidden_layer_sizes()) + 1
        if self.layer > L - 1:
            raise ValueError(
                f"{type(network).__name__} has "
                + (f"{L - 1} hidden layer{'s' if L > 2 else ''} (1 … {L - 1})"
                   if L > 1 else
                   "no hidden layer (logistic regression: L = 1)")
                + f", so it has no hidden layer layer={self.layer}."
            )
        return network

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Train a clone of ``estimator`` on (X, y) (a frozen one: not at all).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Labels or targets of the network.
        **fit_params : dict
            Passed to the network's ``fit`` (``sample_weight``).

        Returns
        -------
        self : object
            The fitted transformer.
        """
        estimator = ShallowNetClassifier() if self.estimator is None \
            else self.estimator
        self._network(estimator)  # before the training: a clear error
        validate_data(self, X, accept_sparse="csr", dtype=None,
                      ensure_all_finite=False)
        self.estimator_ = clone(estimator).fit(X, y, **fit_params)
        network = self._network(self.estimator_)
        if network.n_features_in_ != self.n_features_in_:
            raise ValueError(
                f"The network was fitted on {network.n_features_in_} features, "
                f"but X has {self.n_features_in_}."
            )
        self._n_features_out = network._hidden_layer_sizes()[self.layer - 1]
        return self

    def transform(self, X):
        """A[l]ᵀ: the activations of hidden layer ``layer``, a row per sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        A : ndarray of shape (n_samples, n[l])
            g(Z[l]) for each sample, in the dtype of the network's weights
            (or of X, if wider).
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False,
                          dtype=(np.float64, np.float32))
        network = self._network(self.estimator_)
        parameters = {name: asnumpy(value)
                      for name, value in network._get_parameters().items()}
        with np.errstate(over="ignore"):  # ±inf is saturated by tanh, sigmoid
            A = hidden_activations(X.T, parameters, network._hidden_activation(),
                                   self.layer)
        return np.ascontiguousarray(A.T)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = True
        return tags
