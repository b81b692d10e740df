"""The API over the real fixtures: every list is complete, and a record
reads as the README's example of it."""

import pytest

from api.views import RESOURCES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.segment)
def test_every_list_holds_every_public_record_of_its_kind(client, resource):
    response = client.get(f"/api/v1/{resource.segment}/?page_size=100")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == resource.queryset().count()
    assert len(body["results"]) == min(body["count"], 100)


def test_a_person_reads_as_the_fixture_gives_it_with_its_citation(client):
    body = client.get("/api/v1/people/gao-fenglin/").json()
    assert body["name"] == "高凤林"
    assert body["name_en"] == "Gao Fenglin"
    assert body["tier"] == "daguo-gongjiang"
    first = body["citations"][0]
    assert (first["report"], first["paragraph"]) == ("jiangxin-zhu-beijiang", 20)
    assert first["excerpt"] == "大国工匠高凤林来到内蒙古自治区总工会展区"
