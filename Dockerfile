# One image for both Python apps (the API and the widget host); the command picks the app.
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY packages packages
COPY apps apps
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never
RUN uv sync --frozen --no-dev --all-packages --no-editable

FROM python:3.11-slim
RUN useradd --system --uid 10001 itl
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH ITL_ENV=production
USER itl
EXPOSE 8000 8001
CMD ["uvicorn", "http_api.asgi:app", "--host", "0.0.0.0", "--port", "8000"]
