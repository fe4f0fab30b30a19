"""The statement PDF read back with poppler: number, totals formatted for the client's
locale, the right CJK face embedded and subset, page counter and hash, DRAFT mark."""
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from flask_babel import force_locale, gettext

from portal.statements.pdf import page_counter_content, render_pdf
from portal.statements.services import ensure_stored

from .conftest import MARCH, buyout_shipments, discount_shipments, issued, pdf_fonts, pdf_text, spaces


def font_names(data, tmp_path):
    rows = pdf_fonts(data, tmp_path)
    return [(row[0].split("+")[-1].replace("-", "").lower(), row[-5:-2]) for row in rows]


def test_simplified_chinese_statement(db, make, world, tmp_path):
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    data = render_pdf(doc)
    text = pdf_text(data, tmp_path)
    assert doc.number in text and doc.hash in text
    assert format_currency(doc.total, "CNY", locale="zh_Hans") in text  # ¥32,594.55
    assert "货款返点" in text and "净出货" in text  # the scheme's Chinese texts
    fonts = font_names(data, tmp_path)
    assert fonts and all("notosanscjksc" in name for name, _ in fonts)
    assert all(flags == ["yes", "yes", "yes"] for _, flags in fonts)  # embedded, subset, unicode map


@pytest.mark.parametrize("locale,face,currency", [("zh_Hant_HK", "hk", "USD"), ("fr", "sc", "USD"),
                                                  ("en", "sc", "USD"), ("es", "sc", "USD")])
def test_statement_in_the_clients_language_whoever_renders_it(db, make, world, tmp_path, locale, face, currency):
    world.globex.locale = locale
    discount_shipments(make, world)
    doc = issued(db, world.globex, world.finance)
    data = render_pdf(doc)  # the request is in English (conftest): the PDF is in the client's language
    text = pdf_text(data, tmp_path)
    assert spaces(format_currency(doc.total, currency, locale=locale)) in text
    assert doc.number in text
    names = [name for name, _ in font_names(data, tmp_path)]
    assert names and all(f"notosanscjk{face}" in name for name in names)
    assert not any("jp" in name for name in names)


def test_traditional_chinese_uses_the_hong_kong_face(db, make, world, tmp_path):
    world.globex.locale = "zh_Hant_HK"
    discount_shipments(make, world)
    doc = issued(db, world.globex, world.finance)
    text = pdf_text(render_pdf(doc), tmp_path)
    assert "價格折扣" in text or "折扣" in text


def test_page_counter_follows_the_translation_order():
    with force_locale("zh_Hans"):
        content = page_counter_content()
    assert "counter(page)" in content and "counter(pages)" in content
    assert content.index("counter(page)") < content.index("counter(pages)")


def test_a_long_statement_has_page_x_of_y_and_totals(db, make, world, tmp_path):
    lines = [dict(model=world.tv55, quantity=1, unit_price=Decimal("100.00"))]
    for day in range(1, 29):
        make.shipment(client=world.globex, ship_date=MARCH.replace(day=day), number=f"SH-L-{day}", lines=lines * 3)
    doc = issued(db, world.globex, world.finance)
    text = pdf_text(render_pdf(doc), tmp_path)
    assert "Page 1 of" in text
    assert format_currency(doc.total, "USD", locale="en") in text


def test_draft_preview_is_marked(db, make, world, tmp_path):
    from portal.settlements.engine import compute_draft

    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    text = pdf_text(render_pdf(draft), tmp_path)
    with force_locale("zh_Hans"):
        assert gettext("DRAFT") in text  # in the client's language
    assert format_currency(draft.total, "CNY", locale="zh_Hans") in text


def test_credit_note_pdf_names_the_corrected_settlement(db, make, world, tmp_path):
    from portal.settlements.issuing import create_credit_note

    buyout_shipments(make, world)
    original = issued(db, world.acme, world.finance)
    note = create_credit_note(original.id, world.finance.id, reason="返点率有误", reverse_all=True)
    text = pdf_text(render_pdf(note), tmp_path)
    assert note.number in text and original.number in text and "返点率有误" in text
    assert format_currency(-original.total, "CNY", locale="zh_Hans") in text


def test_issued_pdf_is_stored_once(db, make, world):
    buyout_shipments(make, world)
    doc = issued(db, world.acme, world.finance)
    first = ensure_stored(doc, "pdf")
    again = ensure_stored(doc, "pdf")
    assert first.id == again.id and len(first.sha256) == 64 and first.size > 1000


def test_short_lines_are_grouped_and_long_ones_stand_alone():
    from portal.statements.content import BLOCK_LINES, LineText, line_blocks

    short = LineText("出货单 SH-1，KTV-55A：1 × 249.99", "SH-1", "1", "$249.99", "$7.50", "")
    long = LineText("出货单 " + "很长的说明" * 20, "SH-2", "1", "$249.99", "$7.50", "")
    blocks = line_blocks([short] * (BLOCK_LINES + 2) + [long] + [short])
    assert [(len(b.lines), b.single) for b in blocks] == [(BLOCK_LINES, False), (2, False), (1, True), (1, False)]
    assert blocks[0].column("quantity") == "\n".join(["1"] * BLOCK_LINES)
    assert blocks[0].column("debit") == ""  # an empty column stays an empty cell
