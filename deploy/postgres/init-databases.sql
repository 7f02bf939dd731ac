-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d),
-- as the superuser named by POSTGRES_USER (pendamping). Each service owns its own database.
CREATE DATABASE intake;
CREATE DATABASE assessment;
CREATE DATABASE notifications;
-- the staff console's accounts
CREATE DATABASE console;
