# Temporary: replaced by the full views module.
from django.http import HttpResponse


def profile(request):
    return HttpResponse("")


account_delete = profile
