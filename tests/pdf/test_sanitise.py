"""The sanitiser leaves a PDF nothing active but web and mail links and internal jumps."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from generator.pdf.sanitise import safe_action, sanitise
from tests.pdf.conftest import workbook_log
from tests.pdf.scan import scan, unsafe


def _js(code: str) -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def _link(pdf: Pdf, action: Dictionary, **extra: Any) -> Any:
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 10, 10]), A=action, **extra
        )
    )


def hostile_pdf() -> Pdf:
    """Two pages holding every way a PDF can run something, beside four harmless links."""
    pdf = Pdf.new()
    for _ in range(2):
        pdf.add_blank_page()
    first, second = pdf.pages[0].obj, pdf.pages[1].obj
    pdf.Root.OpenAction = _js("app.alert('open')")
    pdf.Root.AA = Dictionary(WC=_js("app.alert('close')"))
    pdf.Root.URI = Dictionary(Base=String("file:///"))
    script = pdf.make_stream(b"app.alert('named')")
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("a"), _js("app.alert('names')")])),
        EmbeddedFiles=Dictionary(Names=Array([String("x.exe"), Dictionary(JS=script)])),
        Dests=Dictionary(Names=Array([String("here"), Array([second, Name.Fit])])),
    )
    first.AA = Dictionary(O=_js("app.alert('page')"))
    launch = Dictionary(S=Name.Launch, F=String("calc.exe"))
    annots = [
        _link(pdf, launch),
        _link(pdf, Dictionary(S=Name.URI, URI=String("file:///etc/passwd"))),
        _link(pdf, Dictionary(S=Name.URI, URI=String("javascript:alert(1)"))),
        _link(pdf, Dictionary(S=Name.URI, URI=String("../relative/"))),
        _link(pdf, Dictionary(S=Name.GoToR, F=String("other.pdf"), D=Array([0, Name.Fit]))),
        _link(pdf, Dictionary(S=Name.GoToE, D=String("x"))),
        _link(pdf, Dictionary(S=Name.SubmitForm, F=String("https://evil.example/"))),
        _link(pdf, Dictionary(S=Name.ImportData, F=String("data.fdf"))),
        _link(pdf, Dictionary(S=Name.GoTo, D=Array([0, Name.Fit]))),  # a page number: remote
        _link(
            pdf,
            Dictionary(S=Name.URI, URI=String("https://example.org/"), Next=_js("app.alert(2)")),
        ),
        _link(pdf, Dictionary(S=Name.URI, URI=String("mailto:team@example.org"))),
        _link(pdf, Dictionary(S=Name.GoTo, D=String("here"))),
        _link(pdf, Dictionary(S=Name.GoTo, D=Array([second, Name.Fit])), AA=Dictionary()),
        pdf.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.FileAttachment,
                Rect=Array([0, 0, 10, 10]),
                FS=Dictionary(Type=Name.Filespec, F=String("x.exe")),
            )
        ),
    ]
    widget = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("answer"),
            Rect=Array([0, 0, 10, 10]),
            AA=Dictionary(K=_js("event.rc = false")),
        )
    )
    first.Annots = Array([*annots, widget])
    parent = pdf.make_indirect(
        Dictionary(T=String("group"), Kids=Array([widget]), AA=Dictionary(F=_js("x")))
    )
    widget.Parent = parent
    pdf.Root.AcroForm = Dictionary(Fields=Array([parent]), XFA=pdf.make_stream(b"<xdp/>"))
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Start", 0))
        outline.root.append(pikepdf.OutlineItem("Second", 1))
    items = pdf.Root.Outlines
    items.First.A = launch
    items.First.Next.A = Dictionary(S=Name.GoTo, D=String("here"))
    return pdf


def _saved(pdf: Pdf) -> Pdf:
    buffer = io.BytesIO()
    pdf.save(buffer)
    return Pdf.open(io.BytesIO(buffer.getvalue()))


def test_a_hostile_pdf_keeps_only_web_links_and_internal_jumps() -> None:
    pdf = hostile_pdf()
    assert len(unsafe(pdf)) > 20
    with workbook_log(logging.WARNING, logging.WARNING, lambda record: record) as warnings:
        removed = sanitise(pdf)
    assert len(warnings) == 1 and "open action" in warnings[0].getMessage()
    assert "open action" in removed and "JavaScript" in removed and "XFA form" in removed
    clean = _saved(pdf)
    assert unsafe(clean) == []
    assert sorted(scan(clean)["uris"]) == ["https://example.org/", "mailto:team@example.org"]

    annots = list(clean.pages[0].Annots)
    assert [str(annot.Subtype) for annot in annots] == ["/Link"] * 13 + ["/Widget"]
    kept = [annot.A for annot in annots if "/A" in annot]
    assert [str(action.S) for action in kept] == ["/URI", "/URI", "/GoTo", "/GoTo"]
    assert "/Next" not in kept[0]
    assert not any("/AA" in annot for annot in annots)
    assert sorted(clean.Root.Names.keys()) == ["/Dests"]
    assert sorted(clean.Root.AcroForm.keys()) == ["/Fields"]
    assert "/AA" not in clean.Root.AcroForm.Fields[0]
    outline = clean.Root.Outlines
    assert "/A" not in outline.First and str(outline.First.Next.A.S) == "/GoTo"
    assert len(clean.pages) == 2  # nothing else changed


def test_a_clean_pdf_is_left_as_it_was(tmp_path: Path) -> None:
    pdf = Pdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Annots = Array(
        [_link(pdf, Dictionary(S=Name.URI, URI=String("https://doi.org/10.1037/h0085885")))]
    )
    before = io.BytesIO()
    pdf.save(before, deterministic_id=True)
    assert sanitise(pdf) == []
    after = io.BytesIO()
    pdf.save(after, deterministic_id=True)
    assert after.getvalue() == before.getvalue()


def test_only_http_mailto_and_internal_actions_are_safe() -> None:
    page = Pdf.new()
    page.add_blank_page()
    target = page.pages[0].obj

    def uri(address: str) -> Dictionary:
        return Dictionary(S=Name.URI, URI=String(address))

    assert safe_action(uri("https://example.org"))
    assert safe_action(uri("HTTP://example.org"))
    assert safe_action(uri("mailto:a@example.org"))
    for address in ("file:///etc/passwd", "javascript:alert(1)", " https://x", "data:,x", ""):
        assert not safe_action(uri(address)), address
    assert safe_action(Dictionary(S=Name.GoTo, D=String("exercise-x")))
    assert safe_action(Dictionary(S=Name.GoTo, D=Array([target, Name.Fit])))
    assert not safe_action(Dictionary(S=Name.GoTo, D=Array([3, Name.Fit])))
    assert not safe_action(Dictionary(S=Name.Named, N=Name.Print))
    assert not safe_action(String("https://example.org"))
