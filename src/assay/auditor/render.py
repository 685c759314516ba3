"""Rendering the auditor report: one HTML document (Jinja2, autoescaped), printed to PDF by WeasyPrint.

Every string from the cloud, the store or the exceptions file (resource names, tags, ARNs, messages,
reasons, names of people) is autoescaped and never marked safe; invisible and direction-changing
characters are shown as [U+XXXX] (the HTML reporter's `reveal`). The only markup inserted verbatim is
our packaged stylesheet. The HTML carries no script and a Content-Security-Policy that allows only
that stylesheet. WeasyPrint is given a URL fetcher that refuses everything, so nothing in a report can
make it read a local file or reach the network.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from assay.auditor.fmt import FILTERS
from assay.errors import ConfigError
from assay.reporters.html import reveal

TEMPLATE = "auditor.html.j2"
STYLESHEET = "auditor.css"
LABELS = {
    "pass": "Pass", "fail": "Fail", "error": "Error", "skip": "Not applicable", "not_applicable": "Not applicable",
    "manual": "Manual", "inherited": "Inherited", "excepted": "Excepted",
    "pass_with_exceptions": "Pass with exceptions",
    "attested": "Attested", "expired": "Expired", "missing": "Missing", "complete": "Complete", "partial": "Partial",
    "stale": "Carried forward",
}


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("assay.auditor", "templates"),
        autoescape=True,  # every value is escaped; data is never marked safe
        finalize=reveal,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["labels"] = LABELS
    return env


@cache
def stylesheet() -> str:
    text = resources.files("assay.auditor").joinpath("templates", STYLESHEET).read_text(encoding="utf-8")
    text = text.replace("\r\n", "\n")
    if re.search(r"</style", text, re.IGNORECASE) or "<!--" in text:
        raise ValueError(f"{STYLESHEET} must not contain '</style' or '<!--'")
    return text


def content_security_policy(style: str) -> str:
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return "; ".join(("default-src 'none'", f"style-src 'sha256-{digest}'", "img-src 'none'", "font-src 'none'",
                      "script-src 'none'", "connect-src 'none'", "object-src 'none'", "frame-src 'none'",
                      "base-uri 'none'", "form-action 'none'"))


def render_html(view: dict[str, Any]) -> str:
    style = stylesheet()
    template = _environment().get_template(TEMPLATE)
    return template.render(**view, style=Markup(style), csp=content_security_policy(style))


def render_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango or its libraries are missing
        raise ConfigError(f"PDF output needs WeasyPrint and the Pango library ({exc}); install them "
                          "(see the README) or write HTML with -o report.html") from None
    result = HTML(string=html, base_url=None, url_fetcher=_refusing_fetcher()).write_pdf()
    if not isinstance(result, bytes):
        raise TypeError("WeasyPrint returned no PDF")
    return result


def _refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches nothing: the report has no external resource to load."""
    from weasyprint import urls

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"external resources are not loaded: {url[:80]}")

    base = getattr(urls, "URLFetcher", None)
    if base is None:  # WeasyPrint before URLFetcher: a plain function is the fetcher
        return refuse

    class Refusing(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return refuse(url)

    return Refusing()
