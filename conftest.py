"""Shared pytest set-up: headless matplotlib, doctest print options, hypothesis profile."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "numpol",
    deadline=None,  # the first call of a jitted or cached kernel may be slow; speed is benchmarked
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
# CI draws the same examples every run (a red CI is then reproducible by anyone with CI=true);
# local runs keep drawing fresh random examples, which is where new counterexamples come from.
settings.register_profile("ci", parent=settings.get_profile("numpol"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "numpol")


@pytest.fixture(autouse=True)
def _doctest_print_options(doctest_namespace):  # type: ignore[no-untyped-def]
    np.set_printoptions(precision=6, suppress=True, legacy=False)
    doctest_namespace["np"] = np
    yield


@pytest.fixture(autouse=True)
def _close_figures():  # type: ignore[no-untyped-def]
    # a test (or doctest) that draws leaves its figures open; closing them after each test keeps
    # a worker's memory flat and matplotlib's "more than 20 figures" warning for real leaks
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
