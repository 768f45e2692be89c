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
        connection = connections[router.db_for_read(self.model)]
        quote = connection.ops.quote_name
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('session_data')} FROM {quote(self.model._meta.db_table)}"
                f" WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model.from_db(
            connection.alias, ["session_key", "session_data"], [self.session_key, row[0]]
        )
