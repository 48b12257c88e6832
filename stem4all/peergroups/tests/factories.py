"""Peer groups for tests, made through the services so they carry a conversation."""

from stem4all.peergroups import services
from stem4all.peergroups.models import PeerGroup


def make_group(creator, programme, **fields) -> PeerGroup:
    values = {
        "topic": "Robotics club",
        "description": "We meet and learn together.",
        "region": "naryn",
        "language": "ky",
        "rhythm": PeerGroup.Rhythm.WEEKLY,
        "member_limit": None,
        "access": PeerGroup.Access.OPEN,
    } | fields
    return services.create_group(creator=creator, programme=programme, **values)
