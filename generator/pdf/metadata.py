"""The workbook's metadata as PDF/UA-1 wants it: an XMP packet (ISO 14289-1 §5, §7.1).

The document information dictionary (from the cover: title, authors, subtitle, keywords,
dates) is written again as XMP: ``dc:title`` (the title a reader shows, /DisplayDocTitle),
``dc:language``, ``dc:creator``, ``dc:description``, ``pdf:Keywords``, ``pdf:Producer``,
``xmp:CreatorTool``, the dates, and ``pdfuaid:part`` 1, the claim of conformance. Dates
come from the cover's (the build's date: ``SOURCE_DATE_EPOCH`` when set, see
document.build_date), the packet is written byte for byte the same for the same input, and
the information dictionary says the same things.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Dictionary, Name, Pdf

PRODUCER = f"WeasyPrint {version('weasyprint')}, pikepdf {pikepdf.__version__} (Alliance Workbook)"
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?")


def xmp_date(value: str) -> str | None:
    """A PDF date (``D:YYYYMMDDHHmmSS…``) as an XMP date (ISO 8601), None when unreadable."""
    match = _PDF_DATE.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    text = f"{year}-{month or '01'}-{day or '01'}"
    if hour is None:
        return text
    text += f"T{hour}:{minute or '00'}:{second or '00'}"
    if zone is None or zone == "Z":
        return text + "Z"
    digits = zone.replace("'", "")
    return f"{text}{digits[:3]}:{digits[3:5]}"


def _alt(tag: str, text: str, lang: str) -> str:
    items = f'<rdf:li xml:lang="x-default">{escape(text)}</rdf:li>'
    if lang:
        items += f'<rdf:li xml:lang="{escape(lang)}">{escape(text)}</rdf:li>'
    return f"<{tag}><rdf:Alt>{items}</rdf:Alt></{tag}>"


def xmp_packet(info: dict[str, str], lang: str) -> bytes:
    """The XMP packet of a document whose information dictionary is ``info``."""
    fields = []
    if info.get("Title"):
        fields.append(_alt("dc:title", info["Title"], lang))
    if info.get("Subject"):
        fields.append(_alt("dc:description", info["Subject"], lang))
    if info.get("Author"):
        authors = "".join(
            f"<rdf:li>{escape(name.strip())}</rdf:li>" for name in info["Author"].split(",")
        )
        fields.append(f"<dc:creator><rdf:Seq>{authors}</rdf:Seq></dc:creator>")
    if lang:
        fields.append(
            f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        )
    fields.append("<dc:format>application/pdf</dc:format>")
    if info.get("Keywords"):
        fields.append(f"<pdf:Keywords>{escape(info['Keywords'])}</pdf:Keywords>")
    fields.append(f"<pdf:Producer>{escape(info.get('Producer', PRODUCER))}</pdf:Producer>")
    if info.get("Creator"):
        fields.append(f"<xmp:CreatorTool>{escape(info['Creator'])}</xmp:CreatorTool>")
    created = xmp_date(info.get("CreationDate", ""))
    modified = xmp_date(info.get("ModDate", "")) or created
    if created:
        fields.append(f"<xmp:CreateDate>{created}</xmp:CreateDate>")
    if modified:
        fields.append(f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>")
        fields.append(f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>")
    fields.append("<pdfuaid:part>1</pdfuaid:part>")
    body = "\n".join(fields)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"{body}\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()


def describe(pdf: Pdf) -> None:
    """Write ``pdf``'s XMP packet from its information dictionary and /Lang; mark it tagged
    and its title shown (ISO 14289-1 §7.1)."""
    pdf.docinfo[Name.Producer] = pikepdf.String(PRODUCER)
    info: dict[str, str] = {}
    for key, value in pdf.docinfo.items():
        if isinstance(value, pikepdf.String):
            info[str(key)[1:]] = str(value)
    lang = str(pdf.Root.get("/Lang", ""))
    metadata = pdf.make_stream(xmp_packet(info, lang))
    metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = metadata
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    preferences: Any = pdf.Root.get("/ViewerPreferences")
    if not isinstance(preferences, Dictionary):
        preferences = Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences
