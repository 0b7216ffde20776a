"""Images to feature vectors, as in the lecture's 二. 特征向量.

A colour image of H×W pixels is three H×W matrices (red, green, blue). The
lecture stacks them into one feature vector x of n_x = H·W·3 values: all red
values first, then all green, then all blue. :class:`ImageVectorizer` does
this for a batch of m images, one feature vector per row.

Images of another Array API library (PyTorch, CuPy, array-api-strict, with
``sklearn.set_config(array_api_dispatch=True)``) stay in it, on their device:
the stacking is a reshape and a transpose in their namespace.
"""

import numbers
import warnings
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_array
from sklearn.utils._array_api import get_namespace
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from ._array_api import device, namespace
from ._persistence import VersionedPickleMixin

_FLOAT_DTYPES = (np.float64, np.float32)

# fit warns when the brightest value is below max_value / _FAR_BELOW; see the
# class Notes for why 8.
_FAR_BELOW = 8


def _namespace_name(X):
    """None for NumPy arrays, else "<namespace> arrays on <device>"."""
    xp, is_numpy = namespace(X)
    return None if is_numpy else f"{xp.__name__} arrays on {device(X)!r}"


def _float_dtypes(X):
    """float64 and float32 of X's array namespace (NumPy's for array-likes)."""
    xp, _ = get_namespace(X)
    return (xp.float64, xp.float32)


class PixelRangeWarning(UserWarning):
    """The images seem to use another pixel range than ``max_value``."""


def _images_to_vectors(images):
    """Stack each image's channels: (m, H, W, C) -> (m, C·H·W), channel-planar.

    Row-major (h, w) order within a channel, channel after channel. Always
    returns a new array, never a view of `images`.
    """
    m = images.shape[0]
    xp, is_numpy = namespace(images)
    if not is_numpy:
        planar = xp.asarray(xp.permute_dims(images, (0, 3, 1, 2)), copy=True)
        return xp.reshape(planar, (m, -1))
    return np.array(images.transpose(0, 3, 1, 2), order="C").reshape(m, -1)


def _vectors_to_images(vectors, image_shape):
    """Undo :func:`_images_to_vectors`: (m, C·H·W) -> (m, H, W, C), a new array."""
    H, W, C = image_shape
    xp, is_numpy = namespace(vectors)
    if not is_numpy:
        planes = xp.reshape(vectors, (-1, C, H, W))
        return xp.asarray(xp.permute_dims(planes, (0, 2, 3, 1)), copy=True)
    planes = vectors.reshape(-1, C, H, W)
    return np.array(planes.transpose(0, 2, 3, 1), order="C")


def _as_images(X, image_shape=None):
    """View validated `X` as (m, H, W, C) images, without copying.

    2-D rows are reshaped with `image_shape`, which is required for them.
    """
    xp, is_numpy = namespace(X)
    if X.ndim == 4:
        return X
    if X.ndim == 3:
        return X[..., np.newaxis] if is_numpy else xp.expand_dims(X, axis=-1)
    if X.ndim == 2 and image_shape is not None:
        return xp.reshape(X, (X.shape[0],) + tuple(image_shape))
    allowed = (
        "ImageVectorizer expects images of shape (m, H, W, C) or (m, H, W), "
        "or flat rows of shape (m, n_features)"
    )
    if X.ndim == 1:
        raise ValueError(
            f"{allowed}; got a 1-D array of shape {X.shape}. Reshape your data: "
            "X.reshape(1, -1) if it is one flattened image, X.reshape(-1, 1) "
            "if it holds one value per sample."
        )
    raise ValueError(f"{allowed}; got an array of shape {X.shape}.")


def _channel_names(n_channels):
    """The lecture's colour names for RGB, "gray" for one channel."""
    if n_channels == 3:
        return ["red", "green", "blue"]
    if n_channels == 1:
        return ["gray"]
    return [f"channel{k}" for k in range(n_channels)]


class ImageVectorizer(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Turn images into the lecture's feature vectors x, one row per image.

    An image of H×W pixels with C colour channels becomes a row of
    n_x = H·W·C values, channel-planar: every value of channel 0 (red) in
    row-major pixel order, then every value of channel 1 (green), and so on.
    For the lecture's 5×4 RGB image that is n_x = 5·4·3 = 60.

    Parameters
    ----------
    image_shape : tuple of int or None, default=None
        The shape ``(H, W, C)`` of one image, or ``(H, W)`` for one channel.
        Needed only when the images arrive already flattened, as rows of
        ``H·W·C`` values in channels-last order (what ``images.reshape(m, -1)``
        gives). When given for image input, the images must have this shape.
        When ``None``, image input brings its own shape, and a 2-D input of
        shape ``(m, n_features)`` is read as m images of ``1×n_features``
        pixels with one channel, which leaves the columns in place.

    scale : bool or float, default=True
        What to divide every value by. ``True`` divides by `max_value`, so
        that the images land in [0, 1]; ``False`` leaves the values as they
        are; a positive number is the divisor.

    max_value : float, default=255
        The largest value a pixel can take: 255 for 8-bit images (uint8),
        65535 for 16-bit ones, 1 for images already in [0, 1], 16 for
        scikit-learn's ``load_digits``. Pixels must lie in ``[0, max_value]``:
        :meth:`fit` and :meth:`transform` refuse anything outside.

    Attributes
    ----------
    image_shape_ : tuple of int
        The shape ``(H, W, C)`` of one image, as seen in :meth:`fit`.

    n_features_in_ : int
        Number of values per image, ``H·W·C``. For 2-D input this is the
        number of columns, for image input the number of pixel values.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns seen in :meth:`fit`. Defined only when `X` has
        column names that are all strings (a pandas DataFrame).

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : Apply an arbitrary function.

    Notes
    -----
    Accepted input, for :meth:`fit` and :meth:`transform` alike:

    - colour images, shape ``(m, H, W, C)``;
    - one-channel images, shape ``(m, H, W)``, read as ``C = 1``;
    - flat rows, shape ``(m, H·W·C)`` in channels-last order, with
      `image_shape` set (or any 2-D data, see `image_shape`).

    Floating-point input keeps its dtype (float32 stays float32); any other
    input, such as uint8 pixels, becomes float64. The input is never modified.

    Every value must lie in ``[0, max_value]``. Values outside mean that the
    images use another range than the one stated, and dividing by the wrong
    number would hand the network features of the wrong scale, so they are
    refused with a ValueError. :meth:`fit` also warns (:class:`PixelRangeWarning`)
    when the brightest value of the whole training set is below
    ``max_value / 8``: images that never reach an eighth of their range
    almost always use another one, such as ``load_digits``' 0…16 or floats in
    [0, 1] under the default 255, and ``scale=True`` would then squeeze every
    feature into a small interval near 0, where gradient descent learns
    little (a network on the digits scores about 0.1 instead of above 0.8).
    It is a warning, not an error, because a truly dark set of images is
    possible; but a set whose brightest pixel stays below 32 of 255 is far
    darker than any ordinary photograph. :meth:`transform` does not warn,
    since one batch of new images may rightly be dark.

    Examples
    --------
    The lecture's 5×4 pixel image with three colour matrices:

    >>> import numpy as np
    >>> from sknnbasics import ImageVectorizer
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, size=(2, 5, 4, 3), dtype=np.uint8)
    >>> vectorizer = ImageVectorizer()
    >>> X = vectorizer.fit_transform(images)
    >>> X.shape
    (2, 60)
    >>> bool(X[0, 0] == images[0, 0, 0, 0] / 255)  # red of pixel (0, 0)
    True
    >>> bool(X[0, 20] == images[0, 0, 0, 1] / 255)  # green of pixel (0, 0)
    True
    >>> vectorizer.get_feature_names_out()[[0, 1, 20, 59]]
    array(['red_0_0', 'red_0_1', 'green_0_0', 'blue_4_3'], dtype=object)
    >>> np.array_equal(vectorizer.inverse_transform(X), images)
    True

    Images of another range state it, here scikit-learn's digits (0…16):

    >>> from sklearn.datasets import load_digits
    >>> digits = load_digits().images
    >>> float(ImageVectorizer(max_value=16).fit_transform(digits).max())
    1.0
    """

    _parameter_constraints = {
        "image_shape": "no_validation",  # checked by _normalized_image_shape
        "scale": "no_validation",  # checked by _divisor
        "max_value": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, image_shape=None, scale=True, max_value=255):
        self.image_shape = image_shape
        self.scale = scale
        self.max_value = max_value

    def fit(self, X, y=None):
        """Learn the image shape.

        Parameters
        ----------
        X : array-like of shape (m, H, W, C), (m, H, W) or (m, n_features)
            The images, or flat rows; see the class Notes.

        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted vectorizer.
        """
        self._validate_max_value()
        self._divisor()  # reject a bad `scale` now, not at transform time
        # Check everything before storing anything: a fit that raises leaves
        # a fitted vectorizer as it was.
        X_checked = check_array(X, estimator=self, **self._check_params_for(X))
        image_shape = self._image_shape_of(X_checked)
        largest = self._check_pixel_range(X_checked)
        self._check_divisor_fits(X_checked, largest)
        if largest < self.max_value / _FAR_BELOW:  # in float64
            warnings.warn(
                f"The largest value in X is {largest:g}, below "
                f"an eighth "
                f"of max_value={self.max_value!r}: these images seem to use "
                "another pixel range (0…16 for load_digits, [0, 1] for float "
                "images), and dividing by max_value would leave every feature "
                "near 0, where training learns little. Set max_value to the "
                "largest value your images can take.",
                PixelRangeWarning,
                stacklevel=2,
            )
        # Feature names (of a DataFrame) come from the original X.
        validate_data(self, X, skip_check_array=True)
        self.image_shape_ = image_shape
        self.n_features_in_ = int(np.prod(image_shape))
        self._input_ndim = X_checked.ndim
        self._fit_namespace = _namespace_name(X_checked)
        return self

    def transform(self, X):
        """Turn each image into its feature vector x.

        Parameters
        ----------
        X : array-like of shape (m, H, W, C), (m, H, W) or (m, n_features)
            Images of the fitted shape, or flat rows of ``n_features_in_``
            channels-last values.

        Returns
        -------
        X_out : ndarray of shape (m, n_x)
            One feature vector per row, channel-planar, divided by the scale.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._check_params_for(X))
        self._check_same_namespace(X, "transform")
        if X.ndim == 2 and X.shape[1] != self.n_features_in_:
            # The wording scikit-learn uses, so that its checks recognise it.
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input: images "
                f"of shape {self.image_shape_} flattened channels-last."
            )
        images = _as_images(X, self.image_shape_)
        if images.shape[1:] != self.image_shape_:
            raise ValueError(
                f"X holds images of shape {images.shape[1:]}, but "
                f"{type(self).__name__} was fitted on images of shape "
                f"{self.image_shape_}."
            )
        self._check_divisor_fits(X, self._check_pixel_range(X))
        vectors = _images_to_vectors(images)
        divisor = self._divisor()
        if divisor != 1:
            vectors /= divisor
        return vectors

    def inverse_transform(self, X):
        """Turn feature vectors back into images.

        Parameters
        ----------
        X : array-like of shape (m, n_x)
            Feature vectors as made by :meth:`transform`.

        Returns
        -------
        images : ndarray
            The images, multiplied back by the scale, in the layout of the
            data passed to :meth:`fit`: ``(m, H, W, C)``, ``(m, H, W)`` for
            one-channel images, or ``(m, H·W·C)`` channels-last rows for 2-D
            input. Floating point, like the output of :meth:`transform`.
        """
        check_is_fitted(self)
        X = check_array(X, dtype=_float_dtypes(X), estimator=self)
        self._check_same_namespace(X, "inverse_transform")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} "
                f"makes feature vectors of {self.n_features_in_} values "
                f"(images of shape {self.image_shape_})."
            )
        images = _vectors_to_images(X, self.image_shape_)
        divisor = self._divisor()
        if divisor != 1:
            images *= divisor
        if self._input_ndim == 2:
            return namespace(images)[0].reshape(images, (X.shape[0], -1))
        if self._input_ndim == 3:
            return images[..., 0]
        return images

    def get_feature_names_out(self, input_features=None):
        """Name each output feature ``{channel}_{row}_{col}``.

        Channels are named ``red``, ``green``, ``blue`` for three channels,
        ``gray`` for one, and ``channel0``, ``channel1``, ... otherwise.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Only checked: it must match ``feature_names_in_`` when that is
            defined, and have ``n_features_in_`` entries. The output names
            come from the pixel positions, not from the input names.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``n_features_in_`` names in the order of the columns of
            :meth:`transform`'s output, e.g. ``red_0_0``, ``red_0_1``, ...
        """
        check_is_fitted(self)
        self._check_input_features(input_features)
        H, W, C = self.image_shape_
        names = [
            f"{channel}_{h}_{w}"
            for channel in _channel_names(C)
            for h in range(H)
            for w in range(W)
        ]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.positive_only = True  # pixels lie in [0, max_value]
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.array_api_support = True
        return tags

    # -- helpers -------------------------------------------------------------

    def _check_params(self):
        """check_array options: images (N-d) allowed, floats kept, n_features
        left to :meth:`transform`, which knows what a feature is here."""
        return dict(allow_nd=True, ensure_2d=False, dtype=_FLOAT_DTYPES)

    def _check_params_for(self, X):
        """:meth:`_check_params` with the float dtypes of X's namespace."""
        return {**self._check_params(), "dtype": _float_dtypes(X)}

    def _validate_max_value(self):
        """Check `max_value`: a finite number > 0, and not a bool."""
        self._validate_params()
        if isinstance(self.max_value, bool):  # a Real to scikit-learn
            raise ValueError(
                "max_value must be the largest pixel value, a number > 0 such "
                f"as 255 or 1; got the bool {self.max_value!r}."
            )

    def _check_pixel_range(self, X):
        """Refuse values of validated `X` outside [0, max_value]; return the
        largest value, as a Python float."""
        # max_value in X's dtype: float32 data holding float32(0.1) is within
        # max_value=0.1.
        xp, is_numpy = namespace(X)
        low, high = xp.min(X), xp.max(X)
        if not is_numpy:
            low, high = float(low), float(high)
        with np.errstate(over="ignore"):  # beyond float32's range: inf, fine
            ceiling = (X.dtype.type(self.max_value) if is_numpy else
                       float(xp.asarray(self.max_value, dtype=X.dtype,
                                        device=X.device)))
        if low >= 0 and high <= ceiling:
            return float(high)
        # "Negative values in data" is the wording scikit-learn's checks expect.
        problem = "Negative values in data" if low < 0 else "Values above max_value"
        raise ValueError(
            f"{problem}: X holds values from {low:g} to {high:g}, but "
            f"{type(self).__name__}(max_value={self.max_value!r}) takes pixel "
            f"values in [0, {self.max_value!r}]. Set max_value to the largest "
            "value your images can take (65535 for 16-bit images, 1 for "
            "images in [0, 1]), or use another transformer for data that are "
            "not pixel values."
        )

    def _check_divisor_fits(self, X, largest_value):
        """Refuse a divisor that the dtype of validated `X` cannot hold as a
        normal number (float32 makes 1e300 inf and 1e-300 zero), or that
        would carry `largest_value`, the largest of `X`, beyond the dtype's
        range: either way the features would be inf or NaN."""
        divisor = self._divisor()
        if divisor == 1:
            return
        xp, _ = namespace(X)
        info = xp.finfo(X.dtype)
        smallest, largest_held = float(info.smallest_normal), float(info.max)
        largest = largest_value / divisor  # in float64: inf if beyond
        if smallest <= divisor <= largest_held and largest <= largest_held:
            return
        raise ValueError(
            f"{type(self).__name__} divides by {divisor:g} (scale={self.scale!r}, "
            f"max_value={self.max_value!r}), which {X.dtype} data cannot take: "
            f"{X.dtype} holds normal numbers from {smallest:g} to "
            f"{largest_held:g}, and the largest value {largest_value:g} "
            f"would become {largest:g}. State a pixel range (or scale) within "
            "those limits, or pass float64 data."
        )

    def _divisor(self):
        """The number `scale` stands for, after checking it."""
        if self.scale is True:
            return float(self.max_value)
        if self.scale is False:
            return 1.0
        if (
            isinstance(self.scale, numbers.Real)
            and not isinstance(self.scale, bool)
            and np.isfinite(self.scale)
            and self.scale > 0
        ):
            return float(self.scale)
        raise ValueError(
            f"scale must be True (divide by max_value), False (no scaling) or a "
            f"finite number > 0 to divide by; got {self.scale!r}."
        )

    def _check_same_namespace(self, X, method):
        """A clear error when X is not in the array namespace and on the
        device of the images ``fit`` saw (scikit-learn's rule for Array API
        estimators: everything stays where fit put it)."""
        fitted = getattr(self, "_fit_namespace", None)  # None: NumPy
        given = _namespace_name(X)
        if given != fitted:
            raise ValueError(
                f"Inputs passed to {type(self).__name__}.{method}() must use the "
                f"same namespace and the same device as those passed to fit(): "
                f"fit saw {fitted or 'NumPy arrays'}, {method} got "
                f"{given or 'NumPy arrays'}. Fit and transform images of the same "
                f"array library and device."
            )

    def _check_input_features(self, input_features):
        """Check `input_features` the way scikit-learn's transformers do."""
        if input_features is None:
            return
        input_features = np.asarray(input_features, dtype=object)
        names_in = getattr(self, "feature_names_in_", None)
        if names_in is not None and not np.array_equal(names_in, input_features):
            raise ValueError(
                "input_features is not equal to feature_names_in_: got "
                f"{input_features.tolist()!r}, expected {names_in.tolist()!r}."
            )
        if len(input_features) != self.n_features_in_:
            raise ValueError(
                "input_features should have length equal to the number of "
                f"features seen in fit, n_features_in_ = {self.n_features_in_}; "
                f"got {len(input_features)}."
            )

    def _normalized_image_shape(self):
        """`image_shape` as (H, W, C), or None; raise on anything else."""
        if self.image_shape is None:
            return None
        shape = self.image_shape
        if (
            not isinstance(shape, (tuple, list))
            or len(shape) not in (2, 3)
            or not all(
                isinstance(n, numbers.Integral) and not isinstance(n, bool) and n > 0
                for n in shape
            )
        ):
            raise ValueError(
                "image_shape must be None, (H, W) or (H, W, C) with positive "
                f"integers; got {shape!r}."
            )
        shape = tuple(int(n) for n in shape)
        return shape if len(shape) == 3 else shape + (1,)

    def _image_shape_of(self, X):
        """The (H, W, C) that `X` holds, checked against `image_shape`."""
        wanted = self._normalized_image_shape()
        if X.ndim == 2:
            if wanted is None:
                return (1, X.shape[1], 1)
            if X.shape[1] != np.prod(wanted):
                raise ValueError(
                    f"X has {X.shape[1]} values per row, but image_shape="
                    f"{self.image_shape!r} needs {int(np.prod(wanted))} "
                    "(H·W·C, channels-last) per row."
                )
            return wanted
        shape = _as_images(X).shape[1:]
        if min(shape) == 0:
            raise ValueError(
                f"X holds images of shape {shape}; every dimension must be at least 1."
            )
        if wanted is not None and shape != wanted:
            raise ValueError(
                f"X holds images of shape {shape}, but image_shape="
                f"{self.image_shape!r} was given."
            )
        return shape
