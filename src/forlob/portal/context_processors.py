from django.conf import settings

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    menu = menu_for(user) if user is not None and user.is_authenticated else []
    return {
        "menu": menu,
        "current_path": request.path,
        "demo_mode": settings.DEBUG and not settings.FORLOB_REQUIRE_2FA,
    }
