"""
Images to feature vectors: which photograph is this patch from?
===============================================================

The lecture's running example (§二 二分类问题) is a cat classifier: a colour
image is three matrices (red, green, blue), stacked into one feature vector x
of n_x = H × W × 3 values, and a classifier predicts y = 1 (cat) or 0 (non
cat). :class:`~sknnbasics.ImageVectorizer` does the stacking, so images go
straight into a scikit-learn pipeline.

The course's cat pictures are not bundled with any package, so we build the
same kind of task from the two photographs that ship with scikit-learn
(:func:`sklearn.datasets.load_sample_images`): small square patches cut from
the photograph of a flower are the positives (y = 1), patches of the
photograph of a temple the negatives (y = 0). Nothing is downloaded.
"""

# %%
# The images and the patches
# --------------------------
# 300 random 16 × 16 patches from each photograph: m = 600 images of
# shape (16, 16, 3), uint8 values 0 … 255, half kept for testing.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_sample_images
from sklearn.feature_extraction.image import extract_patches_2d
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sknnbasics import ImageVectorizer, LogisticGD, ShallowNetClassifier

china, flower = load_sample_images().images
patches = np.concatenate([
    extract_patches_2d(china, (16, 16), max_patches=300, random_state=0),
    extract_patches_2d(flower, (16, 16), max_patches=300, random_state=1),
])
y = np.repeat([0, 1], 300)  # 1: from flower.jpg, 0: from china.jpg
images_train, images_test, y_train, y_test = train_test_split(
    patches, y, test_size=0.5, stratify=y, random_state=0)
print("images:", images_train.shape, images_train.dtype)

# %%
# One image, one feature vector
# -----------------------------
# ``ImageVectorizer`` lays out all red values first (row by row), then all
# green, then all blue, as the lecture's x = [255, 231, 42, …]ᵀ, and divides by
# 255 so the values lie in [0, 1]. n_x = 16 · 16 · 3 = 768.
vectorizer = ImageVectorizer().fit(images_train)
X_train = vectorizer.transform(images_train)
print("X:", X_train.shape, " n_x =", X_train.shape[1])
print("first features:", vectorizer.get_feature_names_out()[[0, 1, 256, 512]])

fig, (ax_image, ax_vector) = plt.subplots(
    1, 2, figsize=(8, 2.6), gridspec_kw={"width_ratios": [1, 4]})
ax_image.imshow(images_train[0])
ax_image.set(title=f"one patch, y = {y_train[0]}", xticks=[], yticks=[])
for k, colour in enumerate(["red", "green", "blue"]):
    features = np.arange(256 * k, 256 * (k + 1))
    ax_vector.plot(features, X_train[0, features], color=colour, lw=0.8)
ax_vector.set(xlabel="feature index (red 0–255, green 256–511, blue 512–767)",
              ylabel="x (value / 255)", title="its feature vector x")
fig.tight_layout()
plt.show()

# %%
# Logistic regression and a shallow network on the pixels
# --------------------------------------------------------
# A pipeline turns images into vectors and trains on them; ``predict`` takes
# images too.
models = {
    "LogisticGD": LogisticGD(),
    "ShallowNetClassifier(n_hidden=8)": ShallowNetClassifier(
        n_hidden=8, activation="tanh", solver="gd", learning_rate=0.1,
        max_iter=2000, tol=1e-5, random_state=0),
}
pipes = {}
for name, model in models.items():
    pipes[name] = make_pipeline(ImageVectorizer(), model).fit(images_train, y_train)
    print(f"{name:>33}: {model.n_iter_:4d} iterations, "
          f"train accuracy {pipes[name].score(images_train, y_train):.3f}, "
          f"test accuracy {pipes[name].score(images_test, y_test):.3f}")

# %%
# One neuron on 768 raw pixel values draws one hyperplane in pixel space,
# which cannot tell a red petal from a red roof wherever the patch is taken;
# eight hidden units already do much better.
#
# Test patches with the shallow network's ŷ = P(y = 1 | x)
# ---------------------------------------------------------
pipe = pipes["ShallowNetClassifier(n_hidden=8)"]
proba = pipe.predict_proba(images_test)[:, 1]
fig, axes = plt.subplots(5, 6, figsize=(8, 7.6))
for ax, image, label, p in zip(axes.ravel(), images_test, y_test, proba,
                               strict=False):
    ax.imshow(image)
    wrong = (p > 0.5) != label
    ax.set_title(f"ŷ = {p:.2f}", fontsize=9, color="red" if wrong else "black")
    ax.set(xticks=[], yticks=[])
fig.suptitle("test patches and ŷ = P(from the flower photograph | x)\n"
             "red: misclassified")
fig.tight_layout()
plt.show()
