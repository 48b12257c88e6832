"""Checking and cleaning files people upload (images and PDFs).

Every upload is allow-listed twice: by its file name's extension and by its content's
magic bytes. Images are decoded only after their header says they are a reasonable
size (no decompression bombs), then re-encoded from the pixels, which drops EXIF
(GPS positions, camera serial numbers) after applying its orientation. PDFs are
refused when they carry JavaScript or embedded files. The result is a Django
``ContentFile`` whose ``name`` is random (``<folder>/<32 hex digits>.<ext>``), ready
for ``FieldFile.save(content.name, content)`` or to assign to a ``FileField``.

Settings (all optional): ``UPLOAD_IMAGE_MAX_BYTES`` (5 MB), ``UPLOAD_PDF_MAX_BYTES``
(10 MB), ``UPLOAD_IMAGE_MAX_PIXELS`` (40 megapixels), ``UPLOAD_IMAGE_MAX_DIMENSION``
(2000 px; larger images are scaled down, 0 disables).
"""

import io
import posixpath
import re
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_EXTENSIONS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp"}
PDF_EXTENSIONS = {"pdf"}
# Pillow format name -> the extension stored files get.
CANONICAL_EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

DEFAULT_IMAGE_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_PDF_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_IMAGE_MAX_PIXELS = 40_000_000
DEFAULT_IMAGE_MAX_DIMENSION = 2000

# PDF name tokens that run code or carry other files. Names may be written with
# #xx hex escapes (/J#61vaScript), so the raw bytes are unescaped before searching.
_PDF_FORBIDDEN = re.compile(rb"/(JavaScript|JS|EmbeddedFiles?|Launch|RichMedia)(?![A-Za-z0-9])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _setting(name, default):
    return getattr(settings, name, default)


def sniff_image_format(head):
    """The image format named by the first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def random_name(folder, extension):
    """A random, unguessable storage name under ``folder``."""
    return posixpath.join(folder.strip("/"), f"{secrets.token_hex(16)}.{extension}")


def _extension(name):
    name = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_all(upload, max_bytes):
    """The upload's bytes, refusing early (from its declared size) when too large."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_big(max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_big(max_bytes)
    return data


def _too_big(max_bytes):
    return ValidationError(
        _("The file is too large: at most %(size)s.") % {"size": filesizeformat(max_bytes)},
        code="file_too_large",
    )


def validate_image(upload, *, folder="images", max_dimension=None):
    """Check an uploaded image and return a clean re-encoded copy with a random name.

    Accepts JPEG, PNG and WebP. Raises ``ValidationError`` with a message for the
    person uploading. ``max_dimension`` overrides the setting (0: keep the size).
    """
    extension = _extension(getattr(upload, "name", ""))
    if extension not in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("Upload an image in JPEG, PNG or WebP format."), code="invalid_extension"
        )
    data = _read_all(upload, _setting("UPLOAD_IMAGE_MAX_BYTES", DEFAULT_IMAGE_MAX_BYTES))
    if sniff_image_format(data[:16]) is None:
        raise ValidationError(
            _("The file is not a JPEG, PNG or WebP image."), code="invalid_content"
        )

    max_pixels = _setting("UPLOAD_IMAGE_MAX_PIXELS", DEFAULT_IMAGE_MAX_PIXELS)
    too_large = ValidationError(
        _("The image is too large: at most %(megapixels)s megapixels.")
        % {"megapixels": max_pixels // 1_000_000},
        code="image_too_large",
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns (DecompressionBombWarning) between its limit and twice it;
            # treat the warning as the error it announces.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Image.open reads only the header: the size is known before decoding.
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in CANONICAL_EXTENSION:
                    raise ValidationError(
                        _("The file is not a JPEG, PNG or WebP image."),
                        code="invalid_content",
                    )
                width, height = image.size
                if width <= 0 or height <= 0 or width * height > max_pixels:
                    raise too_large
                source_format = image.format
                image.load()
                clean = _clean_pixels(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image could not be read; it may be damaged."), code="invalid_content"
        ) from error

    if max_dimension is None:
        max_dimension = _setting("UPLOAD_IMAGE_MAX_DIMENSION", DEFAULT_IMAGE_MAX_DIMENSION)
    if max_dimension and max(clean.size) > max_dimension:
        clean.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)

    output = io.BytesIO()
    if source_format == "JPEG":
        clean.convert("RGB").save(output, "JPEG", quality=88, optimize=True)
    elif source_format == "WEBP":
        clean.save(output, "WEBP", quality=88)
    else:
        clean.save(output, "PNG", optimize=True)
    return ContentFile(
        output.getvalue(), name=random_name(folder, CANONICAL_EXTENSION[source_format])
    )


def _clean_pixels(image):
    """A new image holding only the (upright) pixels: no EXIF, ICC or text chunks."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = upright.mode in ("P", "PA") and "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha or upright.mode in ("PA", "RGBa") else "RGB")
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    return clean


def validate_pdf(upload, *, folder="documents"):
    """Check an uploaded PDF and return it as a ``ContentFile`` with a random name."""
    if _extension(getattr(upload, "name", "")) not in PDF_EXTENSIONS:
        raise ValidationError(_("Upload a PDF document."), code="invalid_extension")
    data = _read_all(upload, _setting("UPLOAD_PDF_MAX_BYTES", DEFAULT_PDF_MAX_BYTES))
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("The file is not a PDF document."), code="invalid_content")
    unescaped = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    if _PDF_FORBIDDEN.search(unescaped):
        raise ValidationError(
            _("PDF documents with scripts or embedded files are not accepted."),
            code="unsafe_pdf",
        )
    return ContentFile(data, name=random_name(folder, "pdf"))
