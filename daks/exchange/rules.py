"""Who may take part in the exchange: signed-in members of at least one Kommune and the network's editorial office.

The moderation (reports, hiding content) is the editorial office: ``network.edit_network``.
"""

import rules

from daks.network.rules import is_network_editor


@rules.predicate
def is_member_of_any_municipality(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cache = user.__dict__
    if "_daks_exchange_member" not in cache:
        cache["_daks_exchange_member"] = user.memberships.exists()
    return cache["_daks_exchange_member"]


can_take_part = is_member_of_any_municipality | is_network_editor

rules.add_perm("exchange.take_part", can_take_part)
rules.add_perm("exchange.moderate", is_network_editor)
