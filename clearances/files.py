"""Checking an uploaded clearance letter: a PDF, JPEG or PNG, told by its content.

The name a phone or a browser gives a file says nothing reliable, so the type
comes from the file's first bytes, and the file is then opened as that type
(Pillow verifies an image, pypdf reads a PDF's pages). A name that claims
another type than the content (a PNG called ``letter.pdf``) is refused too:
something is wrong with such a file, and the clinic would mislabel it.

    >>> from django.core.files.uploadedfile import SimpleUploadedFile
    >>> check_letter(SimpleUploadedFile("x.pdf", b"MZ\\x90\\x00"))
    Traceback (most recent call last):
    ...
    django.core.exceptions.ValidationError: ['Send the letter as a PDF, or as a JPEG or PNG photo.']
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
# A photo of a letter is a few megapixels; far more is a decompression bomb, not a letter.
MAX_PIXELS = 50_000_000
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SIGNATURES = [(b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG)]
EXTENSION = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
NAMES = {PDF: "a PDF", JPEG: "a JPEG photo", PNG: "a PNG image"}
# The names each type may carry; a name without an extension is fine (phones send some).
EXTENSIONS = {PDF: {".pdf"}, JPEG: {".jpg", ".jpeg", ".jpe", ".jfif"}, PNG: {".png"}}
WRONG_TYPE = "Send the letter as a PDF, or as a JPEG or PNG photo."
UNREADABLE = "This file could not be opened as {kind}. Take the photo again, or send the PDF."


@dataclass(frozen=True, slots=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_letter(upload) -> CheckedFile:
    """The type, size and digest of an uploaded letter, or ValidationError saying why not."""
    size = upload.size
    if size == 0:
        raise ValidationError("The file is empty.")
    if size > MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. "
            "Take the photo again at a lower size, or send a PDF."
        )
    upload.seek(0)
    head = upload.read(8)
    content_type = next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)
    if content_type is None:
        raise ValidationError(WRONG_TYPE)
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix and suffix not in EXTENSIONS[content_type]:
        raise ValidationError(
            f"The file is called “…{suffix}” but it is {NAMES[content_type]}. {WRONG_TYPE}"
        )
    upload.seek(0)
    if content_type == PDF:
        _check_pdf(upload)
    else:
        _check_image(upload, content_type)
    return CheckedFile(content_type, EXTENSION[content_type], size, _sha256(upload))


def _check_image(upload, content_type: str) -> None:
    from PIL import Image

    try:
        with Image.open(upload) as image:
            if Image.MIME.get(image.format) != content_type:
                raise ValueError(image.format)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValueError("too many pixels")
            image.verify()
    except Exception:  # Pillow raises many kinds for a broken or hostile file
        raise ValidationError(UNREADABLE.format(kind=NAMES[content_type])) from None
    finally:
        upload.seek(0)


def _check_pdf(upload) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(upload)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                "This PDF is protected by a password. Send it without the password, or a photo."
            )
        if len(reader.pages) < 1:
            raise ValueError("no pages")
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds for a broken file
        raise ValidationError(UNREADABLE.format(kind=NAMES[PDF])) from None
    finally:
        upload.seek(0)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
