"""What the training loop calls after every iteration: ``verbose`` printing and
scikit-learn's callbacks (``ProgressBar``, ``ScoringMonitor``, … in
scikit-learn >= 1.9; nothing to call in older versions)."""

from ._array_api import copy as copy_array

try:  # scikit-learn >= 1.9: the callback protocol (ProgressBar, ScoringMonitor)
    from sklearn.callback import CallbackSupportMixin, with_callbacks
except ImportError:  # older scikit-learn: no callbacks to call
    class CallbackSupportMixin:
        """Nothing to add when scikit-learn has no callback protocol."""

    def with_callbacks(method):
        return method


class CallbackHooks:
    """Per-iteration hooks: ``verbose`` printing and scikit-learn callbacks.

    Every iteration is one callback task (a subcontext of the fit task); a
    callback whose ``on_fit_task_end`` returns True stops training.
    """

    def __init__(self, estimator, context, X, y, metadata, parameters, fitted):
        self.estimator = estimator
        self.fitted = fitted  # the fitted attributes known before training
        self.context = context
        self.X, self.y, self.metadata = X, y, metadata
        self.parameters = parameters
        self.subcontext = None

    def iteration_begin(self, iteration):
        if self.context is not None:
            self.subcontext = self.context.subcontext(task_name="iteration")
            self.subcontext.call_on_fit_task_begin(
                estimator=self.estimator, X=self.X, y=self.y, metadata=self.metadata
            )

    def iteration_end(self, iteration, history):
        if self.estimator.verbose:  # any true value: every iteration (as MLP)
            print(iteration_line(iteration, history))
        if self.subcontext is None:
            return False
        return self.subcontext.call_on_fit_task_end(
            estimator=self.estimator,
            X=self.X,
            y=self.y,
            metadata=self.metadata,
            reconstruction_attributes=lambda: {
                **self.fitted,
                **self.estimator._fitted_attributes(
                    {k: copy_array(v) for k, v in self.parameters.items()}, history),
            },
        )


def iteration_line(iteration, history):
    """The line ``verbose`` prints after an iteration (MLP's, with α's J)."""
    line = f"Iteration {iteration + 1}, cost = {history.loss_curve[-1]:.8f}"
    if history.validation_loss_curve:
        line += f", validation cost = {history.validation_loss_curve[-1]:.8f}"
    if history.validation_scores:
        line += f", validation score = {history.validation_scores[-1]:.6f}"
    return line


def begin_fit_task(estimator, X, y, sample_weight):
    """(context, context for the iterations, metadata): the fit's callback
    task, begun; the iterations get their own subtasks only when a callback
    (or a parent meta-estimator's) listens."""
    if not hasattr(estimator, "_init_callback_context"):
        return None, None, None
    context = estimator._init_callback_context(max_subtasks=estimator.max_iter)
    metadata = {"sample_weight": sample_weight}
    context.call_on_fit_task_begin(estimator=estimator, X=X, y=y,
                                   metadata=metadata)
    listening = (getattr(estimator, "_skl_callbacks", None)
                 or hasattr(estimator, "_parent_callback_ctx"))
    return context, (context if listening else None), metadata


def end_fit_task(estimator, context, X, y, metadata):
    """End the fit's callback task (begun by :func:`begin_fit_task`)."""
    if context is not None:
        context.call_on_fit_task_end(
            estimator=estimator, X=X, y=y, metadata=metadata,
            reconstruction_attributes={},
        )
