"""The authentication backends: Django's and allauth's, reading the signed-in account by one
plain statement (clinic.rows).

Every request of a signed-in person reads their account (`get_user`). Django's backend
builds and compiles that query through the ORM each time, at about three times the cost of
the rest of the read. Who may sign in, and the session's check against the password, are
Django's and allauth's own: only the read of the row changes. Sessions opened under the
backends' earlier paths (Django's and allauth's) were moved to these by
accounts/migrations/0004_sessions_under_the_project_backends.py.
"""

from allauth.account import auth_backends as allauth
from django.contrib.auth import backends as django
from django.contrib.auth import get_user_model

from clinic.rows import row_by_pk


class ReadsAccountByPlainStatement:
    def get_user(self, user_id):
        user = row_by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(ReadsAccountByPlainStatement, django.ModelBackend):
    pass


class AuthenticationBackend(ReadsAccountByPlainStatement, allauth.AuthenticationBackend):
    pass
