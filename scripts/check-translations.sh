#!/usr/bin/env bash
# Fails when a translatable string has no Khmer translation: extracts the strings afresh into a
# scratch copy and counts the untranslated ones.
set -euo pipefail
cd "$(dirname "$0")/.."
catalogue=src/singleportal/locale/km/LC_MESSAGES/django.po
scratch=$(mktemp -d)
trap 'cp "$scratch/django.po" "$catalogue"; rm -rf "$scratch"' EXIT
cp "$catalogue" "$scratch/django.po"
.venv/bin/python manage.py makemessages -l km --no-location --ignore=.venv --ignore=var --ignore=tests --ignore=bench -v 0
# A fuzzy entry shows English at run time (and makemessages guesses them from unrelated
# strings), so it counts as missing too.
untranslated=$(msgattrib --untranslated --no-obsolete "$catalogue" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$catalogue" | grep -c '^msgid ' || true)
missing=$((untranslated + fuzzy))
# msgattrib prints the header entry (msgid "") too when anything is missing.
if [ "$missing" -gt 0 ]; then
  echo "Khmer translations missing in $catalogue:"
  for kind in --untranslated --only-fuzzy; do
    msgattrib "$kind" --no-obsolete "$catalogue" | grep -A1 '^msgid ' | grep -v '^msgid ""$' || true
  done
  echo "Run 'make messages', translate, and commit."
  exit 1
fi
echo "Khmer catalogue complete."
