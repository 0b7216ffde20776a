"""
The course's cat / non-cat pictures (your own copy of the files)
================================================================

The lecture's running example (§二 二分类问题) is a cat classifier. Its pictures
are the files ``train_catvnoncat.h5`` (209 images) and ``test_catvnoncat.h5``
(50 images) of the programming assignment of week 2 ("Logistic Regression
with a Neural Network mindset") of the deeplearning.ai course *Neural Networks
and Deep Learning*. They are not bundled with sknnbasics or any package:
copy them from your course materials into one folder and run::

    python -m pip install ".[images]"    # h5py, to read the files
    python examples/practice/cat_images.py path/to/folder

(the folder defaults to ``datasets``, the assignment's own layout). Without
the files the script says where it looked and stops without an error. The
build of this documentation does not run it; the gallery example
:ref:`sphx_glr_auto_examples_practice_plot_image_features.py` shows the same
pipeline on pictures that ship with scikit-learn.

Each image is (64, 64, 3) uint8. :class:`~sknnbasics.ImageVectorizer` makes
the lecture's feature vector x of each (all red values, then green, then blue,
divided by 255: n_x = 64 · 64 · 3 = 12288), and :class:`~sknnbasics.LogisticGD`
with the assignment's settings (α = 0.005, 2000 iterations) reaches the
assignment's 70 % test accuracy.
"""

import sys
from pathlib import Path

from sklearn.pipeline import make_pipeline

from sknnbasics import ImageVectorizer, LogisticGD

FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")


def load(folder):
    """(train images, train labels, test images, test labels) from the
    course's two files in ``folder``."""
    import h5py

    with h5py.File(folder / FILES[0], "r") as f:
        images, labels = f["train_set_x"][:], f["train_set_y"][:]
    with h5py.File(folder / FILES[1], "r") as f:
        test_images, test_labels = f["test_set_x"][:], f["test_set_y"][:]
    return images, labels, test_images, test_labels


def main(folder):
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        print(f"{', '.join(missing)} not found in {folder.resolve()}: copy the "
              f"course's files there (or pass their folder as the argument); "
              f"nothing to do.")
        return 0
    images, labels, test_images, test_labels = load(folder)
    model = make_pipeline(ImageVectorizer(),
                          LogisticGD(learning_rate=0.005, max_iter=2000, tol=None))
    model.fit(images, labels)
    print(f"{len(labels)} training images {images.shape[1:]}, "
          f"test accuracy {model.score(test_images, test_labels):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "datasets")))
