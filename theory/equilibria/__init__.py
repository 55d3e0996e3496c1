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
    SymbolicEquilibrium,
    degenerate_parameter_values,
    format_region,
    parameter_domain,
    region_of,
    symbolic_equilibria,
    symbolic_symmetric_equilibria,
)
from theory.equilibria.symmetric import symmetric_equilibria
from theory.equilibria.verify import EQ_TOL, deviation_gains, is_equilibrium, verify_equilibrium

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
    "symbolic_equilibria",
    "symbolic_symmetric_equilibria",
    "degenerate_parameter_values",
    "region_of",
    "parameter_domain",
    "format_region",
    "deviation_gains",
    "is_equilibrium",
    "verify_equilibrium",
    "EQ_TOL",
]
