"""What the rules say for each URL: who may see it, and what everybody else gets.

Two classes are recognised without a table entry, so new URLs of that kind are covered by themselves:

- ``KOMMUNE``: the view is wrapped with ``municipality_view`` (the walk reads the permission from the wrapper).
  Anonymous visitors, members of another Kommune (every role) and staff without membership get 404 (405 for a
  method the view does not accept; anonymous visitors may instead be sent to the login); members of the Kommune
  without the permission get 403; Kommune B's object ids in Kommune A's URLs give 404.
- ``API_WORKSPACE``: ``/api/v1/municipalities/<slug>/…``. Without a token 401, a token of another Kommune 404,
  a token of a role without the permission 403 on writes.

Every other URL must be listed in ``TABLE``; an unlisted one fails the walk until someone decides its class:

- ``PUBLIC``: anyone may call it; it must not show any private text of a Kommune (``MARKER_A``).
- ``LOGIN``: signed-in users only (anonymous → login page); it shows the user's own things, never Kommune A's to
  someone outside it.
- ``OWNER``: a signed-in user's own object (notification, API token, own exchange post): anonymous → login,
  anyone else → 403/404.
- ``STAFF``: editorial and network office (toolbox editorial, news and newsletter editorial, events organiser,
  network office, exchange moderation): anonymous → login, members without the staff permission → 403.
- ``TOKEN``: capability links (participation, survey, RSVP, invitation, registration, newsletter, password reset):
  a forged token shows nothing private; the real token (where the walk has one) works.
- ``UNPUBLISHED``: public once published; Kommune A's object is not, so everyone outside gets 404.
- ``API_PUBLIC``: public API reads; detail endpoints for A's unpublished objects 404.
- ``API_ME``: the token owner's own data.
"""

from __future__ import annotations

from .urlwalk import Endpoint

KOMMUNE = "kommune"
API_WORKSPACE = "api-workspace"
PUBLIC = "public"
LOGIN = "login"
OWNER = "owner"
STAFF = "staff"
TOKEN = "token"
UNPUBLISHED = "unpublished"
API_PUBLIC = "api-public"
API_ME = "api-me"

API_WORKSPACE_PREFIX = "api/v1/municipalities/"

TABLE: dict[str, str] = {
    # core, pages, language
    "healthz": PUBLIC,
    "core:home": PUBLIC,
    "core:dashboard": LOGIN,
    "set_language": PUBLIC,
    "language": PUBLIC,
    "pages:page": PUBLIC,
    "pages:barrier_report": PUBLIC,
    "pages:barrier_report_thanks": PUBLIC,
    # allauth: the pages of signing in, up and out and of a forgotten password are public …
    "account_login": PUBLIC,
    "account_logout": PUBLIC,
    "account_signup": PUBLIC,
    "account_inactive": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "mfa_authenticate": PUBLIC,
    # … their links from e-mails are capability links …
    "account_confirm_email": TOKEN,
    "account_reset_password_from_key": TOKEN,
    # … and the account settings need a signed-in user
    "account_reauthenticate": LOGIN,
    "account_request_reauthentication_code": LOGIN,
    "account_confirm_reauthentication_code": LOGIN,
    "account_email": LOGIN,
    "account_change_password": LOGIN,
    "account_set_password": LOGIN,
    "mfa_index": LOGIN,
    "mfa_reauthenticate": LOGIN,
    "mfa_activate_totp": LOGIN,
    "mfa_deactivate_totp": LOGIN,
    "mfa_view_recovery_codes": LOGIN,
    "mfa_generate_recovery_codes": LOGIN,
    "mfa_download_recovery_codes": LOGIN,
    # own account
    "accounts:profile": LOGIN,
    "accounts:delete": LOGIN,
    "accounts:deletion_scheduled": PUBLIC,  # shown after signing out; reads only the own session
    "accounts:deletion_cancel": TOKEN,
    "api_tokens:list": LOGIN,
    "api_tokens:revoke": OWNER,
    "notifications:list": LOGIN,
    "notifications:mark_all_read": LOGIN,
    "notifications:open": OWNER,
    "notifications:mark_read": OWNER,
    # Kommunen: create, import, join (any signed-in user may ask to join; the page names the Kommune only)
    "municipalities:create": LOGIN,
    "portability_import:form": LOGIN,
    "municipalities:join": LOGIN,
    "municipalities:invitation": TOKEN,
    # public faces of a Kommune's work: only once published (A's plan and portrait are not)
    "plans_public:plan": UNPUBLISHED,
    "plans_public:data": UNPUBLISHED,
    "network:portrait": UNPUBLISHED,
    "network:portrait_image": UNPUBLISHED,
    "network:contact": UNPUBLISHED,
    # capability links of participation
    "meetings_public:rsvp": TOKEN,
    "participate:board": TOKEN,
    "participate:join": TOKEN,
    "participate:idea_add": TOKEN,
    "participate:support": TOKEN,
    "participate:vote_add": TOKEN,
    "participate:vote_remove": TOKEN,
    "survey_public:answer": TOKEN,
    "survey_public:thanks": PUBLIC,
    # toolbox
    "toolbox:search": PUBLIC,
    "toolbox:detail": UNPUBLISHED,  # A's submitted tool is under review
    "toolbox:attachment": UNPUBLISHED,
    "toolbox_editorial:index": STAFF,
    "toolbox_editorial:create": STAFF,
    "toolbox_editorial:tool": STAFF,
    "toolbox_editorial:edit": STAFF,
    "toolbox_editorial:transition": STAFF,
    "toolbox_editorial:attachment_add": STAFF,
    "toolbox_editorial:attachment": STAFF,
    "toolbox_editorial:attachment_remove": STAFF,
    "toolbox_editorial:video": STAFF,
    "toolbox_editorial:history": STAFF,
    "toolbox_editorial:revision": STAFF,
    "toolbox_editorial:topics": STAFF,
    "toolbox_editorial:topic_create": STAFF,
    "toolbox_editorial:topic_edit": STAFF,
    "toolbox_editorial:topic_delete": STAFF,
    # network
    "network:directory": PUBLIC,
    "network:groups": PUBLIC,
    "network:group": PUBLIC,
    "network:group_export": PUBLIC,
    "network:group_create": STAFF,
    "network:group_edit": STAFF,
    "network:group_delete": STAFF,
    "network:office": STAFF,
    "network_surveys:office": STAFF,
    "network_surveys:detail": STAFF,
    "network_surveys:close": STAFF,
    "network_surveys:questionnaire": STAFF,
    "network_surveys:section_add": STAFF,
    "network_surveys:section_edit": STAFF,
    "network_surveys:section_move": STAFF,
    "network_surveys:section_delete": STAFF,
    "network_surveys:question_create": STAFF,
    "network_surveys:question_edit": STAFF,
    "network_surveys:question_move": STAFF,
    "network_surveys:question_delete": STAFF,
    # events of the network office (A's draft event is not public; registrations are the organiser's)
    "events:list": PUBLIC,
    "events:feed": PUBLIC,
    "events:detail": UNPUBLISHED,
    "events:ics": UNPUBLISHED,
    "events:slides": UNPUBLISHED,
    "events:registration": TOKEN,
    "events:organiser_list": STAFF,
    "events:create": STAFF,
    "events:manage": STAFF,
    "events:edit": STAFF,
    "events:publish": STAFF,
    "events:cancel": STAFF,
    "events:material": STAFF,
    "events:export": STAFF,
    # news (A's submission is not published) and newsletter (the draft issue is not sent)
    "news:list": PUBLIC,
    "news:feed_rss": PUBLIC,
    "news:feed_atom": PUBLIC,
    "news:detail": UNPUBLISHED,
    "news:document": UNPUBLISHED,
    "news:submit_choose": LOGIN,
    "news:editorial_index": STAFF,
    "news:editorial_create": STAFF,
    "news:editorial_edit": STAFF,
    "news:editorial_publish": STAFF,
    "news:editorial_unpublish": STAFF,
    "news:editorial_reject": STAFF,
    "newsletter:subscribe": PUBLIC,
    "newsletter:thanks": PUBLIC,
    "newsletter:archive": PUBLIC,
    "newsletter:archive_detail": UNPUBLISHED,
    "newsletter:confirm": TOKEN,
    "newsletter:unsubscribe": TOKEN,
    "newsletter:editorial_index": STAFF,
    "newsletter:editorial_create": STAFF,
    "newsletter:editorial_issue": STAFF,
    "newsletter:editorial_send": STAFF,
    # exchange between the Kommunen: every member of any Kommune takes part (A's question is hidden by the
    # moderation, so nobody else sees its text); editing and accepting are the author's
    "exchange:board": LOGIN,
    "exchange:topic": LOGIN,
    "exchange:question_create": LOGIN,
    "exchange:question": LOGIN,
    "exchange:answer_create": LOGIN,
    "exchange:follow": LOGIN,
    "exchange:report_question": LOGIN,
    "exchange:report_answer": LOGIN,
    "exchange:question_edit": OWNER,
    "exchange:answer_edit": OWNER,
    "exchange:accept": OWNER,
    "exchange:moderation": STAFF,
    "exchange:moderate_report": STAFF,
    "exchange:moderate_question": STAFF,
    "exchange:moderate_answer": STAFF,
    # regions and open data
    "demography:search": PUBLIC,
    "demography:search_results": PUBLIC,
    "demography:region": PUBLIC,
    "demography:region_csv": PUBLIC,
    "opendata:index": PUBLIC,
    "opendata:dictionary": PUBLIC,
    "opendata:datapackage": PUBLIC,
    "opendata:file": PUBLIC,
    # API: documentation and public reads
    "api_docs": PUBLIC,
    "api:api-root": API_PUBLIC,
    "api:openapi-json": API_PUBLIC,
    "api:openapi-view": API_PUBLIC,
    "api:region_list": API_PUBLIC,
    "api:region_detail": API_PUBLIC,
    "api:region_indicators": API_PUBLIC,
    "api:region_indicator_series": API_PUBLIC,
    "api:region_projections": API_PUBLIC,
    "api:region_similar": API_PUBLIC,
    "api:compare": API_PUBLIC,
    "api:plan_list": API_PUBLIC,
    "api:plan_detail": UNPUBLISHED,
    "api:tool_list": API_PUBLIC,
    "api:tool_detail": UNPUBLISHED,
    "api:event_list": API_PUBLIC,
    "api:event_detail": UNPUBLISHED,
    "api:portrait_list": API_PUBLIC,
    "api:portrait_detail": UNPUBLISHED,
    "api:me": API_ME,
}


def classify(endpoint: Endpoint) -> str | None:
    if endpoint.kommune_scoped:
        return KOMMUNE
    if endpoint.route.startswith(API_WORKSPACE_PREFIX) or endpoint.template.startswith(API_WORKSPACE_PREFIX):
        return API_WORKSPACE
    return TABLE.get(endpoint.name)
