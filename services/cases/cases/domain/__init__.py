"""Pure rules of the cases service. No broker, no database: the nameko adapter and the
psycopg store call these, and tier-1 tests check them on their own.

- ages: age bands and pseudonyms (what may leave the service about a family)
- priority: the warm waiting list's documented, explainable rank
- clock: the one-month pickup clock and the warm-contact rhythm
- triage: what a coordinator may decide about a referral, always with a reason
- volume: the volume agreement with the mandated bodies, and when triage must override it
- plan: one support plan per family, its checks and what changed between versions
- access: who may see or change a case
- listimport: which rows of a spreadsheet waiting list can be taken over
- privacy: retention, anonymisation, and what an event may carry
"""

from cases.domain.ages import AGE_BANDS, age_band, age_on, child_key, pseudonym

__all__ = ["AGE_BANDS", "age_band", "age_on", "child_key", "pseudonym"]
