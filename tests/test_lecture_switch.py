"""sknnbasics.lecture: every hyperparameter that shapes training is the
lecture's, whatever the estimators' defaults are."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
    lecture,
)
from sknnbasics._lecture import LECTURE_SETTINGS, NOT_PINNED

ESTIMATORS = [LogisticGD, ShallowNetClassifier, DeepNetClassifier,
              ShallowNetRegressor, DeepNetRegressor]


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_the_lecture_pins_every_hyperparameter_but_the_seed_and_verbosity(
        Estimator):
    # a hyperparameter added to an estimator must be given its lecture value
    # here, or a lecture page would silently pick up its default
    pinned = set(LECTURE_SETTINGS[Estimator])
    assert pinned == set(Estimator().get_params()) - set(NOT_PINNED)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_the_lecture_is_full_batch_gradient_descent_without_extras(Estimator):
    params = lecture(Estimator).get_params()
    assert params["solver"] == "gd"
    assert params["batch_size"] is None
    assert params["momentum"] == 0.0
    assert params["alpha"] == 0.0
    assert params["tol"] is None  # N = max_iter iterations, exactly
    assert params["learning_rate_schedule"] == "constant"
    assert params["early_stopping"] is False


def test_the_lecture_initialises_shallow_networks_with_randn_times_001():
    X = np.random.RandomState(0).randn(30, 3)
    y = np.arange(30) % 2
    rng = np.random.RandomState(2)
    W1, W2 = rng.randn(4, 3) * 0.01, rng.randn(1, 4) * 0.01
    # one update of α = 1e-300 leaves the weights drawn as the lecture draws
    # them (and, rightly, a model that learned nothing)
    net = lecture(ShallowNetClassifier, max_iter=1, learning_rate=1e-300,
                  random_state=2)
    with pytest.warns(ConvergenceWarning, match="learned nothing"):
        fresh = net.fit(X, y)
    np.testing.assert_allclose(fresh.parameters_["W1"], W1, rtol=0, atol=1e-300)
    np.testing.assert_allclose(fresh.parameters_["W2"], W2, rtol=0, atol=1e-300)
    assert net.get_params()["init"] == "random"


def test_given_hyperparameters_win():
    net = lecture(DeepNetClassifier, hidden_layer_sizes=(8,), learning_rate=1.2,
                  init="random", random_state=3)
    params = net.get_params()
    assert params["hidden_layer_sizes"] == (8,)
    assert params["learning_rate"] == 1.2
    assert params["init"] == "random"
    assert params["random_state"] == 3
    assert params["solver"] == "gd"


def test_an_instance_or_an_unknown_hyperparameter_is_refused_with_a_sentence():
    with pytest.raises(TypeError, match="an instance of ShallowNetClassifier"):
        lecture(ShallowNetClassifier())
    with pytest.raises(TypeError, match="no hyperparameter learning_rate_init"):
        lecture(ShallowNetClassifier, learning_rate_init=0.1)


# -- the guard: a lecture page, example or test asks for the lecture ---------------
#
# Every file below shows the lecture's algorithm. It must build each of its
# estimators through lecture(...), never with a bare constructor, which would
# silently pick up the defaults (Adam, glorot, DeepNetRegressor's alpha=3). A
# line that builds one on purpose with the defaults (to show them) says so
# with the marker "# not the lecture" and a reason.

ROOT = Path(__file__).resolve().parents[1]
NAMES = tuple(Estimator.__name__ for Estimator in ESTIMATORS)
NOT_THE_LECTURE = "# not the lecture"

LECTURE_FILES = [
    "examples/logistic/plot_learning_rate.py",
    "examples/shallow/plot_flower_hidden_units.py",
    "examples/shallow/plot_hidden_activations.py",
    "examples/shallow/plot_linear_activation.py",
    "examples/shallow/plot_random_initialization.py",
    "examples/shallow/plot_training_unfolds.py",
    "examples/shallow/plot_computation_graph.py",
    "examples/deep/plot_depth_checkerboard.py",
    "examples/practice/plot_regression.py",
    "examples/hyperparameters/plot_grid_search.py",
    "docs/quickstart.rst",
    "docs/notation.rst",
    "docs/user_guide/logistic_regression.rst",
    "docs/user_guide/shallow_networks.rst",
    "docs/user_guide/deep_networks.rst",
    "docs/user_guide/hyperparameters.rst",
    "docs/user_guide/step_by_step.rst",
    "sknnbasics/_demo.py",
    "tests/test_lecture_claims.py",
    "README.md",
    "tests/test_course_numbers.py",
]
# the gallery chapters of the lecture (§二 – §四): every example in them is a
# lecture file, or draws the lecture's math without building an estimator
LECTURE_CHAPTERS = ["examples/logistic", "examples/shallow", "examples/deep"]
NO_ESTIMATOR = [
    "examples/logistic/plot_nonconvex_squared_loss.py",
    "examples/shallow/plot_activation_functions.py",
]


def _python_constructions(source):
    """(line, text) of every estimator built in ``source``, and the number of
    lecture(...) calls: a Call of one of the estimators' names (``Name(...)``
    or ``module.Name(...)``) is built directly."""
    direct, via_lecture = [], 0
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else None)
        if name == "lecture":
            via_lecture += 1
        elif name in NAMES and NOT_THE_LECTURE not in lines[node.lineno - 1]:
            direct.append((node.lineno, lines[node.lineno - 1].strip()))
    return sorted(direct), via_lecture


_CODE_DIRECTIVE = re.compile(r"^(\s*)\.\. (code-block|code|sourcecode|doctest|"
                             r"testcode)::")
_OTHER_DIRECTIVE = re.compile(r"^\s*\.\. [\w:-]+::")


def _code_lines(text, suffix):
    """(line number, text) of the code in a page: Markdown's fenced blocks;
    reStructuredText's code-block directives, ``::`` literal blocks and
    doctest lines (``>>>``, ``...``)."""
    lines = text.splitlines()
    code = []
    if suffix == ".md":
        inside = False
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith("```"):
                inside = not inside
            elif inside:
                code.append((number, line))
        return code
    block_indent = None  # the indentation that opened the current code block
    for number, line in enumerate(lines, 1):
        indent = len(line) - len(line.lstrip())
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                code.append((number, line))
                continue
            block_indent = None
        if line.lstrip().startswith((">>>", "... ")):
            code.append((number, line))
        elif _CODE_DIRECTIVE.match(line) or (
                line.rstrip().endswith("::") and not _OTHER_DIRECTIVE.match(line)):
            block_indent = indent
    return code


def _page_constructions(text, suffix):
    """As :func:`_python_constructions`, for the code of a docs page."""
    built = re.compile(rf"\b({'|'.join(NAMES)})\s*\(")
    direct, via_lecture = [], 0
    for number, line in _code_lines(text, suffix):
        via_lecture += len(re.findall(r"\blecture\s*\(", line))
        if built.search(line) and NOT_THE_LECTURE not in line:
            direct.append((number, line.strip()))
    return direct, via_lecture


def _constructions(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return _python_constructions(text)
    return _page_constructions(text, path.suffix)


@pytest.mark.parametrize("relative", LECTURE_FILES)
def test_every_lecture_file_builds_its_estimators_through_lecture(relative):
    path = ROOT / relative
    assert path.is_file(), f"the lecture file {relative} is missing"
    direct, via_lecture = _constructions(path)
    assert not direct, (
        f"{relative} shows the lecture but builds estimators without "
        f"lecture(...), so they run the defaults (Adam, glorot):\n"
        + "\n".join(f"{relative}:{line}: {text}" for line, text in direct))
    # the list is not vacuous: each file does build the lecture's estimators
    assert via_lecture >= 1, f"{relative} builds nothing through lecture(...)"


def test_every_example_of_the_lecture_chapters_is_guarded():
    examples = {str(p.relative_to(ROOT)) for chapter in LECTURE_CHAPTERS
                for p in (ROOT / chapter).glob("*.py")}
    unlisted = examples - set(LECTURE_FILES) - set(NO_ESTIMATOR)
    assert not unlisted, f"add these lecture examples to LECTURE_FILES: {unlisted}"
    for relative in NO_ESTIMATOR:
        direct, via_lecture = _constructions(ROOT / relative)
        assert not direct and not via_lecture, (
            f"{relative} now builds an estimator: move it to LECTURE_FILES")


@pytest.mark.parametrize("suffix, text, expected", [
    (".py", "net = lecture(ShallowNetClassifier, n_hidden=4)\n"
            "deep = sknnbasics.DeepNetClassifier(max_iter=9)\n", [2]),
    (".py", "Logistic = LogisticGD(tol=None)  # not the lecture: the defaults\n"
            "m = lecture(LogisticGD)\n", []),
    (".rst", "Text ``ShallowNetClassifier(n_hidden=k)`` in prose.\n\n"
             ".. code-block:: python\n\n"
             "   net = lecture(ShallowNetClassifier, n_hidden=4)\n"
             "   reg = DeepNetRegressor(alpha=0)\n\n"
             "Back to prose: DeepNetRegressor(...) is not code.\n\n"
             ".. math::\n\n   ShallowNetClassifier(x)\n\n"
             ">>> LogisticGD().fit(X, y)\n", [6, 14]),
    (".rst", "The settings read::\n\n    ShallowNetRegressor(n_hidden=4)\n", [3]),
    (".md", "Prose `DeepNetClassifier(...)`.\n\n```python\n"
            "m = lecture(LogisticGD)\nn = ShallowNetClassifier()\n```\n", [5]),
])
def test_the_guard_finds_every_estimator_built_without_lecture(suffix, text,
                                                                expected):
    if suffix == ".py":
        direct, _ = _python_constructions(text)
    else:
        direct, _ = _page_constructions(text, suffix)
    assert [line for line, _ in direct] == expected
