import pytest

from publish.addresses import file_for, href_for, renders


@pytest.mark.parametrize(
    ("address", "file"),
    [
        ("/", "index.html"),
        ("/en/exhibits/", "en/exhibits/index.html"),
        ("/exhibits/?sector=xitu&page=2", "exhibits/~sector=xitu~page=2/index.html"),
        ("/exhibits/export.csv?sector=xitu", "exhibits/export~sector=xitu.csv"),
        ("/exhibits/export.xlsx", "exhibits/export.xlsx"),
        ("/robots.txt", "robots.txt"),
        ("/api/v1/exhibits/", "api/v1/exhibits/index.json"),
        ("/api/v1/exhibits/?page=2", "api/v1/exhibits/~page=2/index.json"),
        ("/api/v1/docs/", "api/v1/docs/index.html"),
    ],
)
def test_each_rendered_address_has_a_file_of_its_own(address, file):
    path, _, query = address.partition("?")
    assert renders(path, query)
    assert file_for(path, query) == file


def test_a_link_to_a_page_names_its_folder_and_a_link_to_a_file_names_the_file():
    assert href_for("/exhibits/", "sector=xitu") == "/exhibits/~sector=xitu/"
    assert href_for("/exhibits/export.csv", "kind=x") == "/exhibits/export~kind=x.csv"
    assert href_for("/api/v1/people/", "") == "/api/v1/people/index.json"


@pytest.mark.parametrize(
    "address",
    [
        "/exhibits/?sector=a&kind=b",  # two filters: the browser's job
        "/exhibits/?q=稀土",  # a keyword: the search page's job
        "/exhibits/?page=0",
        "/exhibits/?page=x",
        "/exhibits/?sector=",
        "/craftsmen/?sector=a",  # no filters there
        "/search/?q=稀土",
        "/admin/",
        "/static/css/portal.css",
        "/healthz",
    ],
)
def test_addresses_a_static_host_cannot_answer_are_not_rendered(address):
    path, _, query = address.partition("?")
    assert not renders(path, query)
