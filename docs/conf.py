"""Sphinx configuration of lexsim's documentation (``make docs``: warnings are errors)."""

from __future__ import annotations

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import lexsim  # noqa: E402  (the installed package: make docs installs this tree's first)

project = "lexsim"
author = "The lexsim developers"
copyright = "The lexsim developers, MIT licence"
release = version = lexsim.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "numpydoc",
    "lexsim_api",
    "lexsim_cli",
    "lexsim_cpp",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# Headings get anchors as GitHub makes them, so the links the README used keep working here.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc Parameters sections say the types
numpydoc_show_class_members = False  # autodoc's :members: lists them once
numpydoc_class_members_toctree = False

html_theme = "alabaster"
html_title = f"lexsim {release}"
html_theme_options = {"description": "TF-IDF and cosine similarity, exact to scikit-learn, in C++"}


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Leave out what scikit-learn adds to the classes once it is imported (set_*_request...)."""
    if getattr(obj, "__module__", "") and str(getattr(obj, "__module__", "")).startswith("sklearn"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign_members)
