"""Who may do what in the Werkzeugkoffer.

The editorial office consists of staff in two groups: "Werkzeugkoffer-Redaktion" (editors: write, edit, submit
for review, archive, maintain topic fields) and "Werkzeugkoffer-Prüfung" (reviewers: publish or return tools in
review). A superuser is both. Members of a Kommune who may edit its content submit best practice of their own.
"""

import rules

EDITOR_GROUP = "Werkzeugkoffer-Redaktion"
REVIEWER_GROUP = "Werkzeugkoffer-Prüfung"


def _in_group(user, name: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = user.__dict__.setdefault("_daks_groups", None)
    if cache is None:
        cache = user.__dict__["_daks_groups"] = set(user.groups.values_list("name", flat=True))
    return name in cache


@rules.predicate
def is_toolbox_editor(user):
    return _in_group(user, EDITOR_GROUP)


@rules.predicate
def is_toolbox_reviewer(user):
    return _in_group(user, REVIEWER_GROUP)


rules.add_perm("toolbox.edit_tools", is_toolbox_editor)
rules.add_perm("toolbox.review_tools", is_toolbox_reviewer)
rules.add_perm("toolbox.access_editorial", is_toolbox_editor | is_toolbox_reviewer)
