"""Nash equilibria: exact rational enumeration, symmetric search, symbolic regions, nashpy."""

from theory.equilibria.components import Component, NashSubset, components_of
from theory.equilibria.dispatch import FLOAT_EQ_TOL, METHODS, equilibria
from theory.equilibria.equilibrium import Equilibrium
from theory.equilibria.support import (
    ENUMERATION_LIMIT,
    EquilibriumSet,
    Vertex,
    best_reply_vertices,
    exact_equilibria,
    iter_equilibria,
)
from theory.equilibria.symbolic import (
    SymbolicEquilibria,
    SymbolicEquilibrium,
    degenerate_parameter_values,
    symbolic_equilibria,
    symbolic_symmetric_equilibria,
)
from theory.equilibria.symmetric import SYMMETRIC_LIMIT, symmetric_equilibria
from theory.equilibria.verify import (
    EQ_TOL,
    DeviationGains,
    deviation_gains,
    is_equilibrium,
    verify_equilibrium,
)

__all__ = [
    "equilibria",
    "METHODS",
    "Equilibrium",
    "EquilibriumSet",
    "Vertex",
    "best_reply_vertices",
    "exact_equilibria",
    "iter_equilibria",
    "ENUMERATION_LIMIT",
    "SYMMETRIC_LIMIT",
    "FLOAT_EQ_TOL",
    "Component",
    "NashSubset",
    "components_of",
    "symmetric_equilibria",
    "SymbolicEquilibrium",
    "SymbolicEquilibria",
    "symbolic_equilibria",
    "symbolic_symmetric_equilibria",
    "degenerate_parameter_values",
    "DeviationGains",
    "deviation_gains",
    "is_equilibrium",
    "verify_equilibrium",
    "EQ_TOL",
]
