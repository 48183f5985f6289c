"""WSGI entry point for gunicorn: `gunicorn verband_gateway.wsgi:app`."""

import logging

from verband_common import config, logs
from verband_gateway import create_app
from verband_gateway.settings import ConfigurationError

logs.configure("gateway", config.env("LOG_LEVEL", "INFO"))
try:
    app = create_app()
except ConfigurationError as exc:
    # One clear line instead of a traceback; gunicorn stops when a worker cannot boot.
    logging.getLogger("gateway").critical("configuration incomplete: %s", exc)
    raise SystemExit(f"Verband gateway not started: {exc}") from None
