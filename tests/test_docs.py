"""The documentation stays true to the code: every test, function and public
name it cites exists, and every gallery example is a story with a figure.

The docs build itself (``python -m sphinx -W ...``, a stage of ``.ci/run``)
runs the examples; these checks are the cheap part that needs no Sphinx.
"""

import ast
import re

import pytest
from _helpers import CITED_OBJECT, CITED_TEST, DOCS, ROOT, cited_test_exists, resolve

import sknnbasics

EXAMPLES = ROOT / "examples"
PAGES = sorted(p for p in DOCS.rglob("*.rst")
               if not {"_build", "generated", "auto_examples"} & set(p.parts))
SCRIPTS = sorted(EXAMPLES.rglob("plot_*.py"))

pytestmark = pytest.mark.skipif(not DOCS.is_dir() or not EXAMPLES.is_dir(),
                                reason="docs/ and examples/ are not in this tree: "
                                "run these tests from a clone of the repository")


def _text(path):
    return path.read_text(encoding="utf-8")


def _cited(pattern):
    """(page, match) for every match of ``pattern`` in the pages and examples."""
    return [(path.name, match) for path in PAGES + SCRIPTS
            for match in pattern.finditer(_text(path))]


def test_the_pages_and_examples_exist():
    names = {p.name for p in PAGES}
    assert {"index.rst", "notation.rst", "api.rst", "internals.rst"} <= names
    assert len(SCRIPTS) >= 11


def test_every_cited_test_exists():
    cited = _cited(CITED_TEST)
    assert cited, "the user guide cites no test"
    missing = [f"{page}: {match[0]}" for page, match in cited
               if not cited_test_exists(match[1], match[2])]
    assert not missing, "the docs cite tests that do not exist:\n" + "\n".join(missing)


def test_every_cited_sknnbasics_object_exists():
    cited = _cited(CITED_OBJECT)
    assert cited
    missing = []
    for page, match in cited:
        try:
            resolve(match[1])
        except (ImportError, AttributeError):
            missing.append(f"{page}: {match[1]}")
    assert not missing, "the docs cite names that do not exist:\n" + "\n".join(missing)


def test_the_math_of_the_user_guide_is_linked_to_every_internal_module():
    guide = "".join(_text(p) for p in PAGES if "user_guide" in p.parts)
    for module in ("_network", "_activations", "_cost", "_training"):
        assert f"sknnbasics.{module}." in guide, module


def test_every_public_name_is_in_the_api_reference():
    listed = set(re.findall(r"^   (\w+)$", _text(DOCS / "api.rst"), flags=re.MULTILINE))
    public = set(sknnbasics.__all__) - {"__version__"}
    assert public | {"make_flower"} <= listed


@pytest.mark.parametrize(
    "term",
    ["特征向量", "损失函数", "成本函数", "学习率", "梯度下降", "激活函数",
     "各层神经元个数", "随机初始化", "迭代次数", "神经网络层数", "超参数",
     "learning_rate", "n_hidden", "hidden_layer_sizes", "max_iter",
     "negative_slope", "init_scale", "parameters_", "get_params()", "coefs_"],
)
def test_the_notation_table_names_the_lecture_term_and_the_code(term):
    assert term in _text(DOCS / "notation.rst")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_example_is_a_titled_story_with_cells_and_a_figure(script):
    source = _text(script)
    docstring = ast.get_docstring(ast.parse(source))
    title, underline = docstring.splitlines()[:2]
    assert underline == "=" * len(underline) and len(underline) >= len(title)
    assert source.count("# %%") >= 2
    assert "plt.show()" in source
    assert (script.parent / "README.rst").is_file()


# The networks' defaults of 0.1.0, as its constructors declared them (commit
# c4200da, sknnbasics/_classifiers.py and _regressors.py); 0.1.0 had one update
# rule, plain gradient descent on the full batch.
DEFAULTS_0_1_0 = dict(
    activation="tanh", negative_slope=0.01, max_iter=2000, tol=1e-5,
    n_iter_no_change=10, init="xavier", init_scale=0.01, alpha=0.0,
    batch_size=None, early_stopping=False, validation_fraction=0.1,
    warm_start=False, solver="gd", momentum=0.0,
    learning_rate_schedule="constant",
)
CLASSIFIER_0_1_0 = dict(DEFAULTS_0_1_0, learning_rate=0.5, class_weight=None)
REGRESSOR_0_1_0 = dict(DEFAULTS_0_1_0, learning_rate=0.05,
                       out_activation="identity")


@pytest.mark.parametrize("name, recipe, defaults_0_1_0", [
    ("ShallowNetClassifier", 'init="xavier", tol=1e-5',
     dict(CLASSIFIER_0_1_0, n_hidden=4)),
    ("DeepNetClassifier", "tol=1e-5",
     dict(CLASSIFIER_0_1_0, hidden_layer_sizes=(20, 7, 5))),
    ("ShallowNetRegressor", 'init="xavier", tol=1e-5',
     dict(REGRESSOR_0_1_0, n_hidden=4)),
    ("DeepNetRegressor", "tol=1e-5",
     dict(REGRESSOR_0_1_0, hidden_layer_sizes=(20, 7, 5))),
])
def test_the_changelogs_recipe_gives_0_1_0s_defaults(name, recipe,
                                                      defaults_0_1_0):
    # docs/changelog.rst, "To train as 0.1.0 did": lecture(...) with these
    # overrides. Checked once by hand against a checkout of 0.1.0: the same
    # n_iter_, loss_curve_ and weights, bit for bit, on breast cancer and on
    # a regression set.
    changelog = " ".join(_text(DOCS / "changelog.rst").split())
    assert f"``lecture({name}, {recipe})``" in changelog
    overrides = eval(f"dict({recipe})")  # the page's own keywords
    params = sknnbasics.lecture(getattr(sknnbasics, name), **overrides).get_params()
    assert {key: params[key] for key in defaults_0_1_0} == defaults_0_1_0


def test_the_changelog_has_an_unreleased_section_for_this_version():
    changelog = _text(DOCS / "changelog.rst")
    assert f"{sknnbasics.__version__} — Unreleased" in changelog \
        or f"\n{sknnbasics.__version__}\n" in changelog
    assert "changelog" in _text(DOCS / "index.rst").split(".. toctree::")[1]
