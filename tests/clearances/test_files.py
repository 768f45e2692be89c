"""Uploaded letters are told by their content, not their name, and kept within 10 MB."""

import pytest
from django.core.exceptions import ValidationError

from clearances.files import MAX_BYTES, check_letter
from tests.clearances.helpers import a_jpeg, a_pdf, a_png, image_bytes, pdf_bytes, upload


@pytest.mark.parametrize(
    ("made", "content_type", "extension"),
    [
        (a_pdf, "application/pdf", ".pdf"),
        (a_jpeg, "image/jpeg", ".jpg"),
        (a_png, "image/png", ".png"),
        # Phones may send a photo without an extension, or in capitals.
        (lambda: upload("image", image_bytes("JPEG")), "image/jpeg", ".jpg"),
        (lambda: upload("LETTER.JPEG", image_bytes("JPEG")), "image/jpeg", ".jpg"),
    ],
)
def test_a_pdf_jpeg_or_png_is_taken(made, content_type, extension):
    checked = check_letter(made())
    assert (checked.content_type, checked.extension) == (content_type, extension)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    "made",
    [
        # A program renamed .pdf.
        lambda: upload("letter.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        # A PNG called .pdf: the name claims what the content is not.
        lambda: upload("letter.pdf", image_bytes("PNG"), "application/pdf"),
        lambda: upload("photo.jpg", image_bytes("PNG"), "image/jpeg"),
        lambda: upload("letter.png", pdf_bytes()),
        # The right first bytes, then nothing a reader can open.
        lambda: upload("letter.pdf", b"%PDF-1.7\n" + b"junk" * 100),
        lambda: upload("photo.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 100),
        lambda: upload("photo.jpg", b"\xff\xd8\xff\xe0" + b"junk" * 100),
        # Other types, whatever they are called.
        lambda: upload("letter.gif", b"GIF89a" + b"\x00" * 100),
        lambda: upload("letter.html", b"<html><script>alert(1)</script></html>"),
        lambda: upload("letter.pdf", b""),
    ],
)
def test_anything_else_is_refused(made):
    with pytest.raises(ValidationError):
        check_letter(made())


def test_more_than_10_mb_is_refused_before_it_is_read():
    too_big = upload("letter.pdf", b"%PDF-" + b"0" * (MAX_BYTES - 4))
    assert too_big.size == MAX_BYTES + 1
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        check_letter(too_big)


def test_a_file_of_exactly_10_mb_passes_the_size_check():
    content = pdf_bytes()
    padded = upload("letter.pdf", content + b"\n%" + b"0" * (MAX_BYTES - len(content) - 2))
    assert padded.size == MAX_BYTES
    assert check_letter(padded).size == MAX_BYTES
