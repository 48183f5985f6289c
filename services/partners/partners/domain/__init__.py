"""Pure rules of the partners service: no broker, no database, no clock of their own."""
