"""The gateway's RPC client: one nameko standalone proxy per thread, kept open.

A proxy owns a reply queue on the broker; opening one per request would cost a queue
declaration and a consumer per call. Proxies are not thread-safe, hence one per thread.
A proxy that lost its connection is dropped and a new one opened on the next call.
"""

import logging
import socket
import threading

from amqp.exceptions import AMQPError
from kombu.exceptions import OperationalError
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from verband_common.correlation import CONTEXT_KEY
from verband_common.errors import VerbandError

log = logging.getLogger(__name__)


class ServiceUnavailable(VerbandError):
    code = "service_unavailable"
    http_status = 503


class RpcClient:
    def __init__(self, amqp_uri: str, timeout: float = 10.0):
        self.config = {"AMQP_URI": amqp_uri}
        self.timeout = timeout
        self._local = threading.local()

    def _proxy(self):
        proxy = getattr(self._local, "proxy", None)
        if proxy is None:
            context = {}
            runner = ClusterRpcProxy(self.config, context_data=context, timeout=self.timeout)
            proxy = runner.start()
            self._local.runner, self._local.proxy, self._local.context = runner, proxy, context
        return proxy

    def _drop(self):
        runner = getattr(self._local, "runner", None)
        self._local.runner = self._local.proxy = self._local.context = None
        if runner is not None:
            try:
                runner.stop()
            except Exception:  # the connection is already gone; nothing to close cleanly
                pass

    def call(self, service: str, method: str, *args, correlation_id: str | None = None, **kwargs):
        try:
            proxy = self._proxy()
            # The proxy's worker context carries this dict into the message headers.
            self._local.context[CONTEXT_KEY] = correlation_id
            return getattr(proxy[service], method)(*args, **kwargs)
        except VerbandError:
            raise
        except UnknownService:
            raise ServiceUnavailable(f"De dienst '{service}' is niet bereikbaar.") from None
        except RpcTimeout:
            self._drop()
            raise ServiceUnavailable(f"De dienst '{service}' antwoordde niet op tijd.") from None
        except (OSError, socket.error, AMQPError, OperationalError, ConnectionError) as exc:
            self._drop()
            log.warning("broker connection lost", extra={"service": service, "error": repr(exc)})
            raise ServiceUnavailable("De berichtenbus is niet bereikbaar.") from None

    def close(self):
        self._drop()
