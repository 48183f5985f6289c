"""The JSON API, one blueprint per area; schemas come from verband_common.schemas."""
