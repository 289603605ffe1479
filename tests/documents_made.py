"""Real documents made for the tests: PDFs with English and Russian pages,
two columns or scans, and a Word file with a table, a footnote and a text box."""

import hashlib
import io
import os
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader, rawBytes
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from indexer.build import update_index
from search import SearchIndex

# A TrueType font with Cyrillic: Debian's fonts-dejavu-core, or matplotlib's copy.
FONT_PLACES = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]
try:
    import matplotlib

    FONT_PLACES.append(Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf")
except ImportError:
    pass
FONT = next((p for p in FONT_PLACES if p.is_file()), None)

ENGLISH_PAGE = [
    "Statement by the Ministry of Foreign Affairs",
    "The Ministry welcomes the sustainable develop-",
    "ment of the region and the ceasefire in the Nagorno-",
    "Karabakh conflict zone. The elections were void.",
]
RUSSIAN_PAGE = [
    "Заявление Министерства иностранных дел",
    "Министерство приветствует прекращение огня в зоне Нагорно-",
    "Карабахского конфликта и не признаёт так называемые выборы",
    "в оккупированных районах. Проведение подобных мероприя-",
    "тий противоречит нормам международного права.",
]


def make_pdf(pages, encrypt=None, columns=None) -> bytes:
    """A PDF with one page per item: a list of lines, "image" (a scan without
    text), "blank", or a function that draws the page on the canvas; tuple
    pages are (left lines, right lines), drawn line by line across both columns."""
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), encrypt=encrypt)
    for page in pages:
        if callable(page):
            page(c)
        elif page == "image":
            picture = Image.new("L", (400, 300), 200)
            c.drawImage(ImageReader(picture), 72, 400, 400, 300)
        elif isinstance(page, tuple):
            c.setFont("DejaVu", 14)
            c.drawString(72, 790, "Two columns: a statement")
            c.setFont("DejaVu", 10)
            y = 760
            for left, right in zip(*page):
                c.drawString(72, y, left)
                c.drawString(320, y, right)
                y -= 14
        elif page != "blank":
            c.setFont("DejaVu", 11)
            for n, line in enumerate(page):
                c.drawString(72, 780 - 16 * n, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def ocr_page(lines):
    """A scanned page as OCR leaves it: an image, and over it invisible text
    (render mode 3), one text object per word, each line justified to the
    longest one's width and its words a little off the baseline, as recognised."""

    def draw(c):
        c.drawImage(ImageReader(Image.new("L", (500, 700), 225)), 60, 80, 480, 700)
        width = max(c.stringWidth(line, "DejaVu", 11) for line in lines)
        for n, line in enumerate(lines):
            words = line.split()
            widths = [c.stringWidth(w, "DejaVu", 11) for w in words]
            last = n == len(lines) - 1 or not words
            gap = 3.2 if last or len(words) < 2 else (width - sum(widths)) / (len(words) - 1)
            x, y = 72, 760 - 15 * n
            for k, (word, w) in enumerate(zip(words, widths)):
                text = c.beginText(x, y + (k * 7 % 3) * 0.4)
                text.setTextRenderMode(3)
                text.setFont("DejaVu", 11)
                text.textOut(word)
                c.drawText(text)
                x += w + gap

    return draw


def spaced_ocr_page(lines, scale=72, word_space=4.0):
    """A scanned page as EPSON Scan's OCR leaves it: over an image, invisible
    text narrowed to `scale` %, each word's letters set apart by its own
    character spacing (lines are lists of (word, spacing in points)) and
    its last letter written apart with none, the words parted by spaces of
    the file's own, widened by `word_space` points."""

    def draw(c):
        c.drawImage(ImageReader(Image.new("L", (500, 700), 225)), 60, 80, 480, 700)
        for n, line in enumerate(lines):
            text = c.beginText(72, 760 - 15 * n)
            text.setTextRenderMode(3)
            text.setFont("DejaVu", 12)
            text.setHorizScale(scale)
            text.setWordSpace(word_space)
            for k, (word, spacing) in enumerate(line):
                text.setCharSpace(spacing)
                text.textOut((" " if k else "") + word[:-1])
                text.setCharSpace(0)
                text.textOut(word[-1])
            c.drawText(text)

    return draw


def glyph_page(lines, size=11, spacing=0.0):
    """A page whose characters are placed one by one, by the advances of the
    ones before them (spaces are not drawn): with no `spacing` each its own
    text object, as WPS Writer writes; with `spacing` points more after each,
    one text object a line, as a browser prints letter-spaced text."""

    def draw(c):
        c.setFont("DejaVu", size)
        for n, line in enumerate(lines):
            x, y = 72, 780 - 1.6 * size * n
            text = c.beginText(x, y)
            text.setFont("DejaVu", size)
            for ch in line:
                if ch != " " and spacing:
                    text.setTextOrigin(x, y)
                    text.textOut(ch)
                elif ch != " ":
                    c.drawString(x, y, ch)
                x += c.stringWidth(ch, "DejaVu", size) + spacing
            if spacing:
                c.drawText(text)

    return draw


def contents_page(title, entries):
    """A table of contents: a title, then each (entry, page) with a dotted leader to its page number."""

    def draw(c):
        c.setFont("DejaVu", 16)
        c.drawString(72, 790, title)
        c.setFont("DejaVu", 11)
        for n, (entry, number) in enumerate(entries):
            y = 760 - 18 * n
            c.drawString(72, y, entry)
            x = 72 + c.stringWidth(entry, "DejaVu", 11) + 6
            c.drawString(x, y, "." * int((500 - x) / c.stringWidth(".", "DejaVu", 11)))
            c.drawRightString(523, y, str(number))

    return draw


class AESEncryption(pdfencrypt.StandardEncryption):
    """PDF encryption with AES, as Acrobat writes it: 128 bits (V4, R4, AESV2:
    the keys of reportlab's 128-bit RC4) or 256 bits (V5, R5, AESV3: reportlab's
    keys); each string and stream padded once (reportlab's own AES pads twice)."""

    def __init__(self, userPassword, ownerPassword=None, bits=128):
        super().__init__(userPassword, ownerPassword, strength=256 if bits == 256 else 128)
        self.bits = bits

    def encode(self, t):
        import pyaes  # (reportlab's own AES package)

        key = self.key
        if self.bits == 128:  # a key for each object
            key = hashlib.md5(key + self.objnum.to_bytes(3, "little") + self.version.to_bytes(2, "little")
                              + b"sAlT").digest()
        iv = os.urandom(16)
        encrypter = pyaes.Encrypter(pyaes.AESModeOfOperationCBC(key, iv=iv))
        return iv + encrypter.feed(rawBytes(t)) + encrypter.feed()

    def info(self):
        described = super().info()
        if self.bits == 128:
            described.__class__ = _AES128Dictionary
        return described


class _AES128Dictionary(pdfencrypt.StandardEncryptionDictionary):
    def format(self, document):
        from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFName

        filter_ = PDFDictionary({"CFM": PDFName("AESV2"), "AuthEvent": PDFName("DocOpen"), "Length": 16})
        return PDFDictionary({
            "Filter": PDFName("Standard"), "V": 4, "R": 4, "Length": 128, "P": self.P,
            "O": pdfencrypt.hexText(self.O), "U": pdfencrypt.hexText(self.U),
            "CF": PDFDictionary({"StdCF": filter_}), "StmF": PDFName("StdCF"), "StrF": PDFName("StdCF"),
        }).format(DummyDoc())


def chromium_pdf(html: str, folder: Path, chromium: str) -> bytes:
    """The PDF Chromium prints of a web page (as "Save as PDF" does, without header and footer)."""
    page, out = folder / "page.html", folder / "page.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
                    page.as_uri()], check=True, capture_output=True, timeout=120)
    return out.read_bytes()



def _cmap(body: bytes) -> bytes:
    return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo 3 dict dup begin "
            b"/Registry (Haru) def /Ordering (Modern1) def /Supplement 0 def end def /CMapName /Modern-UTF8-H def "
            b"4 begincodespacerange <00> <7F> <C280> <DFBF> <E0A080> <EFBFBF> <F0908080> <F0BFBFBF> "
            b"endcodespacerange\n" + body + b"endcmap CMapName currentdict /CMap defineresource pop end end")


def utf8_font_pdf(lines) -> bytes:
    """A PDF as Haru (KOMPAS-3D) writes it: a font whose codes are the UTF-8
    bytes of the text, with a Unicode map that has 4-byte codes (PDFium drops
    such a map and gives each code as a character)."""
    content = b"BT /F1 14 Tf 72 760 Td 18 TL " + b" ".join(
        b"<%s> Tj T*" % line.encode("utf-8").hex().encode() for line in lines) + b" ET"
    system = b"/CIDSystemInfo<</Registry(Haru)/Ordering(Modern1)/Supplement 0>>"
    encoding = _cmap(b"3 begincidrange <00> <7F> 0 <D080> <D0BF> 1024 <D180> <D1BF> 1088 endcidrange\n")
    to_unicode = _cmap(b"4 beginbfrange <00> <7F> <0000> <D080> <D0BF> <0400> <D180> <D1BF> <0440> "
                       b"<F09F9480> <F09F94BF> <D83DDD00> endbfrange\n")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type0/BaseFont/GOSTTypeA/Encoding 6 0 R/DescendantFonts[8 0 R]/ToUnicode 7 0 R>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(content), content),
        b"<</Type/CMap/CMapName/Modern-UTF8-H%s/Length %d>>stream\n%s\nendstream" % (system, len(encoding), encoding),
        b"<</Length %d>>stream\n%s\nendstream" % (len(to_unicode), to_unicode),
        b"<</Type/Font/Subtype/CIDFontType2/BaseFont/GOSTTypeA%s/FontDescriptor 9 0 R/DW 600/CIDToGIDMap/Identity>>"
        % system,
        b"<</Type/FontDescriptor/FontName/GOSTTypeA/Flags 32/FontBBox[0 -200 1000 800]/ItalicAngle 0/Ascent 800"
        b"/Descent -200/CapHeight 700/StemV 80>>"]
    out, places = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        places.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % place for place in places)
    return out + b"xref\n0 %d\n0000000000 65535 f \n%strailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, table, len(objects) + 1, len(out))


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# A text box as Word writes it: a drawing, and the same box in VML for older readers.
BOX_TEXT = "<w:txbxContent><w:p><w:r><w:t>Boxed remark on maritime boundaries</w:t></w:r></w:p></w:txbxContent>"
TEXT_BOX = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/'
    'drawingml/2006/wordprocessingDrawing"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/'
    f'word/2010/wordprocessingShape"><wps:txbx>{BOX_TEXT}</wps:txbx></wps:wsp></wp:anchor></w:drawing>'
    '</mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
    f"{BOX_TEXT}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>")


def make_docx() -> bytes:
    """A Word file with a heading, a paragraph, a table, a footnote and a text box.

    python-docx writes the table; the footnote and the text box are added to
    its XML as Word writes them.
    """
    document = docx.Document()
    document.add_heading("Statement on the referendum", 1)
    document.add_paragraph("The Ministry does not recognise the so-called referendum.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Резолюция Совета Безопасности"
    table.cell(0, 1).text = "822 (1993)"
    table.cell(1, 0).text = "Итоги голосования"
    table.cell(1, 1).text = "признаны недействительными"
    document.add_paragraph("See the note MARK")
    buf = io.BytesIO()
    document.save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"MARK</w:t></w:r>", (
                    '</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
                    f"<w:r>{TEXT_BOX}</w:r>").encode())
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    '<Override PartName="/word/footnotes.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>').encode())
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    '<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/'
                    '2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>').encode())
            z.writestr(item, data)
        z.writestr("word/footnotes.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>SEPARATOR</w:t></w:r></w:p></w:footnote>'
            '<w:footnote w:id="1"><w:p><w:r><w:t>Доклад о вооружённых конфликтах в регионе.</w:t></w:r></w:p>'
            "</w:footnote></w:footnotes>").encode())
    return out.getvalue()


needs_font = pytest.mark.skipif(FONT is None, reason="no DejaVuSans.ttf (Debian: fonts-dejavu-core)")


def simple_docx(paragraphs) -> bytes:
    """A Word file of a heading (the first line) and paragraphs."""
    document = docx.Document()
    document.add_heading(paragraphs[0], 1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# --- a corpus of made files, indexed and searched for real --------------------


def index_corpus(tmp_path, files: dict):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    return update_index(corpus, index), index


def found(index, query) -> list[str]:
    with SearchIndex(index) as ix:
        return [hit.id for hit in ix.search(query, per_page=100).hits]


def sections(index, doc_id) -> dict:
    with SearchIndex(index) as ix:
        return {s.lang: s.text for s in ix.document(doc_id).sections}
