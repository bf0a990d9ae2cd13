"""Administration: letter templates (later also regulations, users and roles, outbox)."""

from app.admin.routes import bp

__all__ = ["bp"]
