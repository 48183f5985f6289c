"""/alive (the process answers) and /health (every service and its database answer)."""

from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, current_app, g, jsonify

from verband_common.errors import VerbandError

bp = Blueprint("health", __name__)

SERVICES = ("partners", "cases", "meetings", "reporting")

# Long-lived threads, so that each keeps its RPC proxy (and reply queue) between checks.
_checks = ThreadPoolExecutor(len(SERVICES), thread_name_prefix="health")


@bp.get("/alive")
def alive():
    return jsonify({"status": "alive"})


@bp.get("/health")
def health():
    rpc = current_app.extensions["health_rpc"]
    cid = g.get("correlation_id")

    def check(service):
        try:
            return service, {"status": "ok", **rpc.call(service, "health", correlation_id=cid)}
        except VerbandError as exc:
            return service, {"status": "unavailable", "error": exc.message}
        except Exception as exc:  # noqa: BLE001 - a health check reports every failure, never raises
            return service, {"status": "unavailable", "error": repr(exc)}

    results = dict(_checks.map(check, SERVICES))
    healthy = all(r["status"] == "ok" for r in results.values())
    body = {"status": "ok" if healthy else "unavailable", "services": results}
    return jsonify(body), 200 if healthy else 503
