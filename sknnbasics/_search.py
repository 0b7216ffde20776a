"""The grid search of ``fit`` and ``demo``, with a progress line and the
warnings of its fits summarised."""

import math
import sys
import time

from sklearn.model_selection import GridSearchCV, StratifiedKFold


class _Progress:
    """A progress line on ``stream`` counting finished fits.

    On a terminal it is rewritten in place (carriage return) after each fit;
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

    def advance(self):
        self.done += 1
        if self.live:
            self._show(f"{self.label}: {self.done}/{self.total} fits")

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
    """Accuracy (the estimator's ``score``) that advances a :class:`_Progress`.

    GridSearchCV calls its scorer once per fitted (candidate, fold); with
    ``n_jobs=1`` it does so in this process, so the count is live.
    """

    def __init__(self, progress):
        self.progress = progress

    def __call__(self, estimator, X, y):
        score = estimator.score(X, y)
        self.progress.advance()
        return score



def _search(pipeline, param_grid, X, y, cv, label):
    """GridSearchCV over ``param_grid`` with a live progress line; returns the
    fitted search. One candidate (an empty grid) is plain cross-validation."""
    n_candidates = math.prod(len(values) for values in param_grid.values())
    progress = _Progress(label, n_candidates * cv)
    search = GridSearchCV(
        pipeline, param_grid or [{}],
        cv=StratifiedKFold(cv, shuffle=True, random_state=0),
        scoring=_CountingScorer(progress), error_score="raise", n_jobs=1,
    )
    try:
        search.fit(X, y)
    except BaseException:
        progress.close(failed=True)
        raise
    progress.close()
    return search


def _best_scores(search):
    i = search.best_index_
    return (search.cv_results_["mean_test_score"][i],
            search.cv_results_["std_test_score"][i])

def _describe_params(params):
    return ", ".join(f"{name.split('__')[-1]}={value!r}"
                     for name, value in sorted(params.items()))

