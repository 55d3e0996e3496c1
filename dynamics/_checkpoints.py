"""Checkpoints and runs over random streams, shared by the training modules
(:mod:`dynamics.economy.training`, :mod:`dynamics.economy.gather_build_training`,
:mod:`dynamics.commons.harvest_learning`).

A checkpoint is one ``.npz`` file: a fingerprint of what is trained (a resumed run must belong to
the same problem), the iteration reached, learner states, arrays (learning curves and the like)
and the random stream's state, so that a resumed run equals an uninterrupted one. Files are
written atomically (a temporary file, then a rename), so Ctrl-C never leaves half a checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from dynamics.errors import CheckpointError, ParameterError

if TYPE_CHECKING:  # at run time only policy_state needs it (imported there: no import cycle)
    from dynamics.economy.learners import PolicyState

__all__ = [
    "load_checkpoint",
    "save_checkpoint",
    "policy_state",
    "restore_stream",
    "over_streams",
]

T = TypeVar("T")


def load_checkpoint(path: Path, fingerprint: str) -> dict[str, np.ndarray] | None:
    """The arrays of the checkpoint at ``path`` (None if there is none); a checkpoint of another
    training is a :class:`~dynamics.errors.CheckpointError`."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            data = {k: f[k] for k in f.files}
    except (OSError, ValueError) as err:
        raise CheckpointError(f"checkpoint {str(path)!r} cannot be read: {err}") from None
    if str(data.get("fingerprint")) != fingerprint:
        raise CheckpointError(
            f"checkpoint {str(path)!r} belongs to another training (another world, settings, "
            "curriculum or number of runs)"
        )
    return data


def save_checkpoint(
    path: Path,
    fingerprint: str,
    t: int,
    states: Mapping[str, PolicyState],
    arrays: Mapping[str, np.ndarray],
    gen: np.random.Generator | Mapping[str, Any],
) -> None:
    """Write the checkpoint atomically: learner ``states`` by name, ``arrays`` and the stream
    (a generator, or a bit-generator state saved earlier)."""
    tmp = path.with_name(path.name + ".tmp.npz")
    packed = {
        f"{name}_{k}": np.asarray(getattr(s, k))
        for name, s in states.items()
        for k in ("weights", "moments", "steps")
    }
    packed.update({k: np.asarray(v) for k, v in arrays.items()})
    packed["fingerprint"] = np.array(fingerprint)
    packed["t"] = np.array(t)
    stream = gen.bit_generator.state if isinstance(gen, np.random.Generator) else gen
    packed["rng"] = np.array(json.dumps(stream))
    np.savez(tmp, **packed)  # type: ignore[arg-type]
    tmp.replace(path)


def policy_state(data: Mapping[str, np.ndarray], name: str) -> PolicyState:
    """The learner state ``name`` saved by :func:`save_checkpoint`."""
    from dynamics.economy.learners import PolicyState

    return PolicyState(
        np.array(data[f"{name}_weights"]),
        np.array(data[f"{name}_moments"]),
        int(data[f"{name}_steps"]),
    )


def restore_stream(data: Mapping[str, np.ndarray], gen: np.random.Generator) -> None:
    """Set ``gen`` to the stream state saved by :func:`save_checkpoint`."""
    gen.bit_generator.state = json.loads(str(data["rng"]))


def over_streams(
    train: Callable[..., T],
    batches: int,
    rng: int | np.random.Generator | None,
    executor: Executor | None,
    *args: object,
    **kwargs: object,
) -> tuple[T, ...]:
    """``batches`` calls ``train(*args, rng=stream, **kwargs)``, one spawned stream each, on
    ``executor`` when given, else one after the other: same ``rng``, same results."""
    if isinstance(batches, bool) or not isinstance(batches, int | np.integer) or batches < 1:
        raise ParameterError(f"batches must be an integer >= 1, got {batches!r}")
    streams = np.random.default_rng(rng).spawn(int(batches))
    if executor is None:
        return tuple(train(*args, rng=s, **kwargs) for s in streams)
    jobs = [executor.submit(train, *args, rng=s, **kwargs) for s in streams]
    return tuple(job.result() for job in jobs)
