"""The review store on SQLite and PostgreSQL: import, scoping, decisions, claims, undo, gold."""

from __future__ import annotations

import time

import polars as pl
import pytest
from review_helpers import PASSWORD, finding, report_json
from sqlalchemy import text

from locale_guard.readers.base import InputError
from locale_guard.review.errors import AuthError, ConflictError, NotFound, PermissionDenied, ReviewError
from locale_guard.review.store import ReviewStore


def _import(store: ReviewStore, findings: list[dict], *, required: int | None = None) -> None:
    store.import_report(report_json(findings), source_name="report.json", required_reviews=required)


def _users(store: ReviewStore) -> dict[str, int]:
    people = {
        "de": store.add_user("dora", password=PASSWORD, locales=["de-DE"]),
        "de2": store.add_user("dieter", password=PASSWORD, locales=["de-DE"]),
        "fr": store.add_user("francois", password=PASSWORD, locales=["fr-FR"]),
        "lead": store.add_user("lena", password=PASSWORD, role="lead", locales=["de-DE"]),
        "admin": store.add_user("root", password=PASSWORD, role="admin", locales=["*"]),
    }
    return {k: v.id for k, v in people.items()}


def _count(store: ReviewStore, table: str) -> int:
    with store.db.read() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# ------------------------------------------------------------------------------ import


def test_import_is_idempotent_by_fingerprint(store: ReviewStore) -> None:
    findings = [finding("a"), finding("b", locale="fr-FR", text="Quelle merde", span=(7, 12))]
    _import(store, findings)
    _import(store, findings)
    assert _count(store, "items") == 2
    changed = [finding("a", message="vulgar word (rule 2.0)", severity="warning"), finding("c")]
    result = store.import_report(report_json(changed, version="0.2.0"), source_name="second.json")
    assert (result.created, result.updated) == (1, 1)
    assert _count(store, "items") == 3
    admin = store.add_user("root", password=PASSWORD, role="admin", locales=["*"])
    rows = store.items(admin.id)
    assert sorted(rows["text"].to_list()) == sorted(["Das ist Scheiße", "Quelle merde", "Das ist Scheiße"])
    item_a = next(store.item(admin.id, i) for i in rows["id"] if store.item(admin.id, i).fingerprint == "a")
    assert item_a.message == "vulgar word (rule 2.0)" and item_a.severity == "warning"
    assert item_a.rule_version == "0.2.0"
    assert [i["created"] for i in store.imports()] == [2, 0, 1]


def test_reimport_keeps_decisions(store: ReviewStore) -> None:
    _import(store, [finding("a")])
    ids = _users(store)
    item = store.claim_next(ids["de"])
    assert item is not None
    store.decide(ids["de"], item.id, "reject")
    _import(store, [finding("a", message="new wording")])
    again = store.item(ids["de"], item.id)
    assert again.status == "done" and again.my_decision == "reject" and again.message == "new wording"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "not JSON"),
        ('{"findings": 3}', "no 'findings' list"),
        ('{"findings": [{"rule": "offensive/x", "text": "t"}]}', "no 'fingerprint'"),
        ('{"findings": [{"fingerprint": "f", "text": "t"}]}', "no 'rule'"),
        ('{"findings": [{"fingerprint": "f", "rule": "r/x", "locale": "xx-QQ"}]}', "not a locale tag"),
        ('{"findings": ["string"]}', "must be a JSON object"),
    ],
)
def test_bad_reports_are_one_line_errors_and_write_nothing(store: ReviewStore, body: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        store.import_report(body, source_name="bad.json")
    assert "\n" not in str(info.value)
    assert _count(store, "items") == 0 and _count(store, "imports") == 0


def test_a_bad_finding_late_in_a_report_rolls_back_the_whole_import(store: ReviewStore) -> None:
    good = [finding(f"g{i}") for i in range(1200)]  # more than one insert chunk
    bad = {"rule": "offensive/x", "text": "no fingerprint"}
    with pytest.raises(InputError):
        store.import_report(report_json([*good, bad]), source_name="bad.json")
    assert _count(store, "items") == 0


def test_locales_are_normalised_and_bad_spans_dropped(store: ReviewStore) -> None:
    _import(store, [finding("a", locale="de_de", span=(3, 99))])
    admin = store.add_user("root", password=PASSWORD, role="admin", locales=["*"])
    item = store.item(admin.id, int(store.items(admin.id)["id"][0]))
    assert item.locale == "de-DE"
    assert item.span_start is None and item.span_end is None


# ----------------------------------------------------------------------------- scoping


def test_a_reviewer_cannot_see_or_change_other_locales(store: ReviewStore) -> None:
    _import(store, [finding("de1"), finding("fr1", locale="fr-FR", text="Quelle merde", span=(7, 12))])
    ids = _users(store)
    de = ids["de"]
    fr_item = int(store.items(ids["admin"], locale="fr-FR")["id"][0])
    with pytest.raises(NotFound):
        store.item(de, fr_item)
    with pytest.raises(NotFound):
        store.decide(de, fr_item, "accept")
    with pytest.raises(NotFound):
        store.note(de, fr_item, "peeking")
    with pytest.raises(NotFound):
        store.history(de, fr_item)
    assert store.claim_next(de, locale="fr-FR") is None
    assert store.items(de)["locale"].to_list() == ["de-DE"]
    assert store.items(de, locale="fr-FR").height == 0
    assert store.queue(de)["locale"].to_list() == ["de-DE"]
    assert store.progress(de).by_locale["locale"].to_list() == ["de-DE"]
    # the fr-FR reviewer decides; the de-DE reviewer's dashboards and undo do not reach it
    fr_claim = store.claim_next(ids["fr"])
    assert fr_claim is not None and fr_claim.id == fr_item
    store.decide(ids["fr"], fr_item, "reject")
    assert "francois" not in store.progress(de).by_reviewer["reviewer"].to_list()
    with pytest.raises(NotFound):
        store.undo(de, fr_item)
    # a lead of de-DE cannot resolve fr-FR either
    with pytest.raises(NotFound):
        store.resolve(ids["lead"], fr_item, "accept")
    assert all(c.locale == "de-DE" for c in store.conflicts(ids["lead"]))
    assert _count(store, "adjudications") == 1


def test_language_and_wildcard_grants(store: ReviewStore) -> None:
    _import(store, [
        finding("de-de"), finding("de-at", locale="de-AT"), finding("de", locale="de"),
        finding("dsb", locale="dsb"), finding("none", locale=None),
    ])
    german = store.add_user("greta", password=PASSWORD, locales=["de"])
    everyone = store.add_user("root", password=PASSWORD, role="admin", locales=["*"])
    assert sorted(store.items(german.id)["locale"].to_list()) == ["de", "de-AT", "de-DE"]
    assert store.items(everyone.id).height == 5


def test_revoking_a_locale_takes_effect_at_once(store: ReviewStore) -> None:
    _import(store, [finding("a")])
    ids = _users(store)
    item = store.claim_next(ids["de"])
    assert item is not None
    store.revoke("dora", ["de-DE"])
    with pytest.raises(NotFound):
        store.decide(ids["de"], item.id, "accept")
    assert _count(store, "claims") == 0
    store.set_active("dieter", False)
    with pytest.raises(AuthError):
        store.queue(ids["de2"])


def test_ids_that_are_not_integers_are_refused(store: ReviewStore) -> None:
    with pytest.raises(AuthError):
        store.queue("1")  # type: ignore[arg-type]
    with pytest.raises(AuthError):
        store.queue(999)


# --------------------------------------------------------------------------- decisions


def test_decisions_are_validated(store: ReviewStore) -> None:
    _import(store, [finding("a")])
    ids = _users(store)
    item = store.claim_next(ids["de"])
    assert item is not None
    with pytest.raises(ReviewError, match="fixed text"):
        store.decide(ids["de"], item.id, "fix")
    with pytest.raises(ReviewError, match="same as the original"):
        store.decide(ids["de"], item.id, "fix", fixed_text=item.text)
    with pytest.raises(ReviewError, match="only goes with"):
        store.decide(ids["de"], item.id, "accept", fixed_text="x")
    with pytest.raises(ReviewError, match="unknown decision"):
        store.decide(ids["de"], item.id, "maybe")
    with pytest.raises(ReviewError, match="needs some text"):
        store.note(ids["de"], item.id, "   ")
    store.note(ids["de"], item.id, "ask the legal team")
    store.decide(ids["de"], item.id, "fix", fixed_text="Das ist Mist", note="milder word")
    history = store.history(ids["de"], item.id)
    assert [(h.decision, h.note) for h in history] == [("note", "ask the legal team"), ("fix", "milder word")]
    assert history[1].fixed_text == "Das ist Mist" and history[1].rule == "offensive/vulgar"
    assert history[1].rule_version == "0.1.0"


def test_two_reviewers_agree_or_conflict_and_a_lead_resolves(store: ReviewStore) -> None:
    _import(store, [finding("a"), finding("b", text="Du Idiot", span=(3, 8))], required=2)
    ids = _users(store)
    first = store.claim_next(ids["de"])
    second = store.claim_next(ids["de2"])
    assert first is not None and second is not None
    assert first.id == second.id  # two slots: both reviewers get the first item
    store.decide(ids["de"], first.id, "accept")
    assert store.item(ids["de"], first.id).status == "pending"
    store.decide(ids["de2"], first.id, "fix", fixed_text="Das ist Mist")
    assert store.item(ids["de"], first.id).status == "done"  # accept and fix agree
    other = store.claim_next(ids["de"])
    assert other is not None and other.id != first.id
    store.decide(ids["de"], other.id, "accept")
    store.decide(ids["de2"], store.claim_next(ids["de2"]).id, "reject")  # type: ignore[union-attr]
    assert store.item(ids["de"], other.id).status == "conflict"
    with pytest.raises(PermissionDenied):
        store.conflicts(ids["de"])
    with pytest.raises(PermissionDenied):
        store.resolve(ids["de"], other.id, "accept")
    conflicts = store.conflicts(ids["lead"])
    assert [c.id for c in conflicts] == [other.id]
    assert sorted(v.decision for v in conflicts[0].votes) == ["accept", "reject"]
    assert store.item(ids["de"], other.id).votes == ()  # reviewers do not see others' votes
    store.resolve(ids["lead"], other.id, "reject", note="not an insult here")
    resolved = store.item(ids["de"], other.id)
    assert resolved.status == "done" and resolved.gold_decision == "reject"
    with pytest.raises(ConflictError, match="resolved by a lead"):
        store.decide(ids["de"], other.id, "accept")
    training = store.training()
    gold = training.filter(pl.col("item_id") == other.id)
    assert gold["gold"].to_list() == [True] and gold["label_offensive"].to_list() == [0]
    agreement = store.agreement(ids["lead"])
    overall = agreement.filter(pl.col("rule") == "(all rules)").row(0, named=True)
    assert overall["items"] == 2 and overall["reviewers"] == 2
    assert overall["percent_agreement"] == pytest.approx(0.5)


def test_skip_does_not_fill_a_slot(store: ReviewStore) -> None:
    _import(store, [finding("a")])
    ids = _users(store)
    item = store.claim_next(ids["de"])
    assert item is not None
    store.decide(ids["de"], item.id, "skip")
    assert store.item(ids["de"], item.id).status == "pending"
    assert store.claim_next(ids["de"]) is None  # a skipped item does not come back to the skipper
    again = store.claim_next(ids["de2"])
    assert again is not None and again.id == item.id


# ------------------------------------------------------------------------------ claims


def test_claims_keep_two_reviewers_apart_and_expire(store: ReviewStore) -> None:
    _import(store, [finding("a"), finding("b", text="Du Idiot", span=(3, 8))])
    ids = _users(store)
    first = store.claim_next(ids["de"])
    second = store.claim_next(ids["de2"])
    assert first is not None and second is not None and first.id != second.id
    assert store.claim_next(ids["de"]).id == first.id  # type: ignore[union-attr]  # resumes its own
    with pytest.raises(ConflictError):
        store.decide(ids["de2"], first.id, "accept")
    store.claim_minutes = 0.002  # claims from now on last 0.12 s
    store.release(ids["de"])
    assert store.claim_next(ids["de"]) is not None
    time.sleep(0.3)
    store.decide(ids["de2"], first.id, "accept")  # the claim of de expired
    assert store.item(ids["de"], first.id).status == "done"


# -------------------------------------------------------------------------------- undo


def test_undo_takes_back_the_latest_decision_and_keeps_the_log(store: ReviewStore) -> None:
    _import(store, [finding("a")])
    ids = _users(store)
    with pytest.raises(NotFound, match="nothing"):
        store.undo(ids["de"])
    item = store.claim_next(ids["de"])
    assert item is not None
    store.decide(ids["de"], item.id, "accept")
    store.decide(ids["de"], item.id, "reject")  # changed mind
    assert store.undo(ids["de"]) == item.id
    after = store.item(ids["de"], item.id)
    assert after.my_decision == "accept" and after.status == "done"
    store.undo(ids["de"])
    after = store.item(ids["de"], item.id)
    assert after.my_decision is None and after.status == "pending"
    assert after.claim_expires_at is not None  # back on the reviewer's desk
    log = [(h.decision, h.retracts_id is not None) for h in store.history(ids["de"], item.id)]
    assert log == [("accept", False), ("reject", False), ("undo", True), ("undo", True)]


def test_a_lead_can_undo_a_gold_decision(store: ReviewStore) -> None:
    _import(store, [finding("a")])
    ids = _users(store)
    item = int(store.items(ids["lead"])["id"][0])
    store.resolve(ids["lead"], item, "accept")
    assert store.item(ids["lead"], item).gold_decision == "accept"
    store.undo(ids["lead"], item)
    assert store.item(ids["lead"], item).gold_decision is None
    assert store.item(ids["lead"], item).status == "pending"


def test_the_database_refuses_to_change_the_audit_log(store: ReviewStore) -> None:
    _import(store, [finding("a")])
    ids = _users(store)
    item = store.claim_next(ids["de"])
    assert item is not None
    store.decide(ids["de"], item.id, "accept")
    for statement in ("UPDATE adjudications SET decision = 'reject'", "DELETE FROM adjudications"):
        with pytest.raises(Exception, match="append-only"), store.db.write() as session:
            session.execute(text(statement))
    assert store.history(ids["de"], item.id)[0].decision == "accept"


# ------------------------------------------------------------------------ accounts


def test_passwords_are_argon2_hashes_and_logins_fail_alike(store: ReviewStore) -> None:
    ids = _users(store)
    with store.db.read() as session:
        stored = session.execute(text("SELECT password_hash FROM reviewers WHERE username = 'dora'")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert store.authenticate("dora", PASSWORD).id == ids["de"]
    for name, password in (("dora", "wrong password!"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(AuthError, match="wrong user name or password"):
            store.authenticate(name, password)
    store.set_active("dora", False)
    with pytest.raises(AuthError, match="wrong user name or password"):
        store.authenticate("dora", PASSWORD)
    with pytest.raises(ReviewError, match="at least"):
        store.add_user("eve", password="short")
    with pytest.raises(ReviewError, match="already exists"):
        store.add_user("dieter", password=PASSWORD)
    with pytest.raises(ReviewError, match="unknown role"):
        store.grant("dieter", role="god")
    store.add_user("sso", email="SSO@Example.org", locales=["de-DE"])
    assert store.login_oidc("sso@example.org").username == "sso"
    with pytest.raises(AuthError):
        store.login_oidc("stranger@example.org")
    with pytest.raises(AuthError):
        store.authenticate("sso", "")  # an OIDC-only account has no password to guess


def test_console_admin_actions_need_the_admin_role(store: ReviewStore) -> None:
    ids = _users(store)
    with pytest.raises(PermissionDenied):
        store.admin_add_user(ids["lead"], "mallory", password=PASSWORD, role="admin", locales=["*"])
    with pytest.raises(PermissionDenied):
        store.admin_grant(ids["de"], "dora", locales=["fr-FR"])
    with pytest.raises(PermissionDenied):
        store.admin_import(ids["lead"], report_json([finding("x")]).encode(), source_name="up.json")
    store.admin_grant(ids["admin"], "dora", locales=["fr-FR"])
    assert store.whoami(ids["de"]).locales == ("de-DE", "fr-FR")


# -------------------------------------------------------------------------- guidelines


def test_guidelines_fall_back_from_rule_and_locale_to_check_and_language(store: ReviewStore) -> None:
    _import(store, [finding("a"), finding("b", locale="de-AT", text="Du Trottel", span=(3, 10))])
    ids = _users(store)
    store.set_guideline_operator("offensive", "de", "German offensive words: reject jokes.")
    at_item = int(store.items(ids["admin"], locale="de-AT")["id"][0])
    assert store.item(ids["admin"], at_item).guideline == "German offensive words: reject jokes."
    store.set_guideline(ids["lead"], "offensive/vulgar", "de-DE", "Vulgar in de-DE: accept unless quoted.")
    de_item = int(store.items(ids["de"])["id"][0])
    assert store.item(ids["de"], de_item).guideline == "Vulgar in de-DE: accept unless quoted."
    with pytest.raises(PermissionDenied):
        store.set_guideline(ids["lead"], "offensive/vulgar", "fr-FR", "not mine")
    with pytest.raises(PermissionDenied):
        store.set_guideline(ids["lead"], "offensive/vulgar", "de", "wider than my grant")
    with pytest.raises(PermissionDenied):
        store.set_guideline(ids["de"], "offensive/vulgar", "de-DE", "reviewers do not write guidelines")
    assert {g.locale for g in store.guidelines(ids["fr"])} == set()
    assert {g.locale for g in store.guidelines(ids["de"])} == {"de", "de-DE"}


# ------------------------------------------------------------------------------ schema


def test_models_match_the_migrations(store: ReviewStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from locale_guard.review.models import Base

    with store.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
