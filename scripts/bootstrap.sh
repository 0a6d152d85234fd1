#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: system packages when missing,
# then the virtualenv. Usage: scripts/bootstrap.sh [runtime|test]
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-runtime}"

# gettext: translations; fonts-khmeros: Khmer text in pages and PDFs; pango/harfbuzz: PDF rendering.
packages=(gettext fonts-khmeros libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [ "$profile" = test ]; then
  packages+=(chromium poppler-utils)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras=""
[ "$profile" = test ] && extras="[test]"
# Reinstall only when pyproject.toml changed since the last install.
stamp=".venv/.installed-$profile"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".$extras"
  touch "$stamp"
fi
.venv/bin/python manage.py compilemessages --ignore=.venv -v 0
