"""Public pages that visitors may cache and that set no cookie (data protection: no consent banner needed)."""

from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers


def public_page(max_age: int = 300):
    """Mark a view's page as public: for anonymous visitors the page renders without a CSRF token (so no cookie
    is set) and is cacheable for ``max_age`` seconds; signed-in users get a private, uncached page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            anonymous = not request.user.is_authenticated
            request.cookie_free = anonymous
            response = view(request, *args, **kwargs)
            if anonymous and response.status_code == 200:
                patch_cache_control(response, public=True, max_age=max_age)
            else:
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
            return response

        return wrapper

    return decorator
