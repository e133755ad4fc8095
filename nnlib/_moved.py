"""Old module paths, kept working for one term: learners' own copies of the lessons still say
``from nnlib.plotting import plot_history``, and nnlib's modules now live in wings
(``nnlib.show.plotting``).  :func:`install` (run by ``import nnlib``) adds a finder to
``sys.meta_path`` that answers for the names in :data:`MOVED` only, after every other finder:

* an old path of one module is that module itself (``nnlib.plotting is nnlib.show.plotting``);
* an old path whose names went to several modules is a small module that looks each name up in
  them, in order (``nnlib.sequences.make_windows is nnlib.data.toy.make_windows``).

The first import of an old path in a kernel prints one line naming the new path - to stdout: a
warning would go to stderr, which a lesson shows in red (and ``make test`` fails).  nnlib's own
imports of an old path stay quiet.  Delete an entry when no learner needs it any more.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

PREFIX = "nnlib."

#: old module -> its new module, or the new modules its names went to (all under ``nnlib.``)
MOVED = {
    "attention": "byhand.attention",
    "checks": "exercises",
    "diagram": "show.diagram",
    "env": "session.env",
    "figures": "show.figures",
    "keras_utils": ("show.predictions", "widgets.predictions"),
    "liveplot": "show.liveplot",
    "memory": "session.memory",
    "metrics": "nn.metrics",
    "perceptron": ("byhand.perceptron", "widgets.perceptron"),
    "playground": "widgets.playground",
    "plotting": "show.plotting",
    "sequences": ("byhand.sequences", "data.text", "data.toy"),
    "skipped": "session.skipped",
    "surfaces": "byhand.surfaces",
    "text": "data.text",
    "vision": ("byhand.vision", "widgets.kernels"),
}

_told: set[str] = set()


def new_paths(old: str) -> list[str]:
    """The new module paths of the old module ``old`` (``"plotting"`` or ``"nnlib.plotting"``)."""
    new = MOVED[old.removeprefix(PREFIX)]
    return [PREFIX + n for n in ((new,) if isinstance(new, str) else new)]


def note(old: str) -> str:
    """The line a learner reads: where the old path ``old`` lives now."""
    *first, last = new_paths(old)
    where = f"{', '.join(first)} and {last}" if first else last
    return f"Note: {PREFIX}{old} has moved to {where} (the old name still works this term)."


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith(PREFIX) and fullname.removeprefix(PREFIX) in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return None  # a plain module; exec_module replaces or fills it

    def exec_module(self, module):
        old = module.__name__.removeprefix(PREFIX)
        new = [importlib.import_module(name) for name in new_paths(old)]
        if len(new) == 1:
            sys.modules[module.__name__] = new[0]  # what the import statement then returns
        else:
            _gather(module, new)
        if old not in _told and not _importer().startswith(PREFIX):  # nnlib's own: quiet
            _told.add(old)
            print(note(old))


def _gather(module, new):
    """Make ``module`` show the names of the modules ``new``, looked up in order."""

    def __getattr__(name):
        for m in new:
            if hasattr(m, name):
                return getattr(m, name)
        raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")

    names = list(dict.fromkeys(n for m in new for n in getattr(m, "__all__", ())))
    module.__getattr__, module.__all__ = __getattr__, names
    module.__dir__ = lambda: sorted(set(names) | set(vars(module)))
    module.__doc__ = f"The old path of {', '.join(m.__name__ for m in new)} (nnlib/_moved.py)."


def _importer() -> str:
    """The name of the module whose code asked for the import: the first caller outside the
    import machinery, this module and nnlib's ``__init__`` (whose ``__getattr__`` imports)."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_globals.get("__name__") or ""
        if name.split(".")[0] != "importlib" and name not in (__name__, "nnlib"):
            return name
        frame = frame.f_back
    return ""


_FINDER = _Finder()


def install() -> None:
    """Add the finder to ``sys.meta_path`` (once): after the others, so it never hides a module."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.append(_FINDER)
