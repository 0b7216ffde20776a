"""
The course's cat / non-cat pictures (your own copy of the files)
================================================================

The lecture's running example (§二 二分类问题) is a cat classifier. Its pictures
are the files ``train_catvnoncat.h5`` (209 images) and ``test_catvnoncat.h5``
(50 images) of the programming assignments of weeks 2 and 4 of the
deeplearning.ai course *Neural Networks and Deep Learning*. They are not
bundled with sknnbasics or any package: copy them from your course materials
into one folder and run::

    python -m pip install ".[images]"    # h5py, to read the files
    python examples/practice/cat_images.py path/to/folder

(the folder defaults to ``datasets``, the assignment's own layout). Without
the files the script says where it looked and stops without an error. The
build of this documentation does not run it; the gallery example
:ref:`sphx_glr_auto_examples_practice_plot_image_features.py` shows the same
pipeline on pictures that ship with scikit-learn.

Each image is (64, 64, 3) uint8, n_x = 64 · 64 · 3 = 12288 values. The script
trains, with the lecture's gradient descent (:func:`~sknnbasics.lecture`):

- week 2, logistic regression: :class:`~sknnbasics.ImageVectorizer` makes the
  lecture's feature vector x (all red values, then green, then blue, divided
  by 255) and :class:`~sknnbasics.LogisticGD` with the assignment's settings
  (α = 0.005, 2000 iterations) reaches its 70 % test accuracy;
- week 4, the course's two networks, with its settings and seeds, printing
  the course's numbers: the 2-layer (12288, 7, 1) ReLU → sigmoid network,
  α = 0.0075, 2500 iterations, W[l] = randn · 0.01 from seed 1 (cost
  0.693050 at iteration 0, train accuracy 1.00, test 0.72), and the 4-layer
  [12288, 20, 7, 5, 1] one with the course's W[l] = randn / √n[l−1]
  (``init="xavier"``; cost 0.771749 at iteration 0, train 0.99, test 0.80).

The networks take the course's x: ``images.reshape(m, -1) / 255``, which keeps
each pixel's red, green and blue together. That is the lecture's x with its
entries in another order; the same random draws then land on other pixels,
so only the course's order gives the course's numbers. (2500 iterations on
209 × 12288 values take a minute or a few.)
"""

import sys
from pathlib import Path

from sklearn.pipeline import make_pipeline

from sknnbasics import (
    DeepNetClassifier,
    ImageVectorizer,
    LogisticGD,
    ShallowNetClassifier,
    lecture,
)

FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")

# the course's week-4 networks: its hyperparameters and its seeds
NETWORKS = {
    "2-layer network (n_x, 7, 1)": lecture(
        ShallowNetClassifier, n_hidden=7, activation="relu",
        learning_rate=0.0075, max_iter=2500, random_state=1),
    "4-layer network (n_x, 20, 7, 5, 1)": lecture(
        DeepNetClassifier, hidden_layer_sizes=(20, 7, 5), activation="relu",
        init="xavier", learning_rate=0.0075, max_iter=2500, random_state=1),
}
PRINT_EVERY = 500  # iterations between printed costs (the course: 100)


def load(folder):
    """(train images, train labels, test images, test labels) from the
    course's two files in ``folder``."""
    import h5py

    with h5py.File(folder / FILES[0], "r") as f:
        images, labels = f["train_set_x"][:], f["train_set_y"][:]
    with h5py.File(folder / FILES[1], "r") as f:
        test_images, test_labels = f["test_set_x"][:], f["test_set_y"][:]
    return images, labels, test_images, test_labels


def course_features(images):
    """The course's x, one image per row: ``train_x_orig.reshape(m, -1).T /
    255.`` transposed (each pixel's red, green, blue side by side)."""
    return images.reshape(len(images), -1) / 255.0


def logistic_regression(images, labels, test_images, test_labels):
    """Week 2: the lecture's x and logistic regression."""
    model = make_pipeline(ImageVectorizer(),
                          lecture(LogisticGD, learning_rate=0.005, max_iter=2000))
    model.fit(images, labels)
    print(f"{len(labels)} training images {images.shape[1:]}, "
          f"test accuracy {model.score(test_images, test_labels):.2f}")


def course_network(name, network, X, y, X_test, y_test):
    """Week 4: train ``network`` on the course's x and print what the course
    prints, its cost every PRINT_EVERY iterations and both accuracies."""
    network.fit(X, y)
    curve = network.loss_curve_
    print(f"{name}, n_x = {X.shape[1]}:")
    for i in [*range(0, len(curve), PRINT_EVERY), len(curve) - 1]:
        print(f"  Cost after iteration {i}: {curve[i]:.6f}")
    print(f"  train accuracy {network.score(X, y):.2f}, "
          f"test accuracy {network.score(X_test, y_test):.2f}")


def main(folder):
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        print(f"{', '.join(missing)} not found in {folder.resolve()}: copy the "
              f"course's files there (or pass their folder as the argument); "
              f"nothing to do.")
        return 0
    images, labels, test_images, test_labels = load(folder)
    logistic_regression(images, labels, test_images, test_labels)
    X, X_test = course_features(images), course_features(test_images)
    for name, network in NETWORKS.items():
        course_network(name, network, X, labels, X_test, test_labels)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "datasets")))
