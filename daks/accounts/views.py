from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from daks.core.errors import DomainError

from . import services
from .forms import AccountDeleteForm, ProfileForm
from .language import set_language_cookie


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
    overview = services.deletion_overview(request.user)
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deleted = services.account_delete(user=request.user, password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            get_adapter(request).logout(request)
            if deleted:
                messages.success(
                    request,
                    _("Your account has been deleted, together with: %(names)s.") % {"names": ", ".join(deleted)},
                )
            else:
                messages.success(request, _("Your account has been deleted."))
            return redirect("core:home")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "overview": overview, "blocked_message": services.blocked_message(overview.blocked)},
    )
