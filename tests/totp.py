"""The test personas' authenticator app: a known secret and its current code (RFC 6238)."""

from accounts.totp import totp_code as _totp_code

# The secret the staff personas' authenticator apps hold (base32, as allauth stores it).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TEST_TOTP_SECRET, at: float | None = None) -> str:
    return _totp_code(secret, at)
