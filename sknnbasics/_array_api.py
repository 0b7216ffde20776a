"""Which array library the math runs in: NumPy's fast path, or any other.

The math modules are written once, in the lecture's notation. Each function
asks :func:`namespace` for the namespace ``xp`` of its arrays: NumPy arrays
and scipy sparse matrices take the NumPy path (preallocated ``out=`` buffers,
``einsum``, column blocking); arrays of any other Array API library
(array-api-strict, PyTorch, CuPy, …, through scikit-learn's vendored
array-api-compat) take the same formulas written as plain ``xp`` operations,
on the arrays' own device.
"""

import copy as _copy

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.externals.array_api_compat import array_namespace
from sklearn.utils._array_api import (
    _convert_to_numpy,
    _is_numpy_namespace,
    device,
)


def namespace(*arrays):
    """``(xp, is_numpy)`` for ``arrays`` (None entries ignored).

    NumPy arrays and sparse matrices give ``(numpy, True)`` without any
    lookup; other arrays their Array API namespace (array-api-compat's),
    and ``is_numpy`` False.
    """
    for a in arrays:  # the common case first: a loop, no lists
        if not (a is None or isinstance(a, np.ndarray) or sparse.issparse(a)):
            break
    else:
        return np, True
    xp = array_namespace(*[a for a in arrays
                           if a is not None and not sparse.issparse(a)])
    return xp, _is_numpy_namespace(xp)


def copy(a):
    """A copy of the array ``a``, in its own namespace and on its device."""
    if isinstance(a, np.ndarray):
        return a.copy()
    xp, _ = namespace(a)
    return xp.asarray(a, copy=True)


def copy_into(target, source):
    """``target[...] = source``, for the arrays of two dicts with the same keys."""
    for name, value in source.items():
        if isinstance(target[name], np.ndarray):
            np.copyto(target[name], value)
        else:
            target[name][...] = value


def asnumpy(a):
    """``a`` as a NumPy array on the CPU (unchanged when it already is one;
    None, sparse matrices and non-arrays pass through)."""
    if a is None or isinstance(a, np.ndarray) or sparse.issparse(a):
        return a
    try:
        xp = array_namespace(a)
    except TypeError:  # not an Array API array (a list, a DataFrame)
        return a
    return _convert_to_numpy(a, xp)


def to_namespace(a, xp, device_):
    """The NumPy array ``a`` moved to namespace ``xp`` on ``device_`` (``a``
    itself when ``xp`` is NumPy)."""
    if a is None or _is_numpy_namespace(xp):
        return a
    return xp.asarray(a, device=device_)


def to_numpy(estimator):
    """A copy of a fitted model whose arrays are all NumPy arrays on the CPU.

    A model fitted on PyTorch, CuPy or array-api-strict arrays (with
    ``sklearn.set_config(array_api_dispatch=True)``) keeps its weights, its
    optimizer's state and its numeric ``classes_`` in that library, on that
    device (a GPU's memory, say). ``to_numpy`` copies every one of them to
    NumPy, so that the copy predicts on NumPy arrays, pickles and saves with
    joblib or skops on a machine without that library or device. The model
    itself is left as it is. A :class:`~sklearn.pipeline.Pipeline` (or any
    other meta-estimator) is copied with all its fitted steps converted.

    scikit-learn 1.9 has a similar conversion only in a private module
    (``sklearn.utils._array_api.move_estimator_to``); this one is public,
    needs no ``array_api_dispatch``, and converts the arrays inside lists
    and dicts too (``coefs_``, the optimizer's state).

    Parameters
    ----------
    estimator : estimator
        A fitted estimator, or a pipeline of them.

    Returns
    -------
    estimator : estimator
        An independent copy whose array attributes are NumPy arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from sknnbasics import LogisticGD, to_numpy
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0, 0, 1, 1])
    >>> model = to_numpy(LogisticGD(max_iter=5, tol=None).fit(X, y))
    >>> type(model.coef_).__name__
    'ndarray'
    """
    return _converted(_copy.deepcopy(estimator))


def _converted(value):
    """``value`` with every array in it made a NumPy array: the attributes
    of an estimator (in place, on the copy), the items of lists, tuples and
    dicts, recursively."""
    if isinstance(value, BaseEstimator):
        for name, attribute in vars(value).items():
            setattr(value, name, _converted(attribute))
        return value
    if isinstance(value, list | tuple):
        return type(value)(_converted(item) for item in value)
    if isinstance(value, dict):
        return {key: _converted(item) for key, item in value.items()}
    return asnumpy(value)


__all__ = ["asnumpy", "copy", "copy_into", "device", "namespace", "to_namespace",
           "to_numpy"]
