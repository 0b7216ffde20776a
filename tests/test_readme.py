"""Every ```python block of README.md, and every ``.. code-block:: python``
of the documentation pages that took the README's longer sections (the
command-line reference, saving models and scaling out, when training goes
wrong), runs as a script, the way a reader copies it: in a fresh interpreter
(a subprocess), in a folder where ``python -m sknnbasics demo --fast`` has
written its files (one block reads them), with this checkout first on
``PYTHONPATH``. Nothing is downloaded; ``Client()`` of the Dask block starts a
cluster on this machine.

A block that imports an optional package (skops, dask.distributed,
matplotlib, h5py) is skipped, naming the package, only when that package
does not import here. The cat-image script the docs point to is run too:
without the course's files it must stop cleanly, with files of the same
layout it must train and report an accuracy.

The README itself is a front door: at most 150 lines, the two set-up commands
exactly as ``.ci/run`` runs them, and on its first screen (and in its 中文简介)
which algorithm the defaults run and how to ask for the lecture's.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# the pages that took the README's longer sections (issue 24, item 4)
MOVED_PAGES = [ROOT / "docs" / "cli.rst",
               ROOT / "docs" / "user_guide" / "practice.rst",
               ROOT / "docs" / "user_guide" / "troubleshooting.rst"]
CAT_SCRIPT = ROOT / "examples" / "practice" / "cat_images.py"
# top-level modules that are in an extra, not in the dependencies
OPTIONAL = {"skops", "dask", "distributed", "matplotlib", "h5py"}
SET_UP = 'python -m pip install ".[plot]" && python -m sknnbasics demo'
TEST = 'python -m pip install -e ".[test]" && python -m pytest'
ESTIMATORS = ("LogisticGD", "ShallowNetClassifier", "DeepNetClassifier",
              "ShallowNetRegressor", "DeepNetRegressor")

pytestmark = pytest.mark.skipif(
    not README.is_file() or not all(page.is_file() for page in MOVED_PAGES),
    reason="README.md or docs/ is not in this tree: run these tests from a "
           "clone of the repository")


def python_blocks(text):
    """(name, code) of each ```python block of a Markdown text: the section it
    is in and its first line number in the file."""
    blocks, section = [], "top"
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        if line.strip() == "```python":
            start = i + 1
            end = lines.index("```", start)
            blocks.append((f"{section} (line {start + 1})",
                           "\n".join(lines[start:end]) + "\n"))
            i = end
        i += 1
    return blocks


def rst_python_blocks(text):
    """(name, code) of each ``.. code-block:: python`` of a reStructuredText
    page: the section it is in and its first line number in the file. The
    block is the indented text after the directive, dedented."""
    blocks, section = [], "top"
    lines = text.splitlines()
    for i, line in enumerate(lines):
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if (line.strip() and underline and set(underline) <= set("=-~^")
                and len(underline) >= len(line.strip())):
            section = line.strip()
        if line.strip() != ".. code-block:: python":
            continue
        indent = len(line) - len(line.lstrip())
        body, j = [], i + 1
        while j < len(lines) and (not lines[j].strip() or
                                  len(lines[j]) - len(lines[j].lstrip()) > indent):
            body.append(lines[j])
            j += 1
        while body and not body[-1].strip():
            body.pop()
        first = next(k for k, text_line in enumerate(body) if text_line.strip())
        margin = min(len(b) - len(b.lstrip()) for b in body if b.strip())
        code = "\n".join(b[margin:] for b in body[first:]) + "\n"
        blocks.append((f"{section} (line {i + 2 + first})", code))
    return blocks


def _read(path):
    return path.read_text(encoding="utf-8") if path.is_file() else ""


README_BLOCKS = [(f"README.md: {name}", code)
                 for name, code in python_blocks(_read(README))]
PAGE_BLOCKS = [(f"{page.name}: {name}", code) for page in MOVED_PAGES
               for name, code in rst_python_blocks(_read(page))]
BLOCKS = README_BLOCKS + PAGE_BLOCKS


def imported_modules(code):
    """The modules a block imports, as written (``skops.io``,
    ``dask.distributed``)."""
    names = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
    return names


def run_script(args, cwd, timeout=180):
    env = {**os.environ, "MPLBACKEND": "Agg",
           "PYTHONPATH": os.pathsep.join(
               [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def reader_folder(tmp_path_factory):
    """A folder holding what ``python -m sknnbasics demo --fast`` writes."""
    folder = tmp_path_factory.mktemp("reader")
    done = run_script(["-m", "sknnbasics", "demo", "--fast"], folder)
    assert done.returncode == 0, done.stderr
    return folder


def test_the_readme_and_the_moved_pages_have_their_python_blocks():
    # quick start, CSV → model, skops, Dask: a lost block must not go unseen
    assert len(BLOCKS) >= 4
    assert README_BLOCKS and "Quick start" in README_BLOCKS[0][0]
    assert any("GridSearchCV(" in code for _, code in PAGE_BLOCKS)
    assert any("if __name__ == \"__main__\":" in code and "Client()" in code
               for _, code in PAGE_BLOCKS)
    assert any("sio.load(" in code for _, code in PAGE_BLOCKS)


@pytest.mark.parametrize("code", [code for _, code in BLOCKS],
                         ids=[name for name, _ in BLOCKS])
def test_every_block_builds_its_estimators_through_lecture(code):
    # a block that shows the lecture asks for it by name; the defaults are
    # described in prose (issue 23, item 7)
    built = re.findall(rf"\b({'|'.join(ESTIMATORS)})\(", code)
    assert not built, f"built directly, not through lecture(...): {built}"


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    # the two set-up commands, each alone on its line, exactly as .ci/run runs
    # the second one
    lines = text.splitlines()
    assert SET_UP in lines and TEST in lines
    assert TEST in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # what the defaults run and how to get the lecture's, on the first screen
    # and in the Chinese introduction (issue 23, item 8)
    first_screen = "\n".join(lines[:25])
    chinese = text[text.index("## 中文简介"):]
    for part in (first_screen, chinese):
        assert "Adam" in part and "Glorot" in part
        assert "lecture(ShallowNetClassifier" in part
    for section in ("## Quick start", "## Command line", "## Persistence",
                    "## Scale-out", "## Documentation"):
        assert section in lines


@pytest.mark.parametrize("code", [code for _, code in BLOCKS],
                         ids=[name for name, _ in BLOCKS])
def test_every_python_block_runs_as_a_script(code, reader_folder):
    for module in imported_modules(code):
        if module.split(".")[0] in OPTIONAL:
            pytest.importorskip(module, reason=f"{module} (an extra) is not "
                                "installed, and this block imports it: "
                                'python -m pip install -e ".[test]" runs it')
    script = reader_folder / "block.py"
    script.write_text(code, encoding="utf-8")
    done = run_script([str(script)], reader_folder)
    assert done.returncode == 0, f"the block failed:\n{done.stderr}"
    # a snippet a newcomer copies runs clean (README: "runs without a warning")
    assert "ConvergenceWarning" not in done.stderr, done.stderr


def test_the_cat_image_script_stops_cleanly_without_the_course_files(tmp_path):
    done = run_script([str(CAT_SCRIPT), str(tmp_path)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "train_catvnoncat.h5, test_catvnoncat.h5 not found in" in done.stdout
    assert "nothing to do" in done.stdout


def test_the_cat_image_script_trains_on_files_of_the_course_layout(tmp_path):
    h5py = pytest.importorskip("h5py", reason="h5py (the images extra) is not "
                               "installed, and the script reads .h5 files with "
                               'it: python -m pip install -e ".[test]" runs it')
    # the course's layout (keys, uint8 images, 0/1 labels), smaller images:
    # bright pictures are the cats, so a linear model separates them exactly
    rng = np.random.default_rng(0)
    for part, m in (("train", 40), ("test", 20)):
        labels = np.tile([0, 1], m // 2)
        images = rng.integers(0, 100, size=(m, 8, 8, 3)) + 150 * labels[:, None,
                                                                      None, None]
        with h5py.File(tmp_path / f"{part}_catvnoncat.h5", "w") as file:
            file[f"{part}_set_x"] = images.astype(np.uint8)
            file[f"{part}_set_y"] = labels
    done = run_script([str(CAT_SCRIPT), str(tmp_path)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == "40 training images (8, 8, 3), test accuracy 1.00"
    # then the course's two week-4 networks, each with its costs and accuracies
    assert [line for line in lines if "accuracy" in line][1:] == [
        "  train accuracy 1.00, test accuracy 1.00"] * 2
    assert sum(line.startswith("  Cost after iteration ") for line in lines) == 12
