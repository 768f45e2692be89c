"""Database trouble answers "try again shortly" (503) instead of a server error (500)."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_TROUBLE = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """Turn an outage, a lost connection or a lock or statement timeout into a 503 page.

    It sits just after the authentication middleware and reads the signed-in
    user itself: in an outage that is the first query of a request, and an
    error raised in a later middleware would already have become a 500. Errors
    raised by the view come through `process_exception`.

    The page is rendered without the request, so it needs no database, and it
    says nothing about the error. The log line names the request by method and
    path (paths hold numeric ids only) and the error by its class and SQLSTATE,
    never by its message, which may quote a row's values.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.user.is_authenticated  # noqa: B018 (loads the session and the user)
        except DATABASE_TROUBLE as error:
            return self.unavailable(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_TROUBLE):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request: HttpRequest, error: Exception) -> HttpResponse:
        logger.warning(
            "Database unavailable: %s %s answered 503 (%s, sqlstate %s)",
            request.method,
            request.path,
            type(error).__name__,
            getattr(error.__cause__, "sqlstate", None) or "-",
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
