"""Experiments for ``numpol reproduce``: each module defines ``EXPERIMENTS``, a tuple of
:class:`numpol.registry.Experiment`. Modules are discovered, not listed."""
