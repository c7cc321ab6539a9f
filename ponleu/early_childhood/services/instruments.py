"""The development instrument as data: an organisation writes its own (or enters a national
one) as age bands with items per domain, in Khmer and English; one instrument is in use at a
time, and items are changed or retired without touching the checks already taken."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.early_childhood.choices import Domain, EarlyChildhoodAction, InstrumentSource
from ponleu.early_childhood.models import Band, Instrument, Item
from ponleu.programmes.services.base import choice, required_text, text

MANAGE = "programmes.manage"
OLDEST_MONTHS = 96


def may_manage(actor) -> None:
    """The instrument is the whole organisation's: managed at organisation scope only."""
    if actor.scope_for(MANAGE) != Scope.ORG or actor.organisation_id is None:
        raise PermissionDenied()


def _months(value, *, field: str) -> int:
    try:
        months = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number of months."), field=field) from None
    if months < 0 or months > OLDEST_MONTHS:
        raise ValidationFailed(_("Enter a number of months between 0 and 96."), field=field)
    return months


def _item(row, *, field: str) -> dict:
    return {
        "domain": choice(row.get("domain"), Domain, field=f"{field}.domain"),
        "text_km": required_text(row.get("text_km"), field=f"{field}.text_km", limit=300),
        "text_en": text(row.get("text_en"), 300),
    }


def _bands(rows) -> list[tuple[int, int, list[dict]]]:
    """Bands in order of age, each with its items; bands that overlap or leave a gap between
    them are refused, naming the band."""
    cleaned = []
    for index, row in enumerate(rows or ()):
        field = f"bands.{index}"
        start = _months(row.get("from_months"), field=f"{field}.from_months")
        end = _months(row.get("to_months"), field=f"{field}.to_months")
        if end <= start:
            raise ValidationFailed(_("A band ends after it starts."), field=f"{field}.to_months")
        items = [_item(item, field=f"{field}.items.{i}") for i, item in enumerate(row.get("items") or ())]
        if not items:
            raise ValidationFailed(_("Give each age band at least one item."), field=f"{field}.items")
        cleaned.append((start, end, items))
    if not cleaned:
        raise ValidationFailed(_("Give the instrument at least one age band."), field="bands")
    cleaned.sort(key=lambda band: band[0])
    for index, (previous, current) in enumerate(zip(cleaned, cleaned[1:], strict=False), start=1):
        if current[0] != previous[1]:
            raise ValidationFailed(
                _("Each age band starts where the one before it ends."), field=f"bands.{index}.from_months"
            )
    return cleaned


@transaction.atomic
def instrument_create(*, actor, name: str, source: str, bands, in_use: bool = True) -> Instrument:
    """A new instrument; in use at once unless asked otherwise (the one in use before retires)."""
    may_manage(actor)
    name = required_text(name, field="name")
    source = choice(source, InstrumentSource, field="source")
    cleaned = _bands(bands)
    if in_use:
        Instrument.objects.select_for_update().filter(
            organisation_id=actor.organisation_id, is_active=True
        ).update(is_active=False)
    instrument = Instrument.objects.create(
        organisation_id=actor.organisation_id, name=name, source=source, is_active=in_use
    )
    _save_bands(instrument, cleaned)
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.INSTRUMENT_CREATED,
        target=instrument,
        changes={"bands": [None, [f"{s}-{e}" for s, e, _items in cleaned]], "in_use": [None, in_use]},
    )
    return instrument


def _save_bands(instrument: Instrument, cleaned) -> None:
    for start, end, items in cleaned:
        band = Band.objects.create(instrument=instrument, from_months=start, to_months=end)
        Item.objects.bulk_create(
            [Item(band=band, position=position, **item) for position, item in enumerate(items)]
        )


@transaction.atomic
def item_add(*, actor, band: Band, domain: str, text_km: str, text_en: str = "") -> Item:
    may_manage(actor)
    if band.instrument.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    cleaned = _item({"domain": domain, "text_km": text_km, "text_en": text_en}, field="item")
    position = band.items.filter(domain=cleaned["domain"]).count()
    item = Item.objects.create(band=band, position=position, **cleaned)
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.INSTRUMENT_CHANGED,
        target=band.instrument,
        changes={"item": [None, item.text_km]},
    )
    return item


@transaction.atomic
def item_change(*, actor, item: Item, text_km: str, text_en: str = "", is_active: bool = True) -> Item:
    """An item reworded, or retired (no longer asked; the checks that asked it keep it)."""
    may_manage(actor)
    item = Item.objects.select_for_update().select_related("band__instrument").get(pk=item.pk)
    if item.band.instrument.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    before = {"text_km": item.text_km, "text_en": item.text_en, "is_active": item.is_active}
    item.text_km = required_text(text_km, field="text_km", limit=300)
    item.text_en = text(text_en, 300)
    item.is_active = bool(is_active)
    if not item.is_active and not item.band.items.filter(is_active=True).exclude(pk=item.pk).exists():
        raise ValidationFailed(_("An age band keeps at least one item."), field="is_active")
    item.save(update_fields=["text_km", "text_en", "is_active"])
    after = {"text_km": item.text_km, "text_en": item.text_en, "is_active": item.is_active}
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.INSTRUMENT_CHANGED,
        target=item.band.instrument,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return item


# A generic checklist to start from, written for Ponleu's demonstration (not a validated or
# national instrument): one item per domain and band, in Khmer and English.
GENERIC_BANDS = [
    (
        0,
        6,
        [
            ("gross_motor", "ទប់ក្បាលបានត្រង់ពេលគេលើកឈរ", "Holds head steady when held upright"),
            ("fine_motor", "យកដៃទាំងពីរមកប៉ះគ្នានៅមុខខ្លួន", "Brings both hands together in front of the body"),
            ("language", "ងាកទៅរកសំឡេងមនុស្សនិយាយ", "Turns towards a voice"),
            ("social_emotional", "ញញឹមតបពេលមានគេញញឹមដាក់", "Smiles back when smiled at"),
            ("cognitive", "មើលតាមវត្ថុដែលកំពុងផ្លាស់ទី", "Follows a moving object with the eyes"),
        ],
    ),
    (
        6,
        12,
        [
            ("gross_motor", "អង្គុយបានដោយគ្មានគេទប់", "Sits without support"),
            ("fine_motor", "រើសវត្ថុតូចៗដោយមេដៃ និងម្រាមដៃ", "Picks up a small object with thumb and finger"),
            ("language", "បញ្ចេញសំឡេងដូចជា បា-បា ឬ មា-មា", "Babbles sounds like ba-ba or ma-ma"),
            ("social_emotional", "ខ្មាស់អៀនពេលឃើញមនុស្សចម្លែក", "Is shy with strangers"),
            ("cognitive", "ស្វែងរកប្រដាប់ក្មេងលេងដែលគេលាក់", "Looks for a toy that was hidden"),
        ],
    ),
    (
        12,
        18,
        [
            ("gross_motor", "ដើរបានពីរបីជំហានដោយខ្លួនឯង", "Walks a few steps alone"),
            ("fine_motor", "ដាក់វត្ថុតូចមួយចូលក្នុងពែង", "Puts a small object into a cup"),
            ("language", "និយាយបានយ៉ាងហោចណាស់បីពាក្យ", "Says at least three words"),
            ("social_emotional", "លេងល្បែងសាមញ្ញៗ ដូចជាលេងលាក់មុខ", "Plays simple games such as peek-a-boo"),
            ("cognitive", "ចង្អុលទៅរបស់ដែលខ្លួនចង់បាន", "Points to something they want"),
        ],
    ),
    (
        18,
        24,
        [
            ("gross_motor", "រត់បាន", "Runs"),
            ("fine_motor", "ដាក់ដុំឈើត្រួតគ្នាបានបីដុំ", "Stacks three blocks"),
            ("language", "ផ្សំពាក្យពីរចូលគ្នាបាន", "Puts two words together"),
            ("social_emotional", "ធ្វើត្រាប់តាមមនុស្សធំនៅផ្ទះ", "Copies what adults do at home"),
            ("cognitive", "ចង្អុលផ្នែករាងកាយពីរ ពេលគេសួរ", "Points to two body parts when asked"),
        ],
    ),
    (
        24,
        36,
        [
            ("gross_motor", "លោតដោយជើងទាំងពីរព្រមគ្នា", "Jumps with both feet"),
            ("fine_motor", "គូសបន្ទាត់ដោយខ្មៅដៃបាន", "Draws a line with a pencil"),
            ("language", "និយាយជាប្រយោគខ្លីៗ", "Speaks in short sentences"),
            ("social_emotional", "លេងក្បែរក្មេងដទៃទៀត", "Plays next to other children"),
            ("cognitive", "ញែកវត្ថុតាមពណ៌ ឬតាមរាង", "Sorts objects by colour or shape"),
        ],
    ),
    (
        36,
        48,
        [
            ("gross_motor", "ឈរលើជើងម្ខាងបានមួយភ្លែត", "Stands on one foot for a moment"),
            ("fine_motor", "គូររង្វង់បាន", "Draws a circle"),
            ("language", "រៀបរាប់រឿងខ្លីៗ អំពីអ្វីដែលបានកើតឡើង", "Tells a short story of something that happened"),
            ("social_emotional", "ចេះរង់ចាំវេនពេលលេង", "Takes turns in a game"),
            ("cognitive", "រាប់វត្ថុបានបី", "Counts three objects"),
        ],
    ),
    (
        48,
        60,
        [
            ("gross_motor", "លោតដោយជើងម្ខាងបាន", "Hops on one foot"),
            ("fine_motor", "កាត់ក្រដាសដោយកន្ត្រៃបាន", "Cuts paper with scissors"),
            ("language", "ឆ្លើយសំណួរអំពីរឿងដែលបានស្ដាប់", "Answers questions about a story heard"),
            ("social_emotional", "លួងលោមមិត្តភក្តិដែលកំពុងពិបាកចិត្ត", "Comforts a friend who is upset"),
            ("cognitive", "ប្រាប់ឈ្មោះពណ៌បានបួន", "Names four colours"),
        ],
    ),
]


def generic_bands() -> list[dict]:
    """The generic checklist in the shape ``instrument_create`` takes."""
    return [
        {
            "from_months": start,
            "to_months": end,
            "items": [{"domain": d, "text_km": km, "text_en": en} for d, km, en in items],
        }
        for start, end, items in GENERIC_BANDS
    ]
