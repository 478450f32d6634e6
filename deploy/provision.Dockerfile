# Tiny image for the one-shot `rocketchat-provision` service in
# docker-compose.yml: POSIX sh + curl + jq (+ busybox sha256sum).
# The script itself is mounted read-only from deploy/provision-rocketchat.sh.
FROM alpine:3.22
RUN apk add --no-cache curl jq
ENTRYPOINT ["/bin/sh"]
