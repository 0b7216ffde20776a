"""What every network estimator shares: its hyperparameters (set once, checked
declaratively) and their documentation, so the classifier and regressor
families stay one definition."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions

from ._activations import ACTIVATIONS
from ._base import _BaseGradientDescent
from ._network import INITIALIZATIONS

NETWORK_CONSTRAINTS = {
    **_BaseGradientDescent._parameter_constraints,
    "activation": [StrOptions(set(ACTIVATIONS))],
    "negative_slope": [Interval(Real, 0, None, closed="left")],
    "init": [StrOptions(set(INITIALIZATIONS))],
    "init_scale": [Interval(Real, 0, None, closed="neither")],
}
N_HIDDEN_CONSTRAINT = {"n_hidden": [Interval(Integral, 1, None, closed="left")]}
HIDDEN_LAYER_SIZES_CONSTRAINT = {"hidden_layer_sizes": ["array-like", Integral]}

def set_hyperparameters(estimator, init_locals):
    """Store each argument of ``__init__`` unchanged under its own name
    (scikit-learn's rule: ``__init__`` only assigns); called with ``locals()``."""
    for name, value in init_locals.items():
        if name != "self":
            setattr(estimator, name, value)


def check_hidden_layer_sizes(hidden_layer_sizes):
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


def check_n_hidden(n_hidden):
    """(n_hidden,) for a positive int, or a ValueError that says why (a bool
    is an int to Python, but not a number of units)."""
    if isinstance(n_hidden, bool) or not isinstance(n_hidden, Integral) \
            or n_hidden < 1:
        raise ValueError(
            f"n_hidden must be a positive int, the number of hidden units n[1]; "
            f"got {n_hidden!r}."
        )
    return (int(n_hidden),)


ALPHA_DOC = """
        λ, the L2 penalty: J + (λ/2m)·Σ‖W[l]‖² (biases are not penalised).
        scikit-learn's name for it (as in MLPClassifier); the lecture's α, the
        learning rate, is ``learning_rate``."""


# activation and the update rule with its step size and schedule
_STEP_PARAMETERS = """
    activation : {{"sigmoid", "tanh", "relu", "leaky_relu", "identity"}}, \
default="relu"
        g of the hidden layers (§三 激活函数; ReLU, as MLPClassifier; the
        lecture's examples use "tanh"). {output}
    negative_slope : float, default=0.01
        The slope of Leaky ReLU for z < 0 (the lecture's 0.01).
    solver : {{"gd", "adam", "lbfgs"}}, default="adam"
        The update rule (see :ref:`beyond_gd`, and :ref:`defaults` for why
        Adam is the default). ``"gd"``: the lecture's
        gradient descent W := W − α·dW (mini-batch when ``batch_size`` is
        set), with ``momentum`` if given; ``"adam"``: Adam (Kingma & Ba 2014)
        with ``beta_1``, ``beta_2``, ``epsilon``; ``"lbfgs"``: scipy's
        L-BFGS-B on the same J and gradients, full batch, no learning rate
        (``batch_size``, ``shuffle`` and the step hyperparameters are then not
        used; no ``partial_fit`` and no ``early_stopping``). Each is written
        in MLPClassifier's exact form, so the same weights give the same
        numbers.
    learning_rate : float or "auto", default="auto"
        α, the lecture's learning rate (学习率): W := W − α·dW. Not scikit-learn's
        ``alpha``, which is the L2 penalty λ below. MLPClassifier calls it
        ``learning_rate_init``. ``"auto"``: 0.001 with ``solver="adam"``
        (MLPClassifier's), {learning_rate} with ``solver="gd"`` (a lecture-sized
        step); the value used is ``learning_rate_``. Adam moves every weight
        by about α per update, so a numeric α ≥ 0.1 with ``solver="adam"``
        warns at fit: the lecture's α (e.g. 1.2) belongs to ``solver="gd"``.
    learning_rate_schedule : {{"constant", "invscaling", "adaptive"}}, \
default="constant"
        How α changes during training (MLPClassifier's ``learning_rate``):
        ``"constant"`` keeps it; ``"invscaling"`` sets it to
        α/(t + 1)^power_t after every iteration, t the samples trained on so
        far (``t_``); ``"adaptive"`` divides it by 5 each time the cost has not
        improved by ``tol`` for ``n_iter_no_change`` iterations, and stops
        once α ≤ 1e-6 (with ``tol=None``: divides on no improvement at all,
        never stops). Applies to ``"gd"`` and ``"adam"`` (MLPClassifier applies
        it to its SGD only).
    power_t : float, default=0.5
        The exponent of ``"invscaling"``.
"""

# momentum, Adam, iterations, stopping and the initial weights
_TRAINING_PARAMETERS = """    momentum : float, default=0.0
        μ for ``solver="gd"``: v_dW := μ·v_dW − α·dW, W := W + v_dW. 0 is the
        lecture's plain gradient descent.
    nesterovs_momentum : bool, default=True
        With ``momentum > 0``: Nesterov's momentum, W := W + μ·v_dW − α·dW.
    beta_1 : float, default=0.9
        Adam's β₁, the decay of its first moment v_dW.
    beta_2 : float, default=0.999
        Adam's β₂, the decay of its second moment s_dW.
    epsilon : float, default=1e-08
        Adam's ε in W := W − α_t·v_dW/(√s_dW + ε).
    max_iter : int, default=200
        N, the number of iterations (epochs with mini-batches; L-BFGS
        iterations with ``solver="lbfgs"``), as MLPClassifier. The lecture's
        full-batch gradient descent takes many more small steps: give it
        e.g. ``max_iter=2000``.
    max_fun : int, default=15000
        With ``solver="lbfgs"``: the most evaluations of J (and its gradient).
    tol : float or None, default=1e-4
        Stop once the cost has not improved by at least ``tol`` for
        ``n_iter_no_change`` consecutive iterations; ``None`` runs exactly
        ``max_iter`` iterations. The default is MLPClassifier's, fit for an
        epoch of Adam on mini-batches; full-batch gradient descent takes
        smaller steps (a network's cost often falls by less than 1e-4 an
        iteration long before it has learnt the data): give it ``tol=1e-5``
        or ``tol=None``. With ``solver="lbfgs"`` it is L-BFGS's ``gtol``
        instead: stop once the largest entry of the projected gradient is at
        most ``tol`` (as MLPClassifier).
    n_iter_no_change : int or np.inf, default=10
        See ``tol``; ``np.inf`` never stops on a stall (as MLPClassifier).
    init : {{"glorot", "xavier", "he", "random", "zeros"}}, default="glorot"
        How W[l] and b[l] start. ``"glorot"``: MLPClassifier's
        initialisation, W[l] and b[l] uniform in ±√(6/(n[l−1] + n[l]))
        (±√(2/(n[l−1] + n[l])) for sigmoid units), drawn in MLP's order, so
        the same ``random_state`` starts from MLP's weights. The others keep
        b[l] = 0: ``"xavier"`` N(0,1)/√n[l−1] (the course's form),
        ``"he"`` N(0,1)·√(2/n[l−1]), ``"random"`` N(0,1)·init_scale (the
        lecture's ``randn * 0.01``), ``"zeros"`` the lecture's
        counter-example (every hidden unit stays the same).
    init_scale : float, default=0.01
        The scale of ``init="random"``.
"""

# the penalty, batches, early stopping and the estimator controls
_CONTROL_PARAMETERS = """    alpha : float, default={alpha}{ALPHA_DOC}{alpha_note}
    batch_size : int, "auto" or None, default="auto"
        None: full batch (the lecture). An int: mini-batches, reshuffled each
        epoch from ``random_state`` when ``shuffle``. ``"auto"``: min(200, m)
        with ``solver="adam"`` (MLPClassifier's), the full batch with
        ``solver="gd"``; not used by ``"lbfgs"``.
    shuffle : bool, default=True
        Reshuffle the mini-batches every epoch; ``False`` takes them in the
        data's order (as MLPClassifier's ``shuffle=False``).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data, stop when its cost (or
        score, see ``early_stopping_metric``) stops improving, and restore
        the weights with the best one.
    early_stopping_metric : {{"loss", "score"}}, default="loss"
        What early stopping monitors on the held-out data: the cost J
        (without the L2 term), or the score (accuracy / R², as
        MLPClassifier). Both are recorded: ``validation_loss_curve_`` and
        ``validation_scores_``.
    validation_fraction : float, default=0.1
        Share held out when ``early_stopping=True``.{extra_parameters}
    warm_start : bool, default=False
        Continue from the current ``coefs_``/``intercepts_`` (also ones you
        assigned) on the next ``fit`` when their shapes fit.
    verbose : int, default=0
        Any value but 0 prints a line after every iteration (its number and
        cost J, and the held-out cost and score with ``early_stopping``), then
        one line that says why training stopped; 0 prints nothing.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, shuffles and validation split.
"""

# the fitted attributes
_ATTRIBUTES = """
    Attributes
    ----------
    coefs_ : list of ndarray
        ``coefs_[l-1]`` is W[l]ᵀ, shape (n[l−1], n[l]): the layout of
        scikit-learn's {mlp}, so weights move freely between the two.
    intercepts_ : list of ndarray
        ``intercepts_[l-1]`` is b[l] flattened, shape (n[l],).
    parameters_ : dict
        The lecture's parameters ``{{"W1": (n[1], n[0]), "b1": (n[1], 1), …}}``
        (views of ``coefs_`` and ``intercepts_``); ``get_params()`` holds the
        hyperparameters (§五).{extra_attributes}
    learning_rate_ : float
        The α used.
    loss_curve_ : list of float
        J at each iteration, before that iteration's update.
    validation_loss_curve_ : list of float
        Cost on the held-out rows after each iteration's update, without the
        L2 term (only with ``early_stopping=True``).
    best_loss_ : float
        The lowest monitored cost (minus the best validation score when
        ``early_stopping_metric="score"``).
    validation_scores_ : list of float or None
        The score (accuracy / R²) on the held-out rows after each iteration
        (None without ``early_stopping=True``, as MLPClassifier).
    best_validation_score_ : float or None
        The best of ``validation_scores_`` (None without early stopping).
    t_ : int or float
        Samples trained on since the weights were made (``warm_start`` and
        ``partial_fit`` add to it), as MLPClassifier's ``t_``; with sample
        weights their total weight (a sample of weight s counts s times).
    n_iter_ : int
        Iterations run.
    n_layers_ : int
        Layers including the input layer: L + 1.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names seen during fit, when X has string column names.
"""


def network_doc(*, output, learning_rate, extra_parameters, extra_attributes, mlp,
                alpha="0.0", alpha_note=""):
    """The Parameters and Attributes sections shared by the network estimators
    (the four templates above, filled in)."""
    fields = dict(output=output, learning_rate=learning_rate, alpha=alpha,
                  ALPHA_DOC=ALPHA_DOC, alpha_note=alpha_note,
                  extra_parameters=extra_parameters,
                  extra_attributes=extra_attributes, mlp=mlp)
    return "".join(part.format(**fields) for part in (
        _STEP_PARAMETERS, _TRAINING_PARAMETERS, _CONTROL_PARAMETERS, _ATTRIBUTES))


def network_see_also(*others):
    """The See Also section of a network estimator: ``others`` (lines of
    ``name : what``), then its scikit-learn peers and ``LogisticGD``."""
    lines = "\n".join(f"    {line}" for line in others)
    return f"""
    See Also
    --------
{lines}
    LogisticGD : The network with no hidden layer (logistic regression, §二).
"""


# The Notes and References of every network estimator; See Also comes first.
NETWORK_NOTES = """
    Notes
    -----
    Each iteration of training is the lecture's loop (§三, §四): forward
    propagation Z[l] = W[l]A[l−1] + b[l], A[l] = g[l](Z[l]) up to the output
    A[L] = ŷ; the cost J; backward propagation from dZ[L] = A[L] − Y (the
    output's activation meets its cost, cross-entropy or squared loss) down to
    every dW[l] = (1/m)·dZ[l]A[l−1]ᵀ and db[l] = (1/m)·Σ dZ[l]; then the
    update of every W[l] and b[l]. With ``solver="gd"`` (no momentum) that
    update is the lecture's plain gradient descent W[l] := W[l] − α·dW[l],
    b[l] := b[l] − α·db[l], on all m samples when ``batch_size=None``: what
    :func:`~sknnbasics.lecture` runs. The default, ``solver="adam"``, takes
    Adam's step instead, on mini-batches, as MLPClassifier. The weights must
    start random (§三 随机初始化: with ``init="zeros"`` every hidden unit
    computes the same function for ever); the lecture draws them as
    ``randn * 0.01`` (``init="random"``), the default draws them as
    MLPClassifier does (``init="glorot"``). ``init="xavier"`` scales them by
    1/√n[l−1] (the course's form of Glorot and Bengio's initialisation [2]_),
    which keeps the variance of Z[l] near that of its inputs for tanh units;
    ``init="he"`` by √(2/n[l−1]), the same for ReLU units, which zero about
    half of their inputs [3]_.

    References
    ----------
    .. [1] "Neural network basics" (神经网络基础), the course lecture notes
       that the user guide of this documentation follows section by section
       (§三 shallow networks, §四 deep networks, §五 hyperparameters).
    .. [2] X. Glorot and Y. Bengio, "Understanding the difficulty of training
       deep feedforward neural networks", Proceedings of the 13th
       International Conference on Artificial Intelligence and Statistics
       (AISTATS), 2010.
    .. [3] K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers:
       Surpassing human-level performance on ImageNet classification",
       Proceedings of the IEEE International Conference on Computer Vision
       (ICCV), 2015.
"""
