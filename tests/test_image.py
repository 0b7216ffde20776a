"""Tests for ImageVectorizer: images to the lecture's feature vectors (二. 特征向量)."""

import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from sknnbasics import DeepNetClassifier
from sknnbasics._image import ImageVectorizer, PixelRangeWarning

CATVNONCAT = (
    Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "catvnoncat"
)


@pytest.fixture
def images():
    """Three images of the lecture's size: 5×4 pixels, red, green and blue."""
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(3, 5, 4, 3), dtype=np.uint8)


def lecture_feature_vector(image):
    """The lecture's x, written out: every red value, then green, then blue."""
    H, W, C = image.shape
    return np.array(
        [image[h, w, c] for c in range(C) for h in range(H) for w in range(W)],
        dtype=np.float64,
    )


# -- the lecture's feature vector ---------------------------------------------


def test_lecture_example_gives_60_features_red_then_green_then_blue(images):
    vectorizer = ImageVectorizer(scale=False).fit(images)
    X = vectorizer.transform(images)

    assert X.shape == (3, 60)  # n_x = 5·4·3
    assert vectorizer.n_features_in_ == 60
    assert vectorizer.image_shape_ == (5, 4, 3)
    for x, image in zip(X, images, strict=True):
        np.testing.assert_array_equal(x, lecture_feature_vector(image))
    for c in range(3):  # red block, green block, blue block of 20 each
        np.testing.assert_array_equal(
            X[:, 20 * c : 20 * (c + 1)], images[..., c].reshape(3, 20)
        )


def test_scale_true_divides_by_255(images):
    X = ImageVectorizer().fit_transform(images)
    expected = np.stack([lecture_feature_vector(image) for image in images]) / 255
    np.testing.assert_array_equal(X, expected)
    assert X.min() >= 0 and X.max() <= 1


@pytest.mark.parametrize("scale, divisor", [(True, 255), (False, 1), (2.0, 2), (4, 4)])
def test_scale_is_the_divisor(images, scale, divisor):
    X = ImageVectorizer(scale=scale).fit_transform(images)
    X_raw = ImageVectorizer(scale=False).fit_transform(images)
    np.testing.assert_array_equal(X, X_raw / divisor)


def test_flat_channels_last_rows_give_the_same_vectors_as_images(images):
    X_images = ImageVectorizer().fit_transform(images)
    flat = images.reshape(3, -1)  # channels-last, as the course flattens
    X_flat = ImageVectorizer(image_shape=(5, 4, 3)).fit_transform(flat)
    np.testing.assert_array_equal(X_flat, X_images)

    # Fitted on images, it also takes their flat rows, and the other way round.
    np.testing.assert_array_equal(
        ImageVectorizer().fit(images).transform(flat), X_images
    )
    vectorizer = ImageVectorizer(image_shape=(5, 4, 3)).fit(flat)
    np.testing.assert_array_equal(vectorizer.transform(images), X_images)


def test_grayscale_images_have_one_channel(images):
    gray = images[..., 0]  # (m, 5, 4)
    vectorizer = ImageVectorizer(scale=False).fit(gray)
    X = vectorizer.transform(gray)

    assert vectorizer.image_shape_ == (5, 4, 1)
    assert vectorizer.n_features_in_ == 20
    np.testing.assert_array_equal(X, gray.reshape(3, 20))
    flat = ImageVectorizer(image_shape=(5, 4), scale=False).fit_transform(
        gray.reshape(3, -1)
    )
    np.testing.assert_array_equal(flat, X)
    np.testing.assert_array_equal(
        ImageVectorizer(scale=False).fit_transform(gray[..., np.newaxis]), X
    )


def test_2d_input_without_image_shape_keeps_its_columns():
    X = np.arange(12, dtype=np.float64).reshape(3, 4)
    vectorizer = ImageVectorizer(scale=False, max_value=11).fit(X)

    assert vectorizer.image_shape_ == (1, 4, 1)
    assert vectorizer.n_features_in_ == 4
    np.testing.assert_array_equal(vectorizer.transform(X), X)
    assert vectorizer.get_feature_names_out().tolist() == [
        "gray_0_0",
        "gray_0_1",
        "gray_0_2",
        "gray_0_3",
    ]


def test_nested_lists_are_accepted(images):
    X = ImageVectorizer().fit_transform(images.tolist())
    np.testing.assert_array_equal(X, ImageVectorizer().fit_transform(images))


def test_refit_learns_the_new_shape(images):
    vectorizer = ImageVectorizer().fit(images)
    vectorizer.fit(images[:, :2, :3, :])
    assert vectorizer.image_shape_ == (2, 3, 3)
    assert vectorizer.transform(images[:, :2, :3, :]).shape == (3, 18)


# -- dtypes and copies --------------------------------------------------------


@pytest.mark.parametrize(
    "dtype, expected",
    [
        (np.uint8, np.float64),
        (np.int64, np.float64),
        (np.float32, np.float32),
        (np.float64, np.float64),
    ],
)
@pytest.mark.parametrize("scale", [True, False])
def test_floats_keep_their_dtype_other_input_becomes_float64(
    images, dtype, expected, scale
):
    vectorizer = ImageVectorizer(scale=scale)
    X = vectorizer.fit_transform(images.astype(dtype))
    assert X.dtype == expected
    assert vectorizer.inverse_transform(X).dtype == expected


@pytest.mark.parametrize("scale", [True, False])
@pytest.mark.parametrize("shape", [(3, 5, 4, 3), (3, 5, 4, 1), (3, 5, 4), (3, 20)])
def test_input_is_never_modified_nor_shared(scale, shape):
    X = np.random.default_rng(0).random(shape)
    X_before = X.copy()
    vectorizer = ImageVectorizer(scale=scale, max_value=1)
    X_out = vectorizer.fit_transform(X)
    X_back = vectorizer.inverse_transform(X_out)

    np.testing.assert_array_equal(X, X_before)
    assert not np.shares_memory(X_out, X)
    assert not np.shares_memory(X_back, X_out)


# -- inverse_transform --------------------------------------------------------


@pytest.mark.parametrize("scale", [True, False, 3.0])
def test_inverse_transform_gives_the_images_back_exactly(images, scale):
    vectorizer = ImageVectorizer(scale=scale)
    back = vectorizer.inverse_transform(vectorizer.fit_transform(images))
    assert back.shape == images.shape
    np.testing.assert_array_equal(back, images)


def test_inverse_transform_of_float32_is_exact():
    images = np.random.default_rng(1).random((4, 6, 5, 3)).astype(np.float32)
    vectorizer = ImageVectorizer(scale=False, max_value=1)
    back = vectorizer.inverse_transform(vectorizer.fit_transform(images))
    assert back.dtype == np.float32
    np.testing.assert_array_equal(back, images)


def test_inverse_transform_returns_the_layout_given_to_fit(images):
    flat = images.reshape(3, -1)
    vectorizer = ImageVectorizer(image_shape=(5, 4, 3))
    np.testing.assert_array_equal(
        vectorizer.inverse_transform(vectorizer.fit_transform(flat)), flat
    )

    gray = images[..., 1]
    vectorizer = ImageVectorizer()
    np.testing.assert_array_equal(
        vectorizer.inverse_transform(vectorizer.fit_transform(gray)), gray
    )


# -- feature names ------------------------------------------------------------


def test_feature_names_follow_channel_row_col(images):
    names = ImageVectorizer().fit(images).get_feature_names_out()

    assert isinstance(names, np.ndarray) and names.dtype == object
    assert len(names) == 60
    assert names[0] == "red_0_0"
    assert names[1] == "red_0_1"
    assert names[4] == "red_1_0"
    assert names[20] == "green_0_0"
    assert names[40] == "blue_0_0"
    assert names[-1] == "blue_4_3"
    expected = [
        f"{channel}_{h}_{w}"
        for channel in ("red", "green", "blue")
        for h in range(5)
        for w in range(4)
    ]
    assert names.tolist() == expected


def test_feature_names_of_other_channel_counts():
    four = np.ones((2, 1, 2, 4))
    names = ImageVectorizer(max_value=1).fit(four).get_feature_names_out()
    assert names.tolist()[:3] == ["channel0_0_0", "channel0_0_1", "channel1_0_0"]
    assert names[-1] == "channel3_0_1"

    gray = np.ones((2, 2, 2))
    names = ImageVectorizer(max_value=1).fit(gray).get_feature_names_out()
    assert names.tolist() == ["gray_0_0", "gray_0_1", "gray_1_0", "gray_1_1"]


def test_feature_names_check_input_features(images):
    vectorizer = ImageVectorizer().fit(images)
    with pytest.raises(ValueError, match="input_features should have length equal"):
        vectorizer.get_feature_names_out(["a", "b"])
    names = vectorizer.get_feature_names_out([f"x{i}" for i in range(60)])
    assert names[0] == "red_0_0"


# -- errors -------------------------------------------------------------------


def test_flat_rows_of_the_wrong_width_are_refused(images):
    flat = images.reshape(3, -1)[:, :59]
    with pytest.raises(
        ValueError,
        match=r"X has 59 values per row, but image_shape=\(5, 4, 3\) needs 60",
    ):
        ImageVectorizer(image_shape=(5, 4, 3)).fit(flat)

    vectorizer = ImageVectorizer().fit(images)
    with pytest.raises(
        ValueError, match="X has 59 features, but ImageVectorizer is expecting 60"
    ):
        vectorizer.transform(flat)


def test_images_of_another_shape_are_refused(images):
    vectorizer = ImageVectorizer().fit(images)
    with pytest.raises(
        ValueError,
        match=r"images of shape \(4, 5, 3\), but ImageVectorizer was fitted on "
        r"images of shape \(5, 4, 3\)",
    ):
        vectorizer.transform(images.transpose(0, 2, 1, 3))
    with pytest.raises(ValueError, match=r"images of shape \(5, 4, 1\)"):
        vectorizer.transform(images[..., 0])

    with pytest.raises(
        ValueError,
        match=r"X holds images of shape \(5, 4, 3\), but image_shape=\(4, 5\)",
    ):
        ImageVectorizer(image_shape=(4, 5)).fit(images)


@pytest.mark.parametrize("shape", [(2,), (1, 2, 3, 4, 5)])
def test_arrays_of_other_ranks_are_refused(shape):
    with pytest.raises(ValueError, match=r"expects images of shape \(m, H, W, C\)"):
        ImageVectorizer().fit(np.zeros(shape))


def test_empty_images_are_refused():
    with pytest.raises(ValueError, match="every dimension must be at least 1"):
        ImageVectorizer().fit(np.zeros((2, 0, 4, 3)))


@pytest.mark.parametrize(
    "image_shape", [(5,), (5, 4, 3, 1), (5, 0, 3), (5.0, 4), (5, True), "5x4", 60]
)
def test_bad_image_shape_is_refused(images, image_shape):
    with pytest.raises(ValueError, match="image_shape must be None, \\(H, W\\) or"):
        ImageVectorizer(image_shape=image_shape).fit(images.reshape(3, -1))


@pytest.mark.parametrize("scale", [0, -255, np.nan, np.inf, "255", None])
def test_bad_scale_is_refused(images, scale):
    with pytest.raises(ValueError, match=r"scale must be True \(divide by max_value\)"):
        ImageVectorizer(scale=scale).fit(images)


def test_inverse_transform_of_the_wrong_width_is_refused(images):
    vectorizer = ImageVectorizer().fit(images)
    with pytest.raises(ValueError, match="makes feature vectors of 60 values"):
        vectorizer.inverse_transform(np.zeros((2, 59)))


@pytest.mark.parametrize(
    "method", ["transform", "inverse_transform", "get_feature_names_out"]
)
def test_unfitted_vectorizer_raises_not_fitted(images, method):
    vectorizer = ImageVectorizer()
    with pytest.raises(NotFittedError):
        if method == "get_feature_names_out":
            vectorizer.get_feature_names_out()
        else:
            getattr(vectorizer, method)(images.reshape(3, -1))


# -- the pixel range: max_value ----------------------------------------------


def _pixel_range_warnings(fit):
    """The PixelRangeWarnings that calling `fit()` gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit()
    return [w for w in caught if issubclass(w.category, PixelRangeWarning)]


@pytest.mark.parametrize("max_value", [16, 65535, 1, 2.5])
def test_scale_true_divides_by_max_value(max_value):
    images = np.random.default_rng(0).uniform(0, max_value, size=(3, 5, 4, 3))
    images[0, 0, 0, 0] = max_value  # the brightest pixel becomes exactly 1
    vectorizer = ImageVectorizer(max_value=max_value)
    X = vectorizer.fit_transform(images)

    expected = np.stack([lecture_feature_vector(image) for image in images])
    np.testing.assert_array_equal(X, expected / max_value)
    assert X[0, 0] == 1.0
    np.testing.assert_allclose(
        vectorizer.inverse_transform(X), images, rtol=2 * np.finfo(float).eps
    )


def test_uint16_images_with_max_value_65535():
    images = np.array([[[0, 65535], [1000, 30000]]], dtype=np.uint16)
    X = ImageVectorizer(max_value=65535).fit_transform(images)
    np.testing.assert_array_equal(X, [[0, 1, 1000 / 65535, 30000 / 65535]])
    with pytest.raises(ValueError, match="X holds values from 0 to 65535"):
        ImageVectorizer().fit(images)  # the default 255 is the wrong range


def test_digits_pipeline_learns_with_their_pixel_range():
    # load_digits' images hold 0…16; divided by 255 they all sit in [0, 0.063]
    # and the network learns nothing (issue 12, item 12).
    digits = load_digits()
    images_train, images_test, y_train, y_test = train_test_split(
        digits.images, digits.target, stratify=digits.target, random_state=0
    )
    model = make_pipeline(
        ImageVectorizer(max_value=16), DeepNetClassifier(random_state=0)
    )
    assert _pixel_range_warnings(lambda: model.fit(images_train, y_train)) == []
    assert model[0].transform(images_train).max() == 1.0
    assert model.score(images_test, y_test) > 0.8  # 10 classes: chance is 0.1

    default = make_pipeline(ImageVectorizer(), DeepNetClassifier(random_state=0))
    # and it is right to warn: features in [0, 0.063] leave the network still
    # learning when its 200 epochs run out
    with pytest.warns(PixelRangeWarning, match="largest value in X is 16, below"), \
            pytest.warns(ConvergenceWarning, match="reached max_iter=200"):
        default.fit(images_train, y_train)


@pytest.mark.parametrize("method", ["fit", "transform"])
@pytest.mark.parametrize(
    "low, high, problem",
    [(-3, 200, "Negative values in data"), (0, 300, "Values above max_value")],
)
def test_values_outside_0_to_max_value_are_refused(images, method, low, high, problem):
    bad = np.full(images.shape, 100.0)
    bad[0, 0, 0, 0], bad[1, 2, 3, 1] = low, high
    vectorizer = ImageVectorizer()
    if method == "transform":
        vectorizer.fit(images)
    message = (
        rf"{problem}: X holds values from {low} to {high}, but "
        r"ImageVectorizer\(max_value=255\) takes pixel values in \[0, 255\]\. "
        "Set max_value to the largest value your images can take"
    )
    with pytest.raises(ValueError, match=message):
        getattr(vectorizer, method)(bad)
    with pytest.raises(ValueError, match=problem):  # flat rows too
        getattr(vectorizer, method)(bad.reshape(3, -1))


@pytest.mark.parametrize("max_value", [0.1, np.float64(0.1)])
def test_max_value_itself_is_allowed_in_the_data_dtype(max_value):
    # float32(0.1) > 0.1 in float64; the bound is compared in X's dtype.
    images = np.full((2, 2, 2), 0.1, dtype=np.float32)
    X = ImageVectorizer(max_value=max_value).fit_transform(images)
    assert X.dtype == np.float32
    np.testing.assert_array_equal(X, np.float32(0.1) / np.float32(0.1))
    with pytest.raises(ValueError, match="Values above max_value"):
        ImageVectorizer(max_value=0.1).fit(images.astype(np.float64) * 1.01)


@pytest.mark.parametrize("max_value", [0, -1, np.inf, np.nan, "255", None])
def test_bad_max_value_is_refused(images, max_value):
    with pytest.raises(
        ValueError, match=r"The 'max_value' parameter of ImageVectorizer must be a "
        r"float in the range \(0.0, inf\)"
    ):
        ImageVectorizer(max_value=max_value).fit(images)


@pytest.mark.parametrize(
    "max_value, message",
    [
        (True, "max_value must be the largest pixel value, a number > 0 such as "
         "255 or 1; got the bool True"),
        (np.True_, "The 'max_value' parameter of ImageVectorizer must be a float"),
    ],
)
def test_bool_max_value_is_refused(images, max_value, message):
    with pytest.raises(ValueError, match=message):
        ImageVectorizer(max_value=max_value).fit(images)


@pytest.mark.parametrize("brightest, warns", [(31, True), (32, False), (0, True)])
def test_fit_warns_when_the_images_stay_below_an_eighth_of_max_value(
    brightest, warns
):
    # 255 / 8 = 31.875: a set whose brightest pixel is 31 uses another range.
    images = np.zeros((2, 3, 3))
    images[1, 1, 1] = brightest
    caught = _pixel_range_warnings(lambda: ImageVectorizer().fit(images))
    assert len(caught) == int(warns)
    if warns:
        assert str(caught[0].message) == (
            f"The largest value in X is {brightest}, below an eighth of "
            "max_value=255: these images seem to use another pixel range (0…16 "
            "for load_digits, [0, 1] for float images), and dividing by "
            "max_value would leave every feature near 0, where training learns "
            "little. Set max_value to the largest value your images can take."
        )
        assert caught[0].filename == __file__  # points at the caller's line


@pytest.mark.parametrize(
    "dtype, params",
    [
        (np.float32, {"max_value": 1e300}),  # float32(1e300) is inf
        (np.float32, {"max_value": 1e-300}),  # float32(1e-300) is 0
        (np.float64, {"scale": 1e-307, "max_value": 255}),  # 200 / 1e-307 is inf
    ],
)
def test_a_divisor_the_dtype_cannot_take_is_refused(dtype, params):
    images = np.full((2, 2, 2), 200.0 if "scale" in params else 0.0, dtype=dtype)
    if "max_value" in params and params["max_value"] < 1:
        images[0, 0, 0] = 1e-300  # within [0, max_value], in float64 terms
        images = images.astype(np.float64).astype(dtype)
    vectorizer = ImageVectorizer(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        warnings.simplefilter("ignore", PixelRangeWarning)
        with pytest.raises(ValueError, match=rf"which {np.dtype(dtype)} data "
                           r"cannot take: .* holds normal numbers from"):
            vectorizer.fit(images)


def test_a_max_value_beyond_float32_is_compared_without_overflow():
    images = np.full((2, 2, 2), 7.0, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(PixelRangeWarning):
            X = ImageVectorizer(scale=False, max_value=1e300).fit_transform(images)
    assert X.dtype == np.float32
    np.testing.assert_array_equal(X, np.full((2, 4), 7.0))


def test_float64_takes_what_float32_cannot():
    X = ImageVectorizer(max_value=1e300).fit_transform(np.full((2, 2, 2), 1e300))
    np.testing.assert_array_equal(X, np.ones((2, 4)))


def test_transform_does_not_warn_about_a_dark_batch(images):
    vectorizer = ImageVectorizer().fit(images)
    dark = np.zeros_like(images)
    assert _pixel_range_warnings(lambda: vectorizer.transform(dark)) == []


def test_a_refused_refit_leaves_the_fitted_vectorizer_as_it_was(images):
    vectorizer = ImageVectorizer().fit(images)
    bad = np.full((2, 3, 3), 300.0)  # another shape and out of range
    with pytest.raises(ValueError, match="Values above max_value"):
        vectorizer.fit(bad)
    assert vectorizer.image_shape_ == (5, 4, 3)
    assert vectorizer.n_features_in_ == 60
    np.testing.assert_array_equal(
        vectorizer.transform(images), ImageVectorizer().fit_transform(images)
    )


# -- with scikit-learn --------------------------------------------------------


def test_in_a_pipeline_before_logistic_regression():
    # Class 1 images are redder: their red channel is brighter on average.
    rng = np.random.default_rng(0)
    m = 60
    y = np.arange(m) % 2
    images = rng.integers(0, 200, size=(m, 5, 4, 3)).astype(np.uint8)
    images[y == 1, :, :, 0] += 50

    model = Pipeline([("vec", ImageVectorizer()), ("clf", LogisticRegression())]).fit(
        images, y
    )

    predictions = model.predict(images)
    assert predictions.shape == (m,)
    assert model.score(images, y) > 0.9
    assert model[:-1].get_feature_names_out()[0] == "red_0_0"


# scikit-learn's checks fit on random data far below max_value=255, which
# PixelRangeWarning rightly points out (see tests/test_common.py)
@parametrize_with_checks([ImageVectorizer()])
@pytest.mark.filterwarnings("ignore::sknnbasics.PixelRangeWarning")
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


# -- the course's cat pictures ------------------------------------------------


def load_catvnoncat_train():
    """Read train_catvnoncat.h5's raw layout with numpy alone (see its README)."""
    path = CATVNONCAT / "train_catvnoncat.h5"
    if not path.exists():
        pytest.skip(
            f"the course's cat images are not in this checkout: {path} is absent "
            f"(they live in ../shared/datasets/catvnoncat beside the repository, "
            f"not in it; CI, where that folder exists, runs this test)")
    m, offset = 209, 2144
    images = np.fromfile(path, dtype=np.uint8, count=m * 64 * 64 * 3, offset=offset)
    labels = np.fromfile(path, dtype="<i8", count=m, offset=offset + images.size)
    return images.reshape(m, 64, 64, 3), labels


def test_course_cat_images_become_12288_features():
    images, labels = load_catvnoncat_train()
    assert set(np.unique(labels)) == {0, 1}

    vectorizer = ImageVectorizer()
    X = vectorizer.fit_transform(images)

    assert X.shape == (209, 12288)  # n_x = 64·64·3
    assert X[0, 0] == images[0, 0, 0, 0] / 255
    assert X[0, 64 * 64] == images[0, 0, 0, 1] / 255  # first green value
    np.testing.assert_array_equal(X[0], lecture_feature_vector(images[0]) / 255)
    np.testing.assert_array_equal(vectorizer.inverse_transform(X), images)
