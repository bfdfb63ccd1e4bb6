class DomainError(Exception):
    """A rule of the domain was violated; ``message`` is shown to the user (already translated)."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class EditConflict(DomainError):
    """Optimistic locking: the object was changed by somebody else since the form was opened.

    ``current`` is the stored object, so the form can show both versions; subclasses only set the message.
    Services raise it when the ``version`` a form carried no longer matches; nothing is written then.
    """

    conflict_message = ""
    conflict_field: str | None = None

    def __init__(self, current):
        super().__init__(str(self.conflict_message), field=self.conflict_field)
        self.current = current
