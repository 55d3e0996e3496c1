"""``numpol finite``: exact fixation and stationary laws beside simulations, JSON, errors."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from dynamics.finite import markov_chain, moran, small_mutation_limit
from modal import SEED_AGENTS
from numpol.cli import main
from numpol.commands.finite import build_process
from theory.modal_game import modal_game


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def fails(args: list[str], capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)


@pytest.fixture
def constant_fitness(tmp_path: Path) -> Path:
    f = tmp_path / "r.txt"
    f.write_text("2 2\n1 1\n")  # strategy 0 has fitness 1 - w + 2w, strategy 1 has 1
    return f


def test_neutral_fixation_is_one_over_n_exactly(tmp_path: Path, capsys):
    f = tmp_path / "neutral.txt"
    f.write_text("1 1 1\n1 1 1\n1 1 1\n")
    data = run_json(["finite", "fixation", "--matrix", str(f), "--N", "7"], capsys)
    assert len(data["fixation"]) == 6
    assert {row["exact"] for row in data["fixation"]} == {"1/7"}


def test_fixation_matches_the_closed_form_and_the_simulation(constant_fitness: Path, capsys):
    args = ["finite", "fixation", "--matrix", str(constant_fitness), "--N", "5"]
    data = run_json([*args, "--intensity", "1/2", "--runs", "3000", "--seed", "4"], capsys)
    strong = next(r for r in data["fixation"] if r["mutant"] == "s0")
    weak = next(r for r in data["fixation"] if r["mutant"] == "s1")
    # constant relative fitness r = 3/2: (1 - 1/r) / (1 - 1/r**N)
    r = Fraction(3, 2)
    assert Fraction(strong["exact"]) == (1 - 1 / r) / (1 - 1 / r**5) == Fraction(81, 211)
    assert Fraction(weak["exact"]) == (1 - r) / (1 - r**5)
    for row in (strong, weak):
        sim = row["simulated"]
        assert sim["runs"] == 3000 and sim["unfinished"] == 0
        assert sim["ci95"][0] <= sim["fraction"] <= sim["ci95"][1]
        assert sim["agrees"]
    # a float intensity of the fermi rule: no exact value, same agreement
    data = run_json([*args, "--process", "fermi", "--intensity", "2", "--runs", "500"], capsys)
    assert all(row["exact"] is None and row["simulated"]["agrees"] for row in data["fixation"])


def test_small_mutation_limit_of_the_seed_agents_is_exact(capsys):
    data = run_json(["finite", "small-mutation", "--N", "12", "--eps", "1/20"], capsys)
    exact = [Fraction(v) for v in data["small_mutation"]["stationary_exact"]]
    assert sum(exact) == 1
    A = modal_game(SEED_AGENTS, "1/20")
    want = small_mutation_limit(moran(A, 12, w=Fraction(1, 10))).stationary
    assert exact == list(want)
    assert data["names"] == [a.name for a in SEED_AGENTS]


def test_small_mutation_from_simulated_fixations(capsys):
    data = run_json(
        [
            "finite",
            "small-mutation",
            "--N",
            "6",
            "--runs",
            "1500",
            "--agents",
            "DefectBot,FairBot,PrudentBot",
        ],
        capsys,
    )
    sim = np.array(data["small_mutation"]["simulated_stationary"])
    exact = np.array(data["small_mutation"]["stationary"])
    assert sim.sum() == pytest.approx(1.0)
    assert np.abs(sim - exact).max() < 0.1  # 1500 runs per pair: each rho to about +- 0.01


def test_stationary_exact_and_simulated_agree(capsys):
    data = run_json(
        [
            "finite",
            "stationary",
            "--N",
            "6",
            "--mu",
            "1/10",
            "--runs",
            "30",
            "--steps",
            "6000",
            "--agents",
            "DefectBot,CooperateBot,FairBot",
        ],
        capsys,
    )
    ex = data["exact"]
    assert sum(ex["mean_shares"]) == pytest.approx(1.0, abs=1e-12)
    assert ex["mixed"] == pytest.approx(1 - sum(ex["monomorphic"]))
    pi = markov_chain(
        build_process(
            {
                "A": [[str(v) for v in row] for row in modal_game(SEED_AGENTS[:3], "1/10")],
                "rule": "moran",
                "N": 6,
                "intensity": "1/10",
                "mu": "1/10",
                "mapping": "linear",
            }
        )
    ).stationary()
    assert data["states"] == len(pi) == 28
    sim = data["simulated"]
    assert sim["runs"] == 30 and sim["burn_in"] == 1200
    assert sim["agrees"]  # every entry within 4 standard errors of the exact chain


def test_text_output(constant_fitness: Path, capsys):
    code = main(
        ["finite", "fixation", "--matrix", str(constant_fitness), "--N", "5", "--intensity", "0.5"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "neutral 1/N = 0.2000" in out and "0.38389" in out  # 81/211


@pytest.mark.parametrize(
    "args, needles",
    [
        (["finite", "stationary"], ("needs --mu",)),
        (["finite", "stationary", "--mu", "0"], ("--mu must be > 0",)),
        (["finite", "fixation", "--mu", "1/10"], ("--mu", "without mutation")),
        (["finite", "fixation", "--N", "1"], ("--N", "at least 2")),
        (["finite", "fixation", "--runs", "0"], ("--runs", "positive")),
        (["finite", "fixation", "--intensity", "lots"], ("--intensity",)),
        (["finite", "fixation", "--intensity", "2"], ("w",)),
        (
            ["finite", "stationary", "--mu", "1/10", "--steps", "10", "--burn-in", "10"],
            ("--burn-in",),
        ),
        (["finite", "fixation", "--process", "fermi", "--mapping", "exponential"], ("--mapping",)),
        (["finite", "fixation", "--agents", "NoSuchBot,FairBot"], ("NoSuchBot",)),
        (
            ["finite", "stationary", "--process", "wright-fisher", "--mu", "1/10", "--N", "60"],
            ("Wright-Fisher", "states"),
        ),
    ],
)
def test_errors_are_one_line(args, needles, capsys):
    fails(args, capsys, *needles)


def test_agents_defined_in_a_file(tmp_path: Path, capsys):
    defs = tmp_path / "agents.txt"
    defs.write_text("MyFairBot := [] opp(me)\n")
    mine = run_json(
        ["finite", "fixation", "--N", "8", "--defs", str(defs), "--agents", "DefectBot,MyFairBot"],
        capsys,
    )
    library = run_json(["finite", "fixation", "--N", "8", "--agents", "DefectBot,FairBot"], capsys)
    assert [r["exact"] for r in mine["fixation"]] == [r["exact"] for r in library["fixation"]]
    assert mine["names"] == ["DefectBot", "MyFairBot"]
