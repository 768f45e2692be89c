"""Log filters: no query string reaches a log line.

Paths hold numeric ids only, but a query string may still carry a token or a
searched name (?q=...), so every line written through Django's logging has any
URL's query string replaced. Gunicorn's access log leaves it out by its format
(gunicorn.conf.py).
"""

import logging
import re

QUERY_STRING = re.compile(r"(?P<path>/[^\s?\"'#]*)\?[^\s\"'#]+")
REMOVED = r"\g<path>?[query removed]"


def without_query_strings(text: str) -> str:
    return QUERY_STRING.sub(REMOVED, text)


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = without_query_strings(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
