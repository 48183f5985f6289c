"""SQL of the cases service; every function works inside the caller's transaction."""

import secrets

from psycopg.types.json import Jsonb


def upsert_offer(tx, network_id, event: dict) -> None:
    tx.execute(
        "INSERT INTO offers (id, network_id, title, kind, capacity, free_places, status,"
        " warm_waiting_list, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, kind = EXCLUDED.kind,"
        " capacity = EXCLUDED.capacity, free_places = EXCLUDED.free_places,"
        " status = EXCLUDED.status, warm_waiting_list = EXCLUDED.warm_waiting_list,"
        " updated_at = EXCLUDED.updated_at WHERE offers.updated_at <= EXCLUDED.updated_at",
        (
            event["offer_id"],
            network_id,
            event["title"],
            event["kind"],
            event["capacity"],
            event["free_places"],
            event["status"],
            event["warm_waiting_list"],
            event["occurred_at"],
        ),
    )


def offer_in_network(tx, offer_id, network_id) -> dict | None:
    return tx.fetchone(
        "SELECT id, status FROM offers WHERE id = %s AND network_id = %s", (offer_id, network_id)
    )


def network_key(tx, network_id) -> bytes:
    """The network's pseudonym key, created on first use (concurrent creators agree)."""
    tx.execute(
        "INSERT INTO network_keys (network_id, pseudonym_key) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (network_id, secrets.token_bytes(32)),
    )
    row = tx.fetchone("SELECT pseudonym_key FROM network_keys WHERE network_id = %s", (network_id,))
    return bytes(row["pseudonym_key"])


def insert_family(tx, family: dict) -> None:
    tx.execute(
        "INSERT INTO families (id, network_id, household, municipality)"
        " VALUES (%(id)s, %(network_id)s, %(household)s, %(municipality)s)",
        {**family, "household": Jsonb(family["household"])},
    )


def insert_referral(tx, referral: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO referrals (id, network_id, family_id, offer_id, source_sector, concern,"
        " question, consent) VALUES (%(id)s, %(network_id)s, %(family_id)s, %(offer_id)s,"
        " %(source_sector)s, %(concern)s, %(question)s, %(consent)s)"
        " RETURNING id AS referral_id, network_id, offer_id, status, received_at",
        {**referral, "consent": Jsonb(referral["consent"])},
    )
