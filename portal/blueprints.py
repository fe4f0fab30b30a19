"""Every blueprint of the portal, registered in one place."""
from __future__ import annotations


def register_blueprints(app, api) -> None:
    from .auth.views import bp as auth_bp
    from .main.views import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)

    from .api.auth import blp as api_auth_blp

    api.register_blueprint(api_auth_blp, url_prefix="/api/v1/auth")
