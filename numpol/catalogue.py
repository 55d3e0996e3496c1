"""The claims catalogue (``shared/docs/claims.md``): every ID the report must carry a row for."""

from __future__ import annotations

__all__ = ["CATALOGUE"]

#: Every claim of the source documents, by ID, with a short statement: the report's rows.
CATALOGUE: dict[str, str] = {
    "MC-01": "outcome table of CooperateBot, DefectBot, FairBot, PrudentBot",
    "MC-02": "depths 0, 0, 1, 2",
    "MC-03": "best responses and their eps-regions",
    "MC-04": "unique pure equilibrium among the four is (DefectBot, DefectBot)",
    "MC-05": "DefectBot the only pure equilibrium among all modal agents (conjecture)",
    "MC-06": "no equilibrium mixes CooperateBot with DefectBot",
    "MC-07": "exactly three equilibria, all symmetric, with payoffs and eps-ranges",
    "MC-08": "no depth-1 agent cooperates with FairBot and defects against CooperateBot",
    "MC-09": "rest points of the replicator flow",
    "MC-10": "stability of the three equilibria; outward spiral",
    "MC-11": "small eps: interior starts cycle CooperateBot -> PrudentBot -> FairBot",
    "MC-12": "DefectBot basin shrinks as eps -> 0",
    "MC-13": "best-response entry never adds DefectBot unless few FairBots/PrudentBots",
    "MC-14": "replicator flow is the large-population limit of the agent simulation",
    "SS-01": "Omega = sum W; all-trade optimum with average wellbeing 3",
    "SS-02": "zero memory: Q_s - Q_t = 1, learners end at always-steal",
    "SS-03": "one-step memory: several attractors, all points",
    "SS-04": "always-steal is an attractor",
    "SS-05": "steal unless both traded last time is an attractor, slightly better",
    "SS-06": "win-stay lose-shift is an attractor, wellbeing -> 3",
    "SS-07": "always-steal against win-stay lose-shift earns 2.5",
    "SS-08": "agents do not learn tit-for-tat; what mutual tit-for-tat leads to",
    "SS-09": "Experiment 2: attractors and Omega/N as the society grows",
    "AE-01": "T(z) as written; US federal tax at every cut-off",
    "AE-02": "lump-sum redistribution balances the budget",
    "AE-03": "equality is 1 for equal incomes, 0 when one agent owns all",
    "AE-04": "equality-productivity trade-off across schedules",
    "AE-05": "optimised schedule beats every baseline on eq*prod",
    "AE-06": "optimised top rate above US federal and Saez, lower middle rates",
    "SED-01": "voting rules and their manipulability",
    "SED-02": "utilitarian, Nash, egalitarian objectives and the eta-interpolation",
    "SED-03": "the Stackelberg principal beats every baseline on the voted objective",
    "SED-04": "harvest commons: tragedy, corrective tax and its N-dependence, collapse threshold",
    "SED-05": "repeated rounds with a greedy principal vs maximum sustainable yield",
}
