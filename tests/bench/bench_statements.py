"""Statement PDFs: a one-page Chinese statement, and a 5,000-line one against a straightforward rendering.

No database: the settlements are built in memory (a zh_Hans client, the price-discount
scheme's texts, one line per shipment line) and rendered by portal.statements.pdf exactly as
the portal does. Figures:
- one page: the first rendering (cold: fonts, stylesheet, metrics loaded) and the median of
  BENCH_REPEAT warm ones (aim: at most 0.3 s);
- BENCH_STATEMENT_LINES lines (default 5,000): the portal's rendering (lines grouped into
  multi-line rows, fixed layout) and, in the same run, a straightforward one of the same data
  (one table, one row per line, default automatic layout, same fonts, same page counters),
  wall and CPU time, their ratio (aim: at most 0.5), pages, sizes, and peak memory
  (maximum resident set of this process; tracemalloc would slow WeasyPrint several-fold).
"""
from __future__ import annotations

import os
import resource
import statistics
import time
from datetime import date, datetime, timezone
from decimal import Decimal

LINES = int(os.environ.get("BENCH_STATEMENT_LINES", 5000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 3))

STRAIGHTFORWARD = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 16mm 13mm 18mm 13mm; @bottom-right { content: {{ counter|safe }}; font-size: 7pt; } }
html { font-family: {{ family|safe }}; font-size: 8pt; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; border-bottom: 0.8pt solid #333; }
td { border-bottom: 0.4pt solid #ccc; font-size: 7.5pt; }
td.n { text-align: right; }
</style></head><body>
<h1>{{ doc.title }} {{ doc.number }}</h1>
<p>{{ doc.settlement.client.name }} · {{ doc.period }} · {{ doc.presented.scheme_name }}</p>
{% for section in doc.sections %}<h2>{{ section.title }}</h2>
<table><thead><tr><th>{{ _("Description") }}</th><th>{{ _("Reference") }}</th><th>{{ _("Quantity") }}</th>
<th>{{ _("Unit price") }}</th><th>{{ _("Credit") }}</th><th>{{ _("Debit") }}</th></tr></thead><tbody>
{% for block in section.blocks %}{% for line in block.lines %}<tr><td>{{ line.description }}</td><td>{{ line.reference }}</td>
<td class="n">{{ line.quantity }}</td><td class="n">{{ line.unit_price }}</td><td class="n">{{ line.credit }}</td>
<td class="n">{{ line.debit }}</td></tr>{% endfor %}{% endfor %}
<tr><td colspan="4">{{ section.title }}</td><td class="n" colspan="2">{{ section.subtotal_text }}</td></tr>
</tbody></table>{% endfor %}
<p>{{ _("Total") }} {{ doc.total_text }}</p>
</body></html>"""


def _settlement(lines: int):
    from portal.clients.models import Client
    from portal.settlements.content import encode_params
    from portal.settlements.models import Settlement, SettlementLine

    client = Client(id=1, code="HUAXIA", name="华夏视界电子有限公司", market="domestic", locale="zh_Hans",
                    currency="CNY", contact_name="王磊", contact_email="ap@huaxia.example.cn",
                    address="广东省深圳市南山区科技园 1 号")
    models = ["KTV-55A", "KTV-43B", "KTV-65U", "KM-27Q", "KM-24F"]
    rows, total = [], Decimal("0")
    for n in range(lines):
        quantity = 20 + n % 180
        price = Decimal("1850.00") - Decimal(n % 7) * 100
        amount = (quantity * price * Decimal("0.03")).quantize(Decimal("0.01"))
        total += amount
        params = {"shipment_no": f"SH-2025-{n:06d}", "model": models[n % 5], "quantity": quantity,
                  "unit_price": price, "rate": Decimal("3")}
        rows.append(SettlementLine(position=n + 1, section="discount", direction="credit", amount=amount,
                                   currency="CNY", description_key="discount_shipment", params=encode_params(params),
                                   reference=f"SH-2025-{n:06d}", quantity=quantity, unit_price=price))
    return Settlement(id=1, kind="settlement", status="issued", client=client, client_id=1, contract_id=1,
                      scheme_key="price_discount", currency="CNY", period_start=date(2025, 3, 1),
                      period_end=date(2025, 3, 31), total=total, ledger=[], rejected_claims=[],
                      number="ST-2025-00042", issued_at=datetime(2025, 4, 2, 8, 0, tzinfo=timezone.utc),
                      prev_hash="0" * 64, hash="3f" * 32, lines=rows)


def _straightforward(settlement) -> bytes:
    from flask import render_template_string

    from portal.statements.content import in_client_language, statement
    from portal.statements.pdf import FONTS, page_counter_content

    with in_client_language(settlement) as locale:
        doc = statement(settlement, locale, blocks=False)
        family, lang = FONTS[locale]
        html = render_template_string(STRAIGHTFORWARD, doc=doc, lang=lang, family=family,
                                      counter=page_counter_content())
    from weasyprint import HTML

    return HTML(string=html).write_pdf()  # defaults: a fresh font configuration, automatic layout


def _timed(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def run() -> list[tuple[str, str]]:
    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SERVER_NAME": "localhost"})
    from portal.statements.pdf import render_pdf

    figures = []
    with app.test_request_context(headers={"Accept-Language": "en"}):
        small = _settlement(12)
        _data, cold, _ = _timed(render_pdf, small)
        warm = [_timed(render_pdf, small)[1:] for _ in range(REPEAT)]
        wall = statistics.median(w for w, _c in warm)
        cpu = statistics.median(c for _w, c in warm)
        figures += [("one page (12 lines, zh_Hans), cold", f"{cold:.3f} s"),
                    (f"one page, warm (median of {REPEAT})", f"{wall:.3f} s wall, {cpu:.3f} s CPU (aim ≤ 0.3 s)")]
        big = _settlement(LINES)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fast, fast_wall, fast_cpu = _timed(render_pdf, big)
        rss_fast = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        plain, plain_wall, plain_cpu = _timed(_straightforward, big)
        rss_plain = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures += [
        (f"{LINES:,} lines, portal rendering", f"{fast_wall:.2f} s wall, {fast_cpu:.2f} s CPU, "
                                              f"{_pages(fast)} pages, {len(fast) / 1024:.0f} KiB"),
        (f"{LINES:,} lines, straightforward rendering", f"{plain_wall:.2f} s wall, {plain_cpu:.2f} s CPU, "
                                                        f"{_pages(plain)} pages, {len(plain) / 1024:.0f} KiB"),
        ("ratio portal / straightforward", f"{fast_wall / plain_wall:.2f} wall, {fast_cpu / plain_cpu:.2f} CPU "
                                           "(aim ≤ 0.5)"),
        ("peak memory (max RSS)", f"{rss_before / 1024:.0f} MiB before, {rss_fast / 1024:.0f} MiB after the portal "
                                  f"rendering, {rss_plain / 1024:.0f} MiB after the straightforward one"),
    ]
    return figures
