"""The web platform: JSON API, pages and scoped access (FastAPI, Jinja2, HTMX, ECharts)."""
