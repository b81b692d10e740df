"""The base-template timing (bench.base_template) renders the real base
template in both languages and reports a time for each."""

import re

from bench import base_template


def test_it_renders_the_base_template_in_both_languages_and_reports_each(capsys):
    base_template.main(["--runs", "2", "--rounds", "1"])

    lines = capsys.readouterr().out.splitlines()
    assert [re.sub(r"[\d.]+ ms", "N ms", line) for line in lines] == [
        "base.html, zh-hans: median N ms, best N ms",
        "base.html, en: median N ms, best N ms",
    ]


def test_the_rendered_page_is_the_base_template_with_its_language_switch():
    from django.test import RequestFactory

    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    chinese = base_template.render_once(factory, "zh-hans", "/exhibits/")
    english = base_template.render_once(factory, "en", "/en/exhibits/")

    assert '<html lang="zh-Hans">' in chinese and 'href="/en/exhibits/"' in chinese
    assert '<html lang="en">' in english and 'href="/exhibits/"' in english
