"""Code lists: CARC categories, ICD-10-CM validity, code shapes."""

from simulator.codes import (
    DENIAL_CATEGORIES,
    carc,
    carc_category,
    carc_codes,
    icd10_error,
    is_billable_icd10,
    is_cpt_shaped,
    is_hcpcs_level2_shaped,
    place_of_service,
    rarc,
)


def test_every_carc_has_a_known_category_and_wording():
    allowed = set(DENIAL_CATEGORIES) | {"patient_share", "contractual"}
    for code in carc_codes().values():
        assert code.category in allowed, code
        assert code.wording


def test_carc_lookup_and_category():
    assert carc("197").category == "prior_authorization"
    assert carc_category("999") == "other"


def test_icd10_billable_codes():
    assert is_billable_icd10("E11.9")
    assert is_billable_icd10("I10")
    assert not is_billable_icd10("E11")
    assert "category" in icd10_error("E11")
    assert "not a valid code" in icd10_error("QQ9.9")


def test_code_shapes():
    assert is_cpt_shaped("99213") and is_cpt_shaped("0001U")
    assert is_hcpcs_level2_shaped("J1100") and not is_hcpcs_level2_shaped("99213")


def test_small_tables_load():
    assert place_of_service()["11"] == "Office"
    assert "N704" in rarc()
