"""WSGI entry point for gunicorn: `gunicorn gateway.wsgi:app`."""

from verband_common import config, logs

from gateway import create_app

logs.configure("gateway", config.env("LOG_LEVEL", "INFO"))
app = create_app()
