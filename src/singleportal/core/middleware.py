from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class KhmerFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Khmer unless the visitor chose English (the switcher's cookie, or their
    profile at sign-in); a browser's Accept-Language alone does not switch them, since many
    phones in Cambodia are set to English. API clients still choose by Accept-Language."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
