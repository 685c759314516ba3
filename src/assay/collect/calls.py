"""The collection context: every AWS call a collector makes goes through Ctx.call or Ctx.paginate.

All error handling lives here, once: "not configured" codes become empty answers, everything else
becomes a CollectionError in the inventory. A collector never catches botocore exceptions itself.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from assay.collect.errors import describe_exception, is_absent
from assay.collect.pagination import PagingSpec, page_size, paging_spec
from assay.collect.session import AwsAccess
from assay.models.base import GLOBAL
from assay.models.inventory import CollectionError, ErrorKind

# Operations whose IAM action is not "<signing name>:<operation name>".
_ACTION_OVERRIDES: dict[tuple[str, str], str] = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    # API Gateway authorises by HTTP verb on resource paths: every read is apigateway:GET.
    ("apigateway", "GetRestApis"): "apigateway:GET",
    ("apigateway", "GetStages"): "apigateway:GET",
}


# Signing names that differ from the IAM service prefix.
_PREFIX_OVERRIDES = {"monitoring": "cloudwatch", "email": "ses"}


def action_name(service_model: Any, api_name: str) -> str:
    """The IAM action for an API operation, e.g. (KMS model, "ListKeys") -> "kms:ListKeys"."""
    service = service_model.service_name
    if (service, api_name) in _ACTION_OVERRIDES:
        return _ACTION_OVERRIDES[(service, api_name)]
    prefix = _PREFIX_OVERRIDES.get(service_model.signing_name, service_model.signing_name)
    return f"{prefix}:{api_name}"


def iam_action(client: Any, operation: str) -> str:
    """The IAM action for a boto3 method name, e.g. (kms client, "list_keys") -> "kms:ListKeys"."""
    api_name: str = client.meta.method_to_api_mapping.get(operation, operation)
    return action_name(client.meta.service_model, api_name)


class Ctx:
    """What a collector sees: clients for its shard, and the one safe way to call them."""

    def __init__(self, access: AwsAccess, account_id: str, region: str, service: str, partition: str) -> None:
        self.access = access
        self.account_id = account_id
        self.region = region
        self.service = service
        self.partition = partition
        self.errors: list[CollectionError] = []
        self.calls: Counter[str] = Counter()
        self.retries = 0
        # Past the deadline no further read is sent: what is left is reported as a timeout, so a
        # hanging endpoint costs one shard a bounded time, never the scan.
        self.deadline = time.monotonic() + access.shard_deadline

    def _expired(self, action: str) -> bool:
        if time.monotonic() < self.deadline:
            return False
        if not any(e.operation == action and e.code == "ShardDeadline" for e in self.errors):
            self.errors.append(CollectionError(
                account_id=self.account_id, region=self.region, service=self.service, operation=action,
                code="ShardDeadline", kind=ErrorKind.TIMEOUT, resource_arn=None,
                message=f"the {self.service} shard ran past its {self.access.shard_deadline:.0f}s deadline; "
                        "reads after it were not sent"))
        return True

    @property
    def api_region(self) -> str:
        """The region clients use; global shards call through the home region."""
        return self.access.region if self.region == GLOBAL else self.region

    def client(self, service: str, region: str | None = None) -> Any:
        return self.access.client(service, region or self.api_region)

    def arn(self, service: str, resource: str, region: str | None = None, account: bool = True) -> str:
        reg = self.region if region is None else region
        reg = "" if reg == GLOBAL else reg
        acct = self.account_id if account else ""
        return f"arn:{self.partition}:{service}:{reg}:{acct}:{resource}"

    def record(self, action: str, exc: Exception, resource_arn: str | None) -> None:
        code, kind, message = describe_exception(exc)
        self.errors.append(
            CollectionError(
                account_id=self.account_id,
                region=self.region,
                service=self.service,
                operation=action,
                code=code,
                kind=kind,
                message=message[:500],
                resource_arn=resource_arn,
            )
        )

    def _count(self, action: str, response: dict[str, Any]) -> None:
        self.calls[action] += 1
        self.retries += int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)

    def call(
        self, client: Any, operation: str, *, resource_arn: str | None = None, **params: Any
    ) -> dict[str, Any] | None:
        """One read. Returns the response; {} when AWS answers "not configured"; None when it failed.

        None means unknown: the failure is recorded, and the field that depended on it must stay
        None so that controls report ERROR, never PASS.
        """
        action = iam_action(client, operation)
        if self._expired(action):
            return None
        try:
            response: dict[str, Any] = getattr(client, operation)(**params)
        except ClientError as exc:
            self.calls[action] += 1
            err = exc.response.get("Error", {})
            if is_absent(action, str(err.get("Code", "")), str(err.get("Message", ""))):
                return {}
            self.record(action, exc, resource_arn)
            return None
        except (BotoCoreError, ResponseParserError) as exc:  # an unreadable answer is a failed read
            self.calls[action] += 1
            self.record(action, exc, resource_arn)
            return None
        self._count(action, response)
        return response

    def paginate(
        self, client: Any, operation: str, result_key: str, *, resource_arn: str | None = None, **params: Any
    ) -> Iterator[Any]:
        """Every item of a list call across all pages; a failure is recorded and ends the listing.

        A page size is sent wherever the API takes one (see collect.pagination). A token handed back a
        second time ends the listing as a pagination error: an endpoint that does not advance must cost
        an incomplete listing, never an endless loop.
        """
        action = iam_action(client, operation)
        api_name = client.meta.method_to_api_mapping.get(operation, operation)
        spec = paging_spec(client.meta.service_model, api_name)
        if spec is None:
            response = self.call(client, operation, resource_arn=resource_arn, **params)
            yield from (response or {}).get(result_key, [])
            return
        size = None if spec.limit_key in params else page_size(client.meta.service_model, api_name, spec)
        if not spec.modeled:
            yield from self._follow(client, operation, result_key, spec, size, resource_arn, params)
            return
        if self._expired(action):
            return
        config: dict[str, Any] = {"PageSize": size} if size else {}
        pages = client.get_paginator(operation).paginate(**params, PaginationConfig=config)
        seen: set[str] = set()
        try:
            for n, page in enumerate(pages, start=1):
                self._count(action, page)
                # Checked before the page is used: a page that hands back an old token is the loop's
                # repetition, so a looping listing adds no duplicates.
                if self._repeated(action, spec.next_token(page), seen, n, resource_arn):
                    return
                yield from page.get(result_key, [])
                if self._expired(action):
                    return
        except ClientError as exc:
            self.calls[action] += 1
            err = exc.response.get("Error", {})
            if not is_absent(action, str(err.get("Code", "")), str(err.get("Message", ""))):
                self.record(action, exc, resource_arn)
        except (BotoCoreError, ResponseParserError) as exc:  # an unreadable answer is a failed read
            self.calls[action] += 1
            self.record(action, exc, resource_arn)

    def _follow(self, client: Any, operation: str, result_key: str, spec: PagingSpec, size: int | None,
                resource_arn: str | None, params: dict[str, Any]) -> Iterator[Any]:
        """Page an operation botocore has no paginator for, by its (single) token."""
        action = iam_action(client, operation)
        if size and spec.limit_key:
            limit_shape = client.meta.service_model.operation_model(
                client.meta.method_to_api_mapping.get(operation, operation)).input_shape.members[spec.limit_key]
            params = {**params, spec.limit_key: str(size) if limit_shape.type_name == "string" else size}
        seen: set[str] = set()
        token: Any = None
        for n in itertools.count(1):
            extra = {spec.input_tokens[0]: token} if token is not None else {}
            page = self.call(client, operation, resource_arn=resource_arn, **params, **extra)
            if page is None:
                return
            following = spec.next_token(page)
            if self._repeated(action, following, seen, n, resource_arn):
                return
            yield from page.get(result_key, [])
            if following is None:
                return
            token = following[0]

    def _repeated(self, action: str, token: tuple[Any, ...] | None, seen: set[str], page: int,
                  resource_arn: str | None) -> bool:
        """True (and recorded) when a listing hands back a token it already gave."""
        if token is None:
            return False
        key = repr(token)
        if key not in seen:
            seen.add(key)
            return False
        self.errors.append(CollectionError(
            account_id=self.account_id, region=self.region, service=self.service, operation=action,
            code="PaginationLoop", kind=ErrorKind.PAGINATION, resource_arn=resource_arn,
            message=f"page {page} of {action} handed back a token it had already given; the listing was "
                    "stopped there and is incomplete"))
        return True

    def policy_document(self, action: str, text: Any, resource_arn: str | None) -> dict[str, Any] | None:
        """A policy document AWS returned as JSON text; {} for none. Text that is no JSON object is
        recorded as a parse error of this resource and gives None (unknown), not a crash of the
        collector that would cost every resource of the shard."""
        if not text:
            return {}
        try:
            doc = json.loads(text)
        except (TypeError, ValueError) as exc:
            self.record(action, exc, resource_arn)
            return None
        if not isinstance(doc, dict):
            self.record(action, ValueError(f"the policy is a JSON {type(doc).__name__}, not an object"), resource_arn)
            return None
        return doc

    def failed(self, action: str, resource_arn: str | None = None) -> bool:
        return any(e.operation == action and e.resource_arn == resource_arn for e in self.errors)

    def record_crash(self, permissions: tuple[str, ...], exc: Exception) -> None:
        """A collector that crashed leaves its whole scope unknown: every read it owns is an error."""
        for action in permissions:
            self.errors.append(
                CollectionError(
                    account_id=self.account_id,
                    region=self.region,
                    service=self.service,
                    operation=action,
                    code=type(exc).__name__,
                    kind=ErrorKind.PARSE,
                    message=f"collector failed: {exc}"[:500],
                )
            )
