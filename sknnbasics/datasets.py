"""Small teaching data sets.

The lecture's shallow network (三. 浅层神经网络) is usually shown on the planar
"flower": two classes of points whose petals interleave, so that no straight
line separates them while one hidden layer does. :func:`make_flower` draws it,
of any size and noise, from any seed; :func:`make_course_flower` returns the
course's own 400 points, drawn exactly as its notebook draws them, so that its
published costs and accuracies can be reproduced.

For other planar toy problems use scikit-learn's own generators
(:func:`sklearn.datasets.make_moons`, :func:`sklearn.datasets.make_circles`,
:func:`sklearn.datasets.make_blobs`); this module does not repeat them.
"""

import numbers

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_course_flower", "make_flower"]


def make_flower(n_samples=400, *, noise=0.2, petals=4, radius=4.0, random_state=None):
    r"""Generate the planar two-class "flower" data set.

    Each class gets half of the points (class 0 gets the extra point when
    `n_samples` is odd). Class :math:`j \in \{0, 1\}` walks its own half-turn
    of angles and traces a rose curve along it:

    .. math::

        \theta &= \mathrm{linspace}(j\pi, (j + 1)\pi) + \text{noise}\cdot\epsilon_1

        r &= \text{radius}\cdot\sin(\text{petals}\cdot(\theta - j\pi))
             + \text{noise}\cdot\epsilon_2

        x &= (r \sin\theta,\; r \cos\theta)

    with :math:`\epsilon_1, \epsilon_2 \sim \mathcal{N}(0, 1)` drawn for every
    point. Where :math:`r < 0` the point lands on the opposite side of the
    origin, which is what makes the petals of the two classes interleave.

    Parameters
    ----------
    n_samples : int, default=400
        Total number of points, at least 2.
    noise : float, default=0.2
        Standard deviation of the gaussian noise added both to the angle
        :math:`\theta` and to the radius :math:`r`. ``0`` gives points exactly
        on the curve.
    petals : int, default=4
        The angular frequency of the rose curve :math:`\sin(\text{petals}\cdot
        \theta)`: the larger, the more (and thinner) petals.
    radius : float, default=4.0
        Length of the petals: no noise-free point lies farther than `radius`
        from the origin.
    random_state : int, RandomState instance or None, default=None
        Seed or generator for the noise. Pass an int for reproducible output.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), dtype float64
        The points, one per row. Rows are grouped by class: class 0 first.
    y : ndarray of shape (n_samples,), dtype int64
        The class of each point, 0 or 1.

    Notes
    -----
    This is the planar data set of the deep-learning course that the lecture
    follows (``load_planar_dataset``), returned in scikit-learn's orientation
    (one sample per row) instead of the course's (one sample per column).
    For an even number of petals, such as the default 4, the shift
    :math:`\theta - j\pi` changes nothing and the curve is the course's
    :math:`r = \text{radius}\cdot\sin(\text{petals}\cdot\theta)`. For an odd
    number it keeps the classes apart: without it both classes would trace the
    very same petals.

    Examples
    --------
    >>> from sknnbasics.datasets import make_flower
    >>> X, y = make_flower(n_samples=6, random_state=0)
    >>> X.shape, y.shape
    ((6, 2), (6,))
    >>> y
    array([0, 0, 0, 1, 1, 1])
    >>> X, y = make_flower(n_samples=5, random_state=0)
    >>> y
    array([0, 0, 0, 1, 1])
    """
    _check_int(n_samples, "n_samples", minimum=2)
    _check_real(noise, "noise", "a finite number >= 0", lambda v: v >= 0)
    _check_int(petals, "petals", minimum=1)
    _check_real(radius, "radius", "a finite number > 0", lambda v: v > 0)

    rng = check_random_state(random_state)
    class_sizes = (n_samples - n_samples // 2, n_samples // 2)
    return _petals(rng, class_sizes, np.pi, radius, petals, noise, shift=True)


# The course's recipe (week 3, ``load_planar_dataset``): 400 points, 200 per
# class, petals of length 4, noise 0.2, half-turns of 3.12 rad (not π), drawn
# from ``np.random.seed(1)``.
_COURSE_SEED = 1
_COURSE_POINTS_PER_CLASS = 200
_COURSE_HALF_TURN = 3.12
_COURSE_PETAL_LENGTH = 4
_COURSE_NOISE = 0.2


def make_course_flower():
    r"""Return the course's planar "flower", the very 400 points of its notebook.

    The deep-learning course that the lecture follows trains its shallow
    network (week 3) on this data set. It is drawn as the course draws it,
    operation for operation and draw for draw, so that the course's numbers
    come out of the package. For class :math:`j = 0, 1`, with N = 200 and
    a = 4:

    .. math::

        t &= \mathrm{linspace}(3.12\,j,\; 3.12\,(j + 1),\; N)
             + 0.2\,\epsilon_1

        r &= a \sin(4t) + 0.2\,\epsilon_2

        x &= (r \sin t,\; r \cos t)

    where :math:`\epsilon_1` (the N noises of the angle) and then
    :math:`\epsilon_2` (the N noises of the radius) are drawn, class 0 first,
    from one ``numpy.random.RandomState(1)``, the generator behind the course's
    ``np.random.seed(1)``; ``randn`` and ``standard_normal`` draw the same
    numbers. The global random state is never touched.

    With the lecture's gradient descent, ``lecture(ShallowNetClassifier,
    n_hidden=4, learning_rate=1.2, max_iter=10000, random_state=2)`` gives
    the course's cost 0.693048 at iteration 0, 0.288083 at 1000 and 0.217504
    at 7000; with 5000 iterations, 1, 2, 3, 4 and 5 hidden units reach the
    course's training accuracies 67.5 %, 67.25 %, 90.75 %, 90.5 % and
    91.25 %. (Past about iteration 7000 at α = 1.2 the weights oscillate and
    the last digits depend on rounding: a change of one unit in the last
    place of the starting weights moves the cost at iteration 8000 in its
    fourth decimal, the accuracy after 10000 iterations between 90.5 % and
    90.75 %, and that of 20 or 50 hidden units by 0.5 %; the course's own
    90.0 % and 90.25 % for those are one of the two outcomes each.)

    Returns
    -------
    X : ndarray of shape (400, 2), dtype float64
        The points, one per row (the course's ``X.T``): class 0 in rows
        0–199, class 1 in rows 200–399.

    y : ndarray of shape (400,), dtype int64
        The class of each point, 0 or 1 (the course's ``Y`` flattened).

    See Also
    --------
    make_flower : The same kind of flower with π for the half-turn, of any
        size, noise and seed.

    Notes
    -----
    The two things that make these the course's points rather than another
    draw of :func:`make_flower`: its half-turn of 3.12 rad, 0.0216 short of
    π (class 1 ends at 6.24, short of a full turn), and its order of draws,
    the angle's noise before the radius's and class 0 before class 1.

    Examples
    --------
    >>> from sknnbasics.datasets import make_course_flower
    >>> X, y = make_course_flower()
    >>> X.shape, y.shape
    ((400, 2), (400,))
    >>> print(y[:3], y[-3:])
    [0 0 0] [1 1 1]
    >>> X[0]  # the course's first point, X[:, 0]
    array([1.20444229, 3.57611415])
    """
    rng = np.random.RandomState(_COURSE_SEED)
    N = _COURSE_POINTS_PER_CLASS
    return _petals(rng, (N, N), _COURSE_HALF_TURN, _COURSE_PETAL_LENGTH, 4,
                   _COURSE_NOISE, shift=False)


def _petals(rng, class_sizes, half_turn, radius, petals, noise, *, shift):
    """(X, y): class j's points along its half-turn of angles θ from
    j·half_turn to (j + 1)·half_turn, on r = radius·sin(petals·θ) (θ less
    j·half_turn when ``shift``), the angle's noise drawn before the
    radius's, class 0 first."""
    X = np.empty((sum(class_sizes), 2), dtype=np.float64)
    y = np.empty(sum(class_sizes), dtype=np.int64)
    start = 0
    for j, size in enumerate(class_sizes):
        rows = slice(start, start + size)
        theta = (np.linspace(j * half_turn, (j + 1) * half_turn, size)
                 + noise * rng.standard_normal(size))
        r = (radius * np.sin(petals * (theta - j * half_turn if shift else theta))
             + noise * rng.standard_normal(size))
        X[rows, 0] = r * np.sin(theta)
        X[rows, 1] = r * np.cos(theta)
        y[rows] = j
        start += size
    return X, y


def _check_int(value, name, *, minimum):
    """Raise a ValueError unless `value` is an int >= `minimum` (bool is not)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value < minimum
    ):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}.")


def _check_real(value, name, allowed, is_allowed):
    """Raise a ValueError unless `value` is a finite real for which `is_allowed`."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
        or not is_allowed(value)
    ):
        raise ValueError(f"{name} must be {allowed}; got {value!r}.")
