"""Verband's gateway: the JSON API (with its OpenAPI document) and the portals, in one Flask app.

The gateway holds no data: every answer comes from a service over RPC.
"""

import logging
import time

from flask import Flask, g, has_request_context, request
from flask_smorest import Api
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from verband_common import config, logs
from verband_common import idempotency as idem
from verband_common.correlation import new_id
from verband_common.errors import VerbandError
from verband_gateway import auth, csrf, edge, errors, metrics, settings
from verband_gateway.mail import Mailer
from verband_gateway.readcache import ReadCache
from verband_gateway.rpc import RpcClient
from verband_gateway.session_cookie import SealedSessionInterface

log = logging.getLogger("gateway.access")

# On every answer, page or API. The portal's scripts and styles are files under /static:
# no inline script or style, no script from elsewhere, so markup that slipped through
# escaping cannot run; no framing (clickjacking); no address leaks to other sites.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "Referrer-Policy": "same-origin",
}


class VerbandApi(Api):
    # Every documented error answer has the one body errors.py sends.
    ERROR_SCHEMA = errors.ErrorBody

    def handle_http_exception(self, error):
        return errors.from_http(error)


def create_app(test_config: dict | None = None, rpc=None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        API_TITLE="Verband",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        AMQP_URI=config.amqp_uri(),
        RPC_TIMEOUT=float(config.env("RPC_TIMEOUT", "10")),
        HEALTH_TIMEOUT=float(config.env("HEALTH_TIMEOUT", "3")),
        RETRY_AFTER_SECONDS=config.env_int("RETRY_AFTER_SECONDS", 5),
        JSON_SORT_KEYS=False,
        # The largest honest body is a CSV import (2 MB of text, escaped in JSON or wrapped
        # in a form); anything larger is refused with 413 before it is read.
        MAX_CONTENT_LENGTH=config.env_int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024),
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    test_config = test_config or {}
    # Fails here, at start, when production lacks a secret key, mail or its public address.
    app.config.update(settings.from_env("test" if test_config.get("TESTING") else None))
    app.config.update(test_config)
    # The session cookie is encrypted, not only signed: it holds the API session token.
    app.session_interface = SealedSessionInterface()
    if app.config["TRUSTED_PROXIES"]:
        # Behind N reverse proxies, take the client address and scheme from their headers.
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.wsgi_app = edge.BoundedBody(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])
    app.extensions["principals"] = auth.PrincipalCache(app.config["AUTH_CACHE_SECONDS"])
    app.extensions["reads"] = ReadCache(app.config.get("READ_CACHE_SECONDS", 5))
    app.extensions["mail"] = Mailer(app.config, background=not app.config.get("TESTING"))
    app.extensions["rpc"] = rpc or RpcClient(app.config["AMQP_URI"], app.config["RPC_TIMEOUT"])
    # Health checks get their own proxies with a short timeout, so a hung service shows as
    # unavailable in seconds instead of holding the check for the full RPC timeout.
    app.extensions["health_rpc"] = rpc or RpcClient(
        app.config["AMQP_URI"], app.config["HEALTH_TIMEOUT"]
    )

    api = VerbandApi(
        app,
        spec_kwargs={
            "extra_plugins": [errors.ErrorAnswers()],
            "info": {
                "description": (
                    "De JSON-API van Verband: netwerken, aanbod, aanmeldingen en monitoring."
                ),
            },
        },
    )
    errors.document(api)
    from verband_gateway.api import (
        agreements,
        cases,
        directory,
        exchange,
        identity,
        indicators,
        meetings,
        networks,
        notifications,
        offers,
        referrals,
        reports,
        session_api,
    )

    for blueprint in (
        session_api.blp,
        networks.blp,
        directory.blp,
        identity.blp,
        offers.blp,
        agreements.blp,
        exchange.blp,
        referrals.blp,
        cases.blp,
        indicators.blp,
        meetings.blp,
        reports.blp,
        notifications.blp,
    ):
        api.register_blueprint(blueprint)
    from verband_gateway.voices import api as voices_api

    api.register_blueprint(voices_api.blp)
    # Demo and test stacks write mails to files; their tests read invitations from there.
    from verband_gateway.guide import api as guide_api

    api.register_blueprint(guide_api.blp)
    from verband_gateway.family_merge import api as family_merge_api

    api.register_blueprint(family_merge_api.blp)

    from verband_gateway.knowledge import api as knowledge_api

    api.register_blueprint(knowledge_api.blp)
    if app.config["VERBAND_ENV"] in ("demo", "test") and not app.config.get("SMTP_HOST"):
        api.register_blueprint(identity.test_blp)

    # network_pages adds its pages to the pages blueprint: imported before that is registered.
    from verband_gateway import (  # noqa: F401
        consent_pages,
        favicon,
        formats,
        health,
        network_pages,
        pages,
        portal,
        signin,
    )

    formats.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(favicon.bp)
    metrics.init_app(app)
    app.register_blueprint(signin.bp)
    app.register_blueprint(portal.bp)
    app.register_blueprint(pages.bp)
    from verband_gateway import case_pages

    app.register_blueprint(case_pages.bp)
    from verband_gateway import triage_pages

    app.register_blueprint(triage_pages.bp)
    from verband_gateway import report_pages

    app.register_blueprint(report_pages.bp)
    from verband_gateway import meeting_pages

    app.register_blueprint(meeting_pages.bp)
    from verband_gateway import notification_pages

    app.register_blueprint(notification_pages.bp)
    from verband_gateway.voices import pages as voice_pages

    app.register_blueprint(voice_pages.bp)
    from verband_gateway.guide import pages as guide_pages

    app.register_blueprint(guide_pages.bp)
    from verband_gateway.guide import keeping as guide_keeping

    app.register_blueprint(guide_keeping.bp)
    from verband_gateway.family_merge import pages as family_merge_pages

    app.register_blueprint(family_merge_pages.bp)

    from verband_gateway.knowledge import pages as knowledge_pages

    app.register_blueprint(knowledge_pages.bp)

    app.register_error_handler(VerbandError, errors.from_domain)
    app.register_error_handler(HTTPException, errors.from_http)

    @app.before_request
    def correlate():
        incoming = request.headers.get("X-Correlation-ID", "")
        # Accept a caller's id only if it is a sane token; never log arbitrary input as an id.
        g.correlation_id = incoming if incoming.isalnum() and len(incoming) <= 64 else new_id()
        logs.correlation_id.set(g.correlation_id)
        g.started = time.perf_counter()

    @app.before_request
    def refuse_at_the_edge():
        edge.check_request()

    @app.before_request
    def idempotency_key():
        # Writes of the JSON API may carry a key; its request fingerprint is taken at the
        # first RPC, once the view has read (and checked) the body.
        raw = request.headers.get(idem.HEADER)
        if raw is None or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if not request.path.startswith("/api/"):
            return None
        if not idem.valid_key(raw):
            return errors.error_response(
                422,
                "validation_failed",
                "De Idempotency-Key is ongeldig.",
                {idem.HEADER: [f"1 tot {idem.MAX_LENGTH} zichtbare ASCII-tekens, zonder spaties."]},
            )
        g.idempotency_key = raw
        return None

    @app.before_request
    def forgery_check():
        csrf.check(app.config["SESSION_COOKIE_NAME"])

    @app.context_processor
    def page_context():
        # What every page may show: who is signed in (if already resolved for this
        # request, never resolved just to draw a header) and the form token.
        return {"principal": g.get("principal"), "csrf_token": csrf.token}

    @app.after_request
    def stamp(response):
        response.headers["X-Correlation-ID"] = g.get("correlation_id", "")
        for header, value in SECURITY_HEADERS.items():
            # A view may only be stricter: the reset page sends no referrer at all.
            if header == "Referrer-Policy":
                response.headers.setdefault(header, value)
            else:
                response.headers[header] = value
        if g.get("principal") is not None or request.path.startswith("/api/auth"):
            # A page or answer for one signed-in person is no business of shared caches.
            response.headers["Cache-Control"] = "no-store"
        if request.path not in ("/alive",):
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round(
                        (time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1
                    ),
                },
            )
        return response

    return app


def _idempotency_key() -> str | None:
    """The client's Idempotency-Key, or else one of the gateway's own for each write.

    A broker node lost while a service works on a request may hand that request to another
    replica although the first one committed: RabbitMQ 3.10's quorum queues return it
    without marking it redelivered (verband_common.rpc.SurvivingRpc), so the service cannot
    tell it from a new one. Keyed, the second run finds the first one's answer instead of
    writing twice. The gateway's own key is fresh per request, so it answers only for the
    request's own RPCs, never for a client's retry.
    """
    key = g.get("idempotency_key")
    if key or not has_request_context() or request.method in ("GET", "HEAD", "OPTIONS"):
        return key
    if g.get("request_key") is None:
        g.request_key = f"request:{new_id()}"
        # Nothing to compare a retry with: the body is not read for a key nobody resends.
        g.idempotency_fingerprint = "request"
    return g.request_key


def call(service: str, method: str, *args, schema=None, anonymous: bool = False):
    """RPC from a view, carrying the request's correlation id and its actor.

    The actor is the signed-in principal's reference (`person:<uuid>` / `token:<uuid>`),
    resolved on the first call a request makes; without one the services answer 401/403
    themselves. `anonymous=True` is for the sign-in RPCs, which act for nobody yet.

    With `schema`, the answer is loaded (so checked) against the response contract; the
    view's @blp.response then dumps it, which also keeps the OpenAPI document truthful.
    """
    from flask import current_app

    actor = None
    if not anonymous:
        auth.principal()
        actor = g.get("actor")
    context = {}
    key = _idempotency_key() if actor is not None else None
    if key:
        # Numbered per RPC of the request, so that a view calling one method twice keeps
        # the two answers apart; a retry makes the same calls in the same order.
        g.idempotency_calls = g.get("idempotency_calls", 0) + 1
        if g.get("idempotency_fingerprint") is None:
            g.idempotency_fingerprint = idem.fingerprint(
                request.method,
                request.full_path,
                request.get_data(cache=True),
                request.get_json(silent=True, cache=True) if request.is_json else None,
            )
        context["idempotency"] = (f"{key}#{g.idempotency_calls}", g.idempotency_fingerprint)
    result = current_app.extensions["rpc"].call(
        service, method, *args, correlation_id=g.get("correlation_id"), actor=actor, **context
    )
    if (
        service == "partners"
        and has_request_context()
        and request.method not in ("GET", "HEAD", "OPTIONS")
    ):
        # A change to the directory through this process: its kept reads may be stale.
        current_app.extensions["reads"].clear()
    if schema is None:
        return result
    try:
        return schema.load(result)
    except ValidationError as err:
        log.error(
            "service answer breaks its contract",
            extra={"rpc": f"{service}.{method}", "errors": err.messages},
        )
        raise BadServiceAnswer(f"De dienst '{service}' gaf een ongeldig antwoord.") from None


def cached_call(service: str, method: str, *args):
    """`call` for a read listed in readcache.CACHEABLE, answered from this process's copy of
    the last few seconds when there is one. Use it only after the page has checked the
    reader's role in the network the read is about."""
    from flask import current_app

    return current_app.extensions["reads"].fetch(
        service, method, args, lambda: call(service, method, *args)
    )


class BadServiceAnswer(VerbandError):
    code = "bad_service_answer"
    http_status = 502
