"""The HTML routes of the URL conf, and the ones no journey needs to visit (with the reason)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Everything under these prefixes is not a screen: the JSON API and Django's admin.
NOT_SCREENS = ("api/", "admin/", "static/")

# view name -> why no journey visits it. Keep this short: a screen belongs in a journey.
EXEMPT: dict[str, str] = {
    "web:health": "JSON health probe for monitoring, not a screen",
    "web:csp_report": "receives the browser's CSP violation reports (POST, no page); its view has a unit test",
    "registry:person_photo": "an image for <img> on the record, not a page; the registry journey checks it loads",
    "operations:healthz": "liveness probe for the proxy and monitoring (JSON), not a screen",
    "operations:readyz": "readiness probe for the proxy and monitoring (JSON), not a screen",
    "operations:metrics": "Prometheus metrics behind a bearer token (text), not a screen",
    "referrals:referral_send": "POST only: the send button of the referral page",
    "employment:course_result": "POST only: the result form of the course page",
    "employment:document_add": "POST only: the document form of a young person's page",
    "referrals:referral_step": "POST only: the step buttons of the referral page",
    "referrals:referral_slip": "the printable slip (a PDF download); its view has unit tests",
    "referrals:directory_import_template": "the directory's spreadsheet template (an XLSX download); unit-tested",
    "referrals:directory_import_start": "POST only: the import button of the directory import page",
    "collection:form_list_openrosa": "OpenRosa form list (XML) for ODK Collect; collection/tests/test_openrosa.py",
    "collection:submission": "OpenRosa submission endpoint for ODK Collect; collection/tests/test_openrosa.py",
    "collection:form_xml": "an XForm (XML) for ODK Collect to download; collection/tests/test_openrosa.py",
    "collection:form_manifest": "OpenRosa manifest (XML) for ODK Collect; collection/tests/test_openrosa.py",
    "collection:form_media": "a form's media file for ODK Collect; collection/tests/test_openrosa.py",
    "collection:submission_review": "POST only: the decision buttons of the review queue",
    "nutrition:preview": "POST only: the HTMX assessment of the measurement form, typed in the nutrition journey",
    "nutrition:refer": "POST only: the refer button of a severely malnourished child's measurement screen",
    "scholarships:payments_run": "POST only: the run button of the scheme page",
    "scholarships:payments_pay": "POST only: the record-as-paid button of the scheme page",
    "scholarships:payment_override": "POST only: the override button of a withheld payment",
    "scholarships:award_change": "POST only: suspend, resume or graduate on the scheme page",
    "scholarships:application_decide": "POST only: the committee's decision on the scheme page",
    "scholarships:receipts": "the receipts of a period (a PDF download); its view has unit tests",
}

# Screens that exist without their browser journey yet, each with what is owed. The coverage test
# prints them on every run; an entry goes when its journey lands.
AWAITING_JOURNEY: dict[str, str] = {
    "referrals:directory_import": "referrals: an administrator checks a directory spreadsheet, then imports it",
    "referrals:directory_import_job": "referrals: the directory import's progress and outcome",
    "programmes:member_add": "programmes: a facilitator finds a child in the registry and adds them to the club",
    "programmes:project_list": "programmes: an M&E officer reads the projects and their children counted",
    "programmes:project_detail": "programmes: a project's log-frame, progress against targets and stock",
    "programmes:out_of_school_list": "programmes: the out-of-school register and the follow-ups due",
    "programmes:calendar": "programmes: a worker's four weeks of sessions and events",
    "employment:profile_new": "employment: a youth worker opens a young person's profile from the registry",
    "employment:course_list": "employment: a trainer reads the vocational courses",
    "employment:course_detail": "employment: a trainer records who completed the course and their certificates",
    "employment:offer_list": "employment: the open internship and job offers",
    "employment:offer_new": "employment: a supervisor records an employer's job offer",
    "employment:indicators": "employment: an M&E officer reads the indicators by sex and age band",
    "scholarships:person_history": "scholarships: a caseworker reads a child's awards, payments and overrides",
    "scholarships:effectiveness": "scholarships: an M&E officer compares children with and without a scholarship",
    "early_childhood:factory_list": "early childhood: an advocacy officer lists the factories that owe childcare",
    "early_childhood:instrument": "early childhood: a worker reads the development checklist in use",
}


@dataclass(frozen=True)
class Route:
    view_name: str
    path: str


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            space = namespace
            if pattern.namespace:
                space = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, space)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"(unnamed: {pattern.lookup_str})"
            yield Route(f"{namespace}:{name}" if namespace else name, "/" + route)


def html_routes() -> list[Route]:
    """Every route of the URL conf that a person's browser can open, except the API and admin."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.path.lstrip("/").startswith(NOT_SCREENS):
            continue
        seen.setdefault(route.view_name, route)
    return sorted(seen.values(), key=lambda r: r.view_name)
