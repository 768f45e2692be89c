from accounts.totp import totp_code


def test_rfc_6238_sha1_vectors():
    # RFC 6238, appendix B: the ASCII secret "12345678901234567890", 8 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59, digits=8) == "94287082"
    assert totp_code(secret, at=1111111109, digits=8) == "07081804"
    assert totp_code(secret, at=2000000000, digits=8) == "69279037"


def test_the_tests_code_has_time_left_to_be_typed(monkeypatch):
    """allauth accepts a code only in its own 30 s: one read with a second left was checked
    after it expired on a loaded machine (a browser sign-in stayed on the code page). The
    tests' app waits for a fresh code then, as a person would."""
    import time

    from tests.totp import TEST_TOTP_SECRET
    from tests.totp import totp_code as tests_code

    clock = [30 * 1000 + 29.0]  # one second left of the window
    monkeypatch.setattr(time, "time", lambda: clock[0])
    monkeypatch.setattr(time, "sleep", lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    code = tests_code()
    assert clock[0] >= 30 * 1001  # waited for the next window
    assert code == totp_code(TEST_TOTP_SECRET, at=30 * 1001)
    clock[0] = 30 * 1002 + 10.0  # twenty seconds left: no wait
    assert tests_code() == totp_code(TEST_TOTP_SECRET, at=30 * 1002) and clock[0] == 30 * 1002 + 10
