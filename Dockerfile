FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

# Pango and HarfBuzz for WeasyPrint (PDF treatment plans).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.txt && npm ci --no-audit --no-fund --omit=dev

COPY . .
# outbox/: emails written by the file backend in a trial; private/: clearance letters; media/:
# the clinic's logo. Owned by the app's user, which named volumes copy when first mounted.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && useradd --create-home clinic && mkdir -m 700 /app/outbox /app/private /app/media && chown -R clinic /app
USER clinic

EXPOSE 8000
# gunicorn.conf.py: gthread workers, timeouts, an access log without query strings.
CMD ["sh", "-c", "python manage.py migrate --no-input && gunicorn --config gunicorn.conf.py clinic.wsgi:application"]
