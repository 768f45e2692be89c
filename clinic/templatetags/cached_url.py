"""Django's `{% url %}` tag, with each URL worked out once a process (a template builtin,
so every template's `{% url %}` is this one).

reverse() takes some 80 function calls (13 µs) a URL, and a page writes 15 to 40 of them;
the answer for the same name and arguments never changes while the URL patterns and the
script prefix stay the same, and both are part of what the answer is kept under. Only
names and arguments that are strings and integers are kept; anything else is
reversed every time, exactly as Django's tag does.
"""

from functools import lru_cache

from django.conf import settings
from django.template import Library
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

register = Library()


def cached_reverse(view_name, args, kwargs, current_app) -> str:
    values = [view_name, current_app, *args, *kwargs.values()]
    if not all(value is None or _plain(value) for value in values):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    where = (urlconf, get_script_prefix(), translation.get_language())
    return _reverse(view_name, tuple(args), tuple(sorted(kwargs.items())), current_app, where)


def _plain(value) -> bool:
    """A string (a template's literals are SafeStrings) or an integer, not a true or false,
    which would be kept as equal to 1 or 0."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


@lru_cache(maxsize=4096)
def _reverse(view_name, args, kwargs, current_app, where) -> str:
    # `where` only keys the cache: reverse() reads the URL patterns and prefix itself.
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


class CachedURLNode(URLNode):
    """URLNode.render, with cached_reverse in place of reverse."""

    def render(self, context):
        from django.urls import NoReverseMatch
        from django.utils.html import conditional_escape

        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
