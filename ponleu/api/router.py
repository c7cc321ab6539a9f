"""The REST API: one NinjaAPI, versioned under /api/v1/, mounting each app's router."""

from __future__ import annotations

from ninja import NinjaAPI

from ponleu.access.endpoints import public
from ponleu.access.views import requires
from ponleu.accounts.api import router as accounts_router
from ponleu.cases.api import router as cases_router
from ponleu.early_warning.api import router as early_warning_router
from ponleu.education.api import router as education_router
from ponleu.registry.api import router as registry_router

api = NinjaAPI(
    title="Ponleu API",
    version="1",
    description="Registry, cases and early warning for child-protection organisations in Cambodia.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # Deny by default covers the schema and its browser too: logged-in users only.
    docs_decorator=requires("web.use"),
)


@api.get("/health", auth=None, tags=["meta"], summary="Is the API up?")
@public
def health(request):
    return {"status": "ok"}


api.add_router("/", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", cases_router)
api.add_router("/", education_router)
api.add_router("/", early_warning_router)
