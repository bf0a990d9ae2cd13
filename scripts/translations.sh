#!/usr/bin/env bash
# Message catalogs: extract | update | compile | all. Run from the repository root.
set -euo pipefail

PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
CONFIG="babel.cfg"
DIR="app/translations"
POT="$DIR/messages.pot"
LOCALES=(nl en)
# Directory names (fnmatch on the base name) never scanned; the map in babel.cfg decides the rest.
IGNORE_DIRS=".* ._ __pycache__ node_modules instance var migrations tests"
# Keywords besides Babel's defaults (_, gettext, ngettext, pgettext, ...): flask_babel's lazy ones.
KEYWORDS=(-k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2)

cd "$(dirname "${BASH_SOURCE[0]}")/.."

extract() {
  "$PYBABEL" extract -F "$CONFIG" -o "$POT" \
    --no-location --sort-output --ignore-dirs "$IGNORE_DIRS" \
    "${KEYWORDS[@]}" \
    --project "Sociale basis" --copyright-holder "Gemeente Groningen" \
    .
}

update() {
  local locale
  for locale in "${LOCALES[@]}"; do
    "$PYBABEL" update -i "$POT" -d "$DIR" -l "$locale" --init-missing \
      --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
  done
}

compile() {
  "$PYBABEL" compile -d "$DIR" --statistics
}

case "${1:-}" in
  extract) extract ;;
  update) update ;;
  compile) compile ;;
  all)
    extract
    update
    compile
    ;;
  *)
    echo "usage: $0 extract|update|compile|all" >&2
    exit 2
    ;;
esac
