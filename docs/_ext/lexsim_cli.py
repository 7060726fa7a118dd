"""The ``lexsim-cli`` directive: the reference of the ``lexsim`` command, generated from its argparse parser.

Each command gets a section with its one-line description and its ``--help`` text, so the page
cannot drift from the parser. The parser is reached through :func:`cli_parser` alone.
"""

from __future__ import annotations

import argparse
import os

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

#: Help is laid out for this many columns, whatever the terminal that runs the build.
WIDTH = 100


def cli_parser() -> argparse.ArgumentParser:
    """The ``lexsim`` command's parser: the one place that knows where it is built."""
    from lexsim.cli import _build_parser

    return _build_parser()


def _help(parser: argparse.ArgumentParser) -> str:
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(WIDTH)  # argparse's HelpFormatter reads the width when it is made
    try:
        return parser.format_help()
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def _commands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) of each sub-command, in the order the parser lists them."""
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            out += [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
    return out


def _literal(text: str) -> list[str]:
    return [".. code-block:: text", ""] + ["   " + line if line else "" for line in text.rstrip().splitlines()] + [""]


def reference_lines() -> list[str]:
    """The page's reStructuredText: the command's own help, then one section per sub-command."""
    parser = cli_parser()
    lines = ["``lexsim --help``", "-" * 17, ""] + _literal(_help(parser))
    for name, summary, sub in _commands(parser):
        title = f"``lexsim {name}``"
        lines += [f".. _cli-{name}:", "", title, "-" * len(title), ""]
        if summary:
            lines += [summary[0].upper() + summary[1:] + ".", ""]
        lines += _literal(_help(sub))
    return lines


class LexsimCliDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(reference_lines(), source="lexsim.cli"), container)
        return container.children


def setup(app):
    app.add_directive("lexsim-cli", LexsimCliDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
