"""Every blueprint of the portal, registered in one place."""
from __future__ import annotations


def register_blueprints(app, api) -> None:
    from .auth.views import bp as auth_bp
    from .main.views import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)

    from .audit_views import bp as audit_bp
    from .jobs.views import bp as jobs_bp

    app.register_blueprint(jobs_bp)
    app.register_blueprint(audit_bp)

    from .auth.users_views import bp as users_bp
    from .catalogue.views import bp as catalogue_bp
    from .clients.views import bp as clients_bp

    app.register_blueprint(users_bp)
    app.register_blueprint(clients_bp)
    app.register_blueprint(catalogue_bp)

    from .warranty.views import bp as warranty_bp

    app.register_blueprint(warranty_bp)

    from .shipments.views import bp as shipments_bp

    app.register_blueprint(shipments_bp)

    from .api.auth import blp as api_auth_blp

    api.register_blueprint(api_auth_blp, url_prefix="/api/v1/auth")

    from .catalogue.api import blp as api_catalogue_blp
    from .clients.api import blp as api_clients_blp

    api.register_blueprint(api_clients_blp, url_prefix="/api/v1/clients")
    api.register_blueprint(api_catalogue_blp, url_prefix="/api/v1")

    from .warranty.api import blp as api_warranty_blp

    api.register_blueprint(api_warranty_blp, url_prefix="/api/v1/warranty")

    from .shipments.api import blp as api_shipments_blp

    api.register_blueprint(api_shipments_blp, url_prefix="/api/v1/shipments")

    from .jobs.api import blp as api_jobs_blp

    api.register_blueprint(api_jobs_blp, url_prefix="/api/v1/jobs")

    from .settlements.api import blp as api_settlements_blp
    from .settlements.views import bp as settlements_bp

    app.register_blueprint(settlements_bp)
    api.register_blueprint(api_settlements_blp, url_prefix="/api/v1/settlements")

    from .statements.api import blp as api_statements_blp
    from .statements.views import bp as statements_bp

    app.register_blueprint(statements_bp)
    api.register_blueprint(api_statements_blp, url_prefix="/api/v1/settlements")

    from .claims.api import blp as api_claims_blp
    from .claims.views import bp as claims_bp

    app.register_blueprint(claims_bp)
    api.register_blueprint(api_claims_blp, url_prefix="/api/v1/claims")

    from .schemes.api import blp as api_schemes_blp
    from .schemes.views import bp as schemes_bp

    app.register_blueprint(schemes_bp)
    api.register_blueprint(api_schemes_blp, url_prefix="/api/v1")

    from .parts.api import blp as api_parts_blp
    from .parts.views import bp as parts_bp

    app.register_blueprint(parts_bp)
    api.register_blueprint(api_parts_blp, url_prefix="/api/v1/parts")

    from .documents.api import blp as api_documents_blp
    from .documents.views import bp as documents_bp
    from .notices.views import bp as notices_bp

    app.register_blueprint(documents_bp)
    app.register_blueprint(notices_bp)
    api.register_blueprint(api_documents_blp, url_prefix="/api/v1/documents")

    from .refurbish.views import bp as refurbish_bp
    from .rma.api import blp as api_rma_blp
    from .rma.views import bp as rma_bp

    app.register_blueprint(rma_bp)
    app.register_blueprint(refurbish_bp)
    api.register_blueprint(api_rma_blp, url_prefix="/api/v1/rma")

    from .network.views import bp as network_bp

    app.register_blueprint(network_bp)

    from .complaints.views import bp as complaints_bp
    from .complaints.warning_views import bp as warnings_bp
    from .dashboard.views import bp as dashboard_bp

    app.register_blueprint(complaints_bp)
    app.register_blueprint(warnings_bp)
    app.register_blueprint(dashboard_bp)
