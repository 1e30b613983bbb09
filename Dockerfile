# Images of every topology (see README "Deployment"), one build per target:
#   app   the Python apps (API, widget host, `itl`); the command picks which (default target)
#   edge  nginx with the built web app and deploy/nginx.conf (unified topology's front door)

# --- the web app (web/): static files only, nothing of node ships ---
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM nginx:1.27-alpine AS edge
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=web /web/dist /usr/share/nginx/html
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/ready >/dev/null || exit 1

# --- the Python apps ---
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY packages packages
COPY apps apps
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never
RUN uv sync --frozen --no-dev --all-packages --no-editable

FROM python:3.11-slim AS app
RUN useradd --system --uid 10001 itl
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH ITL_ENV=production
USER itl
EXPOSE 8000 8001
# SIGTERM: stop accepting, end open chat streams with an `error` event, drain for at most 10 s.
CMD ["uvicorn", "http_api.asgi:app", "--host", "0.0.0.0", "--port", "8000", "--timeout-graceful-shutdown", "10"]
