"""The REST API: one NinjaAPI, versioned under /api/v1/, mounting each app's router."""

from __future__ import annotations

from ninja import NinjaAPI

from ponleu.access.endpoints import public
from ponleu.access.views import requires
from ponleu.accounts.api import router as accounts_router
from ponleu.cases.api import router as cases_router
from ponleu.common.api_parser import NulRefusingParser
from ponleu.common.schemas import ErrorOut
from ponleu.early_childhood.api import router as early_childhood_router
from ponleu.early_warning.api import router as early_warning_router
from ponleu.education.api import router as education_router
from ponleu.employment.api import router as employment_router
from ponleu.family_support.api import router as family_support_router
from ponleu.maternal.api import router as maternal_router
from ponleu.nutrition.api import router as nutrition_router
from ponleu.programmes.api import router as programmes_router
from ponleu.referrals.api import router as referrals_router
from ponleu.registry.api import router as registry_router
from ponleu.scholarships.api import router as scholarships_router

from . import errors

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
# Answers any operation can give before its own code runs, all with the ErrorOut body.
REFUSALS = {
    "401": "Not authenticated (no valid device token or verified session).",
    "403": "Authenticated, but the role or the device token lacks the capability.",
    "404": "A record the request names is missing or outside the caller's scope (the same answer).",
    "422": "A parameter or a field of the body is not valid; ``errors`` names each one.",
}
MALFORMED_BODY = "The body is not JSON of the declared shape."


class PonleuAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema, with the refusals every operation can give declared on each."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        for item in schema["paths"].values():
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                refusals = dict(REFUSALS) if operation.get("security") else {}
                if "requestBody" in operation:
                    refusals["400"] = MALFORMED_BODY
                elif not operation.get("parameters"):
                    refusals.pop("422", None)
                    refusals.pop("404", None)
                for status, description in refusals.items():
                    operation["responses"].setdefault(
                        status,
                        {"description": description, "content": {"application/json": {"schema": ERROR_REF}}},
                    )
        return schema


api = PonleuAPI(
    title="Ponleu API",
    version="1",
    description="Registry, cases and early warning for child-protection organisations in Cambodia.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # Deny by default covers the schema and its browser too: logged-in users only.
    docs_decorator=requires("web.use"),
    parser=NulRefusingParser(),
)


errors.install(api)


@api.get("/health", auth=None, tags=["meta"], summary="Is the API up?")
@public
def health(request):
    return {"status": "ok"}


api.add_router("/", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", cases_router)
api.add_router("/", education_router)
api.add_router("/", early_warning_router)
api.add_router("/", referrals_router)
api.add_router("/", family_support_router)
api.add_router("/", maternal_router)
api.add_router("/programmes", programmes_router)
api.add_router("/nutrition", nutrition_router)
api.add_router("/employment", employment_router)
api.add_router("/scholarships", scholarships_router)
api.add_router("/early-childhood", early_childhood_router)
