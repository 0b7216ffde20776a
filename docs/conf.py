"""Sphinx configuration of the sknnbasics documentation.

Build from the repository root, warnings as errors::

    python -m pip install -e ".[docs]"
    python -m sphinx -W --keep-going -b html docs docs/_build/html

Every example in ``examples/`` runs during the build (sphinx-gallery), so the
figures always show what the current code does.
"""

import importlib
import os
import re
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
    # Math renders offline: sphinx-mathjax-offline ships MathJax 3 (its
    # tex-chtml.js, input extensions and fonts) with the build, copies it to
    # _static/mathjax/ and points mathjax_path there, instead of sphinx's
    # default CDN address (with no network, every formula stayed raw TeX).
    # MathJax rather than KaTeX: the pages' TeX (\begin{aligned}, \operatorname,
    # \underbrace, …) is what sphinx.ext.mathjax renders everywhere else.
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",
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
# Members are documented by the autosummary class template
# (_templates/autosummary/class.rst): a table of every method, the ones
# inherited from scikit-learn included (score, get_params, set_params,
# set_*_request, …), then each method in full. numpydoc's own member tables
# stay off so that nothing is listed twice.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
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
    # every example runs; SKNNBASICS_GALLERY_PATTERN narrows it while the
    # pages themselves are being edited (e.g. "$^" runs none)
    "filename_pattern": os.environ.get("SKNNBASICS_GALLERY_PATTERN", r"/plot_"),
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
    # the timing pages load jQuery and DataTables from CDNs: no external
    # script anywhere (the run times are in the build log)
    "write_computation_times": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    # an example that raises fails the build
    "only_warn_on_example_error": False,
    "abort_on_example_error": False,
}


# -- links to scikit-learn, without the network ---------------------------
# intersphinx would fetch scikit-learn's objects.inv at every build, and the
# build must work offline. scikit-learn's public names have predictable
# addresses instead: a class or function ``sklearn.module.Name`` lives at
# modules/generated/sklearn.module.Name.html (a method or attribute is an
# anchor on that page), a glossary term at glossary.html#term-<term>. So a
# reference to a ``sklearn.`` name that this site does not define (See Also
# sections, :class:`~sklearn.model_selection.GridSearchCV` in the text, the
# docstrings of inherited methods) becomes a link there, checked only in
# that the name imports. The labels that scikit-learn's own docstrings cite
# (:ref:`User Guide <metadata_routing>`, also in the method tables' summary
# lines) are listed in SKLEARN_LABELS; any other missing label still fails
# the build.
SKLEARN_URL = "https://scikit-learn.org/stable/"
SKLEARN_LABELS = {
    "accuracy_score": "modules/model_evaluation.html#accuracy-score",
    "r2_score": "modules/model_evaluation.html#r2-score",
    "metadata_routing": "metadata_routing.html",
    "df_output_transform": "auto_examples/miscellaneous/plot_set_output.html",
    "sphx_glr_auto_examples_miscellaneous_plot_set_output.py":
        "auto_examples/miscellaneous/plot_set_output.html",
}


def sklearn_url(target):
    """The scikit-learn documentation address of a dotted ``sklearn.`` name,
    or None when the name does not import."""
    parts = target.split(".")
    if parts[0] != "sklearn":
        return None
    for cut in range(len(parts), 0, -1):  # the longest importable module
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        break
    if cut == len(parts):  # a module: its page in the API reference
        return f"{SKLEARN_URL}api/{target}.html"
    obj = module
    for name in parts[cut:]:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    page = ".".join(parts[:cut + 1])
    anchor = "" if len(parts) == cut + 1 else f"#{target}"
    return f"{SKLEARN_URL}modules/generated/{page}.html{anchor}"


def _link_to_sklearn(app, env, node, contnode):
    """``missing-reference``: a ``sklearn.`` name, or a label or term cited by
    a scikit-learn docstring, as a link into scikit-learn's documentation."""
    from docutils import nodes

    target, reftype = node.get("reftarget", ""), node.get("reftype")
    in_sklearn_docstring = "docstring of sklearn." in (node.source or "")
    url = None
    if node.get("refdomain") == "py":
        url = sklearn_url(target)
    elif reftype == "ref" and target in SKLEARN_LABELS:
        url = SKLEARN_URL + SKLEARN_LABELS[target]
    elif in_sklearn_docstring and reftype == "term":
        term_id = re.sub(r"\W+", "-", target.lower())
        url = f"{SKLEARN_URL}glossary.html#term-{term_id}"
    if url is None:
        return None  # Sphinx warns as usual (an error under -W)
    if reftype in {"ref", "term"} and isinstance(contnode, nodes.Element):
        contnode = nodes.inline("", contnode.astext())
    reference = nodes.reference("", "", internal=False, refuri=url,
                                reftitle=f"{target} (scikit-learn)")
    reference += contnode
    return reference


# -- the search index reads Chinese -----------------------------------------
# Sphinx's Chinese search language needs jieba and, in Sphinx 9, fails in the
# browser ("ChineseStemmer is not defined"). The pages are English with
# Chinese terms, so the index keeps Sphinx's English words and adds, for
# every run of Chinese characters, each 2- to 4-character piece of it: the
# lecture's terms (学习率, 激活函数, 正向传播, 梯度下降, …) become whole index
# terms, found by an exact match; a longer query still finds the run that
# contains it through Sphinx's partial matching.
_WORD = re.compile(r"\w+")
_CHINESE_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def split_search_words(text):
    """The search index's words of ``text``: Sphinx's English words (runs of
    word characters), then each 2- to 4-character piece of each run of
    Chinese characters."""
    words = _WORD.findall(text)
    for run in _CHINESE_RUN.findall(text):
        words.extend(run[i:i + n] for n in (2, 3, 4)
                     for i in range(len(run) - n + 1))
    return words


# -- docstring fix-ups --------------------------------------------------------
# The Attributes section of the class autodoc is documenting now (its
# docstring comes before its members).
_documented_attributes = set()


def _note_documented_attributes(app, what, name, obj, options, lines):
    """Remember the names in a class docstring's numpydoc Attributes section
    (before numpydoc rewrites the lines)."""
    if what != "class":
        return
    _documented_attributes.clear()
    section = None
    for line, underline in zip(lines, lines[1:] + [""], strict=True):
        if underline.strip() and set(underline.strip()) == {"-"}:
            section = line.strip()
        elif section == "Attributes" and re.match(r"\w+\s*:", line):
            _documented_attributes.add(line.split(":")[0].strip())


def _skip_documented_properties(app, what, name, obj, skip, options):
    """A fitted attribute computed by a property (``parameters_``) that the
    class documents in its Attributes section is not listed again as a
    member."""
    if (what == "class" and isinstance(obj, property)
            and name in _documented_attributes):
        return True
    return None


def _drop_empty_sidebar(app, pagename, templatename, context, doctree):
    """A top-level page without sub-pages (install, quickstart, notation,
    internals) has no section navigation: no left sidebar either, so its
    text and wide tables take the whole width. (The theme keeps an empty one
    for such pages.)"""
    env = app.env
    top_level = pagename in env.toctree_includes.get(app.config.root_doc, [])
    if top_level and not env.toctree_includes.get(pagename):
        context["sidebars"] = []


def setup(app):
    from sphinx.search.en import SearchEnglish

    class SearchEnglishAndChinese(SearchEnglish):
        def split(self, input):
            return split_search_words(input)

    app.add_search_language(SearchEnglishAndChinese)
    # before numpydoc (priority 500) turns the sections into reST
    app.connect("autodoc-process-docstring", _note_documented_attributes,
                priority=100)
    app.connect("autodoc-skip-member", _skip_documented_properties)
    app.connect("missing-reference", _link_to_sklearn)
    app.connect("html-page-context", _drop_empty_sidebar)
