"""Pure rules of the meetings service: no broker, no database. The service loads state,
these modules decide, and the store writes the outcome."""
