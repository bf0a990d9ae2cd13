#!/usr/bin/env bash
# Run the application on the embedded default: SQLite, a broker in SQLite,
# web + Celery worker + beat, with demo data. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export FLASK_APP=app:create_app
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
export SB_BASE_URL=${SB_BASE_URL:-http://$HOST:$PORT}
mkdir -p instance

$BIN/flask db upgrade
$BIN/flask seed-demo

$BIN/celery -A celery_worker.celery worker --beat --pool=solo --loglevel=info \
  --schedule=instance/celerybeat-schedule --logfile=instance/celery.log &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM

echo
echo "Sociale basis runs at $SB_BASE_URL/ (Celery worker and beat log: instance/celery.log)"
echo "Mail is written to instance/mailbox/ as .eml files."
$BIN/flask run --host "$HOST" --port "$PORT"
