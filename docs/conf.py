"""Sphinx configuration of the sknnbasics documentation.

Build from the repository root, warnings as errors::

    python -m pip install -e ".[docs]"
    python -m sphinx -W --keep-going -b html docs docs/_build/html

Every example in ``examples/`` runs during the build (sphinx-gallery), so the
figures always show what the current code does.
"""

import os
import sys
from pathlib import Path

# scikit-learn's array-API code paths as in the test run (before sklearn loads)
os.environ.setdefault("SCIPY_ARRAY_API", "1")
# the examples and autodoc import sknnbasics from this checkout
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # no display on a build machine

import sknnbasics  # noqa: E402

project = "sknnbasics"
author = "sknnbasics developers"
copyright = "sknnbasics developers"
version = release = sknnbasics.__version__
language = "en"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.doctest",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.ipynb"]
default_role = "literal"

# -- autodoc / autosummary / numpydoc ---------------------------------------
autosummary_generate = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- HTML -------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sknnbasics {release}"
html_static_path = ["_static"]
html_css_files = ["sknnbasics.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
}
html_show_sourcelink = False

# -- the example gallery ----------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    # the gallery follows the lecture: 二, 三, 四, 五, then practice
    "subsection_order": [
        "../examples/logistic",
        "../examples/shallow",
        "../examples/deep",
        "../examples/hyperparameters",
        "../examples/practice",
    ],
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("sknnbasics",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    # an example that raises fails the build
    "only_warn_on_example_error": False,
    "abort_on_example_error": False,
}


# -- docstring fix-ups --------------------------------------------------------
def _skip_inherited_from_sklearn(app, what, name, obj, skip, options):
    """Document the members sknnbasics defines; the ones it inherits from
    scikit-learn (``get_params``, ``score``, ``set_fit_request`` …) are
    documented by scikit-learn, and their docstrings link into its docs."""
    if what != "class":
        return None
    function = getattr(obj, "fget", obj)
    module = getattr(function, "__module__", None) or ""
    if module and not module.startswith("sknnbasics"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_inherited_from_sklearn)
