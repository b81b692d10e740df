"""The craftsmen app's kinds of record in the search (search.kinds says
what a kind is)."""

from django.utils.translation import gettext_lazy as _

from craftsmen.models import Academy, AcademyGroup, AcademyType, Person, PilotBatch, PilotCategory, Tier
from search.kinds import Kind, Source, declare

declare(
    Kind(
        "person",
        _("人物"),
        2,
        (Source(Person, texts=("title",), names=("organisation", "tier"), person=True),),
        pinyin=True,
    ),
    Kind("tier", _("工匠梯队"), 3, (Source(Tier, texts=("ladder_role",), names=("region",)),), pinyin=True),
    Kind(
        "pilot",
        _("试点单位"),
        4,
        (Source(PilotBatch), Source(PilotCategory, texts=("phrase",), names=("batch",))),
    ),
    Kind(
        "academy",
        _("工匠学院"),
        5,
        (
            Source(
                Academy,
                texts=("recognition",),
                names=("academy_type", "organisation", "recognised_by", "groups"),
            ),
            Source(AcademyGroup, texts=("phrase",), names=("fields",)),
            Source(AcademyType),
        ),
        pinyin=True,
    ),
)
