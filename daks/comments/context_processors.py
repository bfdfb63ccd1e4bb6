from functools import cache


def notifications(request):
    """``unread_notifications``: the number of unread notifications of the signed-in person.

    Lazy (templates call it): one query, and only when a template shows it (the header of base.html) —
    htmx fragments don't pay for it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_count

    @cache
    def unread_notifications() -> int:
        return unread_count(user)

    return {"unread_notifications": unread_notifications}
