"""Pickles that remember which sknnbasics wrote them.

scikit-learn stores its own version in every pickled estimator and warns with
``sklearn.exceptions.InconsistentVersionWarning`` when another version loads
it. :class:`VersionedPickleMixin` does the same for sknnbasics' version, next
to scikit-learn's (``BaseEstimator.__getstate__`` still runs).
"""

import warnings


class InconsistentVersionWarning(UserWarning):
    """An estimator pickled by one sknnbasics version was loaded by another.

    Attributes
    ----------
    estimator_name : str
        The class of the estimator.
    original_version : str
        The sknnbasics version that pickled it.
    current_version : str
        The sknnbasics version loading it.

    Examples
    --------
    >>> import pickle, warnings
    >>> import sknnbasics
    >>> from sknnbasics import InconsistentVersionWarning, LogisticGD
    >>> saved = pickle.dumps(LogisticGD().fit([[0.0], [1.0]], [0, 1]))
    >>> released, sknnbasics.__version__ = sknnbasics.__version__, "99.0"
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = pickle.loads(saved)
    >>> sknnbasics.__version__ = released
    >>> [w.message.original_version for w in caught
    ...  if isinstance(w.message, InconsistentVersionWarning)] == [released]
    True
    """

    def __init__(self, *, estimator_name, current_version, original_version):
        self.estimator_name = estimator_name
        self.current_version = current_version
        self.original_version = original_version

    def __str__(self):
        return (
            f"Trying to unpickle estimator {self.estimator_name} from sknnbasics "
            f"version {self.original_version} when using version "
            f"{self.current_version}. This might lead to breaking code or invalid "
            f"results. Use at your own risk; refit the model with this version "
            f"to be safe."
        )


class VersionedPickleMixin:
    """Adds ``_sknnbasics_version`` to the pickled state and checks it on load."""

    def __getstate__(self):
        from . import __version__

        state = dict(super().__getstate__())  # a copy: never stamp the live one
        if type(self).__module__.startswith("sknnbasics."):
            state["_sknnbasics_version"] = __version__
        return state

    def __setstate__(self, state):
        from . import __version__

        original = state.pop("_sknnbasics_version", "pre-0.1")
        if original != __version__:
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    current_version=__version__,
                    original_version=original,
                ),
                stacklevel=2,
            )
        super().__setstate__(state)
