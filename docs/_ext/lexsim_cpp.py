"""The ``lexsim-headers`` directive: one section per public C++ header, generated from the header.

Each section shows the header's opening comment (what it is for) and then the header itself, whose
``///`` comments document each declaration; so the page is as current as the headers.
"""

from __future__ import annotations

import pathlib
import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

ROOT = pathlib.Path(__file__).resolve().parents[2]
INCLUDE = ROOT / "cpp" / "include"


def _opening_comment(text: str) -> list[str]:
    """The ``//`` lines after ``#pragma once``, up to the first line that is not one."""
    out = []
    for line in text.splitlines():
        if line.startswith("#pragma") or (not out and not line.strip()):
            continue
        if not line.startswith("//"):
            break
        out.append(re.sub(r"^//+ ?", "", line))
    return out


def _escape(text: str) -> str:
    """Plain text for reStructuredText: the comments are not markup (``|d|`` is no substitution)."""
    return re.sub(r"([\\`*_|])", r"\\\1", text)


def header_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((INCLUDE / "lexsim").glob("*.hpp")):
        name = f"lexsim/{path.name}"
        text = path.read_text(encoding="utf-8")
        title = f"``{name}``"
        lines += [f".. _header-{path.stem}:", "", title, "-" * len(title), ""]
        comment = _opening_comment(text)
        if comment:
            lines += ["| " + _escape(c) if c else "|" for c in comment] + [""]
        lines += [f".. literalinclude:: ../cpp/include/lexsim/{path.name}", "   :language: cpp", ""]
    return lines


class LexsimHeadersDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        for path in (INCLUDE / "lexsim").glob("*.hpp"):
            self.env.note_dependency(str(path))
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(header_lines(), source="cpp/include/lexsim"), container)
        return container.children


def setup(app):
    app.add_directive("lexsim-headers", LexsimHeadersDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
