"""Entry point for the Celery worker and beat: `celery -A celery_worker worker`."""

from app import create_app

app = create_app()
celery = app.extensions["celery"]
