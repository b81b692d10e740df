import pytest

from tests import factories as make


@pytest.fixture
def exhibit():
    """One published exhibit with a name of its own, for the caching tests."""
    source = make.report()
    return make.exhibit(source, name="风能叶片检测仪", exhibition=make.exhibition(source))
