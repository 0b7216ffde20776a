"""LogisticGD: logistic regression, the lecture's gradient descent by default
(lecture §二)."""

import math
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import Interval, StrOptions

from ._activations import get_activation
from ._array_api import namespace
from ._base import _BaseGradientDescent, _flat
from ._base_classifier import _CLASSIFIER_CONSTRAINTS, _GDClassifierMixin
from ._network_params import set_hyperparameters


def _weighted_mean(values, sample_weight):
    """Σ sᵢ vᵢ / Σ sᵢ over the rows of positive weight (a row of weight 0
    takes no part, even where its vᵢ overflowed to inf), the weights divided
    by their largest first so that neither sum overflows on their account."""
    if sample_weight is None:
        return np.mean(values)
    positive = sample_weight > 0
    weights = sample_weight[positive] / np.max(sample_weight)
    return np.average(values[positive], weights=weights)


class LogisticGD(_GDClassifierMixin, _BaseGradientDescent):
    r"""Logistic regression trained by full-batch gradient descent (the default solver).

    The lecture's model (§二): one sigmoid unit, ŷ = σ(wᵀx + b), with w and b
    starting at zero, cost J = mean cross-entropy, and the updates
    w := w − α·dw, b := b − α·db where dw = (1/m)·X(A − Y)ᵀ, db = mean(A − Y).
    It is a network with no hidden layer (§二 总结: "仅含有一个神经元的单层的神经
    网络"), so it runs on the same core as the networks. With more than two
    classes the output is a softmax with one unit per class (§一(C)). By
    default training stops once J stalls (``tol``); :func:`~sknnbasics.lecture`
    runs the lecture's exactly N = ``max_iter`` iterations.

    Read more in the :ref:`User Guide <ug_logistic>`.

    Parameters
    ----------
    solver : {"gd", "adam", "lbfgs"}, default="gd"
        The update rule (see :ref:`beyond_gd`): the lecture's gradient
        descent (with ``momentum`` if given), Adam, or scipy's L-BFGS-B on the
        same J and gradients (full batch; no ``partial_fit``, no
        ``early_stopping``).
    learning_rate : float or "auto", default="auto"
        α, the lecture's learning rate (学习率), the step of every update; not
        scikit-learn's ``alpha``, which is the L2 penalty λ below. ``"auto"``
        computes one constant α = 1/H from the data before training, where H
        bounds the curvature of J (the largest eigenvalue of its Hessian):
        H = ¼·mean‖x̃‖² for two classes and for one sigmoid unit per label
        (multilabel), ½·mean‖x̃‖² for softmax, plus
        λ/m, with x̃ = (x, 1) and the mean weighted by ``sample_weight``.
        With that step the cost of this convex problem never increases (§二
        总结: 成本函数是一个凸函数), on standardised or raw features alike. The
        value used is ``learning_rate_``. With ``solver="adam"``, ``"auto"`` is
        0.001 (MLPClassifier's ``learning_rate_init``); a numeric α ≥ 0.1
        with Adam warns at fit (Adam moves every weight by about α per update).
    learning_rate_schedule : {"constant", "invscaling", "adaptive"}, default="constant"
        How α changes during training (MLPClassifier's ``learning_rate``):
        kept, α/(t + 1)^power_t after every iteration (t: samples so far), or
        divided by 5 when the cost stalls for ``n_iter_no_change`` iterations.
    power_t : float, default=0.5
        The exponent of ``"invscaling"``.
    momentum : float, default=0.0
        μ for ``solver="gd"``: v := μ·v − α·dw, w := w + v (0: the lecture's
        rule).
    nesterovs_momentum : bool, default=True
        With ``momentum > 0``: Nesterov's momentum, w := w + μ·v − α·dw.
    beta_1 : float, default=0.9
        Adam's β₁.
    beta_2 : float, default=0.999
        Adam's β₂.
    epsilon : float, default=1e-08
        Adam's ε.
    max_iter : int, default=1000
        N, the number of iterations (epochs when ``batch_size`` is set;
        L-BFGS iterations with ``solver="lbfgs"``).
    max_fun : int, default=15000
        With ``solver="lbfgs"``: the most evaluations of J.
    tol : float or None, default=1e-4
        Stop once the cost has not improved by at least ``tol`` for
        ``n_iter_no_change`` consecutive iterations. ``None`` runs exactly
        ``max_iter`` iterations. With ``solver="lbfgs"``: L-BFGS's ``gtol``.
    n_iter_no_change : int or np.inf, default=10
        See ``tol``; ``np.inf`` never stops on a stall (as MLPClassifier).
    alpha : float, default=0.0
        λ, the L2 penalty: J + (λ/2m)·‖w‖² (the bias is not penalised).
        scikit-learn's name for it (as in MLPClassifier); the
        lecture's α, the learning rate, is ``learning_rate``.
    batch_size : int, "auto" or None, default=None
        None: the lecture's full batch. An int: mini-batch gradient descent,
        reshuffled every epoch from ``random_state`` when ``shuffle``.
        ``"auto"``: min(200, m) with ``solver="adam"`` (MLPClassifier's), the
        full batch otherwise.
    shuffle : bool, default=True
        Reshuffle the mini-batches every epoch; ``False`` keeps the data's
        order.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified), monitor its
        cost instead of the training cost, and restore the weights with the
        lowest validation cost at the end.
    early_stopping_metric : {"loss", "score"}, default="loss"
        Monitor the held-out cost, or the held-out accuracy (as MLPClassifier).
    validation_fraction : float, default=0.1
        Share of the data held out when ``early_stopping=True``.
    class_weight : dict, "balanced" or None, default=None
        Weights per class, multiplied into the sample weights.
    warm_start : bool, default=False
        Continue from the current ``coef_``/``intercept_`` on the next ``fit``.
    verbose : int, default=0
        Any value but 0 prints a line after every iteration (its number and
        cost J, and the held-out cost and score with ``early_stopping``), then
        one line that says why training stopped; 0 prints nothing.
    random_state : int, RandomState instance or None, default=None
        Seeds the mini-batch shuffles and the validation split (the weights
        themselves start at zero).

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        wᵀ (the lecture's W[1]).
    intercept_ : ndarray of shape (1,) or (n_classes,)
        b.
    parameters_ : dict
        The lecture's parameters ``{"W1": coef_, "b1": intercept_ as a
        column}`` (views); ``get_params()`` holds the hyperparameters (§五).
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    learning_rate_ : float
        The α used.
    loss_curve_ : list of float
        J at each iteration, before that iteration's update
        (``loss_curve_[0] = ln 2`` for two classes).
    validation_loss_curve_ : list of float
        Cost on the held-out rows after each iteration's update, without the
        L2 term (only with ``early_stopping=True``).
    best_loss_ : float
        The lowest monitored cost.
    validation_scores_ : list of float or None
        Accuracy on the held-out rows after each iteration (None without
        ``early_stopping=True``, as MLPClassifier).
    best_validation_score_ : float or None
        The best of ``validation_scores_`` (None without early stopping).
    t_ : int or float
        Samples trained on since the weights were made (with sample weights:
        their total weight).
    n_iter_ : int
        Iterations run.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names seen during fit, when X has string column names.

    See Also
    --------
    ShallowNetClassifier : The same unit behind one hidden layer (§三).
    DeepNetClassifier : The same unit behind several hidden layers (§四).
    sklearn.linear_model.LogisticRegression : The same model, fitted by a
        second-order solver.
    sklearn.linear_model.SGDClassifier : A linear model fitted by stochastic
        gradient descent (``loss="log_loss"`` is this cost).
    sklearn.neural_network.MLPClassifier : scikit-learn's network.

    Notes
    -----
    The cost is convex in (w, b) (§二 总结: 成本函数是一个凸函数): gradient
    descent from any start, with a step no larger than 1/H
    (``learning_rate="auto"``), moves towards its minimum, which is why the
    weights may start at zero here and not in a network [1]_. With
    ``alpha=0`` and separable classes that minimum is at infinity, and the
    cost keeps falling until ``tol`` or ``max_iter`` stops it.

    References
    ----------
    .. [1] "Neural network basics" (神经网络基础), the course lecture notes
       that the user guide of this documentation follows section by section
       (§二 logistic regression as a neural network).

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sknnbasics import LogisticGD
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticGD()).fit(X, y)
    >>> round(model.score(X, y), 2)
    0.98
    >>> model[-1].loss_curve_[0]  # ln 2: w = 0, b = 0 gives ŷ = 0.5
    0.693147...
    """

    _parameter_constraints = {
        **_BaseGradientDescent._parameter_constraints,
        **_CLASSIFIER_CONSTRAINTS,
        "learning_rate": [Interval(Real, 0, None, closed="neither"),
                          StrOptions({"auto"})],
    }

    def __init__(
        self,
        *,
        solver="gd",
        learning_rate="auto",
        learning_rate_schedule="constant",
        power_t=0.5,
        momentum=0.0,
        nesterovs_momentum=True,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        max_iter=1000,
        max_fun=15000,
        tol=1e-4,
        n_iter_no_change=10,
        alpha=0.0,
        batch_size=None,
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

    _mlp_attributes = False

    def _step_size(self, X, sample_weight, n_outputs, output=None):
        if self.learning_rate != "auto":
            return float(self.learning_rate)
        if self.solver != "gd":
            return 0.001  # Adam's step (MLPClassifier's); L-BFGS takes none
        # J's Hessian is (1/m) Σ sᵢ x̃ᵢ x̃ᵢᵀ ⊗ (Hessian of the loss in z), whose
        # largest eigenvalue is at most ¼ (sigmoid units, one or one per
        # label: their Hessian is block diagonal) or ½ (softmax) times the
        # trace of (1/m) Σ sᵢ x̃ᵢ x̃ᵢᵀ, i.e. the mean of ‖x̃ᵢ‖² = ‖xᵢ‖² + 1.
        # an overflow makes the mean inf, which is refused below with its reason
        with np.errstate(over="ignore", invalid="ignore"):
            if sparse.issparse(X):  # ‖xᵢ‖² from the nonzeros alone, in float64
                X = X.astype(np.float64)
                squared_norms = np.asarray(X.multiply(X).sum(axis=1)).ravel() + 1.0
            else:
                squared_norms = np.einsum("ij,ij->i", X, X, dtype=np.float64) + 1.0
            m = X.shape[0] if sample_weight is None else float(np.sum(sample_weight))
            mean = _weighted_mean(squared_norms, sample_weight)
        sigmoid = n_outputs == 1 or (output is not None
                                     and output.name == "logistic")
        curvature = (0.25 if sigmoid else 0.5) * mean + self.alpha / m
        step = 1.0 / curvature
        if not (math.isfinite(curvature) and step > 0):
            raise ValueError(
                f"learning_rate='auto' cannot choose α for these features: their "
                f"mean squared norm is {mean:.3g}, which makes α = 1/{curvature:.3g} "
                f"= {step:.3g}. Scale the features (e.g. StandardScaler), or give "
                f"a numeric learning_rate."
            )
        return float(step)

    def _hidden_layer_sizes(self):
        return ()

    def _hidden_activation(self):
        return get_activation("identity")  # no hidden layer uses it

    def _initialization(self):
        return "zeros", 0.0

    def _has_weights(self):
        return hasattr(self, "coef_")

    def _get_parameters(self):
        xp, _ = namespace(self.intercept_)
        return {"W1": self.coef_, "b1": xp.reshape(self.intercept_, (-1, 1))}

    def _parameter_attributes(self, parameters):
        return {"coef_": parameters["W1"], "intercept_": _flat(parameters["b1"])}
