"""What an uploaded meeting document is, decided from its bytes, and the name it is kept
under. Pure: the service calls these before anything is stored.

The type is read from the content (filetype's magic numbers), never from the name or the
content type the browser sent: an .exe renamed to .pdf stays an .exe. filetype recognises
the office formats from the first entry of their zip archive only, so those are opened as
zip archives as well and must hold the part that makes them what they claim to be.
"""

import io
import unicodedata
import zipfile

import filetype

from verband_common.errors import ValidationFailed
from verband_common.schemas.meetings import DOCUMENT_NAME_MAX, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES

# filetype's extension -> the archive member that an office file of that kind must hold.
_ZIP_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
    "ods": "content.xml",
}
# An office file is small once unpacked; a zip bomb is not (bounded before anything is read).
_MAX_UNPACKED = 20 * MAX_DOCUMENT_BYTES
_REFUSED_TYPE = (
    "Dit soort bestand wordt niet aanvaard: enkel PDF, Word, Excel, PowerPoint,"
    " OpenDocument-tekst of -rekenblad, PNG of JPEG."
)


def refused(message: str) -> ValidationFailed:
    return ValidationFailed("Het stuk is niet opgeslagen.", {"file": [message]})


def sniff(content: bytes) -> tuple[str, str]:
    """(extension, content type) of an accepted document, read from its bytes; anything
    else is refused (422 on "file")."""
    if not content:
        raise refused("Het bestand is leeg.")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise refused(f"Hoogstens {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB per stuk.")
    kind = filetype.guess(content)
    if kind is None or kind.extension not in DOCUMENT_TYPES:
        raise refused(_REFUSED_TYPE)
    part = _ZIP_PART.get(kind.extension)
    if part is not None and not _office_archive(content, part):
        raise refused("Dit bestand is beschadigd of geen echt kantoordocument.")
    return kind.extension, DOCUMENT_TYPES[kind.extension]


def _office_archive(content: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > _MAX_UNPACKED:
                return False
            names = {i.filename for i in infos}
            return part in names and archive.testzip() is None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False


def clean_name(raw, extension: str) -> str:
    """The name a document is kept and offered under: the last part of what was sent (no
    folders), no control or format characters, no leading dots, at most DOCUMENT_NAME_MAX
    characters, and ending in the extension its content has."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c for c in text if unicodedata.category(c)[0] not in "CZ" or c == " ")
    text = " ".join(text.split()).strip(" .")
    stem, dot, ext = text.rpartition(".")
    if dot and (ext.lower() in DOCUMENT_TYPES or ext.lower() == "jpeg"):
        # The content decides the extension, also when the name claimed another type.
        text = stem.rstrip(" .")
    text = text or "stuk"
    suffix = f".{extension}"
    return text[: DOCUMENT_NAME_MAX - len(suffix)].rstrip(" .") + suffix
