"""The HTTP API of the fake payer: X12 over ``POST /x12``, JSON equivalents, mailbox and clock.

Every route but ``/health`` and the OpenAPI pages needs ``Authorization: Bearer <api key>``;
a partner sees only its own claims and files (another partner's are answered 404). Errors are
JSON ``{"detail": "..."}`` naming the problem; request bodies are checked by pydantic and a
bad field is named in a 422 answer.
"""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from simulator import __version__
from simulator.errors import without_echoes
from simulator.models import Claim, ClaimAdjudication
from simulator.server.config import PartnerConfig
from simulator.server.service import BadInput, FakePayerService, NotFound, Refused

__all__ = ["create_app"]

MAX_BODY = 20_000_000
_MAX_KEY = 2**63 - 1
"""The largest key SQLite stores: a bigger claim_key, file_id or ``after`` is refused (422)."""

ClaimKey = Annotated[int, Path(le=_MAX_KEY, description="the claim's key, as POST /claims returned it")]
FileId = Annotated[int, Path(le=_MAX_KEY, description="the mailbox file's id, as GET /mailbox lists it")]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimBatch(_Body):
    """One or more claims to submit as JSON."""

    claims: list[Claim] = Field(min_length=1, max_length=5000)


class Submitted(BaseModel):
    """The claims a submission created, by claim key, in the order given."""

    claim_keys: list[int]
    received_date: date


class AdjudicationView(BaseModel):
    """One decision on a claim, when it is (or was) paid and the 835 that carried it."""

    entry: ClaimAdjudication
    payment_date: date | None
    remit_file: int | None


class AppealView(BaseModel):
    """An appeal and, once made, the payer's decision."""

    appeal_key: int
    appeal_id: str
    claim_key: int
    filed_date: date
    state: Literal["filed", "decided"]
    decision: dict[str, Any] | None


class ClaimView(BaseModel):
    """A claim as the payer holds it: where it stands, its decisions and appeals."""

    claim_key: int
    claim_id: str
    payer: str
    member_id: str
    received_date: date
    state: Literal["accepted", "rejected", "pended", "decided", "remitted", "error"]
    trigger: str | None
    payer_claim_number: str | None
    detail: str | None
    adjudications: list[AdjudicationView]
    appeals: list[AppealView]


class ClaimSummary(BaseModel):
    """One line of the claim list."""

    claim_key: int
    claim_id: str
    payer: str
    member_id: str
    received_date: date
    state: str
    payer_claim_number: str | None
    trigger: str | None


class AppealRequest(_Body):
    """An appeal of a decided claim."""

    appeal_id: str = Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$")
    level: int = Field(default=1, ge=1, le=5)
    carcs_disputed: list[Annotated[str, Field(pattern=r"^[A-Z]?\d{1,3}$")]] = Field(default=[], max_length=20)
    has_new_evidence: bool = False


class DocumentationRequest(_Body):
    """Records sent in answer to a documentation request on a pended claim."""

    supports_service: bool
    complete: bool = True


class EligibilityRequest(_Body):
    """Is this member covered by this payer on this date?"""

    payer: str = Field(min_length=1, max_length=80)
    member_id: str = Field(min_length=1, max_length=80)
    service_date: date | None = None


class StatusRequest(_Body):
    """Where does the partner's claim with this patient control number stand?"""

    claim_id: str = Field(min_length=1, max_length=38)


class AdvanceRequest(_Body):
    """How many simulated days to move the clock forward."""

    days: int = Field(ge=0, le=3660)


class ClockView(BaseModel):
    """The simulated date and how the clock runs."""

    today: date
    mode: Literal["manual", "realtime"]
    speed: float


class AdvanceResult(BaseModel):
    """What moving the clock did."""

    today: date
    decided: int
    remitted: int
    appeals_decided: int
    files: list[int]


class MailboxEntry(BaseModel):
    """A file in the partner's mailbox."""

    file_id: int
    kind: str
    name: str
    sim_date: date
    size: int
    acknowledged: bool


_bearer = HTTPBearer(auto_error=False, description="the partner's API key")


class _BodyLimit:
    """ASGI middleware: a request whose Content-Length is over :data:`MAX_BODY` gets a 413 unread."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"")
            if length.isdigit() and int(length) > MAX_BODY:
                detail = f"body of {int(length)} bytes is over the {MAX_BODY}-byte limit"
                await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(service: FakePayerService) -> FastAPI:
    """The FastAPI application serving ``service``."""
    app = FastAPI(
        title="payersim fake payer",
        version=__version__,
        description="Payers that really adjudicate, over X12 5010 and JSON. Authenticate with "
        "`Authorization: Bearer <api key>` (see the server configuration).",
    )
    app.state.service = service
    app.add_middleware(_BodyLimit)

    def partner(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> PartnerConfig:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(
                401,
                "missing API key: send Authorization: Bearer <api key>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        found = service.config.partner_by_key(credentials.credentials)
        if found is None:
            raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "Bearer"})
        return found

    Partner = Annotated[PartnerConfig, Depends(partner)]

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, error: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(BadInput)
    async def _bad_input(_: Request, error: BadInput) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(Refused)
    async def _refused(_: Request, error: Refused) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=409)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        cause = error.__cause__
        if error.status_code == 400 and isinstance(cause, UnicodeDecodeError):
            byte = cause.object[cause.start : cause.start + 1].hex()
            detail = f"the body is not UTF-8 text (byte 0x{byte} at offset {cause.start}): send JSON in UTF-8"
            return JSONResponse({"detail": detail}, status_code=400)
        if error.status_code == 400 and isinstance(cause, RecursionError):
            return JSONResponse({"detail": "the JSON body is nested too deeply to read"}, status_code=400)
        if error.status_code == 400 and isinstance(cause, ValueError):  # a number past int's digit limit
            reason = str(cause).split(";")[0]
            return JSONResponse({"detail": f"the JSON body cannot be read: {reason}"}, status_code=400)
        return await http_exception_handler(request, error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for item in without_echoes(list(error.errors())):
            where = ".".join(str(p) for p in item.get("loc", ())) or "(body)"
            problem = item.get("msg", "invalid")
            if item.get("type") == "json_invalid":
                where = "body"
                problem = f"not valid JSON at character {item['loc'][-1]}: {item.get('ctx', {}).get('error')}"
            problems.append({"field": where, "problem": problem})
        text = "; ".join(f"{p['field']}: {p['problem']}" for p in problems)
        content_type = request.headers.get("content-type", "")
        about_body = any(p["field"].split(".")[0] == "body" for p in problems)
        if request.method == "POST" and about_body and "json" not in content_type:
            sent = content_type or "no content type"
            text += f" (the body was sent as {sent}: send Content-Type: application/json)"
        return JSONResponse({"detail": f"invalid request: {text}", "problems": problems}, status_code=422)

    @app.get("/health", tags=["server"])
    def health() -> dict[str, str]:
        """Liveness: the server answers and its database is readable."""
        service.store.row("SELECT 1")
        return {"status": "ok", "version": __version__}

    @app.post(
        "/x12",
        tags=["x12"],
        response_class=Response,
        responses={200: {"content": {"application/edi-x12": {}}, "description": "TA1, 999, 271 or 277"}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/edi-x12": {"schema": {"type": "string"}}},
            }
        },
    )
    async def post_x12(request: Request, who: Partner) -> Response:
        """Send one X12 interchange: 837 -> TA1/999, 270 -> 271, 276 -> 277."""
        raw = await request.body()
        if not raw.strip():
            raise HTTPException(400, "empty body: send one X12 interchange starting with ISA")
        if len(raw) > MAX_BODY:
            raise HTTPException(413, f"body of {len(raw)} bytes is over the {MAX_BODY}-byte limit")
        from starlette.concurrency import run_in_threadpool

        answer = await run_in_threadpool(service.submit_x12, who, raw)
        headers = {"X-Payersim-Kind": answer.kind}
        if answer.replayed:
            headers["X-Payersim-Replayed"] = "true"
        if answer.problem:
            headers["X-Payersim-Problem"] = answer.problem.encode("ascii", "replace").decode()
        if answer.claims:
            headers["X-Payersim-Claims"] = str(len(answer.claims))
        return Response(answer.content, media_type="application/edi-x12", headers=headers)

    @app.post("/claims", tags=["claims"], status_code=201)
    def submit_claims(body: ClaimBatch, who: Partner) -> Submitted:
        """Submit claims as JSON; all accepted (277CA to the mailbox) or the request refused."""
        keys = service.submit_claims(who, list(body.claims))
        return Submitted(claim_keys=keys, received_date=service.clock.today())

    @app.get("/claims", tags=["claims"])
    def list_claims(
        who: Partner,
        claim_id: Annotated[str | None, Query(max_length=38)] = None,
        after: Annotated[int, Query(ge=0, le=_MAX_KEY)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[ClaimSummary]:
        """The partner's claims, oldest first (page with ``after`` = the last claim_key seen)."""
        return [ClaimSummary(**row) for row in service.find_claims(who, claim_id, limit, after)]

    @app.get("/claims/{claim_key}", tags=["claims"])
    def get_claim(claim_key: ClaimKey, who: Partner) -> ClaimView:
        """A claim's state, its adjudications (with payment dates) and its appeals."""
        return ClaimView(**service.claim_view(who, claim_key))

    @app.post("/claims/{claim_key}/appeals", tags=["claims"], status_code=201)
    def file_appeal(claim_key: ClaimKey, body: AppealRequest, who: Partner) -> AppealView:
        """File an appeal (level 2 and up once the level below is decided); decided after the level's lag."""
        view = service.file_appeal(
            who, claim_key, body.appeal_id, body.level, tuple(body.carcs_disputed), body.has_new_evidence
        )
        return AppealView(**view)

    @app.post("/claims/{claim_key}/documentation", tags=["claims"])
    def send_documentation(claim_key: ClaimKey, body: DocumentationRequest, who: Partner) -> ClaimView:
        """Answer a documentation request on a pended claim."""
        return ClaimView(**service.send_documentation(who, claim_key, body.supports_service, body.complete))

    @app.post("/eligibility", tags=["inquiries"])
    def eligibility(body: EligibilityRequest, who: Partner) -> dict[str, Any]:
        """Eligibility (the JSON 270/271): is the member covered on the date?"""
        return service.eligibility(who, body.payer, body.member_id, body.service_date)

    @app.post("/claim-status", tags=["inquiries"])
    def claim_status(body: StatusRequest, who: Partner) -> list[ClaimSummary]:
        """Claim status (the JSON 276/277): every claim of the partner with this patient control number."""
        rows = service.find_claims(who, body.claim_id, 100, 0)
        if not rows:
            raise NotFound(f"no claim with claim_id {body.claim_id!r} for partner {who.partner_id}")
        return [ClaimSummary(**row) for row in rows]

    @app.get("/mailbox", tags=["mailbox"])
    def mailbox(
        who: Partner,
        include_acknowledged: bool = False,
        kind: Annotated[Literal["277CA", "835"] | None, Query()] = None,
    ) -> list[MailboxEntry]:
        """The partner's new files (277CA, 835), oldest first; ``include_acknowledged`` lists all."""
        return [MailboxEntry(**row) for row in service.mailbox(who, include_acknowledged, kind)]

    @app.get(
        "/mailbox/{file_id}",
        tags=["mailbox"],
        response_class=Response,
        responses={200: {"content": {"application/edi-x12": {}}, "description": "the file"}},
    )
    def mailbox_file(file_id: FileId, who: Partner) -> Response:
        """One file's content (X12)."""
        found = service.mailbox_file(who, file_id)
        return Response(
            found["content"],
            media_type="application/edi-x12",
            headers={
                "X-Payersim-Kind": found["kind"],
                "Content-Disposition": f'attachment; filename="{found["name"]}"',
            },
        )

    @app.post("/mailbox/{file_id}/ack", tags=["mailbox"])
    def acknowledge(file_id: FileId, who: Partner) -> MailboxEntry:
        """Acknowledge a file: it leaves the list of new files (it can still be fetched)."""
        service.acknowledge(who, file_id)
        found = service.mailbox_file(who, file_id)
        return MailboxEntry(
            **{k: found[k] for k in ("file_id", "kind", "name", "sim_date", "acknowledged")},
            size=len(found["content"]),
        )

    @app.get("/clock", tags=["clock"])
    def clock(who: Partner) -> ClockView:
        """The simulated date."""
        return ClockView(today=service.clock.today(), mode=service.clock.mode, speed=service.clock.speed)

    @app.post("/clock/advance", tags=["clock"])
    def advance(body: AdvanceRequest, who: Partner) -> AdvanceResult:
        """Move the clock forward; decisions, payment runs, pends and appeals falling due happen.

        The clock is shared by every partner; a partner configured with ``may_advance_clock:
        false`` is refused (403).
        """
        if not who.may_advance_clock:
            raise HTTPException(403, f"partner {who.partner_id} may not move the shared clock")
        return AdvanceResult(**service.advance(body.days))

    return app
