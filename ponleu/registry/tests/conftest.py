import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; a request earlier in the thread may have left Khmer on."""
    with translation.override("en"):
        yield
