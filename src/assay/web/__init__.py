"""The live compliance dashboard: `assay serve` (FastAPI, server-rendered pages, a JSON API).

Needs the web extra (`pip install 'assay[web]'`). Modules: `app` (the factory), `pages` and `api`
(routes), `queries` (what they read from the store), `auth`, `security` and `users` (who may read),
`charts` (SVG trend lines), `cli` (serve, users, tokens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(store_url: str | None = None, **options: Any) -> FastAPI:
    from assay.web.app import create_app as build

    return build(store_url, **options)


__all__ = ["create_app"]
