"""An answer cell not yet filled in shows nothing, not ``Ellipsis``.

In the learner's workspace an exercise's answer cell ends with the placeholder
``...  # YOUR CODE HERE``; IPython would print that statement's value, ``Ellipsis``, a puzzle
for a learner who has not written anything yet. :func:`install` (run by ``start_lesson``) adds an
AST transformer to the running IPython shell that turns a cell's *last* statement, when it is a
bare ``...``, into ``pass``. Nothing else changes: ``x = ...`` still assigns ``Ellipsis``, a
function whose body is ``...`` is still an empty function, and ``check`` still says "no answer
yet".
"""

from __future__ import annotations

import ast

from ..config import ipython_shell


class QuietPlaceholder(ast.NodeTransformer):
    """A cell's last statement ``...`` becomes ``pass`` (no ``Ellipsis`` output)."""

    nnlib = True

    def visit_Module(self, node: ast.Module) -> ast.Module:
        last = node.body[-1] if node.body else None
        if (
            isinstance(last, ast.Expr)
            and isinstance(last.value, ast.Constant)
            and last.value.value is Ellipsis
        ):
            node.body[-1] = ast.copy_location(ast.Pass(), last)
        return node


def install(shell=None) -> bool:
    """Add the transformer to the running IPython shell (once); False outside IPython."""
    shell = shell or ipython_shell("ast_transformers")
    if shell is None:
        return False
    if not any(getattr(t, "nnlib", False) for t in shell.ast_transformers):
        shell.ast_transformers.append(QuietPlaceholder())
    return True
