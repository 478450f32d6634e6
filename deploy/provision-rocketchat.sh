#!/bin/sh
# One-shot provisioning of the Rocket.Chat service account for Incidents
# (run by the `rocketchat-provision` service in docker-compose.yml).
#
#  1. If $OUT_FILE exists and its token still authenticates (GET /api/v1/me),
#     do nothing (idempotent rerun).
#  2. Log in as the admin (created by Rocket.Chat from ADMIN_USERNAME/ADMIN_PASS).
#  3. Create the bot user (role `bot`) unless it exists.
#  4. Make sure the `bot` role holds `create-personal-access-tokens` (by default
#     only admin and user hold it).
#  5. Log in as the bot and create (or regenerate) its personal access token;
#     the 2FA password fallback is answered with x-2fa-code = sha256 hex of the
#     bot's password, x-2fa-method = password.
#  6. Verify the token, log both login sessions out, and write
#     RocketChat__UserId / RocketChat__AuthToken to $OUT_FILE (mode 0400,
#     owned by $OUT_OWNER, written atomically).
#
# Needs: sh, curl, jq, sha256sum. Secrets never appear on a command line or in
# the output: JSON bodies are built by jq from the environment, and request
# headers are passed to curl through a private file.
set -eu

RC_URL="${RC_URL:-http://rocketchat:3000}"
ADMIN_USERNAME="${ADMIN_USERNAME:?ADMIN_USERNAME must be set}"
ADMIN_PASS="${ADMIN_PASS:?ADMIN_PASS must be set}"
BOT_USERNAME="${BOT_USERNAME:-incidents.bot}"
BOT_PASS="${BOT_PASS:?BOT_PASS must be set}"
BOT_NAME="${BOT_NAME:-Incidents Bot}"
BOT_EMAIL="${BOT_EMAIL:-incidents.bot@example.com}"
BOT_TOKEN_NAME="${BOT_TOKEN_NAME:-incidents}"
OUT_FILE="${OUT_FILE:-/provision/rocketchat.env}"
# The `app` user of the mcr.microsoft.com/dotnet/aspnet image ($APP_UID).
OUT_OWNER="${OUT_OWNER:-1654:1654}"
export ADMIN_USERNAME ADMIN_PASS BOT_USERNAME BOT_PASS BOT_NAME BOT_EMAIL BOT_TOKEN_NAME

log() { echo "provision-rocketchat: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

case "$BOT_USERNAME" in
    *[!A-Za-z0-9._-]*|'') fail "BOT_USERNAME may contain only letters, digits, '.', '_' and '-'" ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM
chmod 700 "$work"

# Credentials used by api(); empty = unauthenticated call.
auth_uid=""
auth_tok=""
twofa_code=""
status=""

# api METHOD ENDPOINT [JSON_BODY_FILE]
# Response body -> $work/body, HTTP status -> $status ("000" = no response).
api() {
    {
        printf 'Accept: application/json\n'
        if [ -n "$auth_uid" ]; then
            printf 'X-User-Id: %s\nX-Auth-Token: %s\n' "$auth_uid" "$auth_tok"
        fi
        if [ -n "$twofa_code" ]; then
            printf 'x-2fa-code: %s\nx-2fa-method: password\n' "$twofa_code"
        fi
        if [ $# -ge 3 ]; then
            printf 'Content-Type: application/json\n'
        fi
    } > "$work/headers"
    if [ $# -ge 3 ]; then
        status="$(curl -sS --max-time 30 -o "$work/body" -w '%{http_code}' \
            -X "$1" -H @"$work/headers" --data-binary @"$3" "$RC_URL/api/v1/$2")" || status="000"
    else
        status="$(curl -sS --max-time 30 -o "$work/body" -w '%{http_code}' \
            -X "$1" -H @"$work/headers" "$RC_URL/api/v1/$2")" || status="000"
    fi
}

# Error text of the last response (Rocket.Chat error bodies carry no secrets).
error_text() {
    jq -r '[.errorType, .error, .message] | map(select(. != null)) | join(": ")' "$work/body" 2>/dev/null \
        || echo "unparsable response"
}

# --- 1. Reuse an existing, still valid token -------------------------------
if [ -s "$OUT_FILE" ]; then
    old_uid="$(sed -n 's/^RocketChat__UserId=//p' "$OUT_FILE" | head -n 1)"
    old_tok="$(sed -n 's/^RocketChat__AuthToken=//p' "$OUT_FILE" | head -n 1)"
    if [ -n "$old_uid" ] && [ -n "$old_tok" ]; then
        auth_uid="$old_uid"
        auth_tok="$old_tok"
        api GET me
        if [ "$status" = "200" ] && [ "$(jq -r '._id // empty' "$work/body")" = "$old_uid" ]; then
            log "the token in $OUT_FILE still works for user id $old_uid; nothing to do"
            exit 0
        fi
        log "the token in $OUT_FILE is not accepted (HTTP $status); provisioning a new one"
    else
        log "$OUT_FILE is incomplete; provisioning a new token"
    fi
fi

# --- 2. Admin login ---------------------------------------------------------
auth_uid=""
auth_tok=""
jq -n '{user: env.ADMIN_USERNAME, password: env.ADMIN_PASS}' > "$work/req"
api POST login "$work/req"
[ "$status" = "200" ] || fail "login as admin '$ADMIN_USERNAME' at $RC_URL failed (HTTP $status): $(error_text)"
admin_uid="$(jq -r '.data.userId // empty' "$work/body")"
admin_tok="$(jq -r '.data.authToken // empty' "$work/body")"
if [ -z "$admin_uid" ] || [ -z "$admin_tok" ]; then
    fail "admin login returned no userId/authToken"
fi
log "logged in as admin '$ADMIN_USERNAME'"
auth_uid="$admin_uid"
auth_tok="$admin_tok"

# --- 3. Bot user ------------------------------------------------------------
api GET "users.info?username=$BOT_USERNAME"
if [ "$status" = "200" ]; then
    bot_uid="$(jq -r '.user._id // empty' "$work/body")"
    [ -n "$bot_uid" ] || fail "users.info returned no user id for '$BOT_USERNAME'"
    if ! jq -e '(.user.roles // []) | index("bot") != null' "$work/body" > /dev/null; then
        log "WARNING: existing user '$BOT_USERNAME' does not have the 'bot' role"
    fi
    log "bot user '$BOT_USERNAME' exists (id $bot_uid)"
elif [ "$status" = "400" ] && error_text | grep -qi 'not found'; then
    jq -n '{username: env.BOT_USERNAME, email: env.BOT_EMAIL, name: env.BOT_NAME,
            password: env.BOT_PASS, roles: ["bot"], verified: true, active: true,
            joinDefaultChannels: false, requirePasswordChange: false, sendWelcomeEmail: false}' > "$work/req"
    api POST users.create "$work/req"
    [ "$status" = "200" ] || fail "creating bot user '$BOT_USERNAME' failed (HTTP $status): $(error_text)"
    bot_uid="$(jq -r '.user._id // empty' "$work/body")"
    [ -n "$bot_uid" ] || fail "users.create returned no user id"
    log "created bot user '$BOT_USERNAME' (id $bot_uid, role bot)"
else
    fail "looking up user '$BOT_USERNAME' failed (HTTP $status): $(error_text)"
fi

# --- 4. Permission create-personal-access-tokens for role bot -------------
perm="create-personal-access-tokens"
api GET permissions.listAll
[ "$status" = "200" ] || fail "permissions.listAll failed (HTTP $status): $(error_text)"
if ! jq -e --arg p "$perm" '.update[] | select(._id == $p)' "$work/body" > /dev/null; then
    fail "permission '$perm' not found on this server"
fi
if jq -e --arg p "$perm" '.update[] | select(._id == $p) | (.roles // []) | index("bot") != null' \
    "$work/body" > /dev/null; then
    log "role 'bot' already holds '$perm'"
else
    jq --arg p "$perm" '{permissions: [.update[] | select(._id == $p)
                         | {_id, roles: ((.roles // []) + ["bot"] | unique)}]}' "$work/body" > "$work/req"
    api POST permissions.update "$work/req"
    [ "$status" = "200" ] || fail "granting '$perm' to role 'bot' failed (HTTP $status): $(error_text)"
    log "granted '$perm' to role 'bot'"
fi

# --- 5. Bot login and personal access token --------------------------------
auth_uid=""
auth_tok=""
jq -n '{user: env.BOT_USERNAME, password: env.BOT_PASS}' > "$work/req"
api POST login "$work/req"
[ "$status" = "200" ] || fail "login as '$BOT_USERNAME' failed (HTTP $status): $(error_text); if the user already existed, BOT_PASS must be its password"
login_uid="$(jq -r '.data.userId // empty' "$work/body")"
login_tok="$(jq -r '.data.authToken // empty' "$work/body")"
if [ "$login_uid" != "$bot_uid" ] || [ -z "$login_tok" ]; then
    fail "bot login returned an unexpected user id or no token"
fi
auth_uid="$bot_uid"
auth_tok="$login_tok"
twofa_code="$(printf '%s' "$BOT_PASS" | sha256sum | cut -d ' ' -f 1)"

jq -n '{tokenName: env.BOT_TOKEN_NAME, bypassTwoFactor: true}' > "$work/req"
api POST users.generatePersonalAccessToken "$work/req"
if [ "$status" != "200" ] && error_text | grep -qi 'exist'; then
    log "a token named '$BOT_TOKEN_NAME' already exists; regenerating it"
    jq -n '{tokenName: env.BOT_TOKEN_NAME}' > "$work/req"
    api POST users.regeneratePersonalAccessToken "$work/req"
fi
[ "$status" = "200" ] || fail "creating the personal access token failed (HTTP $status): $(error_text)"
pat="$(jq -r '.token // empty' "$work/body")"
[ -n "$pat" ] || fail "no token in the personal access token response"
twofa_code=""

# --- 6. Verify, clean up sessions, write the file --------------------------
api POST logout            # ends the bot's password login session (PAT stays)
auth_uid="$bot_uid"
auth_tok="$pat"
api GET me
[ "$status" = "200" ] || fail "the new personal access token is not accepted (HTTP $status): $(error_text)"
auth_uid="$admin_uid"
auth_tok="$admin_tok"
api POST logout            # ends the admin login session

umask 077
mkdir -p "$(dirname "$OUT_FILE")"
tmp_file="$OUT_FILE.tmp.$$"
{
    printf '# Written by deploy/provision-rocketchat.sh: personal access token "%s" of Rocket.Chat user %s\n' \
        "$BOT_TOKEN_NAME" "$BOT_USERNAME"
    printf 'RocketChat__UserId=%s\n' "$bot_uid"
    printf 'RocketChat__AuthToken=%s\n' "$pat"
} > "$tmp_file"
if [ "$(id -u)" = "0" ]; then
    chown "$OUT_OWNER" "$tmp_file"
fi
chmod 0400 "$tmp_file"
mv -f "$tmp_file" "$OUT_FILE"
log "wrote RocketChat__UserId and RocketChat__AuthToken for '$BOT_USERNAME' (id $bot_uid) to $OUT_FILE"
