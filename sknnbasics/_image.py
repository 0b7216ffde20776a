"""Images to feature vectors, as in the lecture's 二. 特征向量.

A colour image of H×W pixels is three H×W matrices (red, green, blue). The
lecture stacks them into one feature vector x of n_x = H·W·3 values: all red
values first, then all green, then all blue. :class:`ImageVectorizer` does
this for a batch of m images, one feature vector per row.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_array
from sklearn.utils.validation import check_is_fitted, validate_data

from ._persistence import VersionedPickleMixin

_FLOAT_DTYPES = (np.float64, np.float32)


def _images_to_vectors(images):
    """Stack each image's channels: (m, H, W, C) -> (m, C·H·W), channel-planar.

    Row-major (h, w) order within a channel, channel after channel. Always
    returns a new array, never a view of `images`.
    """
    m = images.shape[0]
    return np.array(images.transpose(0, 3, 1, 2), order="C").reshape(m, -1)


def _vectors_to_images(vectors, image_shape):
    """Undo :func:`_images_to_vectors`: (m, C·H·W) -> (m, H, W, C), a new array."""
    H, W, C = image_shape
    planes = vectors.reshape(-1, C, H, W)
    return np.array(planes.transpose(0, 2, 3, 1), order="C")


def _as_images(X, image_shape=None):
    """View validated `X` as (m, H, W, C) images, without copying.

    2-D rows are reshaped with `image_shape`, which is required for them.
    """
    if X.ndim == 4:
        return X
    if X.ndim == 3:
        return X[..., np.newaxis]
    if X.ndim == 2 and image_shape is not None:
        return X.reshape((X.shape[0],) + tuple(image_shape))
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
        What to divide every value by. ``True`` divides by 255, the largest
        8-bit pixel value, so that uint8 images land in [0, 1]; ``False``
        leaves the values as they are; a positive number is the divisor.

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
    """

    def __init__(self, image_shape=None, scale=True):
        self.image_shape = image_shape
        self.scale = scale

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
        self._divisor()  # reject a bad `scale` now, not at transform time
        X = validate_data(self, X, **self._check_params())
        self.image_shape_ = self._image_shape_of(X)
        self.n_features_in_ = int(np.prod(self.image_shape_))
        self._input_ndim = X.ndim
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
        X = validate_data(self, X, reset=False, **self._check_params())
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
        X = check_array(X, dtype=_FLOAT_DTYPES, estimator=self)
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
            return images.reshape(X.shape[0], -1)
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
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # -- helpers -------------------------------------------------------------

    def _check_params(self):
        """check_array options: images (N-d) allowed, floats kept, n_features
        left to :meth:`transform`, which knows what a feature is here."""
        return dict(allow_nd=True, ensure_2d=False, dtype=_FLOAT_DTYPES)

    def _divisor(self):
        """The number `scale` stands for, after checking it."""
        if self.scale is True:
            return 255.0
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
            f"scale must be True (divide by 255), False (no scaling) or a "
            f"finite number > 0 to divide by; got {self.scale!r}."
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
