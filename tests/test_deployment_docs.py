"""The snippets of docs/user_guide/deployment.rst run, and dask-ml's
Incremental is partial_fit over the chunks in order (issue 26).

Each ``.. code-block:: python`` of the page with a ``:name: deploy-…`` is run
as a script in a fresh folder, with every warning an error. A snippet that
imports an optional tool that is not installed is skipped, with the command
that installs it.
"""

import ast
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from sknnbasics import DeepNetClassifier, LogisticGD, ShallowNetClassifier

PAGE = Path(__file__).resolve().parents[1] / "docs" / "user_guide" / "deployment.rst"
BLOCK = re.compile(r"^\.\. code-block:: python\n   :name: (deploy-[\w-]+)\n\n"
                   r"((?:(?:   .*)?\n)+)", flags=re.MULTILINE)
# the optional tools the snippets use, and how to install each
INSTALL = {
    "skops": 'pip install ".[skops]"',
    "skl2onnx": 'pip install ".[onnx]"',
    "onnxruntime": 'pip install ".[onnx]"',
    "dask": 'pip install ".[distributed]"',
    "dask_ml": "pip install dask-ml",
    "mlflow": "pip install mlflow",
    "ray": 'pip install "ray[default]"',
}

# every warning a test here does not expect fails it
pytestmark = [
    pytest.mark.filterwarnings("error"),
    pytest.mark.skipif(not PAGE.is_file(), reason="docs/ is not in this tree"),
]


def snippets():
    """{name: code} of the page's named Python blocks, in page order."""
    text = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else ""
    return {name: textwrap.dedent(code) for name, code in BLOCK.findall(text)}


def imported_roots(code):
    """The top-level packages a snippet imports."""
    roots = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_page_has_its_snippets():
    assert list(snippets()) == ["deploy-joblib", "deploy-skops", "deploy-onnx",
                                "deploy-mlflow", "deploy-dask-ml", "deploy-ray"]


def import_or_skip(module, why):
    """``module`` imported, or the test skipped saying ``why`` and the import
    error: a tool that is installed but cannot import here (dask-ml's pyarrow
    needs numpy 2, absent from the oldest-versions run) skips as cleanly as
    one that is not installed."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.skip(f"{why} ({type(error).__name__}: {error})")


@pytest.mark.parametrize("name", list(snippets()))
def test_the_snippets_of_the_page_run(name, tmp_path, monkeypatch):
    code = snippets()[name]
    for root in sorted(imported_roots(code) & set(INSTALL)):
        import_or_skip(root, f"the {name} snippet needs {root}, which does not "
                             f"import here: {INSTALL[root]}")
    monkeypatch.chdir(tmp_path)  # the files it writes land in a fresh folder
    exec(compile(code, f"{PAGE.name}:{name}", "exec"), {"__name__": "__main__"})


# -- dask-ml's Incremental --------------------------------------------------


@pytest.mark.parametrize("model", [
    LogisticGD(solver="gd"),
    LogisticGD(solver="adam"),
    ShallowNetClassifier(n_hidden=5, random_state=0),
    DeepNetClassifier(hidden_layer_sizes=(6, 4), solver="gd", momentum=0.9,
                      random_state=0),
], ids=["LogisticGD-gd", "LogisticGD-adam", "ShallowNetClassifier",
        "DeepNetClassifier"])
def test_incremental_equals_partial_fit_on_the_same_chunks_in_order(model):
    da = import_or_skip("dask.array", f"dask does not import here: "
                                      f"{INSTALL['dask']}")
    wrappers = import_or_skip("dask_ml.wrappers", f"dask-ml does not import "
                                                  f"here: {INSTALL['dask_ml']}")
    from sklearn.base import clone

    rng = np.random.RandomState(0)
    X = rng.randn(500, 4)
    y = np.digitize(X[:, 0] + X[:, 1] * X[:, 2], [-0.5, 0.5])
    chunks = [slice(start, start + 100) for start in range(0, 500, 100)]

    by_hand = clone(model)
    for chunk in chunks:
        by_hand.partial_fit(X[chunk], y[chunk], classes=[0, 1, 2])
    incremental = wrappers.Incremental(clone(model), shuffle_blocks=False)
    incremental.fit(da.from_array(X, chunks=(100, 4)),
                    da.from_array(y, chunks=100), classes=[0, 1, 2])

    streamed = incremental.estimator_
    assert streamed.t_ == by_hand.t_ == 500
    assert streamed.n_iter_ == by_hand.n_iter_ == len(chunks)
    for W_streamed, W_by_hand in zip(streamed.parameters_.values(),
                                     by_hand.parameters_.values(), strict=True):
        np.testing.assert_allclose(W_streamed, W_by_hand, rtol=0, atol=1e-12)
    np.testing.assert_allclose(streamed.predict_proba(X), by_hand.predict_proba(X),
                               rtol=0, atol=1e-12)
