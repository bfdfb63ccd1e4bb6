class DomainError(Exception):
    """A rule of the domain was violated; ``message`` is shown to the user (already translated)."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
