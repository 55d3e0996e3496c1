"""Plots: every function takes ``ax=None``, draws, and returns the matplotlib ``Axes``.

matplotlib is imported only inside this subpackage. Import from the submodules
(``dynamics.plots.simplex``, ...).
"""

__all__: list[str] = []
