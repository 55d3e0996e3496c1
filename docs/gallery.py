"""Write the gallery and the report page (``docs/generated/``) from a reproduction report folder.

``numpol reproduce`` writes ``report.md`` and one PNG per figure, named ``<experiment>_<figure>``.
The gallery shows every figure under its experiment's title, in the report's order; the report
page is ``report.md`` itself. Without a report the pages say how to make one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

__all__ = ["write_gallery"]

_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<png>[^)]+\.png)\)")
_MISSING = """
```{{note}}
There is no reproduction report in `{folder}` yet: `make docs` runs `make reproduce` first, or run
`numpol reproduce --out {folder}` and build again.
```
"""


def _write(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:  # unchanged pages are not rebuilt
        path.write_text(text)


def write_gallery(out: Path, reports: Path) -> None:
    """Write ``out/gallery.md``, ``out/report.md`` and ``out/figures/*.png`` from ``reports``."""
    out.mkdir(parents=True, exist_ok=True)
    figures = out / "figures"
    report = reports / "report.md"
    gallery = [
        "# Gallery",
        "",
        "The figures of the reproduction report (`numpol reproduce`), by experiment. Each",
        "experiment's section of the [report](report.md) has its tables and claims.",
        "",
    ]
    if not report.exists():
        note = _MISSING.format(folder=reports.name)
        _write(out / "gallery.md", "\n".join(gallery) + note)
        _write(out / "report.md", "# Reproduction report\n" + note)
        return
    figures.mkdir(exist_ok=True)
    text = report.read_text()
    titles = {}
    try:
        from numpol.registry import experiments

        titles = {k: e.title for k, e in experiments().items()}
    except ImportError:  # the page still builds, with the IDs as headings
        pass
    section, done = "", set()
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        m = _IMAGE.fullmatch(line.strip())
        if m and (reports / m["png"]).exists():
            if section and section not in done:
                done.add(section)
                link = f"[`{section}` in the report](report.md#{section})"
                gallery += [f"## {titles.get(section, section)}", "", link, ""]
            shutil.copy2(reports / m["png"], figures / m["png"])
            gallery += [
                f"```{{figure}} figures/{m['png']}",
                f":alt: {m['alt']}",
                "",
                m["alt"],
                "```",
                "",
            ]
    _write(out / "gallery.md", "\n".join(gallery))
    text = re.sub(r"\A# .*", "# Reproduction report", text)  # its title in the navigation bar
    _write(out / "report.md", _IMAGE.sub(r"![\g<alt>](figures/\g<png>)", text))
