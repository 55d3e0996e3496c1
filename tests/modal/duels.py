"""One match re-played with the world-by-world evaluator, for the equilibrium searches' tests."""

from modal import LIBRARY, Agent
from modal.evaluate import Move, outcome


def exploits(z: Agent, x: Agent) -> bool:
    """z defects against x while x cooperates with z (world-by-world evaluator)."""
    env = {**LIBRARY, z.name: z, x.name: x}
    zx, xz = outcome(z, x, env)
    return zx is Move.D and xz is Move.C
