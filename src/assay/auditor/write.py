"""Building and writing the auditor report: the format comes from the file name unless given."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assay.atomic import atomic_write_bytes
from assay.errors import UsageError

if TYPE_CHECKING:
    from assay.auditor.report import Options
    from assay.store import Store

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


def format_for(output: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in ("html", "pdf"):
            raise UsageError(f"--format must be html or pdf, not {fmt!r}")
        return fmt
    found = FORMATS.get(output.suffix.lower())
    if found is None:
        raise UsageError(f"cannot tell the format from {output.name!r}: name it .pdf or .html, or pass -f pdf|html")
    return found


def write_report(store: Store, opts: Options, output: Path, fmt: str | None = None) -> tuple[str, int]:
    """Write the report; returns (format, bytes written). The file appears whole or not at all."""
    from assay.auditor.render import render_html, render_pdf
    from assay.auditor.report import build

    kind = format_for(output, fmt)
    html = render_html(build(store, opts))
    data = render_pdf(html) if kind == "pdf" else html.encode("utf-8")
    try:
        with atomic_write_bytes(output) as fh:
            fh.write(data)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    return kind, len(data)
