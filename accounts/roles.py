"""The three roles, in one place.

A role is a group (Clients, Therapists, Admins), each carrying its role's
permission; views check roles with `@role_required(Role.THERAPIST)` and never
compare names themselves. Admins also get every permission of the project's
models so they can work in the Django admin. A person's groups are read once
per request.
"""

from functools import cache, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    CLIENT = "client", "Client"
    THERAPIST = "therapist", "Therapist"
    ADMIN = "admin", "Admin"


ROLE_PERMISSION = {
    Role.CLIENT: "accounts.fill_intake",
    Role.THERAPIST: "accounts.review_intakes",
    Role.ADMIN: "accounts.manage_records",
}
ROLE_GROUP = {Role.CLIENT: "Clients", Role.THERAPIST: "Therapists", Role.ADMIN: "Admins"}
# Admins can also review intakes; the strongest role decides a person's home page.
ROLES_STRONGEST_FIRST = [Role.ADMIN, Role.THERAPIST, Role.CLIENT]
ADMIN_APPS = ["accounts", "intake", "clinic_settings", "auth", "auditlog", "account", "mfa"]


def has_role(user, role: Role) -> bool:
    current = role_of(user)
    if current is Role.ADMIN and role is Role.THERAPIST:
        return True  # admins may review intakes too
    return current is not None and current is role


def role_of(user) -> Role | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    if not hasattr(user, "_role_groups"):
        user._role_groups = _group_names(user)
    return role_of_groups(user._role_groups)


def _group_names(user) -> frozenset[str]:
    """The names of the user's groups, read by one plain statement. Every signed-in request
    reads them, and building this query through the ORM costs several times what the
    database takes to answer it."""
    from django.db import connections

    with connections[user._state.db or "default"].cursor() as cursor:
        cursor.execute(_group_names_sql(cursor.db.alias), [user.pk])
        return frozenset(name for (name,) in cursor.fetchall())


@cache
def _group_names_sql(alias: str) -> str:
    from django.contrib.auth import get_user_model
    from django.db import connections

    quote = connections[alias].ops.quote_name
    link = get_user_model().groups.through._meta
    group = link.get_field("group").related_model._meta
    return (
        f"SELECT g.{quote(group.get_field('name').column)}"
        f" FROM {quote(group.db_table)} g JOIN {quote(link.db_table)} l"
        f" ON l.{quote(link.get_field('group').column)} = g.{quote(group.pk.column)}"
        f" WHERE l.{quote(link.get_field('user').column)} = %s"
    )


def role_group_ids(*roles: Role) -> list[int]:
    """The ids of these roles' groups.

    Filter accounts by these ids, not by the groups' names: given the ids, PostgreSQL's
    statistics tell it that staff are few and it reads them through an index; given only
    the names, it guesses that a third of all accounts match and reads every account.
    """
    from django.contrib.auth.models import Group

    names = [ROLE_GROUP[role] for role in roles]
    return list(Group.objects.filter(name__in=names).values_list("pk", flat=True))


def role_members(*roles: Role):
    """The accounts holding any of these roles (an account in two of them comes twice)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__in=role_group_ids(*roles))


def therapist_accounts() -> models.Q:
    """`limit_choices_to` of a field naming a therapist."""
    return models.Q(groups__in=role_group_ids(Role.THERAPIST))


def role_of_groups(group_names) -> Role | None:
    """The role named by a user's groups, for lists that prefetch the groups."""
    names = set(group_names)
    for role in ROLES_STRONGEST_FIRST:
        if ROLE_GROUP[role] in names:
            return role
    return None


def set_role(user, role: Role) -> None:
    """Give a user exactly one role; only admins reach the Django admin."""
    from django.contrib.auth.models import Group

    user.groups.set([Group.objects.get(name=ROLE_GROUP[role])])
    user.is_staff = role is Role.ADMIN
    user.save(update_fields=["is_staff"])
    for cached in ("_role_groups", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cached, None)


def role_required(role: Role):
    """Signed in (else to the sign-in page) and holding the role (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, role):
                from intake.audit import record_refused

                # The page and the id asked for (a client object's, where the URL names one).
                record_refused(request.user, f"page:{view.__name__}", kwargs.get("pk", 0))
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def sync_role_groups(sender=None, using="default", **kwargs) -> None:
    """Create the role groups and keep their permissions current after every migrate."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # post_migrate fires once per app; permissions exist only after the last one.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not None and sender is not with_models[-1]:
        return
    # This receiver may run before auth's own for the last app: make sure all exist.
    for config in with_models:
        create_permissions(config, verbosity=0, using=using)
    for role, codename in ROLE_PERMISSION.items():
        app_label, perm = codename.split(".")
        group, _ = Group.objects.using(using).get_or_create(name=ROLE_GROUP[role])
        permissions = Permission.objects.using(using).filter(
            content_type__app_label=app_label, codename=perm
        )
        if role is Role.ADMIN:
            permissions = permissions | Permission.objects.using(using).filter(
                content_type__app_label__in=ADMIN_APPS
            ).exclude(codename__in=["fill_intake"])
        group.permissions.set(permissions)


def end_sessions(user) -> int:
    """Sign a person out everywhere (a member of staff lost their last second factor).

    A deactivated account needs none of this: Django refuses an inactive person's
    session on its next request.
    """
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended
