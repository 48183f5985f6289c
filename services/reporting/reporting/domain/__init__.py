"""Reporting's rules as plain Python: periods, the catalogue, statistics, suppression,
indicators, access and the report lifecycle. No broker, no database."""
