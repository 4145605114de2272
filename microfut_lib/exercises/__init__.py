"""The course's exercises, one module per lesson: ``lesson00.py``, ``lesson01.py``, …

Each ``lessonNN`` module holds ``EXERCISES: dict[str, Exercise | Choice]`` with ids ``exN.M``
(N = the lesson number, M = the exercise's number in the lesson). The declaration format is in
:mod:`microfut_lib.check`; :func:`collect` gathers every lesson module found in this package, so a
new lesson adds its file and edits nothing else.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

__all__ = ["collect"]


def collect() -> dict[str, Any]:
    """Every lesson's exercises by id; a duplicate or misnumbered id is a ``ValueError``.

    >>> ids = collect()
    >>> "ex0.1" in ids and "ex1.2" in ids
    True
    """
    found: dict[str, Any] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        match = re.fullmatch(r"lesson(\d\d)", info.name)
        if match is None:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        lesson = int(match.group(1))
        for exercise_id, exercise in module.EXERCISES.items():
            if not re.fullmatch(rf"ex{lesson}\.\d+", exercise_id):
                raise ValueError(f"exercise ids in {info.name} must look like ex{lesson}.M; "
                                 f"got {exercise_id!r}")
            if exercise_id in found:
                raise ValueError(f"exercise id {exercise_id!r} is declared twice")
            found[exercise_id] = exercise
    return found
