"""The OpenRosa server ODK Collect and KoboCollect speak to (server URL: ``https://<host>/collect``).

- ``GET|HEAD formList``: the forms the device's user may fill (OpenRosa Form List API);
- ``GET forms/<version>/form.xml``, ``.../manifest``, ``.../media/<name>``: a form and its media;
- ``HEAD|POST submission``: OpenRosa Form Submission API (multipart, ``xml_submission_file``).

A device authenticates with HTTP Basic: the user's username and a device token from the
device page (never the password). The token acts with the capabilities it lists that the
member's role still has, and stops when revoked. The logged-in browser session is accepted
too (CSRF-checked on POST), for the web forms of the same server. Every answer carries
``X-OpenRosa-Version`` and ``X-OpenRosa-Accept-Content-Length``.
"""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import ObjectDoesNotExist
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from ponleu.access.scopes import Scope
from ponleu.accounts.api_auth import DeviceTokenAuth

from . import openrosa, selectors, services

CAPABILITY = "collection.submit"


def _basic_credentials(request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        username, sep, secret = (
            base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        )
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return (username, secret) if sep else None


def _device_actor(request):
    """The actor of the device token in the Basic credentials, or None."""
    credentials = _basic_credentials(request)
    if credentials is None:
        return None
    username, secret = credentials
    actor = DeviceTokenAuth().authenticate(request, secret)
    if actor is None or request.device_token.user.username.casefold() != username.casefold():
        return None
    return actor


class OpenRosaView(View):
    """Authentication, the capability and the OpenRosa headers for every endpoint."""

    http_method_names = ["get", "head"]

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.ponleu_capability = CAPABILITY
        view.ponleu_scope = Scope.OWN
        view.ponleu_public = False
        view.ponleu_may_be_empty = False
        return csrf_exempt(view)

    def dispatch(self, request, *args, **kwargs):
        self.device_token = None
        if request.headers.get("Authorization"):
            actor = _device_actor(request)
            self.device_token = getattr(request, "device_token", None) if actor is not None else None
        else:
            actor = getattr(request, "actor", None)
            if actor is not None and not (actor.is_authenticated and actor.is_verified):
                actor = None
            if actor is not None and request.method == "POST":
                refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
                if refused is not None:
                    return refused
        if actor is None:
            return openrosa.challenge()
        request.actor = self.actor = actor
        if actor.scope_for(CAPABILITY) < Scope.OWN:
            return openrosa.message(_("This account may not collect data."), status=403)
        try:
            return super().dispatch(request, *args, **kwargs)
        except ObjectDoesNotExist:
            return openrosa.message(_("Not found."), status=404)

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = openrosa.message(_("Method not allowed."), status=405)
        response["Allow"] = ", ".join(m.upper() for m in self._allowed_methods())
        return response


class FormListView(OpenRosaView):
    def get(self, request):
        entries = []
        for form in selectors.fillable_forms(actor=self.actor):
            version = form.current_version
            entries.append(
                {
                    "form_id": form.form_id,
                    "name": version.title,
                    "version": version.version,
                    "md5": version.md5,
                    "download_url": request.build_absolute_uri(
                        reverse("collection:form_xml", kwargs={"form_version_id": version.pk})
                    ),
                    "manifest_url": request.build_absolute_uri(
                        reverse("collection:form_manifest", kwargs={"form_version_id": version.pk})
                    )
                    if form.has_media
                    else None,
                }
            )
        return openrosa.respond(openrosa.form_list(entries))


class FormXmlView(OpenRosaView):
    def get(self, request, form_version_id):
        version = selectors.fillable_version(actor=self.actor, version_id=form_version_id)
        return openrosa.respond(version.xml)


class FormManifestView(OpenRosaView):
    def get(self, request, form_version_id):
        version = selectors.fillable_version(actor=self.actor, version_id=form_version_id)
        files = [
            {
                "filename": media.filename,
                "md5": media.md5,
                "download_url": request.build_absolute_uri(
                    reverse(
                        "collection:form_media",
                        kwargs={"form_version_id": version.pk, "filename": media.filename},
                    )
                ),
            }
            for media in version.media.order_by("filename")
        ]
        return openrosa.respond(openrosa.manifest(files))


class FormMediaView(OpenRosaView):
    def get(self, request, form_version_id, filename):
        version = selectors.fillable_version(actor=self.actor, version_id=form_version_id)
        media = version.media.get(filename=filename)
        return openrosa.respond(bytes(media.data), content_type="application/octet-stream")


class SubmissionView(OpenRosaView):
    http_method_names = ["head", "post"]

    def head(self, request):
        return openrosa.respond(status=204)

    def post(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return openrosa.message(_("The request's Content-Length is not a number."), status=400)
        if length > openrosa.ACCEPT_CONTENT_LENGTH:
            return openrosa.message(_("The submission is larger than the server accepts."), status=413)
        xml_file = request.FILES.get("xml_submission_file")
        if xml_file is None:
            return openrosa.message(_("The request has no xml_submission_file."), status=400)
        uploads = [
            services.Upload(name=f.name, content_type=f.content_type or "", data=f.read())
            for key, files in request.FILES.lists()
            if key != "xml_submission_file"
            for f in files
        ]
        try:
            received = services.submission_receive(
                actor=self.actor, device_token=self.device_token, xml=xml_file.read(), uploads=uploads
            )
        except services.SubmissionRefused as refused:
            return openrosa.message(refused.message, status=refused.status, nature="error")
        if received.created:
            return openrosa.message(
                _("Thank you: the submission was received."), status=201, nature="submit_success"
            )
        return openrosa.message(
            _("The submission was already received."), status=202, nature="submit_success"
        )
