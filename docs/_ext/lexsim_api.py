"""The ``lexsim-api`` directive: autodoc entries for every name in ``lexsim.__all__``.

A name added to ``__all__`` appears in the reference without editing the page; classes are listed
first, then functions, then constants, each group alphabetically.
"""

from __future__ import annotations

import inspect

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

#: Names of ``lexsim.__all__`` that are not documented as objects of their own.
SKIP = {"__version__"}


def api_lines(module_name: str = "lexsim") -> list[str]:
    import importlib

    module = importlib.import_module(module_name)
    classes, functions, data = [], [], []
    for name in sorted(n for n in module.__all__ if n not in SKIP):
        obj = getattr(module, name)
        (classes if inspect.isclass(obj) else functions if callable(obj) else data).append(name)
    lines: list[str] = []
    for title, names, directive, options in (
        ("Classes", classes, "autoclass", ["   :members:"]),
        ("Functions", functions, "autofunction", []),
        ("Constants", data, "autodata", ["   :no-value:"]),
    ):
        if not names:
            continue
        lines += [title, "-" * len(title), ""]
        for name in names:
            lines += [f".. {directive}:: {module_name}.{name}"] + options + [""]
    return lines


class LexsimApiDirective(SphinxDirective):
    has_content = False
    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        container = nodes.section()
        container.document = self.state.document
        lines = api_lines(self.arguments[0] if self.arguments else "lexsim")
        nested_parse_with_titles(self.state, StringList(lines, source="lexsim.__all__"), container)
        return container.children


def setup(app):
    app.add_directive("lexsim-api", LexsimApiDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
