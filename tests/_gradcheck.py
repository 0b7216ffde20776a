"""The package's gradients beside central differences of its own cost.

tests/_reference.py is the plain numpy transcription of the lecture (it
imports nothing of sknnbasics); this helper puts the package's
backward_propagation next to the numerical gradient of its compute_cost, for
the gradient checks of every output layer."""

from _reference import numerical_gradient

from sknnbasics._network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
)


def package_gradients(X, Y, parameters, hidden, output, s=None, alpha=0.0):
    """(numerical, analytical): central differences of J = compute_cost at
    ``parameters`` and backward_propagation's dW[l], db[l], as dicts with the
    same keys."""
    cache = forward_propagation(X, parameters, hidden, output)
    grads = backward_propagation(cache, Y, parameters, hidden, output, s, alpha)

    def J():
        return compute_cost(forward_propagation(X, parameters, hidden, output), Y,
                            parameters, output, s, alpha)

    numerical = numerical_gradient(J, parameters, eps=1e-6)
    return numerical, {k: grads[k] for k in numerical}
