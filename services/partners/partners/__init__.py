"""The partners service: the network's directory of organisations, people, roles and offer."""
