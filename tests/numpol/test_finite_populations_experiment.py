"""MC-14's verdict, including the cases where it must come out "no"."""

from numpol.experiments.finite_populations import limit_verdict


def test_limit_verdict():
    assert limit_verdict(True, -0.5, 0.02) == "yes"
    # means outside their tolerance, or a spread that does not fall with N: no
    assert limit_verdict(False, -0.5, 0.02) == "no"
    assert limit_verdict(True, 0.0, 0.02) == "no"
    assert limit_verdict(True, -0.05, 0.02) == "no"  # -0.05 + 3 SE >= 0
    # falling, but not at the central limit's rate: open
    assert limit_verdict(True, -0.3, 0.02) == "open"
