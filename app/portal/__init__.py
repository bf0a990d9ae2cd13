"""The applicant's pages. Importing the package registers every view on `bp`."""

from app.portal import application, organisations  # noqa: F401
from app.portal.routes import bp

__all__ = ["bp"]
