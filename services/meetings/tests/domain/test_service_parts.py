"""The meetings service is assembled from parts (the knowledge library is a mixin of its own
module): a name defined in two parts would silently replace the other's method, as once
happened to the library's and the written procedures' views of a "procedure"."""

from meetings.knowledge import KnowledgeRpcs
from meetings.service import MeetingsService


def test_no_name_is_defined_both_in_the_service_and_in_one_of_its_parts():
    own = {name for name in vars(MeetingsService) if not name.startswith("__")}
    for part in MeetingsService.__mro__[1:]:
        if part is object:
            continue
        assert own & {n for n in vars(part) if not n.startswith("__")} == set(), part
    assert KnowledgeRpcs in MeetingsService.__mro__
