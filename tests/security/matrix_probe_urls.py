"""Two views with the holes the adversarial matrix exists to find: the proof that it can fail.

Mounted beside the real URL conf by ``test_matrix_inputs.test_the_pass_catches_planted_holes``.
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as real_urlpatterns
from ponleu.access.views import AppView
from ponleu.audit import services as audit
from ponleu.registry.models import Person


class ShowsAnyChild(AppView):
    """Prints the name of whichever child the query string names: no scope, no mask, no audit."""

    capability = "cases.open"

    def get(self, request):
        person = Person.objects.get(pk=request.GET.get("person"))  # "x" or a missing id: a 500
        return HttpResponse(f"<p>{person.family_name_latin}</p>")


class EnrolsAnyChild(AppView):
    """Acts on any child of the organisation, and says which numbers exist."""

    capability = "education.manage"

    def post(self, request):
        try:
            person = Person.objects.filter(pk=request.POST.get("person")).first()
        except ValidationError:
            return HttpResponse("Not a number.", status=400)
        if person is None:
            return HttpResponse("No child with this number.", status=400)
        if person.organisation_id != request.actor.organisation_id:
            return HttpResponse("This child is in another organisation.", status=400)
        audit.record(actor=request.actor, action="probe.enrolled", target=person)
        return HttpResponse("Enrolled.")


probe_patterns = (
    [
        path("shows/", ShowsAnyChild.as_view(), name="shows"),
        path("enrols/", EnrolsAnyChild.as_view(), name="enrols"),
    ],
    "probe",
)
urlpatterns = [path("probe/", include(probe_patterns)), *real_urlpatterns]
