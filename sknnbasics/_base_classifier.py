"""Classification on top of the estimator shell: the targets' encoding
(labels, one-hot columns, multilabel indicator matrices, class weights) and
the predictions made from the output layer (``predict``, ``predict_proba``,
``decision_function``, ``score``)."""

import math
from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils._array_api import _max_precision_float_dtype
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import (
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import column_or_1d

from ._activations import sigmoid
from ._array_api import asnumpy, device, namespace
from ._array_api import copy as copy_array
from ._base import _stochastic_solver
from ._cost import OutputLayer, log_sigmoid, log_softmax
from ._data import weights_in_dtype

_CLASSIFIER_CONSTRAINTS = {
    "class_weight": [dict, StrOptions({"balanced"}), None],
}


def _columns(a, b):
    """The 1-D arrays a and b side by side, as the columns of an (m, 2) array."""
    xp, is_numpy = namespace(a)
    return np.column_stack([a, b]) if is_numpy else xp.stack([a, b], axis=1)


def _one_hot(y, classes_, dtype, with_index=False):
    """(Y, index): the labels y as the output layer's targets — one row, 1
    for ``classes_[1]``, for two classes (§二); one column of K rows with a
    single 1 per sample for K classes (softmax, §一(C)) — and, for two
    classes only when ``with_index``, each sample's class index."""
    K = len(classes_)
    if K == 2:  # y = 1 for the second class (a comparison: no search)
        Y = (y == classes_[1]).astype(dtype).reshape(1, -1)
        return Y, (Y[0].astype(np.intp) if with_index else None)
    index = np.searchsorted(classes_, y)
    Y = np.zeros((K, y.shape[0]), dtype=dtype)
    Y[index, np.arange(y.shape[0])] = 1
    return Y, index


class _GDClassifierMixin(ClassifierMixin):
    """Classification on top of :class:`_BaseGradientDescent`.

    Two classes: one sigmoid output unit (§二). More: softmax with one unit per
    class (§一(C)). ``classes_`` holds the labels, in sorted order. A 0/1
    indicator matrix y (multilabel: each sample may have any number of the
    labels) gets one sigmoid unit per label, as MLPClassifier; its
    ``classes_`` is ``np.arange(n_labels)``, the column indices.
    """

    def _validate_y_kwargs(self):
        # y may be 2-D: a 0/1 indicator matrix is a multilabel target
        return {"multi_output": True}

    def score(self, X, y, sample_weight=None):
        """Accuracy of :meth:`predict` on (X, y), as ``ClassifierMixin.score``.

        On another Array API library the share of correct predictions is
        averaged in that library's most precise float (scikit-learn's
        ``accuracy_score`` would use its default float, float32 for PyTorch),
        so that it equals the NumPy model's accuracy.
        """
        y_pred = self.predict(X)
        xp, is_numpy = namespace(y_pred)
        if sample_weight is None and not is_numpy:
            where = device(y_pred)
            sample_weight = xp.ones(y_pred.shape[0], device=where,
                                    dtype=_max_precision_float_dtype(xp, where))
        return float(accuracy_score(y, y_pred, sample_weight=sample_weight))

    def _is_multilabel(self, fitted=None):
        """Whether the fit in progress (``fitted``: the target attributes from
        :meth:`_encode_targets`) or the fitted model is multilabel."""
        source = self.__dict__ if fitted is None else fitted
        return source.get("_multilabel", False)

    def _output_layer(self, n_units, fitted=None):
        """One sigmoid unit for two classes, a softmax over n_units for more,
        n_units sigmoid units for n_units labels (multilabel)."""
        if n_units == 1 or self._is_multilabel(fitted):
            return OutputLayer("logistic")
        return OutputLayer("softmax")

    def _stratify_validation(self, y):
        # an indicator matrix has no one class per sample to stratify by (MLP
        # does not stratify multilabel targets either)
        y = y.toarray() if hasattr(y, "toarray") else np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            return None
        return y.ravel()

    @staticmethod
    def _score_output(Z, A, Y, s, output):
        """Accuracy of the outputs Z[L] against the encoded targets Y."""
        xp, is_numpy = namespace(Z)
        if not is_numpy:
            if output.name == "softmax":
                correct = xp.argmax(Z, axis=0) == xp.argmax(Y, axis=0)
            else:
                correct = xp.all((Z > 0) == (Y > 0.5), axis=0)
            correct = xp.astype(correct, Z.dtype)
            if s is None:
                return float(xp.mean(correct))
            return float(xp.sum(correct * s) / xp.sum(s))
        if output.name == "softmax":
            correct = np.argmax(Z, axis=0) == np.argmax(Y, axis=0)
        else:  # sigmoid units: a label is predicted where z > 0
            correct = np.all((Z > 0) == (Y > 0.5), axis=0)
        return float(np.average(correct, weights=s))

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        class_weight = getattr(self, "class_weight", None)
        if isinstance(class_weight, dict):
            bad = {label: weight for label, weight in class_weight.items()
                   if isinstance(weight, bool) or not isinstance(weight, Real)
                   or not (math.isfinite(weight) and weight >= 0)}
            if bad:
                raise ValueError(
                    f"class_weight must map class labels to finite weights >= 0 "
                    f"(they multiply each sample's loss); got {bad!r}."
                )

    def _encode_targets(self, y, sample_weight, *, dtype, first_call, incremental,
                        classes):
        """(Y, s, fitted): Y in the output layer's encoding, the sample weights
        times the class weights, and the fitted attributes of the targets."""
        if hasattr(y, "toarray"):  # a sparse indicator matrix: (m, k) numbers
            y = y.toarray()
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)  # one column of labels
        if y.ndim == 2:
            return self._encode_multilabel(y, sample_weight, dtype=dtype,
                                           first_call=first_call,
                                           incremental=incremental,
                                           classes=classes)
        self._check_not_multilabel_before(first_call, incremental)
        self._check_labels(y)
        classes_ = self._classes_of_this_call(y, first_call, incremental, classes)
        Y, index = _one_hot(y, classes_, dtype,
                            with_index=self.class_weight is not None)
        if self.class_weight is not None:
            # in float64, then cast: a product too large for float32 is
            # refused with its value
            weights = compute_class_weight(
                self.class_weight, classes=classes_, y=y
            ).astype(np.float64)
            per_sample = weights[index]
            what = ("The class weights" if sample_weight is None else
                    "The sample weights times the class weights")
            with np.errstate(over="ignore"):  # inf: refused, with its reason
                sample_weight = (per_sample if sample_weight is None
                                 else sample_weight.astype(np.float64) * per_sample)
            sample_weight = weights_in_dtype(sample_weight, Y.dtype, what)
        return Y, sample_weight, {"classes_": classes_, "_multilabel": False}

    def _check_not_multilabel_before(self, first_call, incremental):
        """One column of labels cannot continue a multilabel model."""
        if self._is_multilabel() and (not first_call or (
                self.warm_start and hasattr(self, "n_iter_") and not incremental)):
            how = ("partial_fit needs the same kind of y in every chunk"
                   if incremental else
                   "warm_start=True continues training, which needs the same "
                   "kind of y; set warm_start=False to start afresh")
            raise ValueError(
                f"{type(self).__name__} was trained on a multilabel y (an "
                f"indicator matrix of {len(self.classes_)} labels), but this y "
                f"is one column of labels: {how}."
            )

    def _check_labels(self, y):
        """Class labels of one kind, which sort into ``classes_``."""
        try:
            check_classification_targets(y)
            np.unique(y)  # labels must be sortable: classes_ is sorted
        except TypeError:
            kinds = sorted({type(label).__name__ for label in np.ravel(y)})
            raise ValueError(
                f"{type(self).__name__} needs class labels of one kind, all "
                f"numbers or all strings, which can be sorted into classes_; y "
                f"mixes {', '.join(kinds)}."
            ) from None

    def _classes_of_this_call(self, y, first_call, incremental, classes):
        """``classes_``: partial_fit's ``classes`` (first call), the fitted
        ones (later calls), or y's labels (fit; warm_start keeps them)."""
        name = type(self).__name__
        if incremental and first_call:
            if classes is None:
                raise ValueError(
                    f"The first call to {name}.partial_fit must be given every "
                    f"class label with classes=…, e.g. classes=np.unique(y_all): "
                    f"later chunks may hold labels this one lacks."
                )
            classes_ = unique_labels(classes)
        elif incremental:
            classes_ = self.classes_
            if classes is not None and not np.array_equal(unique_labels(classes),
                                                          classes_):
                raise ValueError(
                    f"classes={np.asarray(classes).tolist()} differs from the classes "
                    f"{self.classes_.tolist()} given at the first call to partial_fit."
                )
        else:
            classes_ = self._labels_of_fit(y)
        if len(classes_) < 2:
            raise ValueError(
                f"{name} needs samples of at least two classes, but the data "
                f"contains only one class: {classes_.tolist()[0]!r}."
            )
        # labels outside classes_ are only possible when classes_ was given
        unknown = np.setdiff1d(y, classes_) if incremental else ()
        if len(unknown):
            raise ValueError(
                f"y contains labels {unknown.tolist()} that are not among the "
                f"classes {classes_.tolist()} given at the first call to "
                f"partial_fit."
            )
        return classes_

    def _labels_of_fit(self, y):
        """y's labels; with warm_start they must be the fitted ``classes_``."""
        labels = unique_labels(y)
        if (self.warm_start and hasattr(self, "classes_")
                and hasattr(self, "n_iter_")
                and not np.array_equal(labels, self.classes_)):
            raise ValueError(
                f"warm_start=True continues training, which needs the same "
                f"classes as before: {self.classes_.tolist()}, but y has "
                f"{labels.tolist()}. Set warm_start=False to start afresh."
            )
        return labels

    def _encode_multilabel(self, y, sample_weight, *, dtype, first_call,
                           incremental, classes):
        """:meth:`_encode_targets` for a 2-D y: a 0/1 indicator matrix (m, k)
        becomes Y = yᵀ, one row per label for k sigmoid units."""
        name = type(self).__name__
        k = y.shape[1]
        kind = type_of_target(y)
        if kind != "multilabel-indicator":
            raise ValueError(
                f"{name} takes y as one column of class labels, or as a 0/1 "
                f"indicator matrix (one column per label, 1 where the label "
                f"applies) for multilabel targets; this y has {k} columns that "
                f"are not 0/1 ({kind}). For several columns of class labels, "
                f"use sklearn.multioutput.MultiOutputClassifier({name}())."
            )
        values = np.unique(y)
        if not np.all(np.isin(values, (0, 1))):
            raise ValueError(
                f"A multilabel y must be a 0/1 indicator matrix (1 where the "
                f"label applies, 0 where not); this y holds the values "
                f"{values.tolist()}."
            )
        if self.class_weight is not None:
            raise ValueError(
                f"class_weight={self.class_weight!r} weighs the classes of one "
                f"label column, which a multilabel y (an indicator matrix of {k} "
                f"labels) does not have; MLPClassifier has no class_weight "
                f"either. Set class_weight=None and give per-sample weights "
                f"with sample_weight."
            )
        classes_ = np.arange(k)  # LabelBinarizer's classes_, as MLPClassifier
        if incremental and classes is not None:
            given = unique_labels(classes)
            if not np.array_equal(given, classes_):
                raise ValueError(
                    f"For a multilabel y the classes are the label columns: "
                    f"partial_fit's classes must be np.arange({k}) (or None), "
                    f"got classes={np.asarray(classes).tolist()}."
                )
        trained_before = not first_call or (
            self.warm_start and hasattr(self, "n_iter_") and not incremental)
        if trained_before and not (self._is_multilabel()
                                   and len(self.classes_) == k):
            before = (f"a multilabel y of {len(self.classes_)} labels"
                      if self._is_multilabel()
                      else f"one column of labels {self.classes_.tolist()}")
            how = ("partial_fit needs the same kind of y in every chunk"
                   if incremental else
                   "warm_start=True continues training, which needs the same "
                   "kind of y; set warm_start=False to start afresh")
            raise ValueError(
                f"{name} was trained on {before}, but this y is an indicator "
                f"matrix of {k} labels: {how}."
            )
        Y = np.asarray(y.T, dtype=dtype)
        return Y, sample_weight, {"classes_": classes_, "_multilabel": True}

    def fit(self, X, y, sample_weight=None):
        """Train by gradient descent on (X, y).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (float64 or float32; other types become float64).
            A scipy sparse matrix or array stays sparse: CSR as given, any
            other format converted to CSR once.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels (ints, strings, …), or a 0/1 indicator matrix for
            multilabel targets (one sigmoid unit per label; early stopping
            then holds out an unstratified share, as MLPClassifier).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the cost: J = Σ sᵢ Lᵢ / Σ sᵢ.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit_with_callbacks(X, y, sample_weight)

    @available_if(_stochastic_solver)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch of gradient descent over the chunk (X, y).

        With ``batch_size=None`` that is one full-batch step on the chunk.
        Repeated calls stream data that does not fit in memory.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training data (sparse: as for ``fit``).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Its labels, or its 0/1 indicator matrix (multilabel).
        classes : array-like of shape (n_classes,), default=None
            Every label that will ever appear; required on the first call.
            For a multilabel y the classes are the label columns: None or
            ``np.arange(n_labels)``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample.

        Returns
        -------
        self : object
            The estimator, trained one more epoch.
        """
        return self._partial_fit_with_callbacks(X, y, classes, sample_weight)

    def decision_function(self, X):
        """Z[L], the output layer's pre-activation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) for two classes (the logit of
            ``classes_[1]``), else (n_samples, n_classes); (n_samples,
            n_labels), one logit per label, for a multilabel model
        """
        Z, _ = self._forward(X, "decision_function")
        return copy_array(Z[0, ...]) if Z.shape[0] == 1 else copy_array(Z.T)

    def predict_proba(self, X):
        """Class probabilities A[L] = ŷ, in the order of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Each row sums to 1. For a multilabel model, (n_samples, n_labels):
            the probability of each label, σ(z), independently.
        """
        Z, A = self._forward(X, "predict_proba")
        if self._is_multilabel():
            return copy_array(A.T)
        if A.shape[0] == 1:
            # 1 − σ(z) = σ(−z), computed directly: a small probability of
            # classes_[0] keeps its digits instead of cancelling to 0
            return _columns(sigmoid(-Z[0, ...]), A[0, ...])
        return copy_array(A.T)

    def predict_log_proba(self, X):
        """log ŷ, computed from the logits so it is finite for any finite Z[L].

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes), or (n_samples,
            n_labels) for a multilabel model: log σ(z) of each label
        """
        Z, _ = self._forward(X, "predict_log_proba")
        if self._is_multilabel():
            return log_sigmoid(Z).T
        if Z.shape[0] == 1:
            return _columns(log_sigmoid(-Z[0, ...]), log_sigmoid(Z[0, ...]))
        return log_softmax(Z).T

    def predict(self, X):
        """The most probable class, ``classes_[argmax(predict_proba(X))]``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,), or for a multilabel model the
            0/1 indicator matrix (n_samples, n_labels) of ints: 1 where
            σ(z) > ½, i.e. z > 0
        """
        Z, _ = self._forward(X, "predict")
        xp, is_numpy = namespace(Z)
        if is_numpy:
            if self._is_multilabel():
                return (Z.T > 0).astype(int)
            if Z.shape[0] == 1:
                index = (Z[0] > 0).astype(np.intp)
            else:
                index = np.argmax(Z, axis=0)
            return self.classes_[index]
        if self._is_multilabel():
            return xp.astype(Z.T > 0, xp.int64)
        index = (xp.astype(Z[0, ...] > 0, xp.int64) if Z.shape[0] == 1
                 else xp.argmax(Z, axis=0))
        if namespace(self.classes_)[1]:  # labels NumPy holds only (strings)
            return self.classes_[asnumpy(index)]
        return xp.take(self.classes_, index, axis=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        tags.classifier_tags.multi_label = True
        return tags
