"""Regression on top of the estimator shell: the targets (one or several
columns, y >= 0 for the Poisson loss), the output layer, ``predict``."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils._available_if import available_if

from ._array_api import copy as copy_array
from ._base import _stochastic_solver
from ._cost import OutputLayer


def _check_targets_fit(name, y, dtype):
    """Refuse targets too large for the dtype training runs in (X's: float32
    X trains in float32), which the cast would turn into inf."""
    largest_allowed = float(np.finfo(dtype).max)
    with np.errstate(over="ignore"):
        largest = float(np.max(np.abs(y), initial=0.0))
    if largest <= largest_allowed:
        return
    raise ValueError(
        f"{name} cannot train on these targets: largest |y| = {largest:.3g} "
        f"does not fit {np.dtype(dtype).name} (largest {largest_allowed:.3g}), "
        f"the dtype it trains in because X is {np.dtype(dtype).name}, so the "
        f"cast would make it inf. Scale the target first, e.g. with "
        f"sklearn.compose.TransformedTargetRegressor(regressor=..., "
        f"transformer=StandardScaler()), or pass X as float64."
    )


class _GDRegressorMixin(RegressorMixin):
    """Regression on top of :class:`_BaseGradientDescent` (§三 (2)).

    The output layer is linear (``out_activation="identity"``) or ReLU for
    targets that are never negative, with the squared loss ½‖ŷ − y‖² summed
    over the outputs; or, with ``loss="poisson"``, ŷ = e^z with the half
    Poisson deviance (MLPRegressor's), for counts and other targets y >= 0.
    ``y`` may have several columns.
    """

    _GD_LEARNING_RATE = 0.05  # learning_rate="auto" with solver="gd"

    def _validate_y_kwargs(self):
        return {"multi_output": True, "y_numeric": True}

    def _loss(self):
        # estimators pickled before ``loss`` existed used the squared loss
        return getattr(self, "loss", "squared_error")

    def _output_layer(self, n_units, fitted=None):
        """g[L] and its loss: ``out_activation`` with the squared loss, or exp
        with the Poisson deviance (its canonical link: dZ[L] = A[L] − Y)."""
        if self._loss() == "poisson":
            return OutputLayer("exp")
        return OutputLayer(self.out_activation)

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        if self._loss() == "poisson" and self.out_activation != "identity":
            raise ValueError(
                f"loss='poisson' sets the output activation itself: ŷ = e^z, so "
                f"that every prediction is positive (MLPRegressor does the "
                f"same), and out_activation={self.out_activation!r} would "
                f"contradict it. Leave out_activation at its default 'identity' "
                f"with loss='poisson'."
            )

    @staticmethod
    def _score_output(Z, A, Y, s, output):
        """R² of the predictions A[L] against Y (averaged over the outputs)."""
        return float(r2_score(Y.T, A.T, sample_weight=s))

    def _encode_targets(self, y, sample_weight, *, dtype, first_call, incremental,
                        classes):
        _check_targets_fit(type(self).__name__, y, dtype)
        Y = np.asarray(y, dtype=dtype).reshape(y.shape[0], -1).T
        if self._loss() == "poisson" and Y.size and np.min(Y) < 0:
            raise ValueError(
                f"loss='poisson' needs targets y >= 0 (counts, rates: the "
                f"Poisson mean ŷ = e^z is never negative, and the deviance has "
                f"y log y); y has negative values, the smallest is "
                f"{np.min(Y):g}. Use loss='squared_error' for targets of any "
                f"sign."
            )
        if first_call:
            fitted = {"n_outputs_": Y.shape[0], "_y_is_1d": y.ndim == 1}
        elif Y.shape[0] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[0]} output columns, but {type(self).__name__} was "
                f"trained with {self.n_outputs_}; partial_fit needs the same "
                f"outputs in every chunk."
            )
        else:
            fitted = {}
        return Y, sample_weight, fitted

    def fit(self, X, y, sample_weight=None):
        """Train by gradient descent on (X, y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (float64 or float32; other types become float64).
            A scipy sparse matrix or array stays sparse: CSR as given, any
            other format converted to CSR once.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the cost: J = Σ sᵢ Lᵢ / Σ sᵢ.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_with_callbacks(X, y, sample_weight)

    @available_if(_stochastic_solver)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch of gradient descent over the chunk (X, y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data (sparse: as for ``fit``).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit_with_callbacks(X, y, None, sample_weight)

    def predict(self, X):
        """ŷ = A[L] for the rows of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            One column per output; 1-D when ``y`` was 1-D.
        """
        _, A = self._forward(X, "predict")
        return copy_array(A[0, ...]) if self._y_is_1d else copy_array(A.T)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        # a ReLU output can only reach y >= 0; the Poisson loss refuses y < 0
        tags.target_tags.positive_only = (
            getattr(self, "out_activation", "") == "relu"
            or getattr(self, "loss", "") == "poisson")
        return tags
