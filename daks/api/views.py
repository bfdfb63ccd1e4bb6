"""Web pages of the API: the overview at /api/ and the personal tokens at /konto/api-tokens/."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.caching import public_page
from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error

from . import tokens
from .forms import TokenForm
from .throttling import api_limit


@public_page(max_age=3600)
def overview(request):
    return render(
        request,
        "api/overview.html",
        {"token_limit": api_limit("token"), "address_limit": api_limit("address")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request):
    memberships = request.user.memberships.select_related("municipality").order_by("municipality__name")
    form = TokenForm(request.POST or None, memberships=memberships)
    new_token = None
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = (
            timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max)) if expires_on else None
        )
        try:
            token, raw = tokens.token_create(
                user=request.user,
                municipality=form.cleaned_data["municipality"],
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=expires_at,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            new_token = {"token": token, "raw": raw}
            form = TokenForm(memberships=memberships)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": tokens.tokens_of(request.user),
            "now": timezone.now(),
            "has_memberships": bool(memberships),
        },
        status=400 if request.method == "POST" and new_token is None else 200,
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(tokens.tokens_of(request.user), pk=pk)
    tokens.token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked. It no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")
