"""The gateway's RPC client: one nameko standalone proxy per thread, kept open.

A proxy owns a reply queue on the broker; opening one per request would cost a queue
declaration and a consumer per call. Proxies are not thread-safe, hence one per thread.
A proxy that failed in any way other than a service's own answer (a lost connection, a
consumer nameko declares unusable, a timeout) is dropped and a new one opened on the next
call; the caller gets ServiceUnavailable (503, with Retry-After), never a server error.

Each call carries the moment the gateway stops waiting (deadline.py), so that a service
does not start or commit work for an answer nobody will read.
"""

import functools
import logging
import threading
import time

from amqp.exceptions import AMQPError
from kombu.exceptions import OperationalError
from nameko.constants import NON_PERSISTENT
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService
from nameko.rpc import ServiceProxy
from nameko.standalone.rpc import ClusterProxy, ClusterRpcProxy

from verband_common import actor as actor_ref
from verband_common import correlation, deadline
from verband_common import idempotency as idem
from verband_common.errors import VerbandError
from verband_common.rpc import OwnedReplyListener
from verband_gateway import metrics

log = logging.getLogger(__name__)


class ServiceUnavailable(VerbandError):
    code = "service_unavailable"
    http_status = 503


class _ClusterProxy(ClusterProxy):
    """nameko's cluster proxy, passing publish options on to every service proxy."""

    def __init__(self, worker_ctx, reply_listener, **options):
        super().__init__(worker_ctx, reply_listener)
        self._options = options

    def __getattr__(self, name):
        if name not in self._proxies:
            self._proxies[name] = ServiceProxy(
                self._worker_ctx, name, self._reply_listener, **self._options
            )
        return self._proxies[name]


class _RpcProxy(ClusterRpcProxy):
    """A request lives no longer than its caller waits for the answer.

    nameko publishes RPC requests persistent and without expiry: a request queued while a
    service was down, or requeued across a broker restart, ran later although the caller
    had long answered 503 (and its reply queue was gone) - a referral refused to the user
    yet created, sometimes twice. Transient requests do not survive a broker restart, and
    expire once the caller's timeout has passed.
    """

    def __init__(self, config, timeout, **kwargs):
        # Replies come to queues named after the gateway, which only the gateway's broker
        # user may read (verband_common.rpc.OwnedReplyListener).
        kwargs.setdefault("reply_listener_cls", functools.partial(OwnedReplyListener, "gateway"))
        super().__init__(config, timeout=timeout, **kwargs)
        self._proxy = _ClusterProxy(
            self._worker_ctx, self._reply_listener, delivery_mode=NON_PERSISTENT, expiration=timeout
        )


class RpcClient:
    def __init__(self, amqp_uri: str, timeout: float = 10.0):
        self.config = {"AMQP_URI": amqp_uri}
        self.timeout = timeout
        self._local = threading.local()

    def _proxy(self):
        proxy = getattr(self._local, "proxy", None)
        if proxy is None:
            context = {}
            runner = _RpcProxy(self.config, self.timeout, context_data=context)
            proxy = runner.start()
            self._local.runner, self._local.proxy, self._local.context = runner, proxy, context
        return proxy

    def _drop(self):
        runner = getattr(self._local, "runner", None)
        self._local.runner = self._local.proxy = self._local.context = None
        if runner is not None:
            try:
                runner.stop()
            except Exception as exc:  # noqa: BLE001 - the connection is already gone
                log.debug("rpc proxy closed uncleanly", extra={"error": repr(exc)})

    def call(
        self,
        service: str,
        method: str,
        *args,
        correlation_id: str | None = None,
        actor: str | None = None,
        idempotency: tuple[str, str] | None = None,
        **kwargs,
    ):
        """`idempotency`: (key, request fingerprint) of a client's write that may be retried."""
        started = time.perf_counter()
        outcome = "unavailable"
        try:
            proxy = self._proxy()
            # The proxy's worker context carries this dict into the message headers. The
            # proxy (and so the dict) outlives the request: a key left from an earlier call
            # would speak for someone else, hence every key is set or removed on each call
            # (None is removed, not sent: nameko drops None headers with a warning).
            context = self._local.context
            key_, fingerprint = idempotency or (None, None)
            for key, value in (
                (correlation.CONTEXT_KEY, correlation_id),
                (actor_ref.CONTEXT_KEY, actor),
                (deadline.CONTEXT_KEY, deadline.stamp(self.timeout)),
                (idem.CONTEXT_KEY, key_),
                (idem.CONTEXT_FINGERPRINT, fingerprint),
            ):
                if value is None:
                    context.pop(key, None)
                else:
                    context[key] = value
            answer = getattr(proxy[service], method)(*args, **kwargs)
            outcome = "ok"
            return answer
        except VerbandError:
            # The service answered, with a refusal of its own (not found, forbidden, invalid).
            outcome = "refused"
            raise
        except RemoteError:
            outcome = "error"
            raise  # the service's own (unexpected) answer: the proxy did its job
        except UnknownService:
            raise ServiceUnavailable(f"De dienst '{service}' is niet bereikbaar.") from None
        except RpcTimeout:
            self._drop()
            raise ServiceUnavailable(f"De dienst '{service}' antwoordde niet op tijd.") from None
        except (OSError, AMQPError, OperationalError, ConnectionError) as exc:
            self._drop()
            log.warning("broker connection lost", extra={"service": service, "error": repr(exc)})
            raise ServiceUnavailable("De berichtenbus is niet bereikbaar.") from None
        except Exception as exc:  # noqa: BLE001 - any other failure of the proxy itself
            # e.g. nameko's RuntimeError "This consumer has been disconnected, and can no
            # longer be used" after the broker went away: the proxy is broken for good.
            self._drop()
            log.warning(
                "rpc proxy broken; replaced", extra={"service": service, "error": repr(exc)}
            )
            raise ServiceUnavailable("De berichtenbus is niet bereikbaar.") from None
        finally:
            metrics.observe_rpc(service, started, outcome)

    def close(self):
        self._drop()
