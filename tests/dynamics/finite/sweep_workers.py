"""A sweep task that records its worker's pid and sleeps (for the orphan-worker tests).

Run as a script, ``python -m tests.dynamics.finite.sweep_workers FOLDER`` starts a sweep of such
tasks on the default local process pool and blocks.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np


def sleepy(folder: str, i: int, *, rng: np.random.Generator) -> np.ndarray:
    """Write this worker's pid to ``folder/pid_<i>`` and sleep for a minute."""
    (Path(folder) / f"pid_{i}").write_text(str(os.getpid()))
    time.sleep(60)
    return rng.random(1)


if __name__ == "__main__":
    from dynamics.finite.sweeps import sweep

    sweep(sleepy, [{"folder": sys.argv[1], "i": i} for i in range(2)], progress=False, rng=0)
