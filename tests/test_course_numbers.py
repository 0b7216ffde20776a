"""The course's own numbers, from the package (issue 23, items 11 and 12).

The deep-learning course that the lecture follows prints the cost of its
networks as it trains them ("Cost after iteration i", the cost of the weights
after i updates, before update i + 1) and their accuracies. Built with
:func:`sknnbasics.lecture`, seeded as the course seeds, and fed the course's
data, the estimators print the same: costs to 1e-6, accuracies exactly
(counted in samples).

- Week 3, the planar flower (:func:`sknnbasics.datasets.make_course_flower`),
  one tanh hidden layer, α = 1.2, weights randn · 0.01 from
  ``np.random.seed(2)``: W1 drawn first, then W2 (what ``random_state=2``
  draws).
- Week 4, the cat / non-cat pictures, read with h5py from
  ``../shared/datasets/catvnoncat`` (the folder beside the repository, as in
  CI; never copied into it). Without the folder or h5py those tests skip,
  saying where the files are expected. Each network is trained once for all
  its assertions (2500 iterations on 209 × 12288 pixels: the slow part of
  this file, minutes on a busy machine).
"""

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sknnbasics import DeepNetClassifier, ImageVectorizer, ShallowNetClassifier, lecture
from sknnbasics.datasets import make_course_flower

CAT_FOLDER = (Path(__file__).resolve().parents[1].parent
              / "shared" / "datasets" / "catvnoncat")
CAT_SHA256 = {
    "train_catvnoncat.h5":
        "fbe56ab67c3ae28d564e3a644189117976d6b31af0a3ce9bb17dbf22908af242",
    "test_catvnoncat.h5":
        "6a9d39ce52fa85953c5834695b8534a30ed8cfd54971fb2f080b5a24d002b951",
}

# -------------------------------------------------------------------------
# Week 3: "Planar data classification with one hidden layer"
# -------------------------------------------------------------------------

# nn_model(X, Y, n_h=4, num_iterations=10000, print_cost=True)
FLOWER_COSTS = {0: 0.693048, 1000: 0.288083, 2000: 0.254385, 3000: 0.233864,
                4000: 0.226792, 5000: 0.222644, 6000: 0.219731, 7000: 0.217504}
# The course also prints 0.219454 at 8000 and 0.218607 at 9000, and learners
# running the same notebook elsewhere print 0.219467 / 0.218561 or 0.219471 /
# 0.218612: at α = 1.2 the weights oscillate from about iteration 7000 on and
# the fifth decimal depends on the machine's rounding. Starting weights one
# unit in the last place away from the course's (a plain numpy transcription
# of the notebook, 9 such starts) give 0.219456 … 0.219523 at 8000, while
# iterations 0 … 7000 stay the same to the sixth decimal. So those two are
# not asserted.


def flower_network(n_hidden, max_iter, **hyperparameters):
    """The notebook's nn_model: tanh → sigmoid, α = 1.2, np.random.seed(2)."""
    return lecture(ShallowNetClassifier, **{
        "n_hidden": n_hidden, "learning_rate": 1.2, "max_iter": max_iter,
        "random_state": 2, **hyperparameters})


def n_correct(net, X, y):
    return int(np.count_nonzero(net.predict(X) == y))


@pytest.fixture(scope="module")
def flower():
    return make_course_flower()


@pytest.fixture(scope="module")
def flower_net_10000(flower):
    return flower_network(4, 10000).fit(*flower)


@pytest.mark.parametrize("n_hidden", [1, 4, 50])
def test_the_flower_networks_start_from_the_courses_draws(flower, n_hidden):
    # np.random.seed(2); W1 = randn(n_h, 2) * 0.01; W2 = randn(1, n_h) * 0.01
    course = np.random.RandomState(2)
    W1 = course.randn(n_hidden, 2) * 0.01
    W2 = course.randn(1, n_hidden) * 0.01
    # a step of α = 1e-300 is below the weights' last digit: coefs_ are the
    # starting weights (and the network rightly says it learned nothing)
    with pytest.warns(ConvergenceWarning, match="learned nothing"):
        net = flower_network(n_hidden, 1, learning_rate=1e-300).fit(*flower)
    np.testing.assert_array_equal(net.coefs_[0], W1.T)
    np.testing.assert_array_equal(net.coefs_[1], W2.T)


def test_the_flower_cost_trajectory_is_the_courses(flower_net_10000):
    curve = flower_net_10000.loss_curve_
    assert len(curve) == 10000  # exactly num_iterations, no stopping rule
    iterations = list(FLOWER_COSTS)
    np.testing.assert_allclose([curve[i] for i in iterations],
                               list(FLOWER_COSTS.values()), rtol=0, atol=1e-6)


def test_the_flower_accuracy_after_10000_iterations(flower, flower_net_10000):
    # The course prints "Accuracy: 90%" ('%d' of the percentage). Here it is
    # 363 of 400 (90.75 %); from starts one unit in the last place away from
    # the course's it is 90.75 % or 90.5 % (see FLOWER_COSTS): both print 90.
    assert n_correct(flower_net_10000, *flower) in (362, 363)


# "Tuning hidden layer size": nn_model(X, Y, n_h, num_iterations=5000),
# "Accuracy for n_h hidden units: …%" on the 400 training points
@pytest.mark.parametrize("n_hidden, percent",
                         [(1, 67.5), (2, 67.25), (3, 90.75), (4, 90.5),
                          (5, 91.25)])
def test_the_flower_hidden_unit_table_is_the_courses(flower, n_hidden, percent):
    net = flower_network(n_hidden, 5000).fit(*flower)
    assert len(net.loss_curve_) == 5000
    assert n_correct(net, *flower) == percent * 4  # of 400 points


# The course's 20: 90.0 % and 50: 90.25 % are rounding's: from starts one
# unit in the last place away from the course's (9 starts, a plain numpy
# transcription of the notebook) 20 units reach 90.0 % or 90.5 %, 50 units
# 90.25 % or 90.75 %, in about equal numbers; this machine's rounding gives
# 90.0 % and 90.75 %. Either value is the course's result; a third is not.
@pytest.mark.parametrize("n_hidden, percents",
                         [(20, (90.0, 90.5)), (50, (90.25, 90.75))])
def test_the_flower_table_for_many_units_within_rounding(flower, n_hidden,
                                                         percents):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = flower_network(n_hidden, 5000).fit(*flower)
    # α = 1.2 is at the edge of stability for these networks: the cost may
    # rise over the last iterations, and the network may say so
    for warning in caught:
        assert warning.category is ConvergenceWarning
        assert "cost rose instead of falling" in str(warning.message)
    assert n_correct(net, *flower) in [percent * 4 for percent in percents]


# -------------------------------------------------------------------------
# Week 4: "Deep Neural Network for Image Classification: Application"
# -------------------------------------------------------------------------

# two_layer_model(train_x, train_y, (12288, 7, 1), num_iterations=2500):
# LINEAR → RELU → LINEAR → SIGMOID, α = 0.0075, np.random.seed(1),
# W1 = randn(7, 12288) · 0.01, W2 = randn(1, 7) · 0.01
TWO_LAYER_COSTS = {
    0: 0.6930497356599888, 100: 0.6464320953428849, 200: 0.6325140647912677,
    300: 0.6015024920354665, 400: 0.5601966311605747, 500: 0.5158304772764729,
    600: 0.4754901313943325, 700: 0.43391631512257495, 800: 0.4007977536203886,
    900: 0.3580705011323798, 1000: 0.3394281538366413,
    1100: 0.30527536361962654, 1200: 0.2749137728213015,
    1300: 0.2468176821061484, 1400: 0.19850735037466102,
    1500: 0.17448318112556638, 1600: 0.1708076297809692,
    1700: 0.11306524562164715, 1800: 0.09629426845937156,
    1900: 0.0834261795972687, 2000: 0.07439078704319085,
    2100: 0.06630748132267933, 2200: 0.05919329501038172,
    2300: 0.05336140348560558, 2400: 0.04855478562877019,
    2499: 0.04421498215868956,
}
# L_layer_model(train_x, train_y, [12288, 20, 7, 5, 1], num_iterations=2500):
# [LINEAR → RELU] × 3 → LINEAR → SIGMOID, α = 0.0075, np.random.seed(1),
# W[l] = randn(n[l], n[l-1]) / √n[l-1]
FOUR_LAYER_COSTS = {
    0: 0.771749, 100: 0.672053, 200: 0.648263, 300: 0.611507, 400: 0.567047,
    500: 0.540138, 600: 0.527930, 700: 0.465477, 800: 0.369126,
    900: 0.391747, 1000: 0.315187, 1100: 0.272700, 1200: 0.237419,
    1300: 0.199601, 1400: 0.189263, 1500: 0.161189, 1600: 0.148214,
    1700: 0.137775, 1800: 0.129740, 1900: 0.121225, 2000: 0.113821,
    2100: 0.107839, 2200: 0.102855, 2300: 0.100897, 2400: 0.092878,
    2499: 0.088439943441702,
}


def course_features(images):
    """The course's x: ``train_x_orig.reshape(m, -1).T / 255.``, one image
    per row here (the course's matrix transposed)."""
    return images.reshape(len(images), -1) / 255.0


@pytest.fixture(scope="module")
def cats():
    """(X_train, y_train, X_test, y_test) in the course's features."""
    h5py = pytest.importorskip(
        "h5py", reason="h5py (in the test extra: pip install -e '.[test]') is "
        "not installed; it reads the course's cat / non-cat .h5 files")
    files = [CAT_FOLDER / f"{part}_catvnoncat.h5" for part in ("train", "test")]
    if not all(file.is_file() for file in files):
        pytest.skip(f"the course's train_catvnoncat.h5 and test_catvnoncat.h5 are "
                    f"expected in {CAT_FOLDER} (shared/datasets/catvnoncat beside "
                    f"the repository, as CI has them); they are not there")
    data = []
    for part, file in zip(("train", "test"), files, strict=True):
        with h5py.File(file, "r") as f:
            data += [course_features(f[f"{part}_set_x"][:]), f[f"{part}_set_y"][:]]
    return data


@pytest.fixture(scope="module")
def two_layer_cat_net(cats):
    X_train, y_train, _, _ = cats
    return lecture(ShallowNetClassifier, n_hidden=7, activation="relu",
                   learning_rate=0.0075, max_iter=2500,
                   random_state=1).fit(X_train, y_train)


@pytest.fixture(scope="module")
def four_layer_cat_net(cats):
    X_train, y_train, _, _ = cats
    return lecture(DeepNetClassifier, hidden_layer_sizes=(20, 7, 5),
                   activation="relu", init="xavier", learning_rate=0.0075,
                   max_iter=2500, random_state=1).fit(X_train, y_train)


def test_image_vectorizer_orders_the_pixels_otherwise_than_the_course():
    # ImageVectorizer follows the lecture (all red values, then green, then
    # blue); the course's reshape keeps each pixel's (r, g, b) together. The
    # same values in other columns: from the course's draws of W[1] the
    # networks would start elsewhere, so these tests use the course's order.
    images = np.arange(2 * 4 * 4 * 3, dtype=np.uint8).reshape(2, 4, 4, 3)
    lecture_order = ImageVectorizer().fit_transform(images)
    course_order = course_features(images)
    np.testing.assert_array_equal(np.sort(lecture_order), np.sort(course_order))
    # pixel (0, 0)'s red, green, blue: columns 0, 1, 2 in the course's order,
    # columns 0, 16, 32 (H·W = 16 apart) in the lecture's
    np.testing.assert_array_equal(course_order[0, :3], images[0, 0, 0] / 255.0)
    np.testing.assert_array_equal(lecture_order[0, [0, 16, 32]],
                                  images[0, 0, 0] / 255.0)
    assert not np.array_equal(lecture_order, course_order)


def test_the_cat_data_are_the_courses(cats):
    # the files of the course's assignments (their sha256 in the folder's
    # README.md), read as the course reads them
    for name, digest in CAT_SHA256.items():
        assert hashlib.sha256((CAT_FOLDER / name).read_bytes()).hexdigest() == digest
    X_train, y_train, X_test, y_test = cats
    assert X_train.shape == (209, 12288) and X_test.shape == (50, 12288)
    # the course's examples: picture 25 "is a 'cat' picture" (week 2),
    # picture 10 "is a non-cat picture" (week 4)
    assert y_train[25] == 1 and y_train[10] == 0


def test_the_two_layer_cat_network_costs_are_the_courses(two_layer_cat_net):
    curve = two_layer_cat_net.loss_curve_
    assert len(curve) == 2500
    np.testing.assert_allclose([curve[i] for i in TWO_LAYER_COSTS],
                               list(TWO_LAYER_COSTS.values()), rtol=0, atol=1e-6)


def test_the_two_layer_cat_network_accuracies_are_the_courses(
        two_layer_cat_net, cats):
    X_train, y_train, X_test, y_test = cats
    assert n_correct(two_layer_cat_net, X_train, y_train) == 209  # 1.0
    assert n_correct(two_layer_cat_net, X_test, y_test) == 36  # 0.72


def test_the_four_layer_cat_network_costs_are_the_courses(four_layer_cat_net):
    curve = four_layer_cat_net.loss_curve_
    assert len(curve) == 2500
    np.testing.assert_allclose([curve[i] for i in FOUR_LAYER_COSTS],
                               list(FOUR_LAYER_COSTS.values()), rtol=0, atol=1e-6)


def test_the_four_layer_cat_network_accuracies_are_the_courses(
        four_layer_cat_net, cats):
    X_train, y_train, X_test, y_test = cats
    assert n_correct(four_layer_cat_net, X_train, y_train) == 206  # 0.985645933014
    assert n_correct(four_layer_cat_net, X_test, y_test) == 40  # 0.8
