"""Request and response schemas of the services' RPC interfaces.

The gateway validates and documents its JSON API with these, and each service validates
its RPC input with the same schema again: one definition per payload, checked at both ends.
Messages are Dutch (nl-BE): they reach people through the portals.
"""
