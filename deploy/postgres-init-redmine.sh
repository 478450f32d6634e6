#!/bin/sh
# Creates the login role and the database of the demo Redmine in the stack's
# PostgreSQL (docker-compose.yml mounts this file as
# /docker-entrypoint-initdb.d/10-redmine.sh).
#
# The postgres image runs /docker-entrypoint-initdb.d/ only when it creates a
# new cluster, i.e. on the first start with an empty `postgres-data` volume.
# For a volume created before Redmine joined the stack, run it by hand (it is
# idempotent: it creates what is missing and resets the role's password):
#
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-redmine.sh
#
# Needs POSTGRES_USER, POSTGRES_DB (the superuser and its database, set on the
# postgres service) and REDMINE_DB_PASSWORD. Connects through the local
# socket (trusted by the image's pg_hba.conf). The password is passed as a
# psql variable and quoted by format(%L); it is never printed.
#
# Written to be executed or sourced (the entrypoint sources files that are not
# executable), so it neither exits nor changes shell options.

REDMINE_DB_NAME="${REDMINE_DB_NAME:-redmine}"
REDMINE_DB_USER="${REDMINE_DB_USER:-redmine}"

psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
    --username "${POSTGRES_USER:?POSTGRES_USER must be set}" \
    --dbname "${POSTGRES_DB:?POSTGRES_DB must be set}" \
    --set=rm_db="$REDMINE_DB_NAME" \
    --set=rm_user="$REDMINE_DB_USER" \
    --set=rm_password="${REDMINE_DB_PASSWORD:?REDMINE_DB_PASSWORD must be set}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'rm_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'rm_user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'rm_user', :'rm_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'rm_db', :'rm_user', 'UTF8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'rm_db') \gexec
SQL
echo "postgres-init-redmine: role '$REDMINE_DB_USER' and database '$REDMINE_DB_NAME' are in place" >&2
