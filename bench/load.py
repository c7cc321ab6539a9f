"""Load test: field workers and teachers doing their day against a running Ponleu server.

    PONLEU_MODE=demo DATABASE_URL=postgres://... python bench/load.py --url http://127.0.0.1:8000 \
        --users 200 --duration 300 --think 4

(``DATABASE_URL`` names the server's database, to find the demo's staff.)

Each simulated user is a thread with its own browser session, logged in (password and
second factor) as one of the demo world's staff, then looping with a random pause ("think
time", mean ``--think`` seconds) between steps. A field worker or caseworker searches for a
child, opens the child, opens their caseload and a case, and one time in four adds a note; a
teacher opens their classes, opens a class's roll call (45 pupils or so) and submits it.
The demo's accounts are shared by several simulated users (one login each, the cookies
copied), as the server allows three sessions per account.

Prints requests per second, p50/p95/p99 per route and errors. The server, the database and
this script share the machine: run it with few other things running, and say so when quoting.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import requests
from django_otp.oath import totp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from ponleu.demo import staff  # noqa: E402
from ponleu.demo.world import DEFAULT_SEED  # noqa: E402
from ponleu.testing.html_forms import post_forms  # noqa: E402

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SEARCHES = ["Sok", "Chan", "Dara", "Srey", "Vanna", "សុខ", "ចាន់", "Pisey", "Kim", "Mao", "Heng", "Sophea"]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter = collections.Counter()
        self.examples: dict[str, str] = {}
        self.measuring = False

    def record(self, route: str, seconds: float, problem: str | None) -> None:
        if not self.measuring:
            return
        with self.lock:
            self.times[route].append(seconds)
            if problem:
                self.errors[route] += 1
                self.examples.setdefault(route, problem)


class User:
    def __init__(self, url: str, cookies, recorder: Recorder, kind: str, think: float, rng: random.Random):
        self.url, self.recorder, self.kind, self.think, self.rng = url, recorder, kind, think, rng
        self.http = requests.Session()
        self.http.cookies.update(cookies)

    def call(self, method: str, path: str, route: str, data=None) -> requests.Response | None:
        started = time.perf_counter()
        try:
            headers = {"Referer": self.url + path}
            answer = self.http.request(method, self.url + path, data=data, headers=headers, timeout=60)
            problem = None if answer.status_code < 400 else f"{answer.status_code} {path}"
            if answer.url.endswith("/accounts/login/") and "/accounts/" not in path:
                problem = f"logged out at {path}"
        except requests.RequestException as exc:
            answer, problem = None, f"{type(exc).__name__} {path}"
        self.recorder.record(route, time.perf_counter() - started, problem)
        return answer

    def pause(self) -> None:
        time.sleep(self.rng.expovariate(1 / self.think))

    def submit(self, page, path: str, route: str, edit=None) -> None:
        forms = post_forms(page.text, path) if page is not None else []
        if not forms:
            return
        data = forms[0].data(dt.date.today())
        if edit:
            edit(data)
        self.call("POST", path, route, data=data)

    def field_day(self, stop: threading.Event) -> None:
        while not stop.is_set():
            found = self.call("GET", f"/people/?q={quote(self.rng.choice(SEARCHES))}", "search /people/?q=")
            self.pause()
            people = sorted(
                set(re.findall(r'href="/people/(' + UUID.pattern + ')/"', found.text if found else ""))
            )
            if people:
                self.call("GET", f"/people/{self.rng.choice(people)}/", "person /people/<id>/")
                self.pause()
            if self.kind == "field_worker":
                continue  # field workers register and find children; cases are caseworkers' work
            mine = self.call("GET", "/cases/mine/", "caseload /cases/mine/")
            self.pause()
            cases = sorted(
                set(re.findall(r'href="/cases/(' + UUID.pattern + ')/"', mine.text if mine else ""))
            )
            if not cases:
                listed = self.call("GET", "/cases/", "cases /cases/")
                cases = sorted(
                    set(re.findall(r'href="/cases/(' + UUID.pattern + ')/"', listed.text if listed else ""))
                )
                self.pause()
            if cases:
                case = self.rng.choice(cases)
                self.call("GET", f"/cases/{case}/", "case /cases/<id>/")
                self.pause()
                if self.rng.random() < 0.25:
                    path = f"/cases/{case}/notes/new/"
                    form = self.call("GET", path, "note form /cases/<id>/notes/new/")

                    def note(data):
                        data["observations"] = ["Synthetic visit note written by the load test."]

                    self.submit(form, path, "add note POST /cases/<id>/notes/new/", note)
                    self.pause()

    def teacher_day(self, stop: threading.Event) -> None:
        while not stop.is_set():
            schools = self.call("GET", "/schools/", "classes /schools/")
            self.pause()
            classes = sorted(
                set(
                    re.findall(
                        r'href="/schools/classes/(' + UUID.pattern + ')/"', schools.text if schools else ""
                    )
                )
            )
            if not classes:
                continue
            path = f"/schools/classes/{self.rng.choice(classes)}/"
            roll = self.call("GET", path, "roll call /schools/classes/<id>/")
            self.pause()
            self.submit(roll, path, "roll call POST /schools/classes/<id>/")
            self.pause()

    def run(self, stop: threading.Event) -> None:
        day = self.teacher_day if self.kind == "teacher" else self.field_day
        while not stop.is_set():
            try:
                day(stop)
            except Exception as exc:  # noqa: BLE001 (a broken step is an error, not a dead user)
                self.recorder.record("(script)", 0.0, f"{type(exc).__name__}: {exc}")


def log_in(url: str, username: str) -> requests.cookies.RequestsCookieJar:
    http = requests.Session()
    page = http.get(f"{url}/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    password = staff.password_for(username, DEFAULT_SEED)
    answer = http.post(
        f"{url}/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{url}/accounts/login/"},
        timeout=60,
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text).group(1)
    key = bytes.fromhex(staff.totp_key_for(username, DEFAULT_SEED))
    answer = http.post(
        answer.url,
        {"csrfmiddlewaretoken": token, "code": f"{totp(key):06d}"},
        headers={"Referer": answer.url},
        timeout=60,
    )
    if "logout" not in answer.text:
        raise SystemExit(f"could not log in as {username} ({answer.status_code} {answer.url})")
    return http.cookies


def accounts() -> dict[str, list[str]]:
    """The demo's field staff and teachers, read from the server's database (DATABASE_URL)."""
    from ponleu.organisations.models import Membership

    found: dict[str, list[str]] = {"caseworker": [], "field_worker": [], "teacher": []}
    for username, role in Membership.objects.filter(is_active=True).values_list("user__username", "role"):
        if role in found:
            found[role].append(username)
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--teachers", type=float, default=0.3, help="share of teachers (0.3)")
    parser.add_argument("--duration", type=float, default=120, help="seconds measured")
    parser.add_argument("--ramp", type=float, default=30, help="seconds to start every user, not measured")
    parser.add_argument("--think", type=float, default=4.0, help="mean pause between steps, seconds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    staff_of = accounts()
    print(", ".join(f"{len(names)} {kind}s" for kind, names in staff_of.items()) + " in the demo world")
    cookies = {}
    started = time.perf_counter()
    for username in [name for names in staff_of.values() for name in names]:
        cookies[username] = log_in(args.url, username)
    print(f"logged in {len(cookies)} accounts in {time.perf_counter() - started:.1f} s")

    recorder, stop = Recorder(), threading.Event()
    rng = random.Random(args.seed)
    threads = []
    teachers = round(args.users * args.teachers) if staff_of["teacher"] else 0
    field = [(kind, name) for kind in ("caseworker", "field_worker") for name in staff_of[kind]]
    for index in range(args.users):
        if index < teachers:
            kind, username = "teacher", staff_of["teacher"][index % len(staff_of["teacher"])]
        else:
            kind, username = field[index % len(field)]
        user = User(args.url, cookies[username], recorder, kind, args.think, random.Random(rng.random()))
        thread = threading.Thread(target=user.run, args=(stop,), daemon=True)
        threads.append(thread)
        thread.start()
        time.sleep(args.ramp / args.users)
    recorder.measuring = True
    began = time.perf_counter()
    time.sleep(args.duration)
    recorder.measuring = False
    elapsed = time.perf_counter() - began
    stop.set()

    total = sum(len(v) for v in recorder.times.values())
    errors = sum(recorder.errors.values())
    print(f"\n{args.users} users ({teachers} teachers), think time {args.think} s, measured {elapsed:.0f} s")
    print(f"{total} requests, {total / elapsed:.1f} per second, {errors} errors")
    print(f"\n{'route':<44} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for route in sorted(recorder.times):
        values = recorder.times[route]
        print(
            f"{route:<44} {len(values):>6} {statistics.median(values) * 1000:>7.0f} "
            f"{percentile(values, 0.95) * 1000:>7.0f} {percentile(values, 0.99) * 1000:>7.0f} {recorder.errors[route]:>6}"
        )
    every = [t for values in recorder.times.values() for t in values]
    if every:
        print(
            f"{'all':<44} {len(every):>6} {statistics.median(every) * 1000:>7.0f} "
            f"{percentile(every, 0.95) * 1000:>7.0f} {percentile(every, 0.99) * 1000:>7.0f} {errors:>6}"
        )
    for route, example in recorder.examples.items():
        print(f"first error on {route}: {example}")


if __name__ == "__main__":
    main()
