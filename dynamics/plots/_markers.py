"""Rest-point markers shared by the portraits (simplex and line): face colour by linear
stability on the whole simplex (:func:`theory.stability.classify_rest_point`)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["MARKER_FACE", "stability", "stability_handles"]

#: Face colour of a rest point's marker: filled for sinks and stable spirals, grey for saddles,
#: white for sources and unstable spirals, light blue for centres and non-hyperbolic points.
MARKER_FACE = {"stable": "black", "saddle": "0.6", "unstable": "white", "neutral": "#9ecae1"}


def stability(A: np.ndarray, x: tuple[Any, ...]) -> str:
    """The marker kind (a key of ``MARKER_FACE``) of the rest point `x` of the game `A`."""
    from theory.stability import classify_rest_point

    kind = classify_rest_point(A, x).kind
    if kind in ("sink", "stable spiral"):
        return "stable"
    if kind in ("centre", "non-hyperbolic"):
        return "neutral"
    return "saddle" if kind == "saddle" else "unstable"


def stability_handles() -> list[Any]:
    """Legend handles explaining the four marker kinds."""
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], marker="o", ls="", mfc=MARKER_FACE[k], mec="black", label=lab)
        for k, lab in (
            ("stable", "stable"),
            ("saddle", "saddle"),
            ("unstable", "unstable"),
            ("neutral", "centre / non-hyperbolic"),
        )
    ]
