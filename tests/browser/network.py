"""The browser's own network log (Chrome DevTools Protocol), for page weights and failures.

Bytes are `encodedDataLength` of `Network.loadingFinished`: what crossed the wire for the
response, compressed as the server sent it, headers included. A response served from the
browser's cache crosses nothing and counts 0 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entry:
    request_id: str
    url: str
    method: str
    resource_type: str
    status: int | None = None
    from_cache: bool = False
    bytes: int = 0
    finished: bool = False
    failure: str | None = None


@dataclass
class Weight:
    """What one step cost: bytes from the network and requests that reached it."""

    bytes: int
    requests: int
    cached: int
    entries: list[Entry] = field(repr=False)

    @property
    def kilobytes(self) -> float:
        return self.bytes / 1024

    def describe(self) -> str:
        lines = [f"{self.bytes} B in {self.requests} request(s), {self.cached} from cache:"]
        for e in self.entries:
            where = "cache" if e.from_cache else f"{e.bytes} B"
            lines.append(f"  {e.method} {e.url} [{e.resource_type}] {e.status} {where}")
        return "\n".join(lines)


class NetworkLog:
    def __init__(self, cdp):
        self._entries: dict[str, Entry] = {}
        self._order: list[str] = []
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._cached)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def _sent(self, event):
        request_id = event["requestId"]
        if request_id in self._entries:
            # A redirect reuses the request id: the hop before it is complete.
            previous = self._entries[request_id]
            redirect = event.get("redirectResponse") or {}
            previous.status = redirect.get("status", previous.status)
            previous.bytes = int(redirect.get("encodedDataLength", 0))
            previous.finished = True
            request_id = f"{request_id}+{len(self._order)}"
            self._entries[request_id] = self._entries.pop(event["requestId"])
            self._order[self._order.index(event["requestId"])] = request_id
        request = event["request"]
        self._entries[event["requestId"]] = Entry(
            request_id=event["requestId"],
            url=request["url"],
            method=request["method"],
            resource_type=event.get("type", "Other"),
        )
        self._order.append(event["requestId"])

    def _response(self, event):
        entry = self._entries.get(event["requestId"])
        if entry is None:
            return
        response = event["response"]
        entry.status = response.get("status")
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            entry.from_cache = True

    def _cached(self, event):
        entry = self._entries.get(event["requestId"])
        if entry is not None:
            entry.from_cache = True

    def _finished(self, event):
        entry = self._entries.get(event["requestId"])
        if entry is not None:
            entry.bytes = 0 if entry.from_cache else int(event.get("encodedDataLength", 0))
            entry.finished = True

    def _failed(self, event):
        entry = self._entries.get(event["requestId"])
        if entry is not None:
            entry.failure = event.get("errorText") or "failed"
            entry.finished = True

    # The harness marks where a step starts and reads what happened since.
    def mark(self) -> int:
        return len(self._order)

    def since(self, mark: int) -> list[Entry]:
        return [self._entries[rid] for rid in self._order[mark:]]

    def pending(self, mark: int) -> list[Entry]:
        return [e for e in self.since(mark) if not e.finished]

    def weight(self, mark: int) -> Weight:
        entries = self.since(mark)
        fetched = [e for e in entries if not e.from_cache]
        return Weight(
            bytes=sum(e.bytes for e in fetched),
            requests=len(fetched),
            cached=len(entries) - len(fetched),
            entries=entries,
        )
