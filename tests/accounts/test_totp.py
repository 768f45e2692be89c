from accounts.totp import totp_code


def test_rfc_6238_sha1_vectors():
    # RFC 6238, appendix B: the ASCII secret "12345678901234567890", 8 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59, digits=8) == "94287082"
    assert totp_code(secret, at=1111111109, digits=8) == "07081804"
    assert totp_code(secret, at=2000000000, digits=8) == "69279037"
