"""numerical-politics: the command line and the reproduction report."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("numerical-politics")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
