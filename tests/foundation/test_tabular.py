import io

import pytest
from openpyxl import Workbook

from portal.tabular import TabularError, read_rows, spreadsheet_response


def rows(data: bytes, name="f.csv"):
    return [(r.number, r.values) for r in read_rows(io.BytesIO(data), name)]


def test_csv_with_bom_semicolons_blank_lines_and_quoted_newlines(app):
    with app.test_request_context():
        data = "\ufeffSerial No;Qty\nA;1\n\n\"B\nC\";2\n".encode()
        assert rows(data) == [(2, {"serial_no": "A", "qty": "1"}), (5, {"serial_no": "B\nC", "qty": "2"})]


@pytest.mark.parametrize("data", [b"serial\nSN-\xe9", b"serial\n\xff\xfeA\n"])
def test_non_utf8_csv_is_refused_even_at_the_very_end(app, data):
    with app.test_request_context(), pytest.raises(TabularError, match="not UTF-8"):
        rows(data)


def test_empty_file_and_fake_workbook(app):
    with app.test_request_context():
        with pytest.raises(TabularError, match="empty"):
            rows(b"")
        with pytest.raises(TabularError, match="not a valid XLSX"):
            rows(b"serial\nA\n", "f.xlsx")


def test_xlsx_rows_and_download_round_trip(app):
    workbook = Workbook()
    workbook.active.append(["Serial", "Qty"])
    workbook.active.append(["A", 3])
    workbook.active.append([None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with app.test_request_context():
        assert rows(buffer.getvalue(), "f.xlsx") == [(2, {"serial": "A", "qty": "3"})]
        response = spreadsheet_response(["a", "b"], [[1, "x"]], "out")
        assert response.headers["Content-Disposition"] == 'attachment; filename="out.xlsx"'
        assert rows(response.get_data(), "out.xlsx") == [(2, {"a": "1", "b": "x"})]
        csv_response = spreadsheet_response(["a"], [["é"]], "out", fmt="csv")
        assert rows(csv_response.get_data()) == [(2, {"a": "é"})]
