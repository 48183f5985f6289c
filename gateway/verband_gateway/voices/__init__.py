"""Voices at the table: members of a governance body cast their own vote on an agenda item,
and answer a written procedure between meetings (the JSON API in `api`, the portal's pages
in `pages`). The meetings service decides who may
open, cast and close; the gateway checks the input with the service's payload schemas."""
