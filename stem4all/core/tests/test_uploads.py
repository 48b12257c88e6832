import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from stem4all.core.uploads import validate_image, validate_pdf


def image_bytes(fmt="PNG", size=(40, 30), colour=(200, 30, 90), **save):
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, fmt, **save)
    return output.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def png_header_claiming(width, height):
    """A tiny PNG whose header claims a huge size (a decompression bomb's header)."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt, name", [("PNG", "a.png"), ("JPEG", "a.JPG"), ("WEBP", "a.webp")])
def test_a_valid_image_is_re_encoded_under_a_random_name(fmt, name):
    clean = validate_image(upload(name, image_bytes(fmt)), folder="logos")

    assert re.fullmatch(r"logos/[0-9a-f]{32}\.(png|jpg|webp)", clean.name)
    with Image.open(io.BytesIO(clean.read())) as image:
        assert image.format == fmt
        assert image.size == (40, 30)


def test_two_uploads_of_the_same_image_get_different_names():
    data = image_bytes()
    assert validate_image(upload("a.png", data)).name != validate_image(upload("a.png", data)).name


def test_an_image_with_a_wrong_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image(upload("logo.svg", image_bytes()))
    assert error.value.code == "invalid_extension"


def test_a_file_named_like_an_image_but_holding_something_else_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image(upload("logo.png", b"<html><script>alert(1)</script></html>"))
    assert error.value.code == "invalid_content"


def test_a_pdf_renamed_to_png_is_refused():
    with pytest.raises(ValidationError):
        validate_image(upload("logo.png", b"%PDF-1.4\n..."))


def test_a_truncated_image_is_refused_with_a_message_not_a_crash():
    with pytest.raises(ValidationError) as error:
        validate_image(upload("a.png", image_bytes()[:40]))
    assert "damaged" in error.value.messages[0]


def test_an_image_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_image(upload("a.png", image_bytes(size=(200, 200))))
    assert error.value.code == "file_too_large"


def test_a_decompression_bomb_is_refused_from_its_header_alone():
    bomb = png_header_claiming(100_000, 100_000)
    assert len(bomb) < 200

    with pytest.raises(ValidationError) as error:
        validate_image(upload("bomb.png", bomb))
    assert error.value.code == "image_too_large"


def test_an_image_just_over_the_pixel_limit_is_refused_before_decoding(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as error:
        validate_image(upload("big.png", png_header_claiming(1001, 1000)))
    assert error.value.code == "image_too_large"


def test_gps_exif_is_removed_from_a_jpeg():
    exif = Image.Exif()
    exif[0x010F] = "Synthetic Camera Co"  # Make
    exif[0x8825] = {1: "N", 2: (42.0, 52.0, 0.0), 3: "E", 4: (74.0, 35.0, 0.0)}  # GPS IFD
    data = image_bytes("JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)

    clean = validate_image(upload("photo.jpg", data))

    raw = clean.read()
    with Image.open(io.BytesIO(raw)) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Synthetic Camera Co" not in raw


def test_exif_orientation_is_applied_before_it_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    data = image_bytes("JPEG", size=(40, 20), exif=exif.tobytes())

    clean = validate_image(upload("photo.jpg", data))

    with Image.open(clean) as image:
        assert image.size == (20, 40)


def test_a_large_image_is_scaled_down_to_the_maximum_dimension(settings):
    settings.UPLOAD_IMAGE_MAX_DIMENSION = 100
    clean = validate_image(upload("a.png", image_bytes(size=(400, 200))))
    with Image.open(clean) as image:
        assert image.size == (100, 50)


def test_a_palette_png_with_transparency_keeps_working():
    output = io.BytesIO()
    Image.new("P", (10, 10), 0).save(output, "PNG", transparency=0)
    clean = validate_image(upload("a.png", output.getvalue()))
    with Image.open(clean) as image:
        assert image.mode == "RGBA"


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def test_a_plain_pdf_is_accepted_under_a_random_name():
    clean = validate_pdf(upload("Report.PDF", PDF), folder="reports")
    assert re.fullmatch(r"reports/[0-9a-f]{32}\.pdf", clean.name)
    assert clean.read() == PDF


def test_a_pdf_with_a_wrong_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_pdf(upload("report.exe", PDF))
    assert error.value.code == "invalid_extension"


def test_a_file_named_pdf_without_a_pdf_header_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_pdf(upload("report.pdf", b"MZ\x90\x00 not a pdf"))
    assert error.value.code == "invalid_content"


def test_a_pdf_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_PDF_MAX_BYTES = 50
    with pytest.raises(ValidationError) as error:
        validate_pdf(upload("report.pdf", PDF))
    assert error.value.code == "file_too_large"


@pytest.mark.parametrize(
    "token",
    [b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", b"/EmbeddedFiles", b"/J#61vaScript"],
)
def test_a_pdf_with_scripts_or_embedded_files_is_refused(token):
    with pytest.raises(ValidationError) as error:
        validate_pdf(upload("report.pdf", PDF.replace(b"/Pages", token + b" /Pages")))
    assert error.value.code == "unsafe_pdf"


def test_a_pdf_mentioning_jsx_in_a_name_is_not_a_false_alarm():
    validate_pdf(upload("report.pdf", PDF.replace(b"/Pages", b"/JSXName /Pages")))
