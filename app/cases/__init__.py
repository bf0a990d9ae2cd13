"""The officer's pages. Importing the package registers every view on `bp`."""

from app.cases import queue  # noqa: F401
from app.cases.routes import bp

__all__ = ["bp"]
