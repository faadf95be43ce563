"""A griffe extension for the reference: the package's docstrings are written for ``help()``.

They use reST habits that Markdown renders badly: ``:class:`Name``` roles (shown as
":class:Name"), ``>>>`` examples (read as nested block quotes) and ``::`` before a literal
block. This rewrites them into Markdown at build time, so the docstrings stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|exc|data|obj|mod|const):`~?([^`]+)`")
DOCTEST_LINE = re.compile(r"^(\s*)(>>>|\.\.\.)( |$)")


def _roles_to_code(text: str) -> str:
    return ROLE.sub(lambda match: f"`{match.group(1)}`", text)


def _fence_doctests(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        match = DOCTEST_LINE.match(lines[index])
        if match is None or match.group(2) != ">>>":
            out.append(lines[index])
            index += 1
            continue
        indent = match.group(1)
        block: list[str] = []
        # The example runs until a blank line, as in doctest.
        while index < len(lines) and lines[index].strip():
            line = lines[index]
            block.append(line[len(indent) :] if line.startswith(indent) else line)
            index += 1
        out += [f"{indent}```pycon", *(indent + line for line in block), f"{indent}```"]
    return "\n".join(out)


class MarkdownDocstrings(griffe.Extension):
    """Rewrite reST roles, doctest examples and ``::`` literal-block markers into Markdown."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None:
            return
        text = _fence_doctests(_roles_to_code(obj.docstring.value))
        obj.docstring.value = re.sub(r"(\S)::\n", r"\1:\n", text)
