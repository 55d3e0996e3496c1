"""``numpol policy``: the comparison as text and JSON; bad input exits 2 with one line."""

import json

from numpol.cli import main


def test_policy_json_has_the_four_schedules(capsys):
    assert main(["policy", "--preset", "one_step", "--maxiter", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (block,) = out["results"]
    names = [s["name"] for s in block["schedules"]]
    assert names == ["free market", "US federal", "Saez", "optimised"]
    best = max(s["objective"] for s in block["schedules"][:3])
    assert block["schedules"][3]["objective"] >= best
    assert all(s["converged"] for s in block["schedules"])


def test_policy_text_table(capsys):
    assert main(["policy", "--preset", "one_step", "--maxiter", "2", "--incomes", "10,100"]) == 0
    text = capsys.readouterr().out
    assert "US federal" in text and "eq·prod" in text


def test_policy_bad_input_exits_2(capsys):
    assert main(["policy", "--incomes", "1,x"]) == 2
    assert main(["policy", "--incomes", "5"]) == 2
    assert main(["policy", "--objective", "eta"]) == 2
    assert main(["policy", "--objective", "eta", "--eta", "2"]) == 2
    assert main(["policy", "--maxiter", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("numpol policy: error:") == 5
