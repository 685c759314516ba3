"""A paginating fake in front of any endpoint: every list call answered in pages of a forced size.

moto ignores the page size of several list APIs and truncates ListBuckets without a token, so a
scan against it never meets a second page. These hooks answer every call of an operation that pages
(see assay.collect.pagination) themselves: the first request reads the whole listing from the
endpoint with an unhooked client, the pages are then served from it with tokens of their own.

    pages = ForcedPages(access, page_size=2)
    access.hooks.extend(pages.hooks())

`loop` (True, or some (service, operation) pairs) hands back, after the last page, a token already
given (a server that does not advance), to prove the scan stops rather than loops. `listings` serves
an operation from given items instead of the endpoint (e.g. an account with 10,001 buckets);
`require_page_size` refuses, as AWS does for ListBuckets on large accounts, a first request that
sends no page size.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.handlers import json_decode_policies

from assay.collect.guard import guard_before_call
from assay.collect.pagination import PagingSpec, paging_spec
from assay.collect.session import AwsAccess, botocore_session, client_config
from assay.faults import Hook, error_response

TOKEN_PREFIX = "assay-page-"
_PARAMS_KEY = "assay_paging_params"


@dataclass
class _Listing:
    operation: tuple[str, str]  # (service, operation)
    items: list[tuple[str, Any]]  # (result key, item) in the order the endpoint gave them
    template: dict[str, Any]  # the first page, for the members that are not results
    served: int = 0  # items handed out so far


def _plain(expression: str) -> str:
    """The member a token or flag expression names ("NextMarker || Contents[-1].Key" -> "NextMarker")."""
    return expression.split("||")[0].strip()


def _get(doc: Mapping[str, Any], path: str) -> Any:
    node: Any = doc
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _drop(doc: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node: Any = doc
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(last, None)


class ForcedPages:
    """Answer every paging operation in pages of `page_size` items, with tokens of its own."""

    def __init__(self, access: AwsAccess, page_size: int, *, loop: bool | Collection[tuple[str, str]] = False,
                 listings: Mapping[tuple[str, str], Mapping[str, list[Any]]] | None = None,
                 require_page_size: Mapping[tuple[str, str], str] | None = None) -> None:
        self.access = access
        self.page_size = page_size
        self.loop = loop  # True: every operation; or the (service, operation) pairs that loop
        self.listings = dict(listings or {})
        self.require_page_size = dict(require_page_size or {})
        self._cache: dict[str, _Listing] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._local = threading.local()
        self.pages = Counter[tuple[str, str]]()  # pages served per (service, operation)
        # (service, operation, page size sent or None) for every first request of a listing.
        self.first_requests: list[tuple[str, str, Any]] = []

    def hooks(self) -> list[tuple[str, Hook]]:
        return [("before-parameter-build", self._remember), ("before-call", self._answer)]

    @staticmethod
    def _remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_PARAMS_KEY] = dict(params)  # the caller's own parameters, before serialisation

    def _answer(self, model: Any, context: dict[str, Any], **_: Any) -> Any:
        spec = paging_spec(model.service_model, model.name)
        params: dict[str, Any] = context.get(_PARAMS_KEY, {})
        if spec is None or not spec.result_keys:
            return None
        key = (model.service_model.service_name, model.name)
        token = next((params[t] for t in spec.input_tokens if isinstance(params.get(t), str)
                      and params[t].startswith(TOKEN_PREFIX)), None)
        if token is None:
            sent = params.get(spec.limit_key) if spec.limit_key else None
            with self._lock:
                self.first_requests.append((*key, sent))
            if key in self.require_page_size and sent is None:
                return error_response("InvalidRequest", self.require_page_size[key], 400)
            listing_id = self._read(model, spec, params, context)
            offset = 0
        else:
            listing_id, _, rest = token[len(TOKEN_PREFIX):].partition(".")
            offset = int(rest)
        with self._lock:
            self.pages[key] += 1
        return AWSResponse("https://pages.invalid/", 200, {}, None), self._page(spec, listing_id, offset)

    def _read(self, model: Any, spec: PagingSpec, params: dict[str, Any], context: dict[str, Any]) -> str:
        """The whole listing, from the given items or from the endpoint through an unhooked client."""
        key = (model.service_model.service_name, model.name)
        if key in self.listings:
            given = self.listings[key]
            listing = _Listing(key, [(k, item) for k in spec.result_keys for item in given.get(k, [])], {})
        else:
            listing = self._fetch(model, spec, params, context)
        listing_id = str(next(self._ids))
        with self._lock:
            self._cache[listing_id] = listing
        return listing_id

    def _fetch(self, model: Any, spec: PagingSpec, params: dict[str, Any], context: dict[str, Any]) -> _Listing:
        client = self._client(model.service_model.service_name, context.get("client_region") or self.access.region)
        method = next(m for m, api in client.meta.method_to_api_mapping.items() if api == model.name)
        base = {k: v for k, v in params.items() if k not in spec.input_tokens}
        items: list[tuple[str, Any]] = []
        template: dict[str, Any] | None = None
        seen: set[str] = set()
        extra: dict[str, Any] = {}
        while True:
            page = getattr(client, method)(**base, **extra)
            page.pop("ResponseMetadata", None)
            template = template if template is not None else copy.deepcopy(page)
            for result_key in spec.result_keys:
                items += [(result_key, item) for item in _get(page, result_key) or []]
            following = spec.next_token(page)
            if following is None or repr(following) in seen:
                break
            seen.add(repr(following))
            extra = {name: value for name, value in zip(spec.input_tokens, following, strict=False)
                     if value is not None}
        return _Listing((model.service_model.service_name, model.name), items, template or {})

    def _page(self, spec: PagingSpec, listing_id: str, offset: int) -> dict[str, Any]:
        listing = self._cache[listing_id]
        loops = self.loop is True or (not isinstance(self.loop, bool) and listing.operation in self.loop)
        page = copy.deepcopy(listing.template)
        chunk = listing.items[offset:offset + self.page_size]
        with self._lock:
            listing.served = max(listing.served, offset + len(chunk))
        for result_key in spec.result_keys:
            _set(page, result_key, [copy.deepcopy(item) for k, item in chunk if k == result_key])
        for expression in spec.output_tokens:
            _drop(page, _plain(expression))
        following = offset + len(chunk)
        more = following < len(listing.items)
        if not more and loops:
            more, following = True, 0  # a token handed out before: the listing never ends
        if more:
            _set(page, _plain(spec.output_tokens[0]), f"{TOKEN_PREFIX}{listing_id}.{following}")
        if spec.more_results:
            _set(page, _plain(spec.more_results), more)
        page["ResponseMetadata"] = {"HTTPStatusCode": 200, "RetryAttempts": 0}
        return page

    def multi_page(self) -> set[tuple[str, str]]:
        """Operations that had at least one listing longer than one page."""
        return {listing.operation for listing in self._cache.values() if len(listing.items) > self.page_size}

    def abandoned(self) -> set[tuple[str, str]]:
        """Operations with a listing whose caller stopped before its last page."""
        return {listing.operation for listing in self._cache.values() if listing.served < len(listing.items)}

    def _client(self, service: str, region: str) -> Any:
        clients: dict[tuple[str, str], Any] = self._local.__dict__.setdefault("clients", {})
        if (service, region) not in clients:
            creds = self.access.credentials().get_frozen_credentials()
            bs = botocore_session()
            bs.register("before-call", guard_before_call)  # the fake reads, and only reads, too
            session = boto3.Session(botocore_session=bs, aws_access_key_id=creds.access_key,
                                    aws_secret_access_key=creds.secret_key, aws_session_token=creds.token)
            client = session.client(service, region_name=region, endpoint_url=self.access.endpoint_url,
                                    config=client_config(service, self.access.endpoint_url))
            # Pages are stored as the wire gives them: the hooked client decodes IAM's policy documents
            # itself when it receives them, and must not meet them decoded already.
            client.meta.events.unregister("after-call.iam", json_decode_policies)
            clients[(service, region)] = client
        return clients[(service, region)]
