"""The test personas' authenticator app: a known secret and its current code (RFC 6238)."""

import time

from accounts.totp import totp_code as _totp_code

# The secret the staff personas' authenticator apps hold (base32, as allauth stores it).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PERIOD = 30
# allauth accepts a code only within its own 30 s. A code read with less than this left
# can be checked after it expired on a loaded machine: wait for the next one, as a person
# would.
TIME_TO_TYPE = 5


def totp_code(secret: str = TEST_TOTP_SECRET, at: float | None = None) -> str:
    if at is None:
        left = PERIOD - time.time() % PERIOD
        if left < TIME_TO_TYPE:
            time.sleep(left)
    return _totp_code(secret, at)
