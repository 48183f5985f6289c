"""SQL for networks and offers; every function works inside the caller's transaction."""

NETWORK_COLUMNS = "id, name, kind, region, created_at"
OFFER_COLUMNS = (
    "id, network_id, title, kind, capacity, free_places, municipalities, status,"
    " warm_waiting_list, created_at"
)


def insert_network(tx, network: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO networks (id, name, kind, region)"
        " VALUES (%(id)s, %(name)s, %(kind)s, %(region)s)"
        f" ON CONFLICT DO NOTHING RETURNING {NETWORK_COLUMNS}",
        network,
    )


def get_network(db, network_id) -> dict | None:
    return db.fetchone(f"SELECT {NETWORK_COLUMNS} FROM networks WHERE id = %s", (network_id,))


def list_networks(db) -> list[dict]:
    return db.fetchall(f"SELECT {NETWORK_COLUMNS} FROM networks ORDER BY name")


def insert_offer(tx, offer: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO offers (id, network_id, title, kind, capacity, free_places, municipalities,"
        " status, warm_waiting_list) VALUES (%(id)s, %(network_id)s, %(title)s, %(kind)s,"
        " %(capacity)s, %(free_places)s, %(municipalities)s, %(status)s, %(warm_waiting_list)s)"
        f" RETURNING {OFFER_COLUMNS}",
        offer,
    )


def list_offers(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {OFFER_COLUMNS} FROM offers WHERE network_id = %s ORDER BY title", (network_id,)
    )
