"""Statement downloads in the API: GET /api/v1/settlements/<id>/pdf and /xlsx.

Finance and admins: any document (a draft is a fresh preview marked DRAFT); client tokens:
their own company's issued documents only (another client's id, or a draft, answers 404).
An issued document's bytes are the stored ones: every download is identical (ETag and
X-Content-SHA256 carry their sha256)."""
from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from ..api.auth import api_roles
from ..extensions import csrf
from ..settlements.services import READERS, get_settlement
from .views import download

blp = Blueprint("api_statements", __name__, description="Settlement statements (PDF, XLSX)")
csrf.exempt(blp)



@blp.route("/<int:settlement_id>/pdf")
class StatementPdf(MethodView):
    @api_roles(*READERS)
    @blp.response(200, description="The statement as PDF, in the client's language.",
                  content_type="application/pdf")
    def get(self, settlement_id: int):
        """The statement of a settlement or credit note as PDF."""
        return download(get_settlement(settlement_id, issued_only=current_user.is_client), "pdf")


@blp.route("/<int:settlement_id>/xlsx")
class StatementXlsx(MethodView):
    @api_roles(*READERS)
    @blp.response(200, description="The statement's lines as an XLSX workbook.",
                  content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    def get(self, settlement_id: int):
        """The statement's lines, subtotals and total as XLSX."""
        return download(get_settlement(settlement_id, issued_only=current_user.is_client), "xlsx")
