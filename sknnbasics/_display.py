"""The cost J per iteration as a picture (lecture §五 参数 VS 超参数).

"选择超参数一定范围内的值，分别代入神经网络进行训练，测试成本函数随着迭代次数增加
的变化": :class:`CostCurveDisplay` draws that comparison in one call, in the
style of scikit-learn's displays (``from_estimator``, ``from_estimators``,
``plot(ax=...)``). matplotlib is optional: it is imported only when a curve is
drawn.
"""

import numbers
from collections.abc import Sequence

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted


def _final_estimator(estimator):
    """The step that was trained: the last one of a (nested) Pipeline."""
    while isinstance(estimator, Pipeline):
        estimator = estimator[-1]
    return estimator


def _fitted_curves(estimator, caller):
    """(loss_curve_, validation_loss_curve_ or None) of a fitted estimator."""
    try:
        check_is_fitted(estimator)
    except NotFittedError as error:
        raise NotFittedError(
            f"{caller} needs fitted estimators, and this "
            f"{type(estimator).__name__} is not fitted yet: call its fit method "
            "first."
        ) from error
    except TypeError as error:  # not an estimator at all
        raise TypeError(
            f"{caller} plots fitted estimators; got {estimator!r}, which is not "
            "a scikit-learn estimator."
        ) from error
    final = _final_estimator(estimator)
    if not hasattr(final, "loss_curve_"):
        raise ValueError(
            f"{caller} plots the cost J each iteration recorded in "
            f"loss_curve_, and {type(final).__name__} has no loss_curve_. Pass "
            "estimators trained by gradient descent: LogisticGD, "
            "ShallowNetClassifier, DeepNetClassifier, ShallowNetRegressor, "
            "DeepNetRegressor (alone or as the last step of a Pipeline)."
        )
    validation = getattr(final, "validation_loss_curve_", None)
    return list(final.loss_curve_), None if validation is None else list(validation)


def _same(a, b):
    """Whether two hyperparameter values are equal (arrays, NaN included)."""
    if a is b:
        return True
    try:
        equal = bool(np.all(a == b)) and np.shape(a) == np.shape(b)
    except (TypeError, ValueError):
        equal = False
    return equal or repr(a) == repr(b)


def _holds_estimators(value):
    """An estimator, or a ``steps``-like list of (name, estimator) pairs: its
    hyperparameters appear on their own in ``get_params(deep=True)``."""
    if hasattr(value, "get_params") and not isinstance(value, type):
        return True
    return isinstance(value, list | tuple) and any(
        isinstance(item, tuple) and any(_holds_estimators(x) for x in item)
        for item in value)


def _hyperparameters(estimator):
    """The hyperparameters as the label shows them: those of the trained step
    without its ``name__`` prefix, other steps' with it."""
    params = {key: value for key, value in estimator.get_params(deep=True).items()
              if not _holds_estimators(value)}
    if isinstance(estimator, Pipeline):
        prefix = f"{estimator.steps[-1][0]}__"
        params = {key.removeprefix(prefix): value for key, value in params.items()}
    return params


def _differing_labels(estimators):
    """One label per estimator naming only what differs between them: the
    trained step's class when the classes differ, then ``name=value`` for each
    hyperparameter whose value is not the same in all of them."""
    params = [_hyperparameters(estimator) for estimator in estimators]
    classes = [type(_final_estimator(estimator)).__name__ for estimator in estimators]
    keys = sorted(set().union(*params))
    differing = [key for key in keys
                 if not all(key in p for p in params)
                 or not all(_same(params[0][key], p[key]) for p in params[1:])]
    labels = []
    for name, p in zip(classes, params, strict=True):
        values = ", ".join(f"{key}={p[key]!r}" for key in differing if key in p)
        if len(set(classes)) > 1 or not values:
            values = f"{name}: {values}" if values else name
        labels.append(values)
    return labels


class CostCurveDisplay:
    """The cost J against the iteration, for one or several fitted estimators.

    The picture the lecture draws to choose hyperparameters (§五): each
    estimator's ``loss_curve_`` (the cost J of every iteration of gradient
    descent) as a solid line and, when the estimator was fitted with
    ``early_stopping=True``, its ``validation_loss_curve_`` (the cost on the
    held-out rows) dashed in the same colour. Each curve is labelled with the
    hyperparameters that differ between the estimators, and only those.

    Build it with :meth:`from_estimator`, :meth:`from_estimators` or
    :meth:`from_search` (the best candidates of a fitted
    :class:`~sklearn.model_selection.GridSearchCV`, refitted); the constructor
    takes curves that are already computed. All attributes are stored as
    given.

    Parameters
    ----------
    loss_curves : list of list of float
        The training cost J of each iteration, one list per curve.
    validation_loss_curves : list of (list of float or None), default=None
        The validation cost of each iteration, one entry per curve (None for a
        curve without one). None: no validation curves.
    names : list of str, default=None
        The legend label of each curve. None: ``"curve 1"``, ``"curve 2"``, ….

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The training cost curves, one per entry of ``loss_curves``.
    validation_lines_ : list of (matplotlib Line2D or None)
        The dashed validation cost curves, None where there is none.
    ax_ : matplotlib Axes
        The axes the curves are drawn on.
    figure_ : matplotlib Figure
        The figure of ``ax_``.

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : Scores against the number
        of training samples rather than the iteration.
    sklearn.model_selection.GridSearchCV : The search :meth:`from_search`
        draws.

    Notes
    -----
    Point i of a curve (i = 1, …, N) is iteration i: J computed in that
    iteration's forward propagation, before its update (for mini-batches, the
    mean over the epoch), and the validation cost of the weights the
    iteration ends with.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from sknnbasics import CostCurveDisplay, LogisticGD
    >>> from sknnbasics.datasets import make_flower
    >>> X, y = make_flower(n_samples=200, random_state=0)
    >>> models = [LogisticGD(learning_rate=rate, max_iter=50, tol=None).fit(X, y)
    ...           for rate in (0.01, 0.1)]
    >>> ax = Figure().subplots()
    >>> display = CostCurveDisplay.from_estimators(models, ax=ax)
    >>> [line.get_label() for line in display.lines_]
    ['learning_rate=0.01', 'learning_rate=0.1']
    >>> list(display.lines_[0].get_ydata()) == models[0].loss_curve_
    True
    """

    def __init__(self, *, loss_curves, validation_loss_curves=None, names=None):
        self.loss_curves = loss_curves
        self.validation_loss_curves = validation_loss_curves
        self.names = names

    def plot(self, ax=None, *, names=None, log_scale=False, curve_kwargs=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None draws on a new figure.
        names : list of str, default=None
            Legend labels, one per curve; None uses ``self.names``.
        log_scale : bool, default=False
            Draw J on a logarithmic axis: curves that fall by orders of
            magnitude stay readable side by side.
        curve_kwargs : dict or list of dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for every
            curve (a dict) or for each curve (a list, one dict per curve). A
            validation curve takes the same arguments, in its training curve's
            colour and dashed.

        Returns
        -------
        display : CostCurveDisplay
            This object, with ``lines_``, ``validation_lines_``, ``ax_`` and
            ``figure_`` set.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt
        from matplotlib.cbook import normalize_kwargs
        from matplotlib.lines import Line2D

        n_curves = len(self.loss_curves)
        if n_curves == 0:
            raise ValueError(f"{type(self).__name__} has no curve to draw: "
                             "loss_curves is empty.")
        validation = self.validation_loss_curves
        if validation is None:
            validation = [None] * n_curves
        names = self.names if names is None else names
        if names is None:
            names = [f"curve {i}" for i in range(1, n_curves + 1)]
        if curve_kwargs is None or isinstance(curve_kwargs, dict):
            curve_kwargs = [curve_kwargs or {}] * n_curves
        for what, given in (("validation_loss_curves", validation),
                            ("names", names), ("curve_kwargs", curve_kwargs)):
            if len(given) != n_curves:
                raise ValueError(
                    f"{what} has {len(given)} entries, and there are {n_curves} "
                    "loss curves: give one entry per curve.")
        if not isinstance(log_scale, bool | np.bool_):
            raise ValueError(f"log_scale must be True or False; got {log_scale!r}.")

        if ax is None:
            _, ax = plt.subplots()
        self.lines_, self.validation_lines_ = [], []
        for curve, held_out, name, kwargs in zip(
                self.loss_curves, validation, names, curve_kwargs, strict=True):
            kwargs = {"label": name, **normalize_kwargs(kwargs, Line2D)}
            (line,) = ax.plot(np.arange(1, len(curve) + 1), curve, **kwargs)
            self.lines_.append(line)
            if held_out is None:
                self.validation_lines_.append(None)
                continue
            dashed = {**kwargs, "label": f"{kwargs['label']} (validation)",
                      "color": line.get_color(), "linestyle": "--"}
            (line,) = ax.plot(np.arange(1, len(held_out) + 1), held_out, **dashed)
            self.validation_lines_.append(line)
        ax.set_xlabel("iteration")
        ax.set_ylabel("cost J")
        if log_scale:
            ax.set_yscale("log")
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, name=None, ax=None, log_scale=False,
                       curve_kwargs=None):
        """The cost curve of one fitted estimator.

        Parameters
        ----------
        estimator : estimator or Pipeline
            A fitted sknnbasics estimator, or a fitted Pipeline whose last
            step is one.
        name : str, default=None
            The legend label; None: the class name of the trained step.
        ax : matplotlib Axes, default=None
            Where to draw; None draws on a new figure.
        log_scale : bool, default=False
            Draw J on a logarithmic axis.
        curve_kwargs : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot`.

        Returns
        -------
        display : CostCurveDisplay
        """
        names = None if name is None else [name]
        return cls.from_estimators([estimator], names=names, ax=ax,
                                   log_scale=log_scale, curve_kwargs=curve_kwargs)

    @classmethod
    def from_estimators(cls, estimators, *, names=None, ax=None, log_scale=False,
                        curve_kwargs=None):
        """The cost curves of several fitted estimators on one axes.

        Parameters
        ----------
        estimators : list of estimator or Pipeline
            Fitted sknnbasics estimators, or fitted Pipelines whose last step
            is one.
        names : list of str, default=None
            The legend labels; None: the hyperparameters that differ between
            the estimators, as ``name=value`` (with the class name of the
            trained step when the classes differ; a Pipeline's other steps
            keep their ``step__`` prefix).
        ax : matplotlib Axes, default=None
            Where to draw; None draws on a new figure.
        log_scale : bool, default=False
            Draw J on a logarithmic axis.
        curve_kwargs : dict or list of dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot`, for every
            curve or one dict per curve.

        Returns
        -------
        display : CostCurveDisplay
        """
        caller = f"{cls.__name__}.from_estimators"
        if (not isinstance(estimators, Sequence) or isinstance(estimators, str)
                or isinstance(estimators, Pipeline)):
            raise TypeError(f"{caller} takes a list of fitted estimators; got "
                            f"{type(estimators).__name__}.")
        if len(estimators) == 0:
            raise ValueError(f"{caller} needs at least one fitted estimator; "
                             "got an empty list.")
        curves = [_fitted_curves(estimator, caller) for estimator in estimators]
        if names is None:
            names = _differing_labels(estimators)
        display = cls(loss_curves=[training for training, _ in curves],
                      validation_loss_curves=[held_out for _, held_out in curves],
                      names=names)
        return display.plot(ax=ax, log_scale=log_scale, curve_kwargs=curve_kwargs)

    @classmethod
    def from_search(cls, search, X, y=None, *, candidates=4, fit_params=None,
                    n_jobs=None, ax=None, log_scale=False, curve_kwargs=None):
        """The cost curves of a search's candidates, refitted on ``X, y``.

        The lecture's §五 in one call: a fitted
        :class:`~sklearn.model_selection.GridSearchCV` (or
        :class:`~sklearn.model_selection.RandomizedSearchCV`) has compared
        hyperparameter values by their validation score; this refits a clone
        of ``search.estimator`` with each chosen candidate's ``params`` on
        ``X, y`` and draws their cost curves, labelled with their rank and
        the hyperparameters that differ between them.

        Parameters
        ----------
        search : fitted GridSearchCV or RandomizedSearchCV
            The search; its ``cv_results_`` names the candidates.
        X : array-like of shape (n_samples, n_features)
            The training data the candidates are refitted on.
        y : array-like of shape (n_samples,), default=None
            The targets.
        candidates : int or list of int, default=4
            An int k: the k best candidates by rank (``rank_test_score``, or
            ``rank_test_<refit>`` for several metrics). A list: indices into
            ``search.cv_results_["params"]``, drawn in that order.
        fit_params : dict, default=None
            Keyword arguments of each refit's ``fit`` (e.g.
            ``sample_weight``).
        n_jobs : int, default=None
            Refits run in parallel (joblib); None means 1.
        ax : matplotlib Axes, default=None
            Where to draw; None draws on a new figure.
        log_scale : bool, default=False
            Draw J on a logarithmic axis.
        curve_kwargs : dict or list of dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot`, for every
            curve or one dict per curve.

        Returns
        -------
        display : CostCurveDisplay
            With ``estimators_``, the refitted candidates, and ``candidates_``,
            their indices in ``cv_results_``, set.
        """
        caller = f"{cls.__name__}.from_search"
        if not (hasattr(search, "estimator") and hasattr(search, "get_params")
                and hasattr(type(search), "fit")):
            raise TypeError(f"{caller} takes a fitted GridSearchCV or "
                            f"RandomizedSearchCV; got {type(search).__name__}.")
        if not hasattr(search, "cv_results_"):
            raise NotFittedError(f"{caller} needs a fitted search, and this "
                                 f"{type(search).__name__} is not fitted yet: "
                                 "call its fit method first.")
        indices = cls._candidate_indices(search, candidates, caller)
        results = search.cv_results_
        refits = Parallel(n_jobs=n_jobs)(
            delayed(_refit)(search.estimator, results["params"][i], X, y,
                            fit_params or {})
            for i in indices)
        rank_key = cls._rank_key(search)
        labels = _differing_labels(refits)
        if rank_key is not None:
            labels = [f"rank {results[rank_key][i]}: {label}"
                      for i, label in zip(indices, labels, strict=True)]
        display = cls.from_estimators(refits, names=labels, ax=ax,
                                      log_scale=log_scale, curve_kwargs=curve_kwargs)
        display.estimators_, display.candidates_ = refits, indices
        return display

    @staticmethod
    def _rank_key(search):
        """The ``cv_results_`` column that ranks the candidates, or None."""
        if "rank_test_score" in search.cv_results_:
            return "rank_test_score"
        if isinstance(search.refit, str):
            return f"rank_test_{search.refit}"
        return None

    @classmethod
    def _candidate_indices(cls, search, candidates, caller):
        n_candidates = len(search.cv_results_["params"])
        if isinstance(candidates, numbers.Integral) and not isinstance(candidates,
                                                                       bool):
            if not 1 <= candidates <= n_candidates:
                raise ValueError(
                    f"candidates={candidates} asks for that many best candidates, "
                    f"and the search has {n_candidates}: pass an int from 1 to "
                    f"{n_candidates}, or a list of indices into "
                    "cv_results_['params'].")
            rank_key = cls._rank_key(search)
            if rank_key is None:
                raise ValueError(
                    f"candidates={candidates} asks for the best candidates, and "
                    "this search, scored by several metrics without a refit "
                    "metric, has no single rank: pass a list of indices into "
                    "cv_results_['params'].")
            ranks = np.asarray(search.cv_results_[rank_key])
            return [int(i) for i in np.argsort(ranks, kind="stable")[:candidates]]
        if isinstance(candidates, Sequence) and not isinstance(candidates, str):
            bad = [i for i in candidates
                   if not isinstance(i, numbers.Integral) or isinstance(i, bool)
                   or not 0 <= i < n_candidates]
            if not candidates or bad:
                raise ValueError(
                    f"candidates must be a non-empty list of indices into "
                    f"cv_results_['params'], from 0 to {n_candidates - 1}; got "
                    f"{list(candidates)!r}.")
            return [int(i) for i in candidates]
        raise ValueError(
            "candidates must be an int (that many best candidates) or a list of "
            f"indices into cv_results_['params']; got {candidates!r}.")


def _refit(estimator, params, X, y, fit_params):
    return clone(estimator).set_params(**params).fit(X, y, **fit_params)
