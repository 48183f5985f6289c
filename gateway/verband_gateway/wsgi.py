"""WSGI entry point for gunicorn: `gunicorn verband_gateway.wsgi:app`."""

from verband_common import config, logs
from verband_gateway import create_app

logs.configure("gateway", config.env("LOG_LEVEL", "INFO"))
app = create_app()
