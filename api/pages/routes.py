"""The web pages for policy officers, served by the API's process at `/` (the API stays under `/v1`).

Rendered on the server (Jinja2) and usable without JavaScript: every page's state is in its URL's
GET parameters, forms that change something (sign-in, sign-out, upload) are POSTs with a CSRF
token. `ahadi.js`, served from the package, only adds the upload's progress bar.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from babel import Locale
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.pages import data, export, i18n
from api.pages.data import CONFIDENCE_LEVELS, FILTERS, PageQuery
from api.pages.sessions import CsrfRejected, PageAccess, Sessions, SignInNeeded
from api.security import Caller, Guard
from api.state import AppState
from core.languages import LANGUAGE_ENDONYMS
from service.errors import AhadiError, InvalidRequest, NotFound
from service.filters import confidence_bound

STATIC = Path(__file__).parent / "static"
# Babel's locale for each interface language (country names); Montenegrin: Serbian in Latin script, Montenegro.
_BABEL_LOCALES = {"en": "en", "sv": "sv", "sw": "sw", "cnr": "sr_Latn_ME", "fa": "fa"}

EXAMPLES = (
    ("en", "Which treatment programme for violent men is promised?"),
    ("sv", "Vad lovar polisen och kommunen om trygghetsvandringar?"),
    ("sw", "Polisi na halmashauri wanashirikiana vipi kuhusu usalama wa jamii?"),
    ("cnr", "Kako centar za socijalni rad i policija sarađuju protiv nasilja u porodici?"),
    ("fa", "پلیس و شهرداری در سوئد درباره گشت‌های امنیت محله چه قولی داده‌اند؟"),
)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("api.pages", "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)
    env.globals.update(endonym=i18n.endonym, direction=i18n.direction, FILTERS=FILTERS, CONFIDENCE_LEVELS=CONFIDENCE_LEVELS)
    return env


class Pages:
    def __init__(self, access: PageAccess):
        self.access = access
        self.env = _environment()

    def render(self, request: Request, name: str, status: int = 200, caller: Caller | None = None, **context: Any) -> HTMLResponse:
        ui = i18n.choose(request)
        response = HTMLResponse("", status_code=status)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        caller = caller or self.access.signed_in(request)
        needs_token = context.pop("needs_csrf", False) or (caller is not None and not self.access.open)
        locale = Locale.parse(_BABEL_LOCALES[ui])
        values = {
            "ui": ui, "ui_dir": i18n.direction(ui), "ui_languages": [(code, LANGUAGE_ENDONYMS[code]) for code in i18n.UI_LANGUAGES],
            "here": here, "here_quoted": quote(here, safe=""), "path": request.url.path,
            "caller": caller, "open_access": self.access.open,
            "csrf": self.access.csrf_token(request, response) if needs_token else None,
            "country_name": lambda code: locale.territories.get(code or "", code or ""),
            **context,
        }
        token = i18n.activate(ui)
        try:
            response.body = response.render(self.env.get_template(name).render(values))
        finally:
            i18n.deactivate(token)
        response.headers["content-length"] = str(len(response.body))
        response.headers["content-language"] = ui
        return response

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.render(request, "error.html", status=status, status_code=status, message=message)


def _page(handler: Callable) -> Callable:
    """Failures as pages: sign-in for a missing session, the API's statuses and messages otherwise."""

    def failure(request: Request, error: Exception) -> Response:
        pages: Pages = request.app.state.pages
        if isinstance(error, SignInNeeded):
            return RedirectResponse(error.target, status_code=303)
        if isinstance(error, CsrfRejected):
            return pages.error(request, 403, "csrf")
        if isinstance(error, ApiError):
            response = pages.error(request, error.status, error.message)
            for key, value in (error.headers or {}).items():
                response.headers[key] = value
            return response
        if isinstance(error, AhadiError):
            return pages.error(request, 404 if isinstance(error, NotFound) else 422, error.message)
        if isinstance(error, ValidationError):
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:5])
            return pages.error(request, 422, problems)
        raise error

    if inspect.iscoroutinefunction(handler):
        @functools.wraps(handler)
        async def run_async(request: Request) -> Response:
            try:
                return await handler(request)
            except (SignInNeeded, CsrfRejected, ApiError, AhadiError, ValidationError) as error:
                return failure(request, error)
        return run_async

    @functools.wraps(handler)
    def run(request: Request) -> Response:
        try:
            return handler(request)
        except (SignInNeeded, CsrfRejected, ApiError, AhadiError, ValidationError) as error:
            return failure(request, error)
    return run


router = APIRouter(include_in_schema=False)


def _pages(request: Request) -> Pages:
    return request.app.state.pages


def _state(request: Request) -> AppState:
    return request.app.state.ahadi_state


def _chips(query: PageQuery, path: str, text_param: str = "q") -> list[dict[str, str]]:
    return [
        {"name": name, "value": value, "remove": query.url(path, text_param, filters=query.without_filter(name, value), offset=0)}
        for name in FILTERS for value in query.filters.get(name, [])
    ]


def _facet_links(query: PageQuery, counts: dict[str, list[dict[str, Any]]], path: str, text_param: str = "q") -> dict[str, list[dict[str, Any]]]:
    links = {}
    for name, field in FILTERS.items():
        chosen = set(query.filters.get(name, []))
        links[name] = [
            {"value": str(item["value"]), "count": item["count"], "chosen": str(item["value"]) in chosen, "depth": depth,
             "add": query.url(path, text_param, filters=query.with_filter(name, str(item["value"])), offset=0)}
            for item, depth in _under_their_regions(counts.get(field, [])[:12])
        ]
    return links


def _under_their_regions(items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """Facet values with their depth: a region right after the listed region it lies `within`, one
    deeper (Gotland under Gotlands län); siblings and other fields' values in the facet's order."""
    listed = {item["value"] for item in items}
    children: dict[Any, list[dict[str, Any]]] = {}
    top = []
    for item in items:
        parent = item.get("within")
        if parent in listed and parent != item["value"]:
            children.setdefault(parent, []).append(item)
        else:
            top.append(item)
    ordered: list[tuple[dict[str, Any], int]] = []

    def add(item: dict[str, Any], depth: int) -> None:
        ordered.append((item, depth))
        for child in children.get(item["value"], ()):
            add(child, depth + 1)

    for item in top:
        add(item, 0)
    return ordered


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=303)


@router.get("/search")
@_page
def search_page(request: Request) -> Response:
    access: PageAccess = _pages(request).access
    caller = access.caller(request, "read")
    ahadi = _state(request).require()
    query = PageQuery.from_params(request.query_params)
    confidence_bound(query.commitment_filters().min_confidence, kind="chunk")  # the API's refusal: passages have no confidence
    found = data.search(ahadi, caller.reader, query) if query.q else None
    counts = data.facets(ahadi, caller.reader, query)
    return _pages(request).render(
        request, "search.html", caller=caller, query=query, found=found, examples=EXAMPLES,
        chips=_chips(query, "/search"), facets=_facet_links(query, counts, "/search"),
        total=sum(item["count"] for item in counts.get("language", [])),
        next_url=query.url("/search", offset=found["next_offset"]) if found and found["next_offset"] else None,
        previous_url=query.url("/search", offset=max(0, query.offset - data.PAGE_SIZE)) if found and query.offset else None,
    )


@router.get("/documents/{doc_id}")
@_page
def document_page(request: Request) -> Response:
    caller = _pages(request).access.caller(request, "read")
    ahadi = _state(request).require()
    doc_id = request.path_params["doc_id"]
    record, chunks, commitments = data.document(ahadi, caller.reader, doc_id)
    similar = data.precedents(ahadi, caller.reader, doc_id, None, top_k=5)["results"]
    return _pages(request).render(request, "document.html", caller=caller, doc=record, chunks=chunks, commitments=commitments, similar=similar)


@router.get("/precedents/{doc_id}")
@_page
def precedents_page(request: Request) -> Response:
    caller = _pages(request).access.caller(request, "read")
    ahadi = _state(request).require()
    chunk = request.query_params.get("chunk")
    if chunk is not None and not chunk.isdigit():
        raise InvalidRequest("invalid_request", "chunk must be a passage number")
    record, passage, results = data.precedents_of(ahadi, caller.reader, request.path_params["doc_id"], int(chunk) if chunk is not None else None)
    return _pages(request).render(request, "precedents.html", caller=caller, doc=record, passage=passage, results=results)


def _compare_rows(found: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for group in found["groups"]:
        for hit in group["passages"]:
            details = hit.get("commitment") or {}
            rows.append({
                "region": group["label"], "region_key": group["key"], "country": hit.get("country") or group.get("country"),
                "year": details.get("year"), "quantity": details.get("quantity"),
                "actors": "; ".join(details.get("actors") or []), "listed_under": details.get("context"),
                "confidence": details.get("confidence"), "commitment": hit["text"],
                "doc_id": hit["doc_id"], "title": hit.get("title"), "language": hit.get("language"),
                "chunk_index": hit["chunk_index"],
            })
    return rows


@router.get("/compare")
@_page
def compare_page(request: Request) -> Response:
    caller = _pages(request).access.caller(request, "read")
    ahadi = _state(request).require()
    query = PageQuery.from_params(request.query_params, "topic")
    found = data.compare(ahadi, caller.reader, query) if query.q else None
    rows = _compare_rows(found) if found else []
    exports = {ext: query.url(f"/compare.{ext}", "topic", offset=0) for ext in ("csv", "xlsx")} if found else None
    return _pages(request).render(
        request, "compare.html", caller=caller, query=query, found=found, rows=rows, exports=exports,
        chips=_chips(query, "/compare", "topic"),
    )


def _export(request: Request, kind: str) -> Response:
    caller = _pages(request).access.caller(request, "read")
    ahadi = _state(request).require()
    query = PageQuery.from_params(request.query_params, "topic")
    if not query.q:
        raise InvalidRequest("invalid_request", "give a topic to compare")
    rows = _compare_rows(data.compare(ahadi, caller.reader, query))
    stem = "ahadi-commitments"
    if kind == "csv":
        return Response(export.to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{stem}.csv"'})
    return Response(export.to_xlsx(rows, "commitments"),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": f'attachment; filename="{stem}.xlsx"'})


@router.get("/compare.csv")
@_page
def compare_csv(request: Request) -> Response:
    return _export(request, "csv")


@router.get("/compare.xlsx")
@_page
def compare_xlsx(request: Request) -> Response:
    return _export(request, "xlsx")


@router.get("/commitments")
@_page
def commitments_page(request: Request) -> Response:
    caller = _pages(request).access.caller(request, "read")
    ahadi = _state(request).require()
    query = PageQuery.from_params(request.query_params)
    counts = data.facets(ahadi, caller.reader, query)
    context: dict[str, Any] = {}
    if query.q:
        found = data.search(ahadi, caller.reader, query, kind="commitment")
        context["found"] = found
        context["next_url"] = query.url("/commitments", offset=found["next_offset"]) if found["next_offset"] else None
    else:
        after = request.query_params.get("after")
        if after is not None:
            try:
                after = str(uuid.UUID(after))
            except ValueError:
                raise InvalidRequest("invalid_request", "`after` is not a page this site linked to") from None
        documents, next_after = data.browse_commitments(ahadi, caller.reader, query, after)
        context["documents"] = documents
        context["next_url"] = query.url("/commitments") + ("&" if query.params() else "?") + urlencode({"after": next_after}) if next_after else None
    return _pages(request).render(
        request, "commitments.html", caller=caller, query=query, chips=_chips(query, "/commitments"),
        facets=_facet_links(query, counts, "/commitments"), **context,
    )


@router.get("/add")
@_page
def add_page(request: Request) -> Response:
    caller = _pages(request).access.caller(request, "write")
    _state(request).require()
    return _pages(request).render(request, "add.html", caller=caller, needs_csrf=True, report=None)


@router.post("/add")
@_page
async def add_files(request: Request) -> Response:
    pages = _pages(request)
    caller = pages.access.caller(request, "write")
    state = _state(request)
    state.require()
    form = await request.form()
    try:
        pages.access.check_csrf(request, form.get("csrf"))
        files = [(f.filename or "", f.file) for f in form.getlist("files") if getattr(f, "filename", None)]
        if not files:
            return pages.render(request, "add.html", status=422, caller=caller, needs_csrf=True, report=None, problem="no_files")
        report = await run_in_threadpool(data.upload, state, files)
    finally:
        await form.close()
    status = 200 if report["written"] or report["unchanged"] else 422
    return pages.render(request, "add.html", status=status, caller=caller, needs_csrf=True, report=report)


def _local(target: str | None) -> str:
    """Only a path of this site to go back to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/search"
    return target


@router.get("/sign-in")
@_page
def sign_in_page(request: Request) -> Response:
    pages = _pages(request)
    return pages.render(request, "sign_in.html", needs_csrf=True, next=_local(request.query_params.get("next")),
                        signed_out="signed_out" in request.query_params, problem=None)


@router.post("/sign-in")
@_page
async def sign_in(request: Request) -> Response:
    pages = _pages(request)
    form = await request.form()
    pages.access.check_csrf(request, form.get("csrf"))
    target = _local(form.get("next"))
    if pages.access.open:
        return RedirectResponse(target, status_code=303)
    response = RedirectResponse(target, status_code=303)
    try:
        pages.access.sign_in(request, response, str(form.get("key") or ""))
    except ApiError as error:
        return pages.render(request, "sign_in.html", status=error.status, needs_csrf=True, next=target, signed_out=False, problem=error.message)
    return response


@router.post("/sign-out")
@_page
async def sign_out(request: Request) -> Response:
    pages = _pages(request)
    form = await request.form()
    pages.access.check_csrf(request, form.get("csrf"))
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    pages.access.sign_out(request, response)
    return response


@router.get("/language/{code}")
def choose_language(request: Request, code: str) -> Response:
    """The switcher: remember the interface language, go back to the page it was chosen on."""
    response = RedirectResponse(_local(request.query_params.get("next")), status_code=303)
    if code in i18n.UI_LANGUAGES:
        response.set_cookie(i18n.COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", httponly=True, path="/")
    return response


def install(app: FastAPI, guard: Guard, session_minutes: int) -> None:
    app.state.pages = Pages(PageAccess(guard, Sessions(session_minutes * 60)))
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

