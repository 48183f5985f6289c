"""An uploaded document's type is read from its bytes, never from its name; its name is
cleaned of folders, control characters and excess length, and ends in the real type."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from meetings.domain import files
from verband_common.errors import ValidationFailed
from verband_common.schemas.meetings import DOCUMENT_NAME_MAX, MAX_DOCUMENT_BYTES

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def zipped(*entries: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    return zipped(
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document/>"),
    )


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        # The OpenDocument way: an uncompressed "mimetype" first.
        z.writestr(
            zipfile.ZipInfo("mimetype"),
            b"application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "extension", "content_type"),
    [
        (PDF, "pdf", "application/pdf"),
        (PNG, "png", "image/png"),
        (JPEG, "jpg", "image/jpeg"),
        (
            docx(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (xlsx(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (odt(), "odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_types_are_read_from_the_bytes(content, extension, content_type):
    assert files.sniff(content) == (extension, content_type)


def refusal(content) -> str:
    with pytest.raises(ValidationFailed) as refused:
        files.sniff(content)
    assert set(refused.value.fields) == {"file"}
    return refused.value.fields["file"][0]


def test_a_program_is_refused_whatever_it_is_called():
    assert "niet aanvaard" in refusal(EXE)


def test_plain_text_an_empty_file_and_a_bare_zip_are_refused():
    assert "niet aanvaard" in refusal(b"just some text, not a document")
    assert "leeg" in refusal(b"")
    assert "niet aanvaard" in refusal(zipped(("notes.txt", b"hello")))


def test_an_office_header_without_the_office_part_is_refused():
    # What filetype takes for a Word file from its first entries, but holds no document.
    fake = zipped(("word/evil.exe", EXE), ("[Content_Types].xml", b"<Types/>"))
    assert "kantoordocument" in refusal(fake)
    # A Word file cut short: its entries are there, the archive's directory is not.
    assert "kantoordocument" in refusal(docx()[:-60])


def test_a_file_over_the_limit_is_refused():
    assert "MiB" in refusal(PDF + b"0" * MAX_DOCUMENT_BYTES)


@pytest.mark.parametrize(
    ("raw", "extension", "expected"),
    [
        ("verslag.pdf", "pdf", "verslag.pdf"),
        ("C:\\Users\\an\\Documents\\begroting 2027.xlsx", "xlsx", "begroting 2027.xlsx"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("nota\x00\x1b[31m\u202e.pdf", "pdf", "nota[31m.pdf"),
        ("virus.exe.pdf", "png", "virus.exe.png"),
        ("foto.JPEG", "jpg", "foto.jpg"),
        ("...", "pdf", "stuk.pdf"),
        ("", "pdf", "stuk.pdf"),
        ("Nota’s van de beleidsgroep.docx", "docx", "Nota’s van de beleidsgroep.docx"),
    ],
)
def test_names_are_cleaned_and_end_in_the_real_type(raw, extension, expected):
    assert files.clean_name(raw, extension) == expected


def test_a_long_name_is_cut_but_keeps_its_extension():
    name = files.clean_name("a" * 1000 + ".pdf", "pdf")
    assert len(name) == DOCUMENT_NAME_MAX
    assert name.endswith("a.pdf")
