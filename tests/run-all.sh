#!/usr/bin/env bash
# Runs every test of coursepack, installing first what it builds with (libxml2's headers,
# pkg-config, libclang) and what the tests need on a fresh Debian machine: Chromium (browser
# tests), xmllint (schema validation), msgfmt (PO files), Node.js and the npm packages of
# tests/browser (scorm-again as the LMS, playwright-core to drive Chromium), and PHP 8.2 with
# Moodle's extensions and PostgreSQL 15 (the Moodle suite, tests/moodle/).
# Under CI=true every test that needs a tool fails instead of skipping when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# What coursepack builds with: the system's libxml2 and libclang for its bindings.
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists libxml-2.0 2>/dev/null || missing+=(libxml2-dev)
ldconfig -p | grep -q 'libclang[-.0-9]*\.so' || missing+=(libclang-dev)
command -v chromium >/dev/null || missing+=(chromium)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v python3 >/dev/null || missing+=(python3)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v unzip >/dev/null || missing+=(unzip)
for ext in pgsql xml mbstring curl zip gd intl soap; do
  php -r "exit(extension_loaded('$ext') ? 0 : 1);" 2>/dev/null || missing+=("php8.2-$ext")
done
command -v php >/dev/null || missing+=(php8.2-cli)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
# The packager alone (no preview server, no libxml2, no PO files) keeps compiling cleanly.
cargo clippy --no-default-features --all-targets --quiet -- -D warnings
cargo build --quiet
cargo test --quiet
(cd tests/browser && node --test)
(cd tests/moodle && node --test --test-concurrency=1)
# Every fuzz target for a few seconds (about a minute in all); a crash fails the run.
tests/fuzz/run 8
