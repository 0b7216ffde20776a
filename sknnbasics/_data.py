"""Step 1 of a fit: prepare the data — validate X and y, find their array
library once, encode the targets for the output layer, check the weights.

This is the boundary where scikit-learn's conventions meet the lecture's:
X (m, n_x) as scikit-learn gives it, the targets encoded as the lecture's Y
(n[L], m), and the array namespace ``xp`` found here and handed down (the
math runs in it; the targets are encoded in NumPy — labels, class weights: a
few passes over m values, once — and moved to ``xp`` after the validation
split).
"""

import math
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils._array_api import get_namespace
from sklearn.utils.validation import _check_sample_weight, validate_data

from ._array_api import asnumpy, device, namespace, to_namespace


def float_dtypes(X):
    """float64 and float32 of X's array namespace (NumPy's for array-likes)."""
    xp, _ = get_namespace(X)
    return (xp.float64, xp.float32)


# scikit-learn's finiteness check first sums X, which overflows (and gives
# inf − inf = NaN) for finite values near ±1.8e308; it then looks element by
# element, so numpy's warning about that sum says nothing about the data
def sum_may_overflow():
    return np.errstate(over="ignore", invalid="ignore")


@dataclass
class FitData:
    """The data of one ``fit`` or ``partial_fit`` call, prepared.

    Attributes
    ----------
    X : array of shape (m, n_x)
        Validated inputs, in their array library (``xp``) and on ``device``.
    y : ndarray
        The targets as validated (NumPy).
    Y : ndarray of shape (n[L], m)
        The targets in the output layer's encoding (NumPy until the split).
    sample_weight : ndarray of shape (m,) or None
        Sample weights times class weights (NumPy).
    output : OutputLayer
        The output layer these targets call for.
    fitted : dict
        Fitted attributes gathered on the way (classes_, …), assigned to the
        estimator once training has produced a model.
    xp, on_numpy, device
        X's namespace, whether it is NumPy's, and X's device.
    dtype : numpy.dtype
        float64 or float32, as X.
    first_call, incremental : bool
        Not a later partial_fit call; a partial_fit call.
    """

    X: object
    y: object
    Y: np.ndarray
    sample_weight: object
    output: object
    fitted: dict
    xp: object
    on_numpy: bool
    device: object
    dtype: object
    first_call: bool
    incremental: bool

    def to_device(self, a):
        """The NumPy array ``a`` (or None) moved to X's namespace and device."""
        return a if self.on_numpy else to_namespace(a, self.xp, self.device)


def prepare_data(estimator, X, y, sample_weight, *, incremental, classes):
    """Refuse what cannot run, validate, find the namespace, encode the
    targets: the :class:`FitData` of this call."""
    estimator._validate_params()
    estimator._check_hyperparameters()
    _refuse_early_stopping(estimator, incremental)
    first_call = not (incremental and hasattr(estimator, "n_iter_"))
    with sum_may_overflow():
        X, y = validate_data(
            estimator, X, y, accept_sparse="csr", dtype=float_dtypes(X),
            reset=first_call, **estimator._validate_y_kwargs(),
        )
    xp, on_numpy = namespace(X)  # found once, here, and handed down
    where = device(X)
    if not first_call:
        # partial_fit goes on with the weights, the optimizer's state and
        # the classes where they live: X must be there too
        estimator._check_same_namespace(X, estimator._get_parameters()["W1"],
                                        "partial_fit", earlier="the earlier calls")
    if not on_numpy:
        y, sample_weight = asnumpy(y), asnumpy(sample_weight)
        classes = asnumpy(classes)  # partial_fit's, as given: its library
        if hasattr(estimator, "classes_"):  # restored by _fit if this raises
            estimator.classes_ = asnumpy(estimator.classes_)
    dtype = X.dtype if on_numpy else (
        np.float32 if X.dtype == xp.float32 else np.float64)
    if sample_weight is not None:
        # validated in float64, then cast: a weight too large for float32 is
        # refused with its value (not called "infinity" after the cast)
        sample_weight = weights_in_dtype(_check_sample_weight(
            sample_weight, X if on_numpy else np.empty((X.shape[0], 0)),
            dtype=np.float64, ensure_non_negative=True), dtype, "The sample weights")
    _refuse_balanced_chunks(estimator, incremental)
    Y, sample_weight, fitted = estimator._encode_targets(
        y, sample_weight, dtype=dtype, first_call=first_call,
        incremental=incremental, classes=classes,
    )
    check_weight_sum(sample_weight, getattr(estimator, "class_weight", None))
    return FitData(
        X=X, y=y, Y=Y, sample_weight=sample_weight,
        output=estimator._output_layer(Y.shape[0], fitted), fitted=fitted,
        xp=xp, on_numpy=on_numpy, device=where, dtype=dtype,
        first_call=first_call, incremental=incremental)


def _refuse_early_stopping(estimator, incremental):
    """early_stopping with L-BFGS or with partial_fit cannot run."""
    name = type(estimator).__name__
    if estimator.solver == "lbfgs" and estimator.early_stopping:
        raise ValueError(
            f"{name} with solver='lbfgs' cannot use early_stopping=True: "
            f"L-BFGS decides itself when to stop, on the full batch. Use "
            f"solver='adam' or solver='gd', or early_stopping=False."
        )
    if incremental and estimator.early_stopping:
        raise ValueError(
            f"{name}.partial_fit cannot use early_stopping=True: early "
            f"stopping holds out part of the data of one fit, and partial_fit "
            f"sees one chunk at a time. Set early_stopping=False, or use fit."
        )


def _refuse_balanced_chunks(estimator, incremental):
    if incremental and getattr(estimator, "class_weight", None) == "balanced":
        raise ValueError(
            "class_weight='balanced' cannot be used with partial_fit: each "
            "chunk would get weights from its own class counts. Compute them "
            "once over (a sample of) all the data with sklearn.utils."
            "class_weight.compute_class_weight('balanced', classes=classes, "
            "y=y) and pass the resulting dict as class_weight."
        )


def weights_in_dtype(weights, dtype, what):
    """``weights`` (float64) cast to ``dtype``, the one training runs in;
    a ValueError naming the largest when it is finite but does not fit."""
    largest = float(np.max(weights, initial=0.0))
    limit = float(np.finfo(dtype).max)
    if math.isfinite(largest) and largest > limit:
        name = np.dtype(dtype).name
        raise ValueError(
            f"{what} reach {largest:.3g}, which does not fit {name} (largest "
            f"{limit:.3g}), the dtype training runs in because X is {name}: "
            f"the cast would make it inf. Only their ratios matter: divide "
            f"them by their largest value."
        )
    with np.errstate(over="ignore"):  # inf stays inf, refused by its sum
        return weights.astype(dtype, copy=False)


def check_weight_sum(sample_weight, class_weight=None):
    """The cost J = Σ sᵢ Lᵢ / Σ sᵢ needs 0 < Σ sᵢ < inf."""
    if sample_weight is None:
        return
    with np.errstate(over="ignore"):
        total = np.sum(sample_weight, dtype=np.float64)
    if not math.isfinite(total):
        raise ValueError(
            f"The sample weights sum to {total}, too large to divide "
            f"by in J = Σ sᵢ Lᵢ / Σ sᵢ. Only their ratios matter: "
            f"divide them by their largest value."
        )
    if not np.sum(sample_weight) > 0:
        raise ValueError(
            "The sample weights sum to zero, so every sample has weight 0 "
            "and the cost J = Σ sᵢ Lᵢ / Σ sᵢ is undefined. Give at least "
            "one sample a positive weight."
            + (" (The weights are sample_weight times class_weight, "
               f"class_weight={class_weight!r}.)"
               if class_weight is not None else "")
        )


def rows(A, index):
    """The rows ``index`` (NumPy integers) of A, in A's namespace and device."""
    xp, is_numpy = namespace(A)
    if is_numpy:
        return A[index]
    return xp.take(A, xp.asarray(index, device=device(A)), axis=0)


def validation_split(X, Y, y, sample_weight, rng, validation_fraction, stratify):
    """Hold out ``validation_fraction`` of the rows of X (stratified by
    ``stratify`` when given), keeping each row's sample weight with it:
    (X_train, Y_train, s_train, (X_val, Y_val, s_val)), the X parts in the
    lecture's orientation (n_x, m)."""
    m = X.shape[0]
    n_val = math.ceil(validation_fraction * m)
    fraction = f"validation_fraction={validation_fraction}"
    if n_val < 2 or m - n_val < 1:
        raise ValueError(
            f"early_stopping=True needs at least 2 validation samples and 1 "
            f"training sample, but {fraction} of {m} samples leaves {m - n_val} "
            f"for training and {n_val} for validation. Use more samples, "
            f"another validation_fraction, or early_stopping=False."
        )
    try:
        train, val = train_test_split(
            np.arange(m), test_size=n_val, stratify=stratify,
            random_state=rng.randint(np.iinfo(np.int32).max),
        )
    except ValueError as error:  # a class too small to stratify
        raise ValueError(
            f"early_stopping=True holds out {fraction} of the {m} samples, "
            f"stratified by class, and that split is impossible here: "
            f"{error} Use more samples of every class, another "
            f"validation_fraction, or early_stopping=False."
        ) from None
    s_train = None if sample_weight is None else sample_weight[train]
    s_val = None if sample_weight is None else sample_weight[val]
    for part, s in (("validation", s_val), ("training", s_train)):
        if s is not None and not np.sum(s) > 0:
            raise ValueError(
                f"early_stopping held out {n_val} of {m} samples for "
                f"validation, but every {part} sample has sample weight 0, "
                f"so the {part} cost Σ sᵢ Lᵢ / Σ sᵢ is undefined. Use another "
                f"validation_fraction or random_state, or early_stopping=False."
            )
    return (rows(X, train).T, Y[:, train], s_train,
            (rows(X, val).T, Y[:, val], s_val))
