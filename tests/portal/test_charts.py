"""The ladder picture's rungs: what is written on each."""


def test_a_rung_keeps_its_role_when_it_fits_and_gives_it_up_before_the_name_is_cut():
    from portal.charts import _rung_text

    assert _rung_text("大国工匠", "引领", 190) == ("大国工匠", "引领", None)
    assert _rung_text("Enterprise craftsman", "supports", 300) == ("Enterprise craftsman", "supports", None)
    assert _rung_text("Craftsman of the Nation", "leads", 190)[:2] == ("Craftsman of the Nation", "")


def test_a_rung_too_narrow_for_its_name_draws_it_narrower_without_the_gloss():
    from portal.charts import _rung_text

    label, role, text_length = _rung_text(
        "Beijiang craftsman (Inner Mongolia regional craftsman)", "sets the example", 150
    )
    assert (label, role) == ("Beijiang craftsman", "")
    assert text_length == 134
