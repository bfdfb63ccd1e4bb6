from django.conf import settings


def site(request):
    return {"DAKS_BASE_URL": settings.DAKS_BASE_URL}
