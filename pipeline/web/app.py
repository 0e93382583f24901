"""The web app's routes: contacts, one contact, the review queue, adding cards, reminders, export.

Every page reads and writes through the same library calls as the command line (`pipeline.book`,
`pipeline.formats`, `pipeline.scan`); nothing here knows more about the database than they do.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request, UploadFile
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from models import Card, Contact, Position
from models.database import connect, forget_deleted, sessions
from pipeline.book.contacts import all_tags, contact_detail, filtered_ids, list_contacts, search_contacts
from pipeline.book.corrections import record
from pipeline.book.editing import (
    EDITABLE,
    EditError,
    add_job,
    contact_region,
    delete_contact,
    delete_job,
    edit_contact,
    edit_job,
    job_of,
    mark_current,
    merge_contacts,
    resolve_review,
    split_card,
)
from pipeline.book.filing import Filing
from pipeline.book.reminders import upcoming
from pipeline.book.review import accept, doubts, fix, held, mark, reject, review_count, review_queue
from pipeline.book.store import store_result
from pipeline.core.config import SettingError, Settings, check_region
from pipeline.core.errors import CardscanError
from pipeline.formats.export import render
from pipeline.formats.record import exportable
from pipeline.stages.load import too_big
from pipeline.stages.run import scan
from pipeline.web.display import dates_in, day, moment
from pipeline.web.security import AUTH_COOKIE, CSP, CSRF_COOKIE, CSRF_FIELD, Guard

CHUNK = 1 << 20
REVIEW_PAGE = 100  # cards the review list shows at once: a person works from the top, the count says how many
EXPORTS = {"vcard": ("vcf", "text/vcard"), "csv-google": ("csv", "text/csv"), "csv-outlook": ("csv", "text/csv")}
# What the contact page's form may change: the fields `cardscan contacts edit` takes, in a person's order.
FORM_FIELDS = ("display_name", "title", "company", "department", "phone", "email", "birthday", "interests",
               "met_at", "met_on", "follow_up", "notes")
JOB_FORM = ("company", "title", "department", "since", "until")  # `cardscan contacts job add|edit` takes these
# Readings a card holds for review that the review form offers as `cardscan review` lists them, one field each, the
# values as read: left as shown they are accepted, typed over they are a fix, emptied a reject (as in the CLI).
HELD_LISTS = ("phones", "emails", "websites", "social")
SEPARATOR = ", "  # between the values of one held field in its form input; none of them holds a comma
# Routes that serve files and fragments rather than pages: their errors stay JSON, as FastAPI writes them.
API_PATHS = ("/export", "/cards/", "/add/jobs", "/static/")
ERROR_HEADINGS = {400: "That address is not right", 403: "Not allowed", 404: "Not found", 405: "Not found",
                  409: "Not yet"}
# Where an error page leads back to: the section of the app the address was in.
SECTIONS = {"contacts": ("/contacts", "Back to the contacts"), "review": ("/review", "Back to the review"),
            "add": ("/add", "Back to adding cards"), "reminders": ("/reminders", "Back to the reminders")}


@dataclass
class Job:
    """One uploaded file on its way through the pipeline."""

    name: str
    state: str = "queued"  # queued -> scanning -> done | failed
    error: str | None = None
    contacts: list[int] = field(default_factory=list)


@dataclass
class Uploads:
    """Files are scanned one at a time off the request thread, by the same call as `cardscan scan`."""

    maker: sessionmaker[Session]
    settings: Settings
    jobs: dict[str, Job] = field(default_factory=dict)
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, path: Path) -> str:
        key = secrets.token_urlsafe(8)
        with self.lock:
            self.jobs[key] = Job(name)
        self.pool.submit(self._run, key, path)
        return key

    def _run(self, key: str, path: Path) -> None:
        job = self.jobs[key]
        job.state = "scanning"
        try:
            result = scan(path, self.settings, name=job.name)
            if result.status == "error":
                job.state, job.error = "failed", result.error
                return
            if result.cards:
                with self.maker.begin() as session:
                    # A new contact gets its follow-up on the next working day, as from `cardscan scan`.
                    store_result(session, result, filing=Filing(follow_up=True))
            job.contacts = [c.contact_id for c in result.cards if c.contact_id is not None]
            job.state = "done"
            job.error = None if result.cards else "no card found in the image"
        except CardscanError as exc:
            job.state, job.error = "failed", str(exc)
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)


def create_app(db_url: str, guard: Guard, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    maker = sessions(connect(db_url))
    uploads = Uploads(maker, settings)
    templates = Jinja2Templates(directory=str(resources.files("pipeline.web") / "templates"))
    templates.env.filters.update(day=day, moment=moment, dates_in=dates_in)
    app = FastAPI(title="cardscan", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=str(resources.files("pipeline.web") / "static")), name="static")

    @contextmanager
    def book() -> Iterator[Session]:
        with maker.begin() as session:
            yield session

    @app.middleware("http")
    async def protect(request: Request, call_next: Any) -> Response:
        query_token = request.query_params.get("token")
        if not guard.allows(request.cookies.get(AUTH_COOKIE), query_token):
            return Response("cardscan: open the URL with ?token=... that `cardscan serve` printed", 403)
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"  # personal data: not kept in the browser's cache
        if query_token and guard.token:
            response.set_cookie(AUTH_COOKIE, guard.token, httponly=True, samesite="strict")
        response.set_cookie(CSRF_COOKIE, guard.csrf, httponly=True, samesite="strict")
        return response

    async def checked_form(request: Request) -> dict[str, str]:
        form = await request.form()
        if not guard.csrf_ok(_str(form.get(CSRF_FIELD)), request.cookies.get(CSRF_COOKIE)):
            raise HTTPException(403, "the form is stale or came from another site: reload the page and try again")
        return {k: _str(v) or "" for k, v in form.items() if k != CSRF_FIELD}

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        with book() as session:
            waiting = review_count(session)
        return templates.TemplateResponse(request, name, {"csrf": guard.csrf, "csrf_field": CSRF_FIELD,
                                                          "to_review": waiting, **context})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """A page that says what was not found, with a way back, to a person's browser; JSON, as FastAPI answers,
        to the routes that serve files and fragments (and to any client that does not ask for a page)."""
        if not _wants_page(request):
            return await http_exception_handler(request, exc)
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":  # no route: the router's own words
            detail = f"there is no page at {request.url.path}"
        elif exc.status_code == 405:
            detail = f"{request.url.path} is not a page to open: a form sends to it"
        return error_page(request, exc.status_code, detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if not _wants_page(request):
            return await request_validation_exception_handler(request, exc)
        wrong = [str(e["loc"][-1]) for e in exc.errors() if e.get("loc")]
        if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):  # /contacts/abc: no such page
            return error_page(request, 404, f"there is no page at {request.url.path}")
        return error_page(request, 400, f"the address has a value this page cannot use: {', '.join(wrong)}")

    def error_page(request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
        section = request.url.path.strip("/").split("/")[0]
        back, back_text = SECTIONS.get(section, SECTIONS["contacts"])
        return templates.TemplateResponse(
            request, "error.html", {"heading": ERROR_HEADINGS.get(status, "Something went wrong"),
                                    "detail": detail[:1].upper() + detail[1:] + ".", "back": back,
                                    "back_text": back_text, "to_review": None},
            status_code=status, headers=headers)

    @app.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/contacts", 303)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers ask for /favicon.ico whatever the page links; both get the same small SVG."""
        return FileResponse(str(resources.files("pipeline.web") / "static" / "favicon.svg"),
                            media_type="image/svg+xml")

    @app.get("/contacts", response_class=HTMLResponse)
    def contacts(request: Request, q: str = "", company: str = "", tag: str = "", met_at: str = "",
                 birthday_month: bool = False, sort: str = "name", deleted: int | None = None) -> HTMLResponse:
        with book() as session:
            rows = _listed(session, q, company, tag, met_at, birthday_month)
            tags = all_tags(session)
        key = sort if sort in ("name", "company", "title") else "name"
        rows.sort(key=lambda r: ((r[key] or "").casefold(), r["id"]))
        shown = {"q": q, "company": company, "tag": tag, "met_at": met_at}
        filters = urlencode({k: v for k, v in shown.items() if v} | ({"birthday_month": "true"} if birthday_month
                                                                      else {}))
        return page(request, "contacts.html", rows=rows, tags=tags, birthday_month=birthday_month, sort=key,
                    filters=filters, deleted=deleted, **shown)

    @app.get("/contacts/{contact_id}", response_class=HTMLResponse)
    def contact_page(request: Request, contact_id: int, error: str | None = None) -> HTMLResponse:
        with book() as session:
            contact = _contact(session, contact_id)
            detail = contact_detail(contact)
            pictures = {card.id: _picture(card) for card in contact.cards}
            region = contact_region(contact)
        return page(request, "contact.html", c=detail, error=error, fields=FORM_FIELDS, pictures=pictures,
                    region=region)

    @app.post("/contacts/{contact_id}/jobs")
    async def job_add(request: Request, contact_id: int) -> RedirectResponse:
        """A job the cards do not show, placed by its dates among the others (`cardscan contacts job add`)."""
        form = await checked_form(request)
        values = {k: form[k].strip() or None for k in JOB_FORM if k in form}
        try:
            with book() as session:
                add_job(session, _contact(session, contact_id), values)
        except EditError as exc:
            return RedirectResponse(f"/contacts/{contact_id}?error={_quote(str(exc))}#jobs", 303)
        return RedirectResponse(f"/contacts/{contact_id}#jobs", 303)

    @app.post("/contacts/{contact_id}/jobs/{job_id}")
    async def job_edit(request: Request, contact_id: int, job_id: int) -> RedirectResponse:
        """Correct or date one job; it is kept by hand from then on: no scan changes it."""
        form = await checked_form(request)
        try:
            with book() as session:
                contact = _contact(session, contact_id)
                job = _job(contact, job_id)
                changes = _job_changes(job, form)
                if changes:
                    edit_job(session, contact, job, changes)
        except EditError as exc:
            return RedirectResponse(f"/contacts/{contact_id}?error={_quote(str(exc))}#jobs", 303)
        return RedirectResponse(f"/contacts/{contact_id}#jobs", 303)

    def on_job(contact_id: int, job_id: int,
               action: Callable[[Session, Contact, Position], object]) -> RedirectResponse:
        """One of the contact's jobs acted on (made current, deleted), then back to the timeline."""
        with book() as session:
            contact = _contact(session, contact_id)
            action(session, contact, _job(contact, job_id))
        return RedirectResponse(f"/contacts/{contact_id}#jobs", 303)

    @app.post("/contacts/{contact_id}/jobs/{job_id}/current")
    async def job_current(request: Request, contact_id: int, job_id: int) -> RedirectResponse:
        """A past job made the current one again (`cardscan contacts job current`): the open one ends today."""
        await checked_form(request)
        return on_job(contact_id, job_id, mark_current)

    @app.post("/contacts/{contact_id}/jobs/{job_id}/delete")
    async def job_delete(request: Request, contact_id: int, job_id: int) -> RedirectResponse:
        await checked_form(request)
        return on_job(contact_id, job_id, delete_job)

    @app.post("/contacts/{contact_id}/edit")
    async def contact_edit(request: Request, contact_id: int) -> RedirectResponse:
        form = await checked_form(request)
        try:
            with book() as session:
                contact = _contact(session, contact_id)
                edit_contact(session, contact, _changes(contact_detail(contact), form), _region(form))
        except EditError as exc:
            return RedirectResponse(f"/contacts/{contact_id}?error={_quote(str(exc))}", 303)
        return RedirectResponse(f"/contacts/{contact_id}", 303)

    @app.post("/contacts/{contact_id}/merge")
    async def contact_merge(request: Request, contact_id: int) -> RedirectResponse:
        form = await checked_form(request)
        other_id = int(form.get("other") or 0)
        with book() as session:
            if other_id == contact_id:
                return RedirectResponse(f"/contacts/{contact_id}?error=pick+another+contact", 303)
            merge_contacts(session, _contact(session, contact_id), _contact(session, other_id))
        return RedirectResponse(f"/contacts/{contact_id}", 303)

    @app.post("/contacts/{contact_id}/delete")
    async def contact_delete(request: Request, contact_id: int) -> RedirectResponse:
        """As `cardscan contacts delete`: the contact, its cards, pictures, OCR text and history, unrecoverable from
        the files (forget_deleted); the image files scanned are left where they are. The form's box must be ticked."""
        form = await checked_form(request)
        if form.get("confirm") != "yes":
            return RedirectResponse(f"/contacts/{contact_id}?error=tick+the+box+to+delete+this+contact", 303)
        with book() as session:
            delete_contact(session, _contact(session, contact_id))
            engine = session.get_bind()
        forget_deleted(engine.engine)
        return RedirectResponse(f"/contacts?deleted={contact_id}", 303)

    @app.post("/contacts/{contact_id}/split/{card_id}")
    async def contact_split(request: Request, contact_id: int, card_id: int) -> RedirectResponse:
        await checked_form(request)
        with book() as session:
            card = _card(session, card_id)
            if card.contact_id != contact_id:
                raise HTTPException(404, "no such card on this contact")
            new = split_card(session, _contact(session, contact_id), card)
            session.flush()
            new_id = new.id
        return RedirectResponse(f"/contacts/{new_id}", 303)

    @app.get("/cards/{card_id}/image")
    def card_image(card_id: int) -> Response:
        """The card picture, by card id from the database: no path from the request is ever opened."""
        with book() as session:
            crop = _card(session, card_id).crop
        if not crop:
            raise HTTPException(404, "this card has no picture")
        return Response(crop, media_type="image/jpeg")

    @app.get("/review", response_class=HTMLResponse)
    def review(request: Request) -> HTMLResponse:
        with book() as session:
            items = [_review_item(card) for card in review_queue(session, REVIEW_PAGE)]
        return page(request, "review.html", items=items)

    @app.get("/review/{card_id}", response_class=HTMLResponse, response_model=None)
    def review_card(request: Request, card_id: int) -> HTMLResponse | RedirectResponse:
        with book() as session:
            card = _card(session, card_id)
            if card.waits_on_id is not None:  # another photo of a card asking a question: the question's page
                return RedirectResponse(f"/review/{card.waits_on_id}", 303)
            item = _review_item(card) | {"picture": _picture(card),
                                         "photos": [{"card_id": p.id, "source": Path(p.source_path).name,
                                                     "picture": _picture(p)} for p in card.photos]}
            candidates = [contact_detail(c.contact) | {"score": c.score, "reason": c.reason} for c in card.candidates]
            filed = _for_review(card) if card.contact else None
            offered = [f"held_{k}" for k in HELD_LISTS if k in held(card.fields or {})]
            region = contact_region(card.contact, card)
        return page(request, "review_card.html", item=item, candidates=candidates, filed=filed,
                    fields=(*offered, *FORM_FIELDS), region=region)

    @app.post("/review/{card_id}/merge/{contact_id}")
    async def review_merge(request: Request, card_id: int, contact_id: int) -> RedirectResponse:
        await checked_form(request)
        with book() as session:
            card = _card(session, card_id)
            if contact_id not in {c.contact_id for c in (card.waits_on or card).candidates}:
                raise HTTPException(404, "that contact is not a candidate for this card")
            resolve_review(session, card, _contact(session, contact_id))
        return RedirectResponse("/review", 303)

    @app.post("/review/{card_id}/apart")
    async def review_apart(request: Request, card_id: int) -> RedirectResponse:
        await checked_form(request)
        with book() as session:
            resolve_review(session, _card(session, card_id), None)
        return RedirectResponse("/review", 303)

    @app.post("/review/{card_id}/accept")
    async def review_accept(request: Request, card_id: int) -> RedirectResponse:
        """The fields are right (as corrected in the form): the card leaves the queue."""
        form = await checked_form(request)
        try:
            with book() as session:
                card = _card(session, card_id)
                if card.contact is None:
                    raise HTTPException(409, "this card waits for a same-person answer first")
                changes = _changes(_for_review(card), form)
                region = _region(form) or contact_region(card.contact, card)
                # A held field the person typed is a correction of the reading; the rest of the card's doubts are
                # accepted as read. Both go into the contact through the merge (pipeline.book.review), as in the CLI.
                for key in [k for k in ("title", "company", "department") if k in held(card.fields)]:
                    if changes.get(key):
                        fix(session, card, key, [changes.pop(key) or ""], region)
                _held_lists(session, card, form, region)
                accept(session, card)
                edit_contact(session, card.contact, changes, region)
                record(card, _corrected(form))
                card.review = "checked"
                mark(card)
        except EditError as exc:
            return RedirectResponse(f"/review/{card_id}?error={_quote(str(exc))}", 303)
        return RedirectResponse("/review", 303)

    @app.get("/add", response_class=HTMLResponse)
    def add_page(request: Request) -> HTMLResponse:
        return page(request, "add.html", jobs=dict(uploads.jobs))

    @app.post("/add")
    async def add_cards(request: Request, files: list[UploadFile]) -> RedirectResponse:
        form = await request.form()
        if not guard.csrf_ok(_str(form.get(CSRF_FIELD)), request.cookies.get(CSRF_COOKIE)):
            raise HTTPException(403, "the form is stale or came from another site: reload the page and try again")
        for upload in files:
            folder = Path(tempfile.mkdtemp(prefix="cardscan-upload-"))  # 0700, private to this user
            name = Path(upload.filename or "upload").name
            # Under its own name (the stored card's file name, shown on the review page and in corrections);
            # the folder is new and private, and only the last part of the name is used, if a file may have it.
            usable = name not in ("", ".", "..") and "\x00" not in name and len(name.encode(errors="replace")) <= 200
            target = folder / (name if usable else "upload")
            written, over = 0, False
            with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                while chunk := await upload.read(CHUNK):
                    written += len(chunk)
                    if written > settings.max_file_bytes:
                        over = True
                        break
                    out.write(chunk)
            if over:
                shutil.rmtree(folder, ignore_errors=True)
                uploads.jobs[secrets.token_urlsafe(8)] = Job(name, "failed", too_big(None, settings.max_file_bytes))
                continue
            uploads.add(name, target)
        return RedirectResponse("/add", 303)

    @app.get("/add/jobs", response_class=HTMLResponse)
    def add_jobs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "jobs.html", {"jobs": dict(uploads.jobs)})

    @app.get("/reminders", response_class=HTMLResponse)
    def reminders(request: Request, days: int = 7) -> HTMLResponse:
        with book() as session:
            found = upcoming(session, date.today(), max(0, min(days, 366)))
            links = {r.contact_id: contact_detail(_contact(session, r.contact_id)) for r in found}
        return page(request, "reminders.html", reminders=found, links=links, days=days)

    @app.get("/export")
    def export(fmt: str = "vcard", q: str = "", company: str = "", tag: str = "", met_at: str = "",
               birthday_month: bool = False) -> Response:
        """The contacts the list shows with the same filters, as a file."""
        if fmt not in EXPORTS:
            raise HTTPException(400, f"format must be one of {', '.join(EXPORTS)}")
        with book() as session:
            ids = [r["id"] for r in _listed(session, q, company, tag, met_at, birthday_month)]
            chosen = session.scalars(select(Contact).where(Contact.id.in_(ids)).order_by(Contact.id))
            body = render([c for c in chosen if exportable(c)], fmt)  # type: ignore[arg-type]
        suffix, media = EXPORTS[fmt]
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="contacts.{suffix}"'})

    app.state.uploads = uploads
    return app


def _wants_page(request: Request) -> bool:
    """A person's browser opening a page (or sending a form), not htmx fetching a fragment nor a script."""
    if request.headers.get("hx-request") or request.url.path.startswith(API_PATHS):
        return False
    return "text/html" in request.headers.get("accept", "")


def _listed(session: Session, q: str, company: str, tag: str, met_at: str,
            birthday_month: bool) -> list[dict[str, Any]]:
    """The contacts the list's filters choose: what the page shows and what its export links download."""
    rows = search_contacts(session, q) if q.strip() else list_contacts(session)
    if company.strip():
        rows = [r for r in rows if company.casefold() in (r["company"] or "").casefold()]
    if tag.strip() or met_at.strip():
        wanted = filtered_ids(session, tag.strip() or None, met_at.strip() or None)
        rows = [r for r in rows if r["id"] in wanted]
    if birthday_month:
        born = {c.id for c in session.scalars(select(Contact).where(Contact.birthday.is_not(None)))
                if c.birthday and c.birthday.month == date.today().month}
        rows = [r for r in rows if r["id"] in born]
    return rows


def _for_review(card: Card) -> dict[str, Any]:
    """The contact as the review form shows it: a job field the card holds for review, which the contact lacks,
    filled in from the card, so accepting as shown takes it and typing over it corrects it."""
    assert card.contact is not None
    shown = contact_detail(card.contact)
    for key in ("title", "company", "department"):
        if key in held(card.fields or {}) and not shown.get(key):
            shown[key] = (card.fields or {}).get(key)
    for key in HELD_LISTS:  # offered as read, as `cardscan review` lists them
        if key in held(card.fields or {}):
            shown[f"held_{key}"] = SEPARATOR.join(_held_values(card, key))
    jobs = shown["positions"]
    if "department" in held(card.fields or {}) and not (jobs and jobs[-1]["department"]):
        last = dict(jobs[-1]) if jobs else {}
        shown["positions"] = [*jobs[:-1], last | {"department": (card.fields or {}).get("department")}]
    return shown


def _held_values(card: Card, key: str) -> list[str]:
    values = (card.fields or {}).get(key) or []
    return [v["number"] if isinstance(v, dict) else str(v) for v in values]


def _held_lists(session: Session, card: Card, form: dict[str, str], region: str) -> None:
    """The held phones, e-mails, sites and profiles as the person left them in the form: as shown, they are
    accepted with the rest (`review accept`); typed over, what the card prints (`review fix`, kept as a
    correction); emptied, misread with nothing to put instead (`review reject`)."""
    for key in [k for k in HELD_LISTS if k in held(card.fields or {}) and f"held_{k}" in form]:
        typed = [v.strip() for v in form[f"held_{key}"].replace(";", ",").split(",") if v.strip()]
        if typed == _held_values(card, key):
            continue
        if typed:
            fix(session, card, key, typed, region)
        else:
            reject(session, card, key)


def _review_item(card: Card) -> dict[str, Any]:
    fields = card.fields or {}
    return {"card_id": card.id, "contact_id": card.contact_id, "pending": card.review == "pending",
            "doubts": doubts(fields), "held": held(fields), "fields": fields, "source": Path(card.source_path).name,
            "confidence": fields.get("confidence") or {}}


def _picture(card: Card) -> dict[str, Any] | None:
    """What the page draws a card picture with: its size, and the OCR lines' boxes on it (none for a card
    filed before they were kept)."""
    if not card.crop:
        return None
    try:
        with Image.open(BytesIO(card.crop)) as image:  # reads the header only
            width, height = image.size
    except (OSError, ValueError):
        return None
    return {"width": width, "height": height, "lines": card.lines or []}


def _job(contact: Contact, job_id: int) -> Position:
    try:
        return job_of(contact, job_id)
    except EditError:
        raise HTTPException(404, f"contact {contact.id} has no job {job_id}") from None


def _job_changes(job: Position, form: dict[str, str]) -> dict[str, str | None]:
    """What the person changed of a job: a value left as shown is no edit (its history stays quiet)."""
    shown = {"company": job.company, "title": job.title, "department": job.department,
             "since": job.since.date().isoformat() if job.since else None,
             # An end the next job's start gave is not the person's to keep: the form shows it empty.
             "until": job.until.date().isoformat() if job.until and job.ended_by_hand else None}
    changes: dict[str, str | None] = {}
    for name in JOB_FORM:
        if name in form and (form[name].strip() or None) != shown[name]:
            changes[name] = form[name].strip() or None
    if "since" in changes and changes["since"] is None:
        raise EditError("a job needs its start date (since); delete the job if it never was")
    return changes


def _region(form: dict[str, str]) -> str | None:
    """The form's region for phones typed without +CC (offered as the contact's own country); empty: derived."""
    try:
        return check_region(form.get("region", "").strip() or None)
    except SettingError as exc:
        raise EditError(str(exc)) from None


def _changes(current: dict[str, Any], form: dict[str, str]) -> dict[str, str | None]:
    """Only what the person changed: a field left as shown is not an edit (and stays a scan's to update)."""
    shown = {"display_name": current["name"], "title": current["title"], "company": current["company"],
             "department": (current["positions"][-1]["department"] if current["positions"] else None),
             "birthday": current["birthday"], "interests": ", ".join(current["interests"]),
             "met_at": current["met_at"], "met_on": current["met_on"], "follow_up": current["follow_up"],
             "notes": current["notes"], "phone": "", "email": ""}
    changes: dict[str, str | None] = {}
    for name in FORM_FIELDS:
        value = form.get(name, "").strip()
        if name in ("phone", "email"):
            if value:
                changes[name] = value
        elif value != (shown.get(name) or ""):
            changes[name] = value or None
    return {k: v for k, v in changes.items() if k in EDITABLE}


def _corrected(form: dict[str, str]) -> dict[str, str | None]:
    """The card's fields as the person accepted them (the form's name is the card's `name`)."""
    named = {"display_name": "name", "title": "title", "company": "company", "department": "department"}
    return {ours: form.get(theirs, "").strip() or None for theirs, ours in named.items() if theirs in form}


def _contact(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise HTTPException(404, f"no contact {contact_id}")
    return contact


def _card(session: Session, card_id: int) -> Card:
    card = session.get(Card, card_id)
    if card is None:
        raise HTTPException(404, f"no card {card_id}")
    return card


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")
