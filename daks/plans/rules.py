"""Permissions of the Werkstattplan beyond the general ones of daks/municipalities/rules.py.

``plans.freeze_version``: only Koordination freezes a version (Fassung) of the plan, e.g. the one the council
decides on. Reading versions and the change history needs ``municipalities.view_municipality``; importing
measures ``municipalities.edit_content``.
"""

import rules

from daks.municipalities.rules import is_coordinator

rules.add_perm("plans.freeze_version", is_coordinator)
