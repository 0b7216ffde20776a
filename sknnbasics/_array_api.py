"""Which array library the math runs in: NumPy's fast path, or any other.

The math modules are written once, in the lecture's notation. Each function
asks :func:`namespace` for the namespace ``xp`` of its arrays: NumPy arrays
and scipy sparse matrices take the NumPy path (preallocated ``out=`` buffers,
``einsum``, column blocking); arrays of any other Array API library
(array-api-strict, PyTorch, CuPy, …, through scikit-learn's vendored
array-api-compat) take the same formulas written as plain ``xp`` operations,
on the arrays' own device.
"""

import numpy as np
from scipy import sparse
from sklearn.externals.array_api_compat import array_namespace
from sklearn.utils._array_api import _convert_to_numpy, _is_numpy_namespace, device


def namespace(*arrays):
    """``(xp, is_numpy)`` for ``arrays`` (None entries ignored).

    NumPy arrays and sparse matrices give ``(numpy, True)`` without any
    lookup; other arrays their Array API namespace (array-api-compat's),
    and ``is_numpy`` False.
    """
    arrays = [a for a in arrays if a is not None]
    if all(isinstance(a, np.ndarray) or sparse.issparse(a) for a in arrays):
        return np, True
    xp = array_namespace(*[a for a in arrays if not sparse.issparse(a)])
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


def to_numpy(a):
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


__all__ = ["copy", "copy_into", "device", "namespace", "to_namespace", "to_numpy"]
