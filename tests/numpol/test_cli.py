import argparse

import pytest

import numpol.cli as cli


def _parser_running(exc: BaseException) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="numpol")
    sub = parser.add_subparsers(dest="command", required=True)

    def boom(args: argparse.Namespace) -> int:
        raise exc

    sub.add_parser("boom").set_defaults(func=boom)
    return parser


@pytest.mark.parametrize(
    ("exc", "code"), [(KeyboardInterrupt(), 130), (cli.NumpolError("bad --x"), 2)]
)
def test_interrupt_and_errors_map_to_exit_codes(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exc: BaseException,
    code: int,
) -> None:
    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(exc))
    assert cli.main(["boom"]) == code
    err = capsys.readouterr().err
    assert err.startswith("numpol boom:") and "Traceback" not in err


def test_unexpected_errors_are_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(RuntimeError("bug")))
    with pytest.raises(RuntimeError, match="bug"):
        cli.main(["boom"])
