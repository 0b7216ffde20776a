"""The modules as layers (docs/internals.rst, "Architecture"): each module
imports only from its own layer or the layers below it.

The imports are read from the source (``ast``, every ``import`` statement,
also those inside functions); an import of a lower layer by a higher one is
the expected direction, the other way round fails the test, and so does a
module that no layer names (a new module must be placed in the picture).
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sknnbasics"

# lowest first; a module may import from its layer and the ones before it
LAYERS = {
    "math": ["_array_api", "_activations", "_cost", "_network", "_optimizers"],
    "training": ["_workspace", "_history", "_lbfgs", "_training"],
    "estimator shell": ["_persistence", "_mlp_spellings", "_callbacks",
                        "_diagnosis", "_data",
                        "_start", "_base", "_base_classifier", "_base_regressor",
                        "_network_params"],
    "estimators": ["_logistic", "_classifiers", "_regressors", "_lecture",
                   "_image", "datasets", "_step", "_gradient_check", "_hidden"],
    "front ends": ["_messages", "_interrupt", "_files", "_search", "_display",
                   "_demo", "_cli", "_onnx", "onnx", "__main__", "__init__"],
}

# the package's version string is a constant every layer may read (it sits
# in __init__, which imports everything else only to re-export it)
ANYWHERE = {"__version__"}


def layer_of(module):
    for rank, modules in enumerate(LAYERS.values()):
        if module in modules:
            return rank
    return None


def imported_modules(path):
    """(line, module) for each sknnbasics module that ``path`` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            absolute = node.level == 0 and (node.module or "").startswith(
                "sknnbasics")
            if node.level == 1 or absolute:
                parts = (node.module or "").split(".")
                base = parts[1] if absolute and len(parts) > 1 else (
                    parts[0] if node.level == 1 else "")
                if base:
                    found.append((node.lineno, base))
                    continue
                for alias in node.names:  # from . import x / from sknnbasics
                    if alias.name in ANYWHERE:
                        continue
                    is_module = (PACKAGE / f"{alias.name}.py").exists()
                    found.append((node.lineno,
                                  alias.name if is_module else "__init__"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "sknnbasics":
                    found.append((node.lineno,
                                  parts[1] if len(parts) > 1 else "__init__"))
    return found


def wrong_way_imports(path):
    """The imports of ``path`` that reach a higher layer, as sentences."""
    module = path.stem
    rank = layer_of(module)
    if rank is None:
        return [f"{path.name} belongs to no layer"]
    names = list(LAYERS)
    return [f"{path.name}:{line} ({names[rank]}) imports {target} "
            f"({names[layer_of(target)]}), a higher layer"
            for line, target in imported_modules(path)
            if layer_of(target) is not None and layer_of(target) > rank]


MODULES = sorted(PACKAGE.glob("*.py"))
INTERNALS = PACKAGE.parent / "docs" / "internals.rst"


def drawn_layers():
    """{layer: set of modules} as the picture in docs/internals.rst draws
    them: each layer's label starts a line, its modules follow it."""
    text = INTERNALS.read_text(encoding="utf-8")
    picture = text.split(".. code-block:: text", 1)[1].split("\n\n")[1]
    drawn, layer = {}, None
    for line in picture.splitlines():
        for name in LAYERS:
            if line.strip().startswith(name + "  "):
                layer, line = name, line.strip()[len(name):]
        if layer is not None:
            words = re.findall(r"[A-Za-z_]+", line)
            drawn.setdefault(layer, set()).update(
                word for word in words if (PACKAGE / f"{word}.py").exists())
    return drawn


def test_every_module_has_a_layer_and_every_layer_entry_a_module():
    files = {path.stem for path in MODULES}
    placed = [module for modules in LAYERS.values() for module in modules]
    assert sorted(set(placed)) == sorted(placed), "a module in two layers"
    unplaced = files - set(placed)
    assert not unplaced, (
        f"{sorted(unplaced)} belong to no layer: add each to LAYERS here and "
        f"to the Architecture section of docs/internals.rst")
    assert set(placed) <= files, f"no such modules: {sorted(set(placed) - files)}"


def test_the_docs_draw_the_layers_the_test_checks():
    assert drawn_layers() == {name: set(modules)
                              for name, modules in LAYERS.items()}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.stem)
def test_imports_run_down_the_layers(path):
    assert wrong_way_imports(path) == []


def test_a_wrong_way_import_is_caught(tmp_path):
    # the check itself: the math importing the estimator shell is refused
    source = (PACKAGE / "_network.py").read_text(encoding="utf-8")
    broken = tmp_path / "_network.py"
    broken.write_text(source + "\nfrom ._base import _flat\n", encoding="utf-8")
    (problem,) = wrong_way_imports(broken)
    assert "imports _base (estimator shell), a higher layer" in problem
    # and so is the absolute spelling, inside a function
    broken.write_text(source + "\ndef f():\n    import sknnbasics._cli\n",
                      encoding="utf-8")
    (problem,) = wrong_way_imports(broken)
    assert "imports _cli (front ends)" in problem


def test_imports_are_found_in_every_spelling(tmp_path):
    path = tmp_path / "_probe.py"
    path.write_text("from ._cost import OutputLayer\n"
                    "from . import _interrupt, __version__\n"
                    "import sknnbasics\n"
                    "from sknnbasics._network import layer_dims\n"
                    "def f():\n    from .datasets import make_flower\n",
                    encoding="utf-8")
    assert sorted(target for _, target in imported_modules(path)) == [
        "__init__", "_cost", "_interrupt", "_network", "datasets"]


# issue 24's house rules: a module a reader can hold, a function that is one step
LONGEST_MODULE, LONGEST_FUNCTION = 600, 80


def test_no_module_and_no_function_outgrows_the_house_rules():
    too_long = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > LONGEST_MODULE:
            too_long.append(f"{path.name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1  # docstring included
                if length > LONGEST_FUNCTION:
                    too_long.append(f"{path.name}:{node.lineno} {node.name}: "
                                    f"{length} lines")
    assert not too_long, (
        f"over {LONGEST_MODULE} lines a module or {LONGEST_FUNCTION} a function "
        f"(split it into named steps): {too_long}")
