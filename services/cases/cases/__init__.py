"""The cases service: referrals, the warm waiting list, trajectories and one plan per family.

Personal data of families lives here and nowhere else; what leaves is pseudonymised.
"""
