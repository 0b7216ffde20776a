"""The grid search of ``fit`` and ``demo``, with a progress line and the
warnings of its fits summarised."""

import math
import sys
import time

from sklearn.base import is_classifier
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold


class _Progress:
    """A progress line on ``stream`` counting finished fits.

    On a terminal it is rewritten in place (carriage return) after each fit
    and replaced by the final line (count and time) when the search ends;
    elsewhere (a file, a pipe, a test) only the final line is written, so logs
    stay readable.
    """

    def __init__(self, label, total, stream=None):
        self.label, self.total, self.done = label, total, 0
        self.stream = sys.stderr if stream is None else stream
        try:
            self.live = self.stream is not None and self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            self.live = False
        self.start = time.perf_counter()
        self._width = 0
        if self.live:
            self._show(f"{self.label}: 0/{self.total} fits")

    def _show(self, text, end=""):
        padded = text.ljust(self._width)
        self._width = len(text)
        self.stream.write(("\r" if self.live else "") + padded + end)
        self.stream.flush()

    def advance(self, note=""):
        self.done += 1
        if self.live:
            self._show(f"{self.label}: {self.done}/{self.total} fits{note}")

    def close(self, failed=False):
        """End the line: with the count and the time, or as it is on failure."""
        if self.stream is None:
            return
        if failed:
            if self.live:
                self.stream.write("\n")
            return
        seconds = time.perf_counter() - self.start
        self._show(f"{self.label}: {self.done}/{self.total} fits in {seconds:.1f} s",
                   end="\n")


class _CountingScorer:
    """A scorer that advances a :class:`_Progress` after each call.

    GridSearchCV calls its scorer once per fitted (candidate, fold); with
    ``n_jobs=1`` it does so in this process, so the count is live. After the
    last of the ``n_scored`` fits the line says that the refit of the best
    candidate is running.
    """

    def __init__(self, scorer, progress, n_scored):
        self.scorer, self.progress, self.n_scored = scorer, progress, n_scored

    def __call__(self, estimator, X, y):
        score = self.scorer(estimator, X, y)
        last = self.progress.done + 1 == self.n_scored
        self.progress.advance(" (refitting the best)" if last else "")
        return score


def _search(pipeline, param_grid, X, y, cv, label, scoring="accuracy", n_jobs=1):
    """GridSearchCV over ``param_grid`` with a progress line; returns the
    fitted search. One candidate (an empty grid) is plain cross-validation.

    ``cv`` is a number of folds (stratified for a classifier, shuffled with
    seed 0) and ``scoring`` a scikit-learn scorer name. The progress line
    counts the ``candidates × cv`` cross-validation fits and the refit of the
    best candidate on all of ``X, y``. With ``n_jobs=1`` it counts each fit as
    it ends; otherwise the fits run in other processes and only the final
    count is shown. The returned search scores with the plain scorer, so that
    a later ``search.score`` does not count as a fit.
    """
    n_candidates = math.prod(len(values) for values in param_grid.values())
    n_scored = n_candidates * cv
    progress = _Progress(label, n_scored + 1)  # + the refit
    scorer = get_scorer(scoring)
    splitter = (StratifiedKFold if is_classifier(pipeline) else KFold)(
        cv, shuffle=True, random_state=0)
    search = GridSearchCV(
        pipeline, param_grid or [{}], cv=splitter,
        scoring=(_CountingScorer(scorer, progress, n_scored) if n_jobs == 1
                 else scorer),
        error_score="raise", n_jobs=n_jobs,
    )
    try:
        search.fit(X, y)
    except BaseException:
        progress.close(failed=True)
        raise
    search.scorer_ = scorer
    progress.done = progress.total
    progress.close()
    return search


def _best_scores(search):
    i = search.best_index_
    return (search.cv_results_["mean_test_score"][i],
            search.cv_results_["std_test_score"][i])


def _describe_params(params):
    return ", ".join(f"{name.split('__')[-1]}={value!r}"
                     for name, value in sorted(params.items()))
