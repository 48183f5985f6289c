"""/alive answers without the services; /health names every service and what failed."""

from verband_gateway.rpc import ServiceUnavailable


def test_alive_needs_no_service(client, services):
    assert client.get("/alive").json == {"status": "alive"}
    assert services.calls == []


def test_health_is_ok_when_every_service_answers(client, services):
    for name in ("partners", "cases", "meetings", "reporting"):
        services.answer(name, "health", {"service": name, "database": "ok"})
    response = client.get("/health", headers={"Authorization": "Bearer whatever"})
    assert response.status_code == 200
    assert set(response.json["services"]) == {"partners", "cases", "meetings", "reporting"}
    # A health check acts for nobody, and resolves no one even when credentials come along.
    assert {c.method for c in services.calls} == {"health"}
    assert all(c.actor is None for c in services.calls)


def test_health_is_503_and_names_the_service_that_did_not_answer(client, services):
    for name in ("partners", "cases", "meetings"):
        services.answer(name, "health", {"service": name, "database": "ok"})
    services.fail(
        "reporting", "health", ServiceUnavailable("De dienst 'reporting' antwoordde niet op tijd.")
    )
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json["services"]["reporting"]["status"] == "unavailable"
    assert "reporting" in response.json["services"]["reporting"]["error"]
    assert response.json["services"]["cases"]["status"] == "ok"
