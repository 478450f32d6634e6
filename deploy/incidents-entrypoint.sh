#!/bin/sh
# Entrypoint wrapper for the `incidents` container (docker-compose.yml).
#
# Compose cannot put a file that is produced at runtime (by the one-shot
# rocketchat-provision service) into `environment:`, so this wrapper reads
# /provision/rocketchat.env and exports the Rocket.Chat credentials before it
# execs the API. The file is parsed, never sourced: only the two expected keys
# are accepted and nothing in it is executed.
#
# Values already present in the environment win, so an operator can bypass
# provisioning by setting RocketChat__UserId and RocketChat__AuthToken.
#
# Never prints the credentials.
set -eu

env_file="${PROVISION_ENV_FILE:-/provision/rocketchat.env}"

if [ -n "${RocketChat__UserId:-}" ] && [ -n "${RocketChat__AuthToken:-}" ]; then
    echo "incidents-entrypoint: Rocket.Chat credentials given in the environment; not reading $env_file" >&2
elif [ -r "$env_file" ]; then
    user_id=""
    auth_token=""
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
            RocketChat__UserId=*) user_id="${line#RocketChat__UserId=}" ;;
            RocketChat__AuthToken=*) auth_token="${line#RocketChat__AuthToken=}" ;;
            ''|'#'*) ;;
            *) echo "incidents-entrypoint: ignoring an unexpected line in $env_file" >&2 ;;
        esac
    done < "$env_file"
    if [ -z "$user_id" ] || [ -z "$auth_token" ]; then
        echo "incidents-entrypoint: $env_file lacks RocketChat__UserId or RocketChat__AuthToken" >&2
        exit 1
    fi
    RocketChat__UserId="$user_id"
    RocketChat__AuthToken="$auth_token"
    export RocketChat__UserId RocketChat__AuthToken
    echo "incidents-entrypoint: loaded Rocket.Chat credentials for user id $user_id from $env_file" >&2
else
    echo "incidents-entrypoint: $env_file is missing or unreadable and RocketChat__UserId/RocketChat__AuthToken are not set" >&2
    exit 1
fi

exec dotnet /app/api/Incidents.Api.dll "$@"
