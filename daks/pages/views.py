# Temporary: replaced by the full views module.
from django.http import HttpResponse


def page(request, slug):
    return HttpResponse("")
