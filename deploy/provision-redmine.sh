#!/bin/sh
# One-shot provisioning of the demo Redmine (run by the `redmine-provision`
# service in docker-compose.yml, as root, in the official redmine image).
#
#  1. Runs deploy/provision-redmine.rb through the image's entrypoint:
#       /docker-entrypoint.sh bundle exec rails runner SCRIPT TMP_FILE
#     The entrypoint writes config/database.yml from REDMINE_DB_*, then drops
#     to the `redmine` user. The Ruby script (idempotent) loads the default
#     configuration when missing, enables the REST API, sets the admin's
#     password from REDMINE_ADMIN_PASSWORD, clears its must-change-password
#     flag, creates the project REDMINE_PROJECT and the integration user
#     `incidents-bot` (a project member, no administrator), and writes its
#     API key and Redmine's text formatting and maximum attachment size as
#     Tickets__Redmine__* lines to TMP_FILE, a file in a fresh directory that
#     only `redmine` can read.
#  2. Installs that file as $OUT_FILE atomically: mode 0400, owned by
#     $OUT_OWNER (the `app` user of the Incidents image, for a later reader).
#
# The API key and the password are never printed. Reruns rewrite the same key.
# The `incidents` container reads the file (deploy/incidents-entrypoint.sh).
set -eu

OUT_FILE="${OUT_FILE:-/provision/redmine.env}"
# The `app` user of the mcr.microsoft.com/dotnet/aspnet image ($APP_UID).
OUT_OWNER="${OUT_OWNER:-1654:1654}"
RUNNER_SCRIPT="${RUNNER_SCRIPT:-/deploy/provision-redmine.rb}"
REDMINE_USER="${REDMINE_USER:-redmine}"

log() { echo "provision-redmine: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

: "${REDMINE_ADMIN_PASSWORD:?REDMINE_ADMIN_PASSWORD must be set}"
[ "$(id -u)" = "0" ] || fail "must run as root (the image's entrypoint drops to '$REDMINE_USER' for rails runner; root installs $OUT_FILE)"
[ -r "$RUNNER_SCRIPT" ] || fail "$RUNNER_SCRIPT is missing"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM
chown "$REDMINE_USER" "$work"
chmod 700 "$work"

# --- 1. rails runner as the redmine user -------------------------------------
cd /usr/src/redmine
if ! /docker-entrypoint.sh bundle exec rails runner "$RUNNER_SCRIPT" "$work/redmine.env"; then
    fail "rails runner $RUNNER_SCRIPT failed (see the messages above)"
fi
if ! grep -q '^Tickets__Redmine__ApiKey=..*$' "$work/redmine.env" 2>/dev/null; then
    fail "rails runner wrote no Tickets__Redmine__ApiKey"
fi

# --- 2. Install the file -------------------------------------------------------
umask 077
mkdir -p "$(dirname "$OUT_FILE")"
tmp_file="$OUT_FILE.tmp.$$"
cp "$work/redmine.env" "$tmp_file"
chown "$OUT_OWNER" "$tmp_file"
chmod 0400 "$tmp_file"
mv -f "$tmp_file" "$OUT_FILE"
log "wrote the integration user's API key and settings to $OUT_FILE (mode 0400, owner $OUT_OWNER)"
