"""AWS sessions as the AWS CLI resolves them: default chain, profile, assumed role, endpoint override."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse, urlsplit, urlunsplit

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.credentials import AssumeRoleCredentialFetcher, Credentials, DeferredRefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound
from botocore.retries import standard

from assay import __version__
from assay.collect.clock import SYSTEM_CLOCK, Clock
from assay.collect.guard import guard_before_call
from assay.collect.ratelimit import DEFAULT_MAX_RATE, RateLimits
from assay.collect.reachability import Reachability
from assay.errors import CredentialError

ROLE_SESSION_NAME = "AssaySoc2Scan"  # recognisable in CloudTrail, so SOC teams can allowlist us
USER_AGENT = f"assay/{__version__}"
DEFAULT_HOME_REGION = "us-east-1"
CLIENTS_PER_THREAD = 8
# botocore's region name for STS's global endpoint (sts.amazonaws.com), which the aws partition keeps
# for every account: where STS is deactivated in the home region, it still answers.
GLOBAL_STS = "aws-global"
STS_OFF_HINT = ("; STS is deactivated in {region}: activate it (IAM console > Account settings > Security "
                "Token Service (STS) > Endpoints), or use a home region where it is active (AWS_REGION or the "
                "profile's region)")


# One loader for every session: it caches parsed service models (EC2's alone takes ~0.5 s to
# parse), so threads and shards do not parse the same JSON again.
_LOADER = botocore.loaders.create_loader()


def botocore_session() -> botocore.session.Session:
    bs = botocore.session.Session()
    bs.register_component("data_loader", _LOADER)
    return bs


def client_config(service: str, endpoint_url: str | None, max_attempts: int = 10, read_timeout: float = 30) -> Config:
    """Timeouts bound every call; standard retries with generous attempts absorb throttling."""
    options: dict[str, Any] = {
        "retries": {"mode": "standard", "max_attempts": max_attempts},
        "connect_timeout": 5,
        "read_timeout": read_timeout,
        "max_pool_connections": 16,
        "user_agent_extra": USER_AGENT,
    }
    if endpoint_url and service == "s3":
        options["s3"] = {"addressing_style": "path"}  # a loopback or custom endpoint has no bucket subdomains
    return Config(**options)


def wait_on(client: Any, clock: Clock) -> None:
    """Have the client's standard-mode retries wait on `clock`: the same backoff draws and retry quota as
    botocore's own handler, only the sleep between attempts is the clock's.

    botocore sleeps for whatever its needs-retry handler answers; this handler sleeps itself and answers
    0 ("retry now"), so one scan's waits (backoff, rate limit, requeue) all run on one clock.
    """
    if client.meta.config.retries.get("mode") != "standard":
        return
    event = f"needs-retry.{client.meta.service_model.service_id.hyphenize()}"
    unique_id = f"retry-config-{client.meta.service_model.service_id.hyphenize()}"
    client.meta.events.unregister(event, unique_id=unique_id)  # botocore's, which sleeps on time.sleep
    handler = standard.register_retry_handler(client, client.meta.config.retries.get("total_max_attempts"))
    client.meta.events.unregister(event, unique_id=unique_id)

    def needs_retry(**kwargs: Any) -> Any:
        delay = handler.needs_retry(**kwargs)
        if delay is None or delay is False:
            return delay
        clock.sleep(delay)
        return 0

    client.meta.events.register(event, needs_retry, unique_id=unique_id)


def regional_sts_off(exc: Exception) -> bool:
    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") == "RegionDisabledException"


def has_global_sts(region: str) -> bool:
    try:
        return bool(botocore_session().get_partition_for_region(region) == "aws")
    except (BotoCoreError, ValueError):
        return False


def strip_account_host_prefix(params: dict[str, Any], **_: Any) -> None:
    """S3 Control's endpoint rules put "<account-id>." in front of the host, even of a custom endpoint.

    Against a loopback or other custom endpoint that name does not resolve, so the prefix is removed.
    """
    account = params.get("headers", {}).get("x-amz-account-id")
    url = urlsplit(params["url"])
    if account and url.netloc.startswith(f"{account}."):
        params["url"] = urlunsplit(url._replace(netloc=url.netloc[len(account) + 1 :]))


@dataclass
class AwsAccess:
    """How to reach one AWS account. Everything optional falls back to the default chain."""

    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    endpoint_url: str | None = None
    home_region: str | None = None
    # Explicit keys (the demo's, for its local endpoint); otherwise the default chain or profile.
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    # Test and fault-injection seam: (event name, handler) pairs registered on every session and on
    # the STS client that assumes role_arn.
    hooks: list[tuple[str, Any]] = field(default_factory=list)
    # Whose credentials assume role_arn (role chaining, e.g. from an organisation's management
    # account into a member); default: the profile, explicit keys or the default chain.
    source: AwsAccess | None = field(default=None, repr=False)
    # Requests per second per (service, region) of this account; None or 0 turns the limit off.
    max_rate: float | None = DEFAULT_MAX_RATE
    max_attempts: int = 10  # botocore standard-mode retries per call, before the runner's requeue
    read_timeout: float = 30  # seconds without an answer before a call is retried
    shard_deadline: float = 900  # seconds one (region, service) shard may take before its reads stop
    clock: Clock = field(default=SYSTEM_CLOCK, repr=False)  # what retry backoff and the rate limit wait on
    reachability: Reachability = field(default_factory=Reachability, init=False, repr=False)
    _limits: RateLimits | None = field(default=None, init=False, repr=False)
    _credentials: Credentials | None = field(default=None, init=False, repr=False)
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.endpoint_url:
            parsed = urlparse(self.endpoint_url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise CredentialError(f"endpoint URL {self.endpoint_url!r} is not an http(s) URL")

    @property
    def region(self) -> str:
        return self.home_region or self._base_session().region_name or DEFAULT_HOME_REGION

    def _base_session(self) -> boto3.Session:
        try:
            return boto3.Session(
                profile_name=self.profile, aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key
            )
        except ProfileNotFound:
            raise CredentialError(f"AWS profile {self.profile!r} is not configured") from None

    def credentials(self) -> Credentials:
        with self._lock:
            if self._credentials is None:
                self._credentials = self._resolve_credentials()
            return self._credentials

    def _resolve_credentials(self) -> Credentials:
        base = self._base_session()
        try:
            creds = self.source.credentials() if self.source is not None else base.get_credentials()
        except BotoCoreError as exc:
            raise CredentialError(f"AWS credentials could not be loaded: {exc}") from None
        if creds is None:
            raise CredentialError(
                "no AWS credentials found: configure a profile (--profile), environment variables "
                "or an instance role"
            )
        if not self.role_arn:
            return creds
        extra: dict[str, Any] = {"RoleSessionName": ROLE_SESSION_NAME}
        if self.external_id:
            extra["ExternalId"] = self.external_id
        endpoint = self.endpoint_url
        sts_region = [self.region]

        def create_client(service: str, **kwargs: Any) -> Any:
            kwargs.setdefault("region_name", sts_region[0])
            kwargs.setdefault("config", client_config(service, endpoint, self.max_attempts, self.read_timeout))
            if endpoint:
                kwargs.setdefault("endpoint_url", endpoint)
            client = base.client(service, **kwargs)
            wait_on(client, self.clock)
            client.meta.events.register("before-call", guard_before_call)
            for event, handler in self.hooks:
                client.meta.events.register(event, handler)
            return client

        fetcher = AssumeRoleCredentialFetcher(
            client_creator=create_client, source_credentials=creds, role_arn=self.role_arn, extra_args=extra
        )

        def fetch() -> dict[str, Any]:
            try:
                return fetcher.fetch_credentials()  # type: ignore[no-any-return]
            except ClientError as exc:
                if not regional_sts_off(exc) or sts_region[0] == GLOBAL_STS or not has_global_sts(self.region):
                    raise
                sts_region[0] = GLOBAL_STS  # from now on: STS is deactivated in the home region
                return fetcher.fetch_credentials()  # type: ignore[no-any-return]

        refreshable = DeferredRefreshableCredentials(method="assume-role", refresh_using=fetch)
        try:
            refreshable.get_frozen_credentials()  # fail now, with a clear message, if the role is unusable
        except (ClientError, BotoCoreError) as exc:
            raise CredentialError(f"cannot assume role {self.role_arn}: {exc}") from None
        return refreshable

    def client(self, service: str, region: str) -> Any:
        """A client for this thread; one per (service, region) so retry quotas are not shared.

        Each thread keeps its most recently used clients only: a shard is one (service, region), so a
        client is rarely wanted again once its shard is done, and at some 0.4 MB each, keeping all of
        them would grow memory with accounts x regions x services.
        """
        cache: dict[tuple[str, str], Any] | None = getattr(self._local, "clients", None)
        if cache is None:
            cache = self._local.clients = {}
        key = (service, region)
        client = cache.pop(key, None)
        if client is None:
            client = self._new_client(service, region)
            if len(cache) >= CLIENTS_PER_THREAD:
                del cache[next(iter(cache))]  # the least recently used
        cache[key] = client  # (re)inserted last: most recently used
        return client

    def _new_client(self, service: str, region: str) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            bs = botocore_session()
            bs._credentials = self.credentials()  # shared, thread-safe refreshable credentials
            bs.register("before-call", guard_before_call)
            for event, handler in self.hooks:
                bs.register(event, handler)
            session = self._local.session = boto3.Session(botocore_session=bs)
        client = session.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint_url,
            config=client_config(service, self.endpoint_url, self.max_attempts, self.read_timeout),
        )
        wait_on(client, self.clock)
        self.reachability.watch(client, region)
        if service == "s3control" and self.endpoint_url:
            client.meta.events.register("before-call.s3-control", strip_account_host_prefix)
        client.meta.events.register_first("before-send", self.rate_limits.hook(service, region))
        return client

    @property
    def rate_limits(self) -> RateLimits:
        with self._lock:
            if self._limits is None:
                self._limits = RateLimits(self.max_rate, self.clock)
            return self._limits

    def identity(self) -> dict[str, str]:
        """Who we are; the first call of a scan, so bad credentials fail before any shard runs."""
        region = self.region
        try:
            try:
                ident = self.client("sts", region).get_caller_identity()
            except ClientError as exc:
                if not regional_sts_off(exc) or not has_global_sts(region):
                    raise
                ident = self.client("sts", GLOBAL_STS).get_caller_identity()
        except ClientError as exc:
            err = exc.response.get("Error", {})
            hint = STS_OFF_HINT.format(region=region) if regional_sts_off(exc) else ""
            raise CredentialError(
                f"AWS rejected the credentials: {err.get('Code', 'error')}: {err.get('Message', '')}".rstrip(": ")
                + hint
            ) from None
        except BotoCoreError as exc:
            raise CredentialError(f"cannot reach AWS STS: {exc}") from None
        return {"account_id": ident["Account"], "arn": ident["Arn"]}
