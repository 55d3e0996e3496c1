"""Nash equilibria: exact rational enumeration, symmetric search, symbolic regions, nashpy."""

from theory.equilibria.dispatch import METHODS, equilibria
from theory.equilibria.support import (
    Equilibrium,
    EquilibriumSet,
    Vertex,
    best_reply_vertices,
    exact_equilibria,
)
from theory.equilibria.symbolic import (
    SymbolicEquilibria,
    SymbolicEquilibrium,
    degenerate_parameter_values,
    symbolic_equilibria,
    symbolic_symmetric_equilibria,
)
from theory.equilibria.symmetric import symmetric_equilibria
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
