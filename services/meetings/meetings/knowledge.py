"""RPCs of the network's own knowledge: its library of procedures and working agreements
(versioned files, an owner, a review date) and its vorming moments with registration.

A mixin of MeetingsService: the same database, actor and access projection; the rules are
in domain.knowledge, the SQL in knowledge_store, the file checks those of meeting documents
(domain.files). Any role in the network reads; another network's procedure or vorming is
not found (404), never forbidden."""

import base64
import datetime as dt
import hashlib

from meetings import knowledge_store as ks
from meetings import store
from meetings.domain import files
from meetings.domain import knowledge as rules
from meetings.views import TZ, jsonable
from verband_common.errors import Forbidden, NotFound, ValidationFailed
from verband_common.rpc import parse_id, rpc, validated
from verband_common.schemas import knowledge as schemas

KEEPERS_ONLY = "Enkel een coördinator of netwerkbeheerder beheert de kennisbank en de vorming."


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _today() -> dt.date:
    return _now().astimezone(TZ).date()


def _missing(what: str, field: str) -> NotFound:
    return NotFound(f"{what} bestaat niet.", {field: ["Onbekend."]})


def _version_number(version) -> int | None:
    if version is not None and (
        not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 10**6
    ):
        raise ValidationFailed("Ongeldige versie.", {"version": ["Een volgnummer vanaf 1."]})
    return version


class KnowledgeRpcs:
    """Needs from the service: db, _principal(), _network(p, network_id, works_in)."""

    # -- procedures and working agreements ------------------------------------------------

    def _procedure(self, p, db, network_id, procedure_id, lock=False) -> tuple[str, dict]:
        network_id = self._network(p, network_id, works_in=True)
        row = ks.get_procedure(db, parse_id(procedure_id, "procedure_id"), lock)
        if row is None or str(row["network_id"]) != str(network_id):
            raise _missing("Deze procedure", "procedure_id")
        return network_id, row

    @staticmethod
    def _procedure_view(row: dict, today: dt.date, versions=None) -> dict:
        view = {
            "id": row["id"],
            "network_id": row["network_id"],
            "title": row["title"],
            "kind": row["kind"],
            "summary": row["summary"],
            "owner_id": row["owner_id"],
            "owner_name": row["owner_name"] or "(onbekend)",
            "review_on": row["review_on"],
            "review_overdue": rules.review_overdue(row, today),
            "status": row["status"],
            "latest_version": row["latest_version"],
            "updated_at": row["updated_at"],
        }
        if versions is not None:
            view["versions"] = [
                {**v, "uploaded_by_name": v["uploaded_by_name"] or "(onbekend)"} for v in versions
            ]
        return jsonable(view)

    def _check_owner(self, db, network_id, owner_id) -> None:
        if str(owner_id) not in store.people_with_role(db, network_id, [str(owner_id)]):
            raise ValidationFailed(
                "De eigenaar moet een persoon van het netwerk zijn.",
                {"owner_id": ["Deze persoon heeft geen rol in dit netwerk."]},
            )

    @rpc
    def create_procedure(self, network_id, payload):
        """A procedure, working agreement or template in the network's library (keepers)."""
        p = self._principal()
        network_id = self._network(p, network_id, works_in=True)
        # The role first: who may not write learns nothing from validation messages.
        self._require(rules.can_keep(p, network_id), KEEPERS_ONLY)
        data = validated(schemas.ProcedureInput(), payload)
        today = _today()
        rules.check_review_date(data["review_on"], today)
        with self.db.transaction() as tx:
            self._check_owner(tx, network_id, data["owner_id"])
            procedure_id = ks.insert_procedure(tx, network_id, data, p.person_id)
            return self._procedure_view(ks.get_procedure(tx, procedure_id), today, [])

    @rpc
    def update_procedure(self, network_id, procedure_id, payload):
        """Change a procedure's description, owner, review date or status (keepers)."""
        p = self._principal()
        today = _today()
        with self.db.transaction() as tx:
            network_id, row = self._procedure(p, tx, network_id, procedure_id, lock=True)
            self._require(rules.can_keep(p, network_id), KEEPERS_ONLY)
            data = validated(schemas.ProcedureUpdate(), payload)
            if "review_on" in data and data["review_on"] != row["review_on"]:
                rules.check_review_date(data["review_on"], today)
            if "owner_id" in data:
                self._check_owner(tx, network_id, data["owner_id"])
            ks.update_procedure(tx, row["id"], data)
            return self._procedure_view(
                ks.get_procedure(tx, row["id"]), today, ks.procedure_versions(tx, row["id"])
            )

    @rpc
    def search_procedures(self, network_id, query=None):
        """The network's library, filtered by text, kind, status and an overdue review."""
        p = self._principal()
        network_id = self._network(p, network_id, works_in=True)
        query = validated(schemas.ProcedureQuery(), query if query is not None else {})
        today = _today()
        return [
            self._procedure_view(r, today)
            for r in ks.search_procedures(self.db, network_id, query, today)
        ]

    @rpc
    def get_procedure(self, network_id, procedure_id):
        """One procedure with every version of its file (who uploaded it, when)."""
        p = self._principal()
        _network_id, row = self._procedure(p, self.db, network_id, procedure_id)
        return self._procedure_view(row, _today(), ks.procedure_versions(self.db, row["id"]))

    @rpc
    def add_procedure_version(self, network_id, procedure_id, payload):
        """A file for the procedure, or a newer one: the older versions stay (keepers and the
        procedure's owner). The type is read from the bytes, as for meeting documents."""
        p = self._principal()
        data = validated(schemas.ProcedureFile(), payload)
        try:
            content = base64.b64decode(data["content_base64"], validate=True)
        except ValueError:
            raise files.refused("Geen geldige base64.") from None
        extension, content_type = files.sniff(content)
        filename = files.clean_name(data["filename"], extension)
        with self.db.transaction() as tx:
            # The procedure's row is locked, so two uploads get versions one after the other.
            network_id, row = self._procedure(p, tx, network_id, procedure_id, lock=True)
            self._require(
                rules.can_add_version(p, network_id, row),
                "Enkel de eigenaar, een coördinator of netwerkbeheerder voegt een versie toe.",
            )
            ks.insert_procedure_version(
                tx,
                row["id"],
                {
                    "filename": filename,
                    "content_type": content_type,
                    "content": content,
                    "sha256": hashlib.sha256(content).hexdigest(),
                },
                p.person_id,
            )
            tx.execute("UPDATE procedures SET updated_at = now() WHERE id = %s", (row["id"],))
            return self._procedure_view(
                ks.get_procedure(tx, row["id"]), _today(), ks.procedure_versions(tx, row["id"])
            )

    @rpc
    def procedure_file(self, network_id, procedure_id, version=None):
        """One version (the newest by default) of the procedure's file, base64."""
        p = self._principal()
        version = _version_number(version)
        _network_id, row = self._procedure(p, self.db, network_id, procedure_id)
        found = ks.procedure_file(self.db, row["id"], version)
        if found is None:
            raise _missing("Dit bestand", "version")
        return {
            "filename": found["filename"],
            "content_type": found["content_type"],
            "version": found["version"],
            "content_base64": base64.b64encode(bytes(found["content"])).decode("ascii"),
        }

    # -- vorming --------------------------------------------------------------------------

    def _training(self, p, db, network_id, training_id, lock=False) -> tuple[str, dict]:
        network_id = self._network(p, network_id, works_in=True)
        row = ks.get_training(db, parse_id(training_id, "training_id"), lock)
        if row is None or str(row["network_id"]) != str(network_id):
            raise _missing("Deze vorming", "training_id")
        return network_id, row

    @staticmethod
    def _training_view(row: dict, now: dt.datetime, mine: bool, people=None) -> dict:
        view = {
            "id": row["id"],
            "network_id": row["network_id"],
            "title": row["title"],
            "description": row["description"],
            "starts_at": row["starts_at"],
            "place": row["place"],
            "capacity": row["capacity"],
            "registration_deadline": row["registration_deadline"],
            "registered": row["registered"],
            "places_left": rules.places_left(row, row["registered"]),
            "registration_open": rules.registration_open(row, row["registered"], now),
            "past": row["starts_at"] < now,
            "me_registered": mine,
        }
        if people is not None:
            view["registrations"] = [{**r, "name": r["name"] or "(onbekend)"} for r in people]
        return jsonable(view)

    def _training_answer(self, p, db, network_id, row) -> dict:
        """The vorming as the actor sees it: organisers also see who registered."""
        mine = p.person_id is not None and bool(ks.my_registrations(db, p.person_id, [row["id"]]))
        people = ks.registrations(db, row["id"]) if rules.can_keep(p, network_id) else None
        return self._training_view(row, _now(), mine, people)

    @rpc
    def create_training(self, network_id, payload):
        """A vorming, intervisie or feedback moment of the network (keepers)."""
        p = self._principal()
        network_id = self._network(p, network_id, works_in=True)
        # The role first: who may not write learns nothing from validation messages.
        self._require(rules.can_keep(p, network_id), KEEPERS_ONLY)
        data = validated(schemas.TrainingInput(), payload)
        rules.check_new_training(data["starts_at"], data["registration_deadline"], _now())
        with self.db.transaction() as tx:
            training_id = ks.insert_training(tx, network_id, data, p.person_id)
            return self._training_answer(p, tx, network_id, ks.get_training(tx, training_id))

    @rpc
    def search_trainings(self, network_id, query=None):
        """The network's vorming moments, by text and upcoming or past; each says whether
        the actor registered."""
        p = self._principal()
        network_id = self._network(p, network_id, works_in=True)
        query = validated(schemas.TrainingQuery(), query if query is not None else {})
        now = _now()
        rows = ks.search_trainings(self.db, network_id, query, now)
        mine = (
            ks.my_registrations(self.db, p.person_id, [r["id"] for r in rows])
            if p.person_id is not None and rows
            else set()
        )
        return [self._training_view(r, now, str(r["id"]) in mine) for r in rows]

    @rpc
    def get_training(self, network_id, training_id):
        p = self._principal()
        network_id, row = self._training(p, self.db, network_id, training_id)
        return self._training_answer(p, self.db, network_id, row)

    @rpc
    def register_for_training(self, network_id, training_id):
        """The actor registers: while registrations are open and a place is free (409 when
        full or closed). The vorming's row is locked while its places are counted, so two
        people never take the last place together. Registering twice changes nothing."""
        p = self._principal()
        with self.db.transaction() as tx:
            network_id, row = self._training(p, tx, network_id, training_id, lock=True)
            if not rules.can_register(p, network_id):
                raise Forbidden("Enkel wie in het netwerk werkt, schrijft zich in voor vorming.")
            if not ks.my_registrations(tx, p.person_id, [row["id"]]):
                rules.check_registration(row, row["registered"], _now())
                ks.register(tx, row["id"], p.person_id)
            return self._training_answer(p, tx, network_id, ks.get_training(tx, row["id"]))

    @rpc
    def unregister_from_training(self, network_id, training_id):
        """The actor unregisters, until the vorming starts; their place is free again."""
        p = self._principal()
        with self.db.transaction() as tx:
            network_id, row = self._training(p, tx, network_id, training_id, lock=True)
            if p.person_id is None or not ks.my_registrations(tx, p.person_id, [row["id"]]):
                raise NotFound(
                    "Je bent niet ingeschreven voor deze vorming.",
                    {"training_id": ["Niet ingeschreven."]},
                )
            rules.check_unregistration(row, _now())
            ks.unregister(tx, row["id"], p.person_id)
            return self._training_answer(p, tx, network_id, ks.get_training(tx, row["id"]))

    @rpc
    def training_registrations(self, network_id, training_id):
        """Who registered for the vorming, in order of registration (organisers only)."""
        p = self._principal()
        network_id, row = self._training(p, self.db, network_id, training_id)
        self._require(rules.can_keep(p, network_id), KEEPERS_ONLY)
        return [
            jsonable({**r, "name": r["name"] or "(onbekend)"})
            for r in ks.registrations(self.db, row["id"])
        ]
