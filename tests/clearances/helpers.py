"""Sample letters, made here: a real PDF, JPEG and PNG, and files that only pretend."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_client, make_submitted


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (250, 250, 245)).save(buffer, format=kind)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def a_pdf(name: str = "letter.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")


def a_jpeg(name: str = "image.jpg"):
    return upload(name, image_bytes("JPEG"), "image/jpeg")


def a_png(name: str = "scan.png"):
    return upload(name, image_bytes("PNG"), "image/png")


def red_flag_intake(user, therapist=None, **fields):
    """A sent intake with a red flag ("refer"), without precautions that need a reason."""
    client = make_client(user, legal_name="Alice Archer", assigned_therapist=therapist)
    fields.setdefault("red_flags", ["fever_unwell"])
    fields.setdefault("precautions", [])
    return make_submitted(client, **fields)
