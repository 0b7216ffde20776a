"""MLPClassifier's spellings, recognised in the errors that refuse them.

A grid copied from MLPClassifier / MLPRegressor hits these first: the values
are refused (scikit-learn's ``InvalidParameterError``, as before) and the
message adds what MLP meant and how this package spells it.
"""

from sklearn.utils._param_validation import InvalidParameterError

_PAGE = ("See 'Coming from MLPClassifier' in the user guide for every "
         "difference.")

# (hyperparameter, MLP's value) → MLP's meaning and this package's spelling
_HINTS = {
    ("activation", "logistic"): (
        "MLPClassifier's activation='logistic' is activation='sigmoid' here "
        "(the lecture's σ)."
    ),
    ("solver", "sgd"): (
        "MLPClassifier's solver='sgd' is solver='gd' here (the lecture's "
        "gradient descent, on mini-batches when batch_size is set); MLP's "
        "momentum=0.9 and nesterovs_momentum=True must be given, since "
        "momentum defaults to 0 here."
    ),
}
for _schedule in ("constant", "invscaling", "adaptive"):
    _HINTS["learning_rate", _schedule] = (
        f"MLPClassifier's learning_rate={_schedule!r} is the step-size "
        f"schedule, learning_rate_schedule={_schedule!r} here; learning_rate "
        f"here is α, MLP's learning_rate_init (a number, or 'auto')."
    )


def mlp_spelling_hint(params):
    """The hints for every MLP spelling among ``params``, as one string ("" if
    none)."""
    hints = []
    for name, value in params.items():
        if isinstance(value, str) and (name, value) in _HINTS:
            hints.append(_HINTS[name, value])
    return " ".join(hints + [_PAGE]) if hints else ""


class MLPSpellingsMixin:
    """Adds :func:`mlp_spelling_hint` to a refused hyperparameter's error."""

    def _validate_params(self):
        try:
            super()._validate_params()
        except InvalidParameterError as error:
            hint = mlp_spelling_hint(self.get_params(deep=False))
            if not hint:
                raise
            raise InvalidParameterError(f"{error} {hint}") from error
