"""Pages of a list, for the web pages and the API alike: no COUNT, the next page is known by
reading one row more."""

from __future__ import annotations

from dataclasses import dataclass

from ninja import Schema
from pydantic import Field

from .schemas import MAX_PAGE

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def paginate(rows, page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """Page ``page`` of ``rows`` (a queryset or a list), ``per_page`` rows long."""
    start = (page - 1) * per_page
    fetched = list(rows[start : start + per_page + 1])
    return Page(items=fetched[:per_page], number=page, per_page=per_page, has_next=len(fetched) > per_page)


class PageIn(Schema):
    """The page an API list is asked for (``?page=2&per_page=50``)."""

    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class PageOut(Schema):
    """A page of an API list; a subclass declares ``items: list[ThingOut]``."""

    page: int
    per_page: int
    has_next: bool

    @staticmethod
    def resolve_page(page: Page) -> int:
        return page.number
