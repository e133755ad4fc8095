"""Exercises, one module per lesson: ``lessonNN.py`` defines ``EXERCISES``, a list of
:class:`nnlib.checks.Exercise`.  See ``nnlib/checks.py`` for ``check``, ``hint`` and
``solution``."""
