"""Verband's shared plumbing: event contracts, outbox, inbox, database pool, config, logs.

Services share this library and nothing else; domain code stays in each service.
"""
