"""Django's database sessions, with each request's session row read by a plain statement.

Every request with a session cookie reads its row. Django builds that query through the
ORM, at several times what PostgreSQL takes to answer it; this reads the same row under
the same rule (the key, not yet expired). Writing, ending and clearing are Django's own.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        alias = router.db_for_read(self.model)
        table = connections[alias].ops.quote_name(self.model._meta.db_table)
        rows = self.model.objects.using(alias).raw(
            f"SELECT * FROM {table} WHERE session_key = %s AND expire_date > %s",
            [self.session_key, timezone.now()],
        )
        session = next(iter(rows), None)
        if session is None:
            self._session_key = None
        return session
