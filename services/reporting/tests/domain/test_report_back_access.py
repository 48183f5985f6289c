"""Who reads a network's report-backs to IROJ, and who answers the signals in them."""

from reporting.domain.access import Principal, can_answer_signal, can_read_report_backs

LIMBURG, LIMBURG_2, ANTWERP = "n-limburg", "n-maasland", "n-antwerpen"
REGIONS = {LIMBURG: "Limburg", LIMBURG_2: "Limburg", ANTWERP: "Antwerpen"}


def test_iroj_of_the_region_reads_every_network_there_and_answers():
    iroj = Principal("p", {LIMBURG_2: frozenset({"iroj_viewer"})}, REGIONS)
    assert can_read_report_backs(iroj, LIMBURG, "Limburg")
    assert can_answer_signal(iroj, "Limburg")
    assert not can_read_report_backs(iroj, ANTWERP, "Antwerpen")
    assert not can_answer_signal(iroj, "Antwerpen")
    # a network whose region reporting does not know yet is nobody's in IROJ
    assert not can_read_report_backs(iroj, "n-new", None)


def test_the_networks_managers_read_but_do_not_answer_for_iroj():
    coordinator = Principal("p", {LIMBURG: frozenset({"coordinator"})}, REGIONS)
    assert can_read_report_backs(coordinator, LIMBURG, "Limburg")
    assert not can_read_report_backs(coordinator, LIMBURG_2, "Limburg")
    assert not can_answer_signal(coordinator, "Limburg")


def test_other_roles_read_nothing():
    worker = Principal("q", {LIMBURG: frozenset({"partner_worker"})}, REGIONS)
    assert not can_read_report_backs(worker, LIMBURG, "Limburg")
    assert not can_answer_signal(worker, "Limburg")
    assert not can_read_report_backs(Principal(None), LIMBURG, "Limburg")
