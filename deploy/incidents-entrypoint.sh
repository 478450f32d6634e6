#!/bin/sh
# Entrypoint wrapper for the `incidents` container (docker-compose.yml).
#
# Compose cannot put a file that is produced at runtime (by the one-shot
# provisioning services) into `environment:`, so this wrapper reads
#   /provision/rocketchat.env  (rocketchat-provision: the bot's user id and token; required)
#   /provision/redmine.env     (redmine-provision: the Redmine integration user's API key,
#                               Redmine's text formatting and maximum attachment size; optional)
# and exports them before it execs the API. The files are parsed, never
# sourced: only the expected keys are accepted and nothing in them is executed.
#
# Values already present in the environment win, so an operator can bypass
# provisioning by setting them (e.g. RocketChat__UserId and
# RocketChat__AuthToken, or Tickets__Redmine__ApiKey).
#
# Never prints the credentials.
set -eu

rc_file="${PROVISION_ENV_FILE:-/provision/rocketchat.env}"
redmine_file="${PROVISION_REDMINE_ENV_FILE:-/provision/redmine.env}"

# load_env FILE KEY... : exports each KEY found in FILE as KEY=value, unless KEY is already set.
load_env() {
    file="$1"
    shift
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
            ''|'#'*) continue ;;
        esac
        key="${line%%=*}"
        value="${line#*=}"
        known=""
        for wanted in "$@"; do
            [ "$key" = "$wanted" ] && known="yes"
        done
        if [ -z "$known" ] || [ "$key" = "$line" ]; then
            echo "incidents-entrypoint: ignoring an unexpected line in $file" >&2
            continue
        fi
        if [ -n "$(printenv "$key" || true)" ]; then
            continue
        fi
        export "$key=$value"
    done < "$file"
}

if [ -n "${RocketChat__UserId:-}" ] && [ -n "${RocketChat__AuthToken:-}" ]; then
    echo "incidents-entrypoint: Rocket.Chat credentials given in the environment; not reading $rc_file" >&2
elif [ -r "$rc_file" ]; then
    load_env "$rc_file" RocketChat__UserId RocketChat__AuthToken
    if [ -z "${RocketChat__UserId:-}" ] || [ -z "${RocketChat__AuthToken:-}" ]; then
        echo "incidents-entrypoint: $rc_file lacks RocketChat__UserId or RocketChat__AuthToken" >&2
        exit 1
    fi
    echo "incidents-entrypoint: loaded Rocket.Chat credentials for user id $RocketChat__UserId from $rc_file" >&2
else
    echo "incidents-entrypoint: $rc_file is missing or unreadable and RocketChat__UserId/RocketChat__AuthToken are not set" >&2
    exit 1
fi

if [ -r "$redmine_file" ]; then
    load_env "$redmine_file" Tickets__Redmine__ApiKey Tickets__Redmine__TextFormatting Tickets__Redmine__MaxAttachmentBytes
    echo "incidents-entrypoint: loaded the Redmine integration user's API key and settings from $redmine_file" >&2
elif [ -n "${Tickets__Redmine__Url:-}" ] && [ -z "${Tickets__Redmine__ApiKey:-}" ]; then
    echo "incidents-entrypoint: Tickets__Redmine__Url is set but $redmine_file is missing and Tickets__Redmine__ApiKey is not set" >&2
fi

exec dotnet /app/api/Incidents.Api.dll "$@"
