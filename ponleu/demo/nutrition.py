"""The demo's growth monitoring: a year of monthly growth monitoring days in two villages of
Chetana's Kong Pisei team, with children under five whose growth follows Cambodian prevalence
(about one child in five stunted, one in ten wasted, a few with severe acute malnutrition by
MUAC). Synthetic: each child has a length and a weight-for-length position drawn once and
drifting a little month to month; the WHO curves turn them into centimetres and kilograms, and
the nutrition service assesses them as a worker's phone would. A severe case raises its alert
and is referred the same day to the nearest health centre, except the last one, left for the
worker's list; moderate cases start their follow-ups.

The first village has twenty children under five: the browser journey's growth monitoring day.
Deterministic for a seed; everything goes through the services, with the clock set to the day.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager

from django.utils import timezone

from ponleu.access.actors import actor_for_membership
from ponleu.common import clock
from ponleu.geography.models import AdminUnit
from ponleu.nutrition.growth_standards import curve
from ponleu.nutrition.models import SamAlert
from ponleu.nutrition.services import measurements, referral
from ponleu.registry.models import Person

from . import names

ORGANISATION = "chetana"
TEAM_INDEX = 1  # Kong Pisei team
# The team's nutrition worker (nutrition.chetana): a caseworker of the team and its district.
WORKER = ("nutrition", "Chan Sreyneang")
CHILDREN = (20, 24)  # per village
SESSIONS = 12  # monthly, the last one before today
FIVE_YEARS = 1856
# Latent z-scores: length-for-age N(-1.2, 1.0) puts ~22% below −2; weight-for-length
# N(-0.9, 0.95) ~12% below −2 (measurement noise takes some back). MUAC follows weight-for-length with its own noise.
LENGTH_Z = (-1.2, 1.0)
WEIGHT_Z = (-0.9, 0.95)
DRIFT = 0.12


@contextmanager
def _on(day: dt.date):
    with clock.frozen(timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))):
        yield


class _Curves:
    """Values of the WHO curves at z = -1, 0, +1, by age (days) or length (mm, in 1 mm steps)."""

    def __init__(self):
        self.cache: dict = {}

    def _table(self, indicator, sex, z):
        key = (indicator, sex, z)
        if key not in self.cache:
            points = curve(indicator, sex, z)
            self.cache[key] = {round(x * (10 if indicator in ("wfl", "wfh") else 1)): v for x, v in points}
        return self.cache[key]

    def value(self, indicator, sex, x, z):
        key = round(x * (10 if indicator in ("wfl", "wfh") else 1))
        median = self._table(indicator, sex, 0).get(key)
        side = self._table(indicator, sex, 1 if z >= 0 else -1).get(key)
        if median is None or side is None:
            return None
        return median + abs(z) * (side - median)


def _sessions(today: dt.date) -> list[dt.date]:
    days = []
    year, month = today.year, today.month
    for _ in range(SESSIONS + 1):
        day = dt.date(year, month, 10)
        if day < today:
            days.append(day)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(days)[-SESSIONS:]


def _children(rng, organisation, team, owner, village, count, today) -> list[Person]:
    families = names.FAMILY_NAMES
    made = []
    for _ in range(count):
        sex = rng.choice("FM")
        given = rng.choice(names.GIVEN_NAMES_FEMALE if sex == "F" else names.GIVEN_NAMES_MALE)
        family = rng.choice(families)
        made.append(
            Person.objects.create(
                organisation=organisation,
                village=village,
                area_code=village.code,
                team=team,
                owner=owner,
                kind="child",
                family_name_km=family[0],
                family_name_latin=family[1],
                given_name_km=given[0],
                given_name_latin=given[1],
                sex=sex,
                date_of_birth=today - dt.timedelta(days=rng.randint(40, 1790)),
                languages=["km"],
            )
        )
    return made


def populate(*, organisations: dict, worker, seed: int) -> dict:
    """A year of growth monitoring in two villages of ``worker``'s district, the children
    registered and measured by ``worker`` (the team's nutrition worker)."""
    organisation = organisations[ORGANISATION]
    caseworker = worker
    team = caseworker.teams.first()
    district = caseworker.areas.first().code
    actor = actor_for_membership(caseworker, is_verified=True)
    rng = random.Random(seed + 16)
    today = clock.today()
    villages = list(AdminUnit.objects.within(district).filter(level="village").order_by("-code")[:2])
    curves = _Curves()
    children = []
    for village, count in zip(villages, CHILDREN, strict=False):
        children += _children(rng, organisation, team, caseworker.user, village, count, today)
    latent = {child.pk: [rng.gauss(*LENGTH_Z), rng.gauss(*WEIGHT_Z), rng.gauss(0, 5)] for child in children}
    counts = {"measurements": 0, "sam": 0, "referred": 0}
    for day in _sessions(today):
        for child in children:
            age = (day - child.date_of_birth).days
            z = latent[child.pk]
            z[0] += rng.gauss(0, DRIFT) - 0.05 * (z[0] - LENGTH_Z[0])
            z[1] += rng.gauss(0, DRIFT * 2) - 0.1 * (z[1] - WEIGHT_Z[0])
            if age < 0 or age > FIVE_YEARS or rng.random() < 0.15:  # not born yet, too old, absent
                continue
            length = curves.value("lhfa", child.sex, age, z[0])
            if length is None:
                continue
            length = round(length + rng.gauss(0, 0.3), 1)
            weight = curves.value("wfl" if age < 731 else "wfh", child.sex, length, z[1])
            data = {
                "measured_on": day.isoformat(),
                "length_cm": f"{length:.1f}",
                "weight_kg": f"{weight + rng.gauss(0, 0.05):.2f}" if weight else "",
                "muac_mm": str(round(144 + 8 * z[1] + z[2])) if age >= 183 else "",
                "village": child.area_code,
            }
            with _on(day):
                saved = measurements.measurement_record(actor=actor, person_id=child.pk, data=data)
            counts["measurements"] += 1
            if saved.sam:
                counts["sam"] += 1
    # Each severe case referred on its day, but the newest: the worker's list keeps one to refer.
    alerts = list(SamAlert.objects.filter(organisation=organisation, status="open").order_by("raised_on"))
    for alert in alerts[:-1]:
        with _on(alert.raised_on):
            proposal = referral.nearest_provider(actor=actor, person=alert.person)
            if proposal is None:
                continue
            referral.sam_refer(
                actor=actor, alert=alert, version=alert.version, provider_id=proposal.provider.pk
            )
            counts["referred"] += 1
    return counts
