"""The editorial office of the network: staff in the group "Netzwerk-Redaktion" (or superusers) run portraits'
moderation, groups of Kommunen, news, events, the newsletter and the exchange board."""

import rules

NETWORK_EDITOR_GROUP = "Netzwerk-Redaktion"


@rules.predicate
def is_network_editor(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = user.__dict__.setdefault("_daks_groups", None)
    if cache is None:
        cache = user.__dict__["_daks_groups"] = set(user.groups.values_list("name", flat=True))
    return NETWORK_EDITOR_GROUP in cache


rules.add_perm("network.edit_network", is_network_editor)
