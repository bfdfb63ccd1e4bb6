from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from daks.core.errors import DomainError

from . import services
from .adapter import DELETION_SESSION_KEY
from .forms import AccountDeleteForm, ProfileForm
from .language import set_language_cookie
from .models import User


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        with translation.override(user.language):
            messages.success(request, _("Your details have been saved."))
        translation.activate(user.language)
        return set_language_cookie(redirect("accounts:profile"), user.language)
    memberships = request.user.memberships.select_related("municipality").order_by("municipality__name")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Summary of what deleting the account removes; the password schedules the deletion (grace period)."""
    overview = services.deletion_overview(request.user, with_counts=True)
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_deletion_request(user=request.user, password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            get_adapter(request).logout(request)
            messages.success(
                request,
                _(
                    "Your account will be deleted on %(date)s. You have been signed out. We have sent you an "
                    "e-mail with a link to cancel the deletion until then."
                )
                % {"date": formats.date_format(timezone.localtime(user.deletion_scheduled_for), "DATE_FORMAT")},
            )
            return redirect("core:home")
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "overview": overview,
            "blocked_message": services.blocked_message(overview.blocked),
            "grace_days": services.grace_days(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def deletion_scheduled(request):
    """Where signing in to an account scheduled for deletion leads: the date, and the cancel link once more."""
    pk = request.session.get(DELETION_SESSION_KEY)
    account = User.objects.filter(pk=pk, deletion_scheduled_for__isnull=False).first() if pk else None
    if request.method == "POST" and account is not None:
        services.account_deletion_resend(user=account)
        messages.success(request, _("We have sent the link to cancel the deletion to your e-mail address again."))
        return redirect("accounts:deletion_scheduled")
    return render(request, "accounts/deletion_scheduled.html", {"account": account})


@never_cache
@require_http_methods(["GET", "POST"])
def deletion_cancel(request, token):
    """The link from the e-mail: GET asks (mail scanners open links), POST keeps the account."""
    error = None
    account = None
    try:
        account = services.account_for_cancel_token(token)
    except DomainError as exc:
        error = exc.message
    if request.method == "POST" and error is None:
        try:
            services.account_deletion_cancel(token=token)
        except DomainError as exc:
            error = exc.message
        else:
            request.session.pop(DELETION_SESSION_KEY, None)
            messages.success(request, _("Your account will not be deleted. You can sign in again."))
            return redirect("account_login")
    response = render(
        request,
        "accounts/deletion_cancel.html",
        {"account": account, "error": error},
        status=400 if error else 200,
    )
    # The token is a secret: never pass this address on to other sites.
    response["Referrer-Policy"] = "same-origin"
    return response
