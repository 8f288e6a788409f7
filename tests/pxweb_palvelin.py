"""A local PxWeb API (version 1) for tests, on 127.0.0.1 only.

It serves Statistics Finland's real table metadata and response rows as cached in
``tests/fixtures/pxweb/`` (copied from ``../shared/data-research/pxweb-samples/``), answers
queries as PxWeb does (the whole cube of the selected values, ``"..."`` where it has no figure,
eliminated variables left out of the key) and can fail on purpose: an HTTP status for the n-th POST.
A test adds the rows it needs with :meth:`Table.add`; those rows are test data, not real figures.

Run it by hand for a demonstration (``python -m tests.pxweb_palvelin``); it prints its address.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pxweb"
PREFIX = "/PxWeb/api/v1/fi/StatFin"
CONTENT = "Tiedot"


def sample(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class Table:
    """One table: metadata, and figures keyed by the values of its non-content variables."""

    def __init__(self, metadata: dict, columns: list[dict], response_metadata: list[dict]) -> None:
        self.metadata = copy.deepcopy(metadata)
        for variable in self.metadata["variables"]:
            variable.pop("_truncated_from", None)
        self.columns = {c["code"]: c for c in columns}
        self.response_metadata = response_metadata
        self.comments: list[dict] = []
        self.store: dict[tuple[str, ...], dict[str, str]] = {}

    @classmethod
    def from_sample(cls, name: str) -> Table:
        """A table from a cached sample: its metadata, columns and data rows as they were."""
        data = sample(name)
        response = data["data_response_POST"]
        table = cls(data["table_metadata_GET"], response["columns"], response["metadata"])
        table.comments = list(response.get("comments", []))
        keys = [c["code"] for c in response["columns"] if c["type"] in ("d", "t")]
        contents = [c["code"] for c in response["columns"] if c["type"] == "c"]
        for row in response["data"]:
            table.add(
                dict(zip(keys, row["key"], strict=True)),
                dict(zip(contents, row["values"], strict=True)),
            )
        return table

    @property
    def variables(self) -> list[dict]:
        return self.metadata["variables"]

    def variable(self, code: str) -> dict:
        return next(v for v in self.variables if v["code"] == code)

    def ensure_values(self, code: str, values: list[str], texts: list[str] | None = None) -> None:
        """Add values the cached (shortened) metadata left out."""
        variable = self.variable(code)
        for value, text in zip(values, texts or values, strict=True):
            if value not in variable["values"]:
                variable["values"].append(value)
                variable["valueTexts"].append(text)

    def add(self, key: dict[str, str], values: dict[str, str]) -> None:
        """A figure (test data): ``key`` gives every non-content variable's value."""
        for code, value in key.items():
            self.ensure_values(code, [value])
        for content in values:
            if self.has_content_variable:
                self.ensure_values(CONTENT, [content])
        order = tuple(key[v["code"]] for v in self.variables if v["code"] != CONTENT)
        self.store.setdefault(order, {}).update(values)

    @property
    def has_content_variable(self) -> bool:
        return any(v["code"] == CONTENT for v in self.variables)

    def answer(self, body: dict) -> tuple[int, object]:
        try:
            selections = {
                q["code"]: (q["selection"]["filter"], list(q["selection"]["values"]))
                for q in body["query"]
            }
            response_format = body["response"]["format"]
        except (KeyError, TypeError):
            return 400, "Bad request: query"
        if response_format != "json":
            return 400, "Bad request: format"
        known = {v["code"]: v for v in self.variables}
        for code, (filter_, values) in selections.items():
            if code not in known or filter_ != "item":
                return 400, f"Bad request: {code}"
            if any(v not in known[code]["values"] for v in values):
                return 400, f"Bad request: value of {code}"
        chosen = []  # (code, values, in key)
        for variable in self.variables:
            code = variable["code"]
            if code == CONTENT:
                continue
            if code in selections:
                chosen.append((code, selections[code][1], True))
            elif variable.get("elimination"):
                chosen.append((code, ["SSS"], False))
            else:
                return 400, f"Bad request: {code} must be selected"
        if self.has_content_variable:
            contents = selections.get(CONTENT, (None, self.variable(CONTENT)["values"]))[1]
        else:
            contents = [c for c, col in self.columns.items() if col["type"] == "c"]
        columns = []
        for code, _, in_key in chosen:
            if in_key:
                variable = known[code]
                kind = "t" if variable.get("time") else "d"
                columns.append({"code": code, "text": variable["text"], "type": kind})
        for content in contents:
            text = content
            if self.has_content_variable:
                variable = self.variable(CONTENT)
                text = variable["valueTexts"][variable["values"].index(content)]
            column = self.columns.get(content, {"code": content, "text": text})
            columns.append({**column, "type": "c"})
        data = []
        for combo in itertools.product(*(values for _, values, _ in chosen)):
            stored = self.store.get(combo, {})
            data.append(
                {
                    "key": [v for (_, _, in_key), v in zip(chosen, combo, strict=True) if in_key],
                    "values": [stored.get(c, "...") for c in contents],
                }
            )
        return 200, {
            "columns": columns,
            "comments": self.comments,
            "data": data,
            "metadata": self.response_metadata,
        }


class Server:
    """The tables by path under :data:`PREFIX`, and what went to them."""

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.requests: list[tuple[str, str, dict | None]] = []
        self.fail_posts: dict[int, int] = {}  # POST attempt (1-based, retries count) -> status
        self.fail_always: int | None = None  # every POST fails with this status
        self.posts = 0
        self.httpd: ThreadingHTTPServer | None = None
        # A fault for every request: "retry-after" (429 asking to wait an hour), "hang" (never
        # answers), "redirect" (302 to the same server under another host name), "huge" (a body
        # of HUGE_BYTES, with or without its length: "huge-no-length").
        self.fault: str = ""
        self.stopping = threading.Event()

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"


HUGE_BYTES = 50 * 1024 * 1024  # as in the probe: a 50 MB answer


def _handler(server: Server):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, payload: object) -> None:
            raw = (
                json.dumps(payload, ensure_ascii=False) if not isinstance(payload, str) else payload
            ).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _table(self) -> Table | None:
            if not self.path.startswith(PREFIX + "/"):
                return None
            return server.tables.get(self.path[len(PREFIX) + 1 :])

        def _fault(self) -> bool:
            """Answer with the server's fault, if it has one; True if it did."""
            if server.fault == "retry-after":
                raw = b"Too many requests"
                self.send_response(429)
                self.send_header("Retry-After", "3600")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            elif server.fault == "hang":
                server.stopping.wait(60)
            elif server.fault == "redirect":
                port = server.httpd.server_address[1]
                self.send_response(302)
                self.send_header("Location", f"http://localhost:{port}{self.path}")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif server.fault.startswith("huge"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if server.fault == "huge":
                    self.send_header("Content-Length", str(HUGE_BYTES))
                self.end_headers()
                chunk = b" " * (1024 * 1024)
                try:
                    for _ in range(HUGE_BYTES // len(chunk)):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
            else:
                return False
            return True

        def do_GET(self) -> None:
            server.requests.append(("GET", self.path, None))
            if self._fault():
                return
            table = self._table()
            if table is None:
                self._send(404, "Not found")
                return
            self._send(200, table.metadata)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
            except ValueError:
                self._send(400, "Bad request: not JSON")
                return
            server.requests.append(("POST", self.path, body))
            server.posts += 1
            if self._fault():
                return
            status = server.fail_posts.get(server.posts) or server.fail_always
            if status:
                self._send(status, "Service unavailable" if status >= 500 else "Too many requests")
                return
            table = self._table()
            if table is None:
                self._send(404, "Not found")
                return
            status, payload = table.answer(body)
            self._send(status, payload)

    return Handler


@contextlib.contextmanager
def serve(tables: dict[str, Table]) -> Iterator[Server]:
    server = Server(tables)
    server.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)


def demo_tables() -> dict[str, Table]:
    """11rm as cached (Kangasala's real 2019 count of foreign-language speakers, 781), with test
    rows for Nokia (536) 2020-2023: made-up counts that show how a missing measure is filled."""
    rm = Table.from_sample("vaerak_11rm_language.json")
    for year, value in zip(range(2020, 2024), ("1100", "1180", "1290", "1420"), strict=True):
        key = {"Alue": "KU536", "Kieli": "02", "Sukupuoli": "SSS", "Vuosi": str(year)}
        rm.add(key, {"vaesto": value})
    return {"vaerak/statfin_vaerak_pxt_11rm.px": rm}


if __name__ == "__main__":
    import time

    with serve(demo_tables()) as s:
        print(f"PxWeb-testipalvelin (testiaineisto): {s.base_url}", flush=True)
        print("Pysäytä: Ctrl-C", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
