"""The reporting service: privacy-safe projections from events, indicators, IROJ reports."""
