"""The meetings service: governance bodies, agendas, minutes, decisions, actions and signals."""
