#!/bin/sh
# Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as
# the superuser named by POSTGRES_USER (pendamping), which the three services use. Each
# service owns its own database. The staff console gets a role of its own that can open only
# its accounts database: it reaches every other record through the APIs, with its users'
# tokens.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v console_password="$CONSOLE_DB_PASSWORD" <<'SQL'
CREATE DATABASE intake;
CREATE DATABASE assessment;
CREATE DATABASE notifications;
-- each service's clients' data keys, apart from its data (a backup of one holds no key)
CREATE DATABASE intake_keys;
CREATE DATABASE assessment_keys;
CREATE DATABASE notifications_keys;
REVOKE CONNECT, TEMPORARY ON DATABASE intake, assessment, notifications FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE intake_keys, assessment_keys, notifications_keys
  FROM PUBLIC;
CREATE ROLE console LOGIN PASSWORD :'console_password';
CREATE DATABASE console OWNER console;
REVOKE CONNECT, TEMPORARY ON DATABASE console FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE console TO console;
SQL
