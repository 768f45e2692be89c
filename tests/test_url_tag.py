"""Every template's {% url %} is clinic.templatetags.cached_url's: the same URLs as
Django's tag, each worked out once a process, under the URL patterns and prefix in force."""

import pytest
from django.template import Context, Engine, engines
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix

from clinic.templatetags.cached_url import CachedURLNode

CASES = [
    "{% url 'home' %}",
    "{% url 'intake:intake_review' 12 %}",
    "{% url 'intake:intake_review' pk=12 %}",
    "{% url 'intake:intake_review' '12' %}",
    "{% url 'admin:intake_client_change' 7 %}",
    "{% url 'admin:intake_client_change' object_id=7 %}",
    "{% url name number %}",
    "{% url 'intake:intake_step' 3 'about' %}",
    "{% url 'nowhere' as link %}[{{ link }}]",
    "{% url 'intake:intake_review' 5 as link %}[{{ link }}]",
]


def ours(text: str, **values) -> str:
    return engines["django"].from_string(text).render(values)


def djangos(text: str, **values) -> str:
    return Engine(libraries={}).from_string(text).render(Context(values))


def test_templates_use_the_cached_tag():
    template = engines["django"].from_string("{% url 'home' %}").template
    assert isinstance(template.nodelist[0], CachedURLNode)


@pytest.mark.parametrize("text", CASES)
def test_it_writes_what_djangos_tag_writes(text):
    values = {"name": "intake:intake_review", "number": 41}
    assert ours(text, **values) == djangos(text, **values)
    assert ours(text, **values) == ours(text, **values)  # and again, from what it kept


def test_a_true_is_not_taken_for_a_one():
    text = "{% url 'intake:intake_step' 1 step %}"
    assert ours(text, step=1).endswith("/1/1/")
    assert ours(text, step=True).endswith("/1/True/") and djangos(text, step=True) == ours(
        text, step=True
    )


def test_an_unknown_name_is_an_error_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            ours("{% url 'nowhere' %}")


def test_the_script_prefix_in_force_is_used():
    plain = ours("{% url 'intake:intake_review' 3 %}")
    set_script_prefix("/clinic/")
    try:
        assert ours("{% url 'intake:intake_review' 3 %}") == "/clinic" + plain
    finally:
        clear_script_prefix()
    assert ours("{% url 'intake:intake_review' 3 %}") == plain


@override_settings(ROOT_URLCONF="tests.url_tag_urls")
def test_other_url_patterns_give_their_own_urls():
    assert ours("{% url 'intake:intake_review' 3 %}") == "/elsewhere/3/"


def test_the_admins_namespace_follows_the_request(rf: RequestFactory, db):
    request = rf.get("/")
    request.current_app = "admin"
    text = "{% url 'admin:index' %}"
    assert engines["django"].from_string(text).render({}, request) == "/admin/"
