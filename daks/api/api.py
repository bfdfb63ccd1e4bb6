"""The REST API of DAKS, ``/api/v1/``: one NinjaAPI, one router per domain. OpenAPI 3 at ``/api/v1/openapi.json``,
interactive documentation at ``/api/v1/docs`` (Swagger UI from django-ninja's bundled static files, no CDN).

Routers
    ``regions``    public: regions, indicators, time series, projections, comparison, similar Kommunen
    ``content``    public: published plans, toolbox tools, events, portraits
    ``workspace``  token: processes, actors, SWOT, fields of action, goals, measures, tasks of one Kommune
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.docs import Swagger

from daks.core.errors import DomainError, EditConflict

from .common import german_validation_errors
from .content import router as content_router
from .me import router as me_router
from .regions import router as regions_router
from .throttling import AddressThrottle, TokenThrottle
from .workspace import router as workspace_router

DESCRIPTION = gettext_lazy(
    "Open interface of DAKS. Public endpoints (regions, indicators, projections, published plans, tools, events, "
    "portraits) need no key and may be read from any origin. Workspace endpoints under /municipalities/{slug}/ "
    "need a personal API token (Authorization: Bearer daks_…), created under “Konto → API-Tokens”, and act with "
    "the role of its owner in that one Kommune. Official statistics: © Statistische Ämter des Bundes und der "
    "Länder, Datenlizenz Deutschland – Namensnennung – Version 2.0."
)


class DocsPage(Swagger):
    template = "api/swagger.html"


api = NinjaAPI(
    title="DAKS API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=DocsPage(
        settings={"deepLinking": False, "defaultModelsExpandDepth": 0, "docExpansion": "list", "tryItOutEnabled": False}
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[AddressThrottle(), TokenThrottle()],
)


@api.exception_handler(ValidationError)
def validation_error(request, error):
    return api.create_response(request, german_validation_errors(error.errors), status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request, error):
    return api.create_response(
        request, {"detail": _("Please send a valid API token (Authorization: Bearer daks_…).")}, status=401
    )


@api.exception_handler(EditConflict)
def edit_conflict(request, error):
    return api.create_response(request, {"detail": str(error.message)}, status=409)


@api.exception_handler(DomainError)
def domain_error(request, error):
    body = {"detail": str(error.message)}
    if error.field:
        body["field"] = error.field
    status = getattr(error, "status", 400)
    return api.create_response(request, body, status=status if status in (400, 404, 409, 410, 429) else 400)


@api.exception_handler(PermissionDenied)
def permission_denied(request, error):
    return api.create_response(request, {"detail": _("You are not allowed to do this.")}, status=403)


api.add_router("", regions_router)
api.add_router("", content_router)
api.add_router("", me_router)
api.add_router("/municipalities/{slug}", workspace_router)
