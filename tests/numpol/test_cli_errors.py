"""Bad input on the command line: one line naming the problem and exit status 2, never a
traceback (found by exercising every subcommand as a new user would)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from numpol.cli import main
from theory.errors import PayoffValueError
from theory.games import float_matrix


def fails(args: list[str], capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    """Run the CLI, expect exit status 2 and one error line containing every needle."""
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def usage_error(args: list[str], capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    """An ``argparse`` refusal: exit status 2, the usage and one error line."""
    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "Traceback" not in err
    for needle in needles:
        assert needle in err.strip().splitlines()[-1], (needle, err)


# ---- flow --------------------------------------------------------------------------------


def test_flow_plot_in_a_missing_folder_fails_before_integrating(tmp_path: Path, capsys):
    png = tmp_path / "no-such-folder" / "orbit.png"
    fails(["flow", "--t", "1", "--plot", str(png)], capsys, "--plot", "does not exist")
    fails(["flow", "--basins", "3", "--t", "1", "--plot", str(png)], capsys, "does not exist")
    assert not png.parent.exists()


def test_flow_plot_onto_a_folder(tmp_path: Path, capsys):
    fails(["flow", "--t", "1", "--plot", str(tmp_path)], capsys, "is a folder")


@pytest.mark.parametrize("eps", ["-1", "-1/10", "-0.5"])
def test_flow_negative_penalty(eps: str, capsys):
    fails(["flow", "--t", "1", f"--eps={eps}"], capsys, "--eps", ">= 0")


def test_flow_penalty_too_large_for_floats(capsys):
    fails(["flow", "--t", "1", "--eps", "1e400"], capsys, "too large for a float")


@pytest.mark.parametrize("eta", ["nan", "inf", "-1"])
def test_flow_bad_logit_noise(eta: str, capsys):
    fails(["flow", "--t", "1", "--dynamic", "logit", f"--eta={eta}"], capsys, "--eta", eta)


def test_flow_negative_seed(capsys):
    usage_error(["flow", "--basins", "3", "--t", "1", "--seed=-1"], capsys, "--seed", "-1")


def test_flow_zero_penalty_and_zero_noise_still_run(capsys):
    """Limits that are meaningful (no depth cost, pure noise) are still accepted."""
    assert main(["flow", "--t", "1", "--eps", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["t"] == 1.0
    assert main(["flow", "--t", "1", "--dynamic", "logit", "--eta", "0", "--json"]) == 0
    final = json.loads(capsys.readouterr().out)["final"]
    assert final == pytest.approx([0.25] * 4, abs=1e-9)  # eta = 0: uniform logit choice


def test_float_matrix_overflow_is_a_payoff_error():
    with pytest.raises(PayoffValueError, match=r"A\[0, 1\] is too large for a float"):
        float_matrix([[1, Fraction(10**400, 3)], [2, 3]])
