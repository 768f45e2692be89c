"""Middleware of the project.

- Database trouble answers "try again shortly" (503) instead of a server error (500).
- Request bodies larger than the app ever reads are refused (413).
- Responses to signed-in people are never stored by a browser or a proxy.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control

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


class RequestBodyLimitMiddleware:
    """Refuse (413) a request whose body is larger than the app will ever read.

    Caddy refuses large bodies first (Caddyfile); this keeps the limit when the
    app is reached some other way. The limit is read from the Content-Length
    header, so nothing of the body is read: a signed-in person may send up to
    `REQUEST_BODY_MAX_BYTES` (an upload), anyone else `ANONYMOUS_REQUEST_BODY_MAX_BYTES`.
    A body sent without a length (chunked) is cut by Django's own limits when read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad request.", status=400, content_type="text/plain")
        if length > self.limit_for(request):
            logger.warning(
                "Request body too large: %s %s (%d bytes)", request.method, request.path, length
            )
            response = HttpResponse(
                "The request is too large.", status=413, content_type="text/plain"
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)

    @staticmethod
    def limit_for(request: HttpRequest) -> int:
        if request.user.is_authenticated:
            return settings.REQUEST_BODY_MAX_BYTES
        return settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES


class NoStoreWhenSignedInMiddleware:
    """`Cache-Control: no-store` (and private) on every response to a signed-in person.

    Pages, redirects, refusals, downloads: anything answered to someone signed
    in may carry their or a client's data, so no browser or proxy keeps a copy.
    Responses that said more already (`no-store` with `must-revalidate`, say)
    keep what they said, with `no-store` and `private` added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
