"""`cardscan serve`: a local web app over the same library and database as the command line.

Server-rendered (FastAPI + Jinja2) with htmx, vendored in static/ with its licence: no build step, nothing
loaded from a CDN, works offline.
"""
