"""A mail server that is away for a while: the first sends fail as an SMTP outage would."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.locmem import EmailBackend


class OutageBackend(EmailBackend):
    failures_left = 0  # set by the test; each failed send counts one down
    tries = 0

    def send_messages(self, messages):
        OutageBackend.tries += 1
        if OutageBackend.failures_left:
            OutageBackend.failures_left -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
