"""allauth integration: mails through the task queue, redirects that continue a pending invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from daks.core.tasks import send_mail_task

from .language import set_language_cookie

INVITATION_SESSION_KEY = "daks_invitation_token"
# Set when somebody signs in with the correct password of an account scheduled for deletion (see views).
DELETION_SESSION_KEY = "daks_deletion_scheduled_user"


def _recipient_language(email: str, context: dict) -> str:
    user = context.get("user")
    if user is None or not getattr(user, "pk", None):
        user = get_user_model().objects.filter(email__iexact=email).only("language").first()
    language = getattr(user, "language", "") if user is not None else ""
    if not language:
        request = allauth_context.request
        language = getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "de"
    return language


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's mail like the default adapter, in the recipient's language, and queue it.

        DAKS sends plain text only: an HTML alternative (should a template provide one) is dropped.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        with translation.override(_recipient_language(email, ctx)):
            message = self.render_mail(template_prefix, email, ctx)
        body = message.body
        if getattr(message, "content_subtype", "plain") == "html":  # only an HTML template exists
            from django.utils.html import strip_tags

            body = strip_tags(body)
        send_mail_task.enqueue(subject=message.subject, body=body, to=list(message.to))

    def post_login(self, request, user, **kwargs):
        """After signing in, show DAKS in the language chosen in the profile (cookie for later visits)."""
        response = super().post_login(request, user, **kwargs)
        if response is not None:
            set_language_cookie(response, getattr(user, "language", ""))
        return response

    def respond_user_inactive(self, request, user):
        """An account scheduled for deletion cannot sign in: explain why and how to cancel (docs/deletion.md)."""
        if getattr(user, "deletion_scheduled_for", None) is not None:
            request.session[DELETION_SESSION_KEY] = user.pk
            return redirect("accounts:deletion_scheduled")
        return super().respond_user_inactive(request, user)

    # --- Redirects: continue an invitation the visitor opened before signing in / up -------------

    def _invitation_url(self, request) -> str | None:
        token = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
        if token:
            return reverse("municipalities:invitation", kwargs={"token": token})
        return None

    def get_login_redirect_url(self, request) -> str:
        return self._invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        return self._invitation_url(request) or super().get_signup_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address) -> str:
        return self._invitation_url(self.request) or super().get_email_verification_redirect_url(email_address)
