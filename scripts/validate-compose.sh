#!/bin/sh
# Validates docker-compose.yml (no Docker engine needed) with:
#   1. docker-compose 1.29.2 (Debian package):  docker-compose -f FILE config -q
#   2. dclint (npm, current Compose Specification + lint rules), pinned version
#   3. shellcheck on the deploy/ shell scripts
# Installs docker-compose and shellcheck with apt-get when missing; runs dclint
# through npx. Exits non-zero when any check fails.
#
# Usage: scripts/validate-compose.sh [compose-file]   (default: docker-compose.yml)
set -eu

DCLINT_VERSION="3.1.0"

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo_root"
compose_file="${1:-docker-compose.yml}"

apt_updated=""
apt_install() {
    if [ "$(id -u)" = "0" ]; then
        sudo_cmd=""
    elif command -v sudo > /dev/null 2>&1; then
        sudo_cmd="sudo"
    else
        echo "validate-compose: '$1' is missing and cannot be installed (not root, no sudo)" >&2
        return 1
    fi
    if [ -z "$apt_updated" ]; then
        $sudo_cmd apt-get update -qq
        apt_updated="yes"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$1" > /dev/null
}

failed=0

# --- 1. docker-compose (v1, Debian) -----------------------------------------
if ! command -v docker-compose > /dev/null 2>&1; then
    echo "validate-compose: installing docker-compose (apt)"
    apt_install docker-compose
fi
echo "validate-compose: $(docker-compose version --short 2>/dev/null || echo '?'): docker-compose -f $compose_file config -q"
if docker-compose -f "$compose_file" config -q; then
    echo "validate-compose: docker-compose OK"
else
    echo "validate-compose: docker-compose FAILED" >&2
    failed=1
fi

# --- 2. dclint ----------------------------------------------------------------
if ! command -v npx > /dev/null 2>&1; then
    echo "validate-compose: npx (Node.js >= 20.19) is required for dclint" >&2
    failed=1
else
    echo "validate-compose: npx --yes dclint@$DCLINT_VERSION $compose_file"
    # dclint exits non-zero on errors; warnings are printed but do not fail.
    if npx --yes "dclint@$DCLINT_VERSION" "$compose_file"; then
        echo "validate-compose: dclint OK"
    else
        echo "validate-compose: dclint FAILED" >&2
        failed=1
    fi
fi

# --- 3. shellcheck on the scripts the stack runs ----------------------------
if ! command -v shellcheck > /dev/null 2>&1; then
    echo "validate-compose: installing shellcheck (apt)"
    apt_install shellcheck || true
fi
if command -v shellcheck > /dev/null 2>&1; then
    echo "validate-compose: shellcheck -s sh deploy/*.sh scripts/validate-compose.sh"
    if shellcheck -s sh deploy/*.sh scripts/validate-compose.sh; then
        echo "validate-compose: shellcheck OK"
    else
        echo "validate-compose: shellcheck FAILED" >&2
        failed=1
    fi
else
    echo "validate-compose: shellcheck unavailable; skipped" >&2
    failed=1
fi

if [ "$failed" -ne 0 ]; then
    echo "validate-compose: FAILED" >&2
    exit 1
fi
echo "validate-compose: all checks passed"
