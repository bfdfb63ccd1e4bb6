"""Who may take a workspace along: the Koordination exports; anybody signed in may import (a new Kommune)."""

import rules

from daks.municipalities.rules import is_coordinator

rules.add_perm("portability.export_workspace", is_coordinator)
rules.add_perm("portability.import_workspace", rules.is_authenticated)
