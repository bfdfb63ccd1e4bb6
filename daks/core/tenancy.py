"""Resolving the Kommune of a request: one place, non-members get 404.

Every view under ``/kommunen/<municipality_slug>/…`` is wrapped with ``municipality_view``. It looks
the Kommune up, requires a membership (anyone else — anonymous users included — gets 404, so the
existence of a Kommune's workspace is not revealed) and then checks the named permission (members
without it get 403). Coordinators of a Kommune that requires two-factor authentication and who have none
activated are sent to its setup page (daks/municipalities/mfa.py). Objects belonging to the Kommune must be
looked up *through* it: ``get_object_or_404(request.municipality.invitations, pk=pk)``.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404


def municipality_view(permission: str = "municipalities.view_municipality"):
    def decorator(view):
        @wraps(view)
        def wrapper(request, municipality_slug, *args, **kwargs):
            from daks.municipalities.mfa import second_factor_missing, second_factor_setup_redirect
            from daks.municipalities.models import Municipality
            from daks.municipalities.rules import membership_of

            municipality = Municipality.objects.filter(slug=municipality_slug).first()
            membership = membership_of(request.user, municipality)
            if municipality is None or membership is None:
                raise Http404("No such municipality")
            if not request.user.has_perm(permission, municipality):
                raise PermissionDenied
            if second_factor_missing(request.user, municipality, membership):
                return second_factor_setup_redirect(request, municipality)
            request.municipality = municipality
            request.membership = membership
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
