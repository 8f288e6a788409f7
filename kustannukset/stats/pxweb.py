"""A small client for Statistics Finland's PxWeb API (version 1), on the standard library alone.

A table is read in two steps: ``GET`` its metadata (variables, their codes and texts), then ``POST``
a query that selects values of each variable::

    {"query": [{"code": "Alue", "selection": {"filter": "item", "values": ["KU020"]}}, ...],
     "response": {"format": "json"}}

The answer has ``columns`` (``d`` and ``t`` columns are the key, ``c`` columns the figures),
``data`` rows ``{"key": [...], "values": [...]}``, ``comments`` and ``metadata`` (when the table
was updated).
A figure may be a marker instead of a number: ``"..."`` (not available), ``".."``, ``"."`` or
``"-"``; such a cell is missing, never zero.

Failures: a server error or a rate limit (HTTP 429, 5xx), a timeout or a dropped connection is
retried with exponential backoff; no network at all (the name does not resolve, the connection is
refused or the network is unreachable) fails at once; other HTTP errors (a bad query, a table that
does not exist) fail at once with the server's message.
"""

from __future__ import annotations

import errno
import http.client
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import exact_number

DEFAULT_BASE_URL = "https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin"
MISSING_MARKERS = {"...", "..", ".", "-", ""}
RETRY_STATUS = {429, 500, 502, 503, 504}
BACKOFF_SECONDS = 2.0  # the first retry waits about this long, each further one twice as long
USER_AGENT = "kustannukset (Pirkanmaan työllisyyspalvelujen kustannusten jako)"
DEFAULT_TIME_LIMIT = 60.0  # seconds for a whole run, retries and waits included
# The largest real answer (12r5, every month of five years for 23 municipalities) is about 1 MB.
MAX_RESPONSE_BYTES = 20 * 1024 * 1024


class PxWebError(Exception):
    """A fetch that failed; the message is Finnish and says what to do."""


class NoNetworkError(PxWebError):
    """The API cannot be reached at all: no retry helps."""


class _SameHostRedirect(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the same host (and scheme); anything else is refused, so
    the figures come from the address that the sources file records."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc) != (new.scheme, new.netloc):
            raise PxWebError(
                f"palvelin ohjasi toiseen osoitteeseen ({new.scheme}://{new.netloc}); "
                "uudelleenohjausta toiseen palvelimeen ei seurata. Tarkista osoite (--osoite)."
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True)
class Variable:
    code: str
    text: str
    values: list[str]
    value_texts: list[str]
    time: bool = False
    elimination: bool = False

    def text_of(self, value: str) -> str:
        return self.value_texts[self.values.index(value)]

    def preliminary(self, value: str) -> bool:
        """Statistics Finland marks a preliminary period with a star: '2024M12*'."""
        return self.text_of(value).rstrip().endswith("*")


@dataclass(frozen=True)
class TableMetadata:
    title: str
    variables: dict[str, Variable]

    def variable(self, code: str) -> Variable:
        if code not in self.variables:
            raise PxWebError(
                f"taulukossa ei ole muuttujaa '{code}' (muuttujat: {', '.join(self.variables)}); "
                "taulukon rakenne on muuttunut"
            )
        return self.variables[code]

    @property
    def time_variable(self) -> Variable:
        for v in self.variables.values():
            if v.time:
                return v
        raise PxWebError("taulukossa ei ole aikamuuttujaa")


@dataclass(frozen=True)
class Cell:
    key: dict[str, str]  # variable code -> value code
    content: str  # the content ('c') column's code
    value: str | None  # the number as the API wrote it, or None when missing
    marker: str = ""  # the missing-value marker, if any


@dataclass
class Result:
    cells: list[Cell]
    updated: str = ""
    label: str = ""
    source: str = ""
    comments: list[dict] = field(default_factory=list)

    @property
    def missing(self) -> list[Cell]:
        return [c for c in self.cells if c.value is None]


def parse_metadata(payload: dict) -> TableMetadata:
    try:
        variables = {
            v["code"]: Variable(
                code=v["code"],
                text=v.get("text", v["code"]),
                values=list(v["values"]),
                value_texts=list(v.get("valueTexts", v["values"])),
                time=bool(v.get("time", False)),
                elimination=bool(v.get("elimination", False)),
            )
            for v in payload["variables"]
        }
        return TableMetadata(title=payload.get("title", ""), variables=variables)
    except (KeyError, TypeError) as exc:
        raise PxWebError(f"taulukon kuvaus on odottamattoman muotoinen (puuttuu {exc})") from None


def parse_response(payload: dict) -> Result:
    """The rows of a JSON response, one :class:`Cell` per figure; markers become missing cells."""
    try:
        columns = payload["columns"]
        keys = [c["code"] for c in columns if c.get("type") in ("d", "t")]
        contents = [c["code"] for c in columns if c.get("type") == "c"]
        cells = []
        for row in payload["data"]:
            if len(row["key"]) != len(keys) or len(row["values"]) != len(contents):
                raise PxWebError(
                    f"vastauksen rivi ei vastaa sarakkeita: {row['key']} / {len(contents)} lukua"
                )
            key = dict(zip(keys, row["key"], strict=True))
            for content, raw in zip(contents, row["values"], strict=True):
                text = str(raw).strip()
                if text in MISSING_MARKERS:
                    cells.append(Cell(key, content, None, text))
                else:
                    _check_number(text)
                    cells.append(Cell(key, content, text))
        meta = (payload.get("metadata") or [{}])[0]
        return Result(
            cells=cells,
            updated=str(meta.get("updated", "")),
            label=str(meta.get("label", "")),
            source=str(meta.get("source", "")),
            comments=list(payload.get("comments") or []),
        )
    except (KeyError, TypeError) as exc:
        raise PxWebError(f"vastaus on odottamattoman muotoinen (puuttuu {exc})") from None


def _check_number(text: str) -> None:
    """Checked as text (``nan``, ``inf``, ``1e309`` and ``1e999999999`` are refused at once)."""
    try:
        exact_number(text)
    except InputError as exc:
        raise PxWebError(f"vastauksessa on luku, jota ei hyväksytä: {exc.message}") from None


def query_body(selections: dict[str, Iterable[str]]) -> dict:
    return {
        "query": [
            {"code": code, "selection": {"filter": "item", "values": list(values)}}
            for code, values in selections.items()
        ],
        "response": {"format": "json"},
    }


def _no_network(reason: object) -> bool:
    if isinstance(reason, socket.gaierror | ConnectionRefusedError):
        return True
    return isinstance(reason, OSError) and reason.errno in (
        errno.ENETUNREACH,
        errno.EHOSTUNREACH,
        errno.ENETDOWN,
        errno.ECONNREFUSED,
    )


def _reason_fi(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return f"palvelimen nimeä ei voitu selvittää ({reason})"
    if isinstance(reason, ConnectionRefusedError):
        return f"palvelin ei ota yhteyttä vastaan ({reason})"
    return f"verkkoon ei päästä ({reason})"


class Client:
    """GET and POST to one PxWeb database, politely and with retries.

    ``max_calls`` per ``window`` seconds is Statistics Finland's published rate limit (30 per 10 s);
    ``sleep`` and ``clock`` are there so that tests need not wait. ``time_limit`` bounds the whole
    run (every request, retry and wait, ``Retry-After`` included); ``progress`` is told, in Finnish,
    whenever the client waits.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 60,
        retries: int = 4,
        backoff: float | None = None,
        max_calls: int = 30,
        window: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        time_limit: float = DEFAULT_TIME_LIMIT,
        progress: Callable[[str], None] = lambda line: None,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self.max_calls = max_calls
        self.window = window
        self.sleep = sleep
        self.clock = clock
        self.calls: list[float] = []
        self.retried = 0
        self.time_limit = time_limit
        self.deadline = clock() + time_limit
        self.progress = progress
        self.max_bytes = max_bytes
        self.opener = urllib.request.build_opener(_SameHostRedirect())

    def remaining(self) -> float:
        return self.deadline - self.clock()

    def _out_of_time(self, url: str, last: str = "") -> PxWebError:
        return PxWebError(
            f"haku ei valmistunut aikarajassa ({self.time_limit:g} s; {url})"
            + (f": {last}" if last else "")
            + ". Mitään ei kirjoitettu. Yritä myöhemmin uudelleen tai anna pidempi aika "
            "(--aikaraja SEKUNTEJA)."
        )

    def _wait(self, seconds: float, why: str, url: str, last: str) -> None:
        """Wait, saying so, unless the wait would pass the deadline."""
        if seconds >= self.remaining():
            raise self._out_of_time(
                url,
                f"{why} {seconds:.0f} s, aikaa jäljellä {max(0.0, self.remaining()):.0f} s; {last}",
            )
        self.progress(
            f"Odotetaan {seconds:.0f} s ({why}; aikaa jäljellä {self.remaining():.0f} s)…"
        )
        self.sleep(seconds)

    def _read(self, response, url: str) -> bytes:  # type: ignore[no-untyped-def]
        length = response.headers.get("Content-Length") if response.headers else None
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise PxWebError(self._too_large(url))
        raw = response.read(self.max_bytes + 1)
        if len(raw) > self.max_bytes:
            raise PxWebError(self._too_large(url))
        return raw

    def _too_large(self, url: str) -> str:
        return (
            f"vastaus on liian suuri (yli {self.max_bytes // (1024 * 1024)} Mt; {url}); "
            "rajaa hakua (--vuodet, --kunnat)"
        )

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def metadata(self, path: str) -> TableMetadata:
        return parse_metadata(self._request(self.url(path)))

    def query(self, path: str, selections: dict[str, Iterable[str]]) -> Result:
        return parse_response(self._request(self.url(path), query_body(selections)))

    def _throttle(self) -> None:
        now = self.clock()
        self.calls = [t for t in self.calls if now - t < self.window]
        if len(self.calls) >= self.max_calls:
            self.sleep(self.window - (now - self.calls[0]))
        self.calls.append(self.clock())

    def _request(self, url: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        last = ""
        retry_after = 0.0
        for attempt in range(self.retries + 1):
            if attempt:
                self.retried += 1
                delay = self.backoff * 2 ** (attempt - 1) * (1 + random.random() / 4)
                if retry_after > delay:
                    self._wait(retry_after, "palvelu pyysi odottamaan (Retry-After)", url, last)
                else:
                    self._wait(delay, f"yritys {attempt + 1}/{self.retries + 1}", url, last)
                retry_after = 0.0
            if self.remaining() <= 0:
                raise self._out_of_time(url, last)
            self._throttle()
            request = urllib.request.Request(url, data=data, headers=headers)
            try:
                timeout = max(0.1, min(self.timeout, self.remaining()))
                with self.opener.open(request, timeout=timeout) as response:
                    raw = self._read(response, url)
                return json.loads(raw.decode("utf-8-sig"))
            except urllib.error.HTTPError as exc:
                detail = _error_text(exc)
                if exc.code not in RETRY_STATUS:
                    raise PxWebError(_http_message(exc.code, url, detail)) from None
                last = f"HTTP {exc.code} {detail}".strip()
                asked = exc.headers.get("Retry-After") if exc.headers else None
                if asked and asked.strip().isdigit() and len(asked.strip()) < 10:
                    retry_after = float(asked.strip())
            except urllib.error.URLError as exc:
                if _no_network(exc.reason):
                    raise NoNetworkError(
                        f"Tilastokeskuksen rajapintaan ei saada yhteyttä ({self.base_url}): "
                        f"{_reason_fi(exc.reason)}. Tarkista verkkoyhteys ja yritä uudelleen."
                    ) from None
                last = (
                    "palvelin ei vastannut ajoissa"
                    if isinstance(exc.reason, TimeoutError)
                    else f"yhteysvirhe ({exc.reason})"
                )
            except TimeoutError:
                last = "palvelin ei vastannut ajoissa"
            except (ConnectionError, http.client.HTTPException) as exc:
                last = f"yhteys katkesi ({exc.__class__.__name__})"
            except (ValueError, UnicodeDecodeError, RecursionError):  # JSONDecodeError too
                raise PxWebError(f"vastaus ei ole kelvollista JSON-muotoa ({url})") from None
        raise PxWebError(
            f"haku epäonnistui {self.retries + 1} yrityksen jälkeen ({url}): {last}. "
            "Palvelu voi olla hetkellisesti poissa käytöstä; yritä myöhemmin uudelleen."
        )


def _error_text(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace").strip()[:300]
    except Exception:
        return ""


def _http_message(code: int, url: str, detail: str) -> str:
    what = {
        400: "kysely ei kelpaa palvelulle",
        403: "kysely on liian suuri tai palvelu kieltäytyi",
        404: "taulukkoa ei löydy (onko sen tunnus muuttunut?)",
    }.get(code, "palvelu vastasi virheellä")
    return f"{what} (HTTP {code}, {url}){': ' + detail if detail else ''}"
