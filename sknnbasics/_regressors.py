"""ShallowNetRegressor and DeepNetRegressor: the regression members of the
family (lecture §三 为什么需要非线性激活函数 (2), §二 平方误差).

When y is continuous the output layer may be linear, and when y is never
negative a ReLU output fits; the cost is the squared loss of §二,
J = (1/m) Σᵢ ½‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖², summed over the outputs. For counts,
``loss="poisson"`` (as MLPRegressor) predicts ŷ = e^z and minimises the half
Poisson deviance J = (1/m) Σᵢ Σₖ (yₖ log(yₖ/ŷₖ) − yₖ + ŷₖ). The hidden
layers, the training loop and every control are the classifiers' own.
"""

from sklearn.utils._param_validation import StrOptions

from ._base import _BaseGradientDescent
from ._base_regressor import _GDRegressorMixin
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

_OUT_ACTIVATION_CONSTRAINT = {
    "out_activation": [StrOptions({"identity", "relu"})],
    "loss": [StrOptions({"squared_error", "poisson"})],
}

_DOC_ARGUMENTS = dict(
    learning_rate=0.05,
    output="The output layer is set by ``out_activation``.",
    extra_parameters="""
    out_activation : {"identity", "relu"}, default="identity"
        g[L] with ``loss="squared_error"``: linear for any real target, ReLU
        for targets that are never negative (its predictions are never
        negative either). ``loss="poisson"`` sets g[L] = exp itself and needs
        the default "identity" here.
    loss : {"squared_error", "poisson"}, default="squared_error"
        ``"squared_error"``: J = (1/m) Σᵢ ½‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖² (§二). ``"poisson"``,
        for counts (y >= 0, refused otherwise): ŷ = e^z and the half Poisson
        deviance J = (1/m) Σᵢ Σₖ (yₖ log(yₖ/ŷₖ) − yₖ + ŷₖ), 0 for ŷ = y, as
        MLPRegressor(loss="poisson") (its ``loss_`` has the same value); exp
        is the Poisson's canonical link, so dZ[L] = A[L] − Y again.""",
    extra_attributes="""
    n_outputs_ : int
        Number of outputs (columns of y).""",
    mlp="MLPRegressor",
)
_DOC = network_doc(**_DOC_ARGUMENTS)
# DeepNetRegressor's two hidden layers overfit small data sets without an L2
# penalty (issue 13's measurements, in benchmarks/README.md)
_DEEP_DOC = network_doc(**_DOC_ARGUMENTS, alpha="3.0", alpha_note="""
        DeepNetRegressor's default is 3.0, where the other networks' is 0:
        without it, its two hidden layers of (64, 32) units overfit small
        data sets (R² 0.10 against MLPRegressor()'s 0.31 on the 331 training
        rows of ``load_diabetes``). The penalty is divided by m, so it fades
        as the data grow. Chosen as the lecture chooses hyperparameters: a
        range of values, 0 to 3, compared on held-out data
        (``benchmarks/README.md``). ``alpha=0`` is the lecture's network.""",
)


class ShallowNetRegressor(_GDRegressorMixin, _BaseGradientDescent):
    __doc__ = (
        """A regression network with one hidden layer; Adam by default, the
    lecture's gradient descent with ``solver="gd"`` or
    :func:`~sknnbasics.lecture`.

    Z[1] = W[1]X + b[1], A[1] = g(Z[1]), ŷ = A[2] = g[2](W[2]A[1] + b[2]) with
    g[2] the identity (or ReLU); J = (1/m)Σ ½‖ŷ − y‖², so dZ[2] = A[2] − Y and
    the rest of backward propagation is the classifiers'.
    ``ShallowNetRegressor(n_hidden=k)`` is exactly
    ``DeepNetRegressor(hidden_layer_sizes=(k,), alpha=0.0)``.

    Read more in the :ref:`User Guide <ug_shallow>`.

    Parameters
    ----------
    n_hidden : int, default=100
        n[1], the number of hidden units.
"""
        + _DOC
        + network_see_also(
            "DeepNetRegressor : The same network with any number of hidden "
            "layers.",
            "ShallowNetClassifier : The same network for classification.",
            "sklearn.neural_network.MLPRegressor : scikit-learn's network, "
            "with\n        stochastic solvers (sgd, adam) and L-BFGS.")
        + NETWORK_NOTES
        + """
    Examples
    --------
    >>> import numpy as np
    >>> from sknnbasics import ShallowNetRegressor, lecture
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-3, 3, size=(200, 1))
    >>> y = np.sin(X[:, 0]) + 0.1 * rng.standard_normal(200)
    >>> net = lecture(ShallowNetRegressor, n_hidden=8, learning_rate=0.1,
    ...               random_state=0)  # the lecture's gradient descent
    >>> net.fit(X, y).score(X, y) > 0.9
    True
    """
    )

    _parameter_constraints = {
        **NETWORK_CONSTRAINTS, **N_HIDDEN_CONSTRAINT, **_OUT_ACTIVATION_CONSTRAINT,
    }

    def __init__(
        self,
        n_hidden=100,
        *,
        activation="relu",
        out_activation="identity",
        loss="squared_error",
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
        warm_start=False,
        verbose=0,
        random_state=None,
    ):
        set_hyperparameters(self, locals())

    def _hidden_layer_sizes(self):
        return check_n_hidden(self.n_hidden)


class DeepNetRegressor(_GDRegressorMixin, _BaseGradientDescent):
    __doc__ = (
        """A regression network with any number of hidden layers (§四); Adam
    by default, the lecture's gradient descent with ``solver="gd"`` or
    :func:`~sknnbasics.lecture`.

    Read more in the :ref:`User Guide <ug_deep>`.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(64, 32)
        (n[1], …, n[L−1]), the widths of the hidden layers.
"""
        + _DEEP_DOC
        + network_see_also(
            "ShallowNetRegressor : The network with one hidden layer "
            "(``n_hidden``).",
            "DeepNetClassifier : The same network for classification.",
            "sklearn.neural_network.MLPRegressor : scikit-learn's network, "
            "with\n        stochastic solvers (sgd, adam) and L-BFGS.")
        + NETWORK_NOTES
        + """
    Examples
    --------
    >>> import numpy as np
    >>> from sknnbasics import DeepNetRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(200, 2))
    >>> Y = np.column_stack([X[:, 0] * X[:, 1], X[:, 0] ** 2])  # two outputs
    >>> net = DeepNetRegressor(hidden_layer_sizes=(16, 8), max_iter=1000,
    ...                        random_state=0)
    >>> net.fit(X, Y).predict(X[:3]).shape
    (3, 2)
    >>> net.n_iter_ < 1000  # converged: the cost stopped improving by tol
    True
    """
    )

    _parameter_constraints = {
        **NETWORK_CONSTRAINTS, **HIDDEN_LAYER_SIZES_CONSTRAINT,
        **_OUT_ACTIVATION_CONSTRAINT,
    }

    def __init__(
        self,
        hidden_layer_sizes=(64, 32),
        *,
        activation="relu",
        out_activation="identity",
        loss="squared_error",
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
        alpha=3.0,
        batch_size="auto",
        shuffle=True,
        early_stopping=False,
        early_stopping_metric="loss",
        validation_fraction=0.1,
        warm_start=False,
        verbose=0,
        random_state=None,
    ):
        set_hyperparameters(self, locals())

    def _hidden_layer_sizes(self):
        return check_hidden_layer_sizes(self.hidden_layer_sizes)
