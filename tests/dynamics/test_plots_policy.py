"""Policy plots draw on the Axes they are given and return it."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from dynamics.plots.policy import plot_schedules, plot_tradeoff  # noqa: E402
from theory.policy.economy import PRESETS  # noqa: E402
from theory.policy.principal import evaluate  # noqa: E402
from theory.policy.tax import free_market, us_federal_2018  # noqa: E402


def test_plots_use_the_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    assert plot_schedules({"US": us_federal_2018()}, incomes=[10.0, 300.0], ax=a) is a
    assert len(a.get_lines()) == 2  # one schedule, the incomes
    outs = [
        evaluate(s, [1.0, 2.0], PRESETS["one_step"], name=n)
        for n, s in (("fm", free_market()), ("us", us_federal_2018()))
    ]
    assert plot_tradeoff(outs, ax=b) is b
    assert [t.get_text() for t in b.get_legend().get_texts()][0].startswith("fm")
    plt.close(fig)
