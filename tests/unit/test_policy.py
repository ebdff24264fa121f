"""The IT policy: every key, locked and unlocked, a malformed file read at its strictest,
and the journal's settings and the vault's keyring obeying it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from svjournal.core import i18n
from svjournal.core.errors import PolicyRefused
from svjournal.core.journal import Journal
from svjournal.core.policy import (
    STRICTEST,
    Policy,
    current_policy,
    load_policy,
    policy_path,
)
from svjournal.core.secrets import OSKeyStore
from svjournal.core.vault import Vault
from tests.conftest import FIXED_NOW, PASSPHRASE, MemoryKeyring

FULL = """
[programme_name]
value = "Northside peer support"
locked = true

[departments]
value = [{ code = "icu", label = "Intensive care" }, { code = "ed", label = "Emergency" }]

[escalation_contacts]
value = [{ name = "Staff support line", phone = "555 0100", note = "24/7" }]
locked = true

[idle_lock]
max_minutes = 10

[remember]
allowed = false

[backup_folder]
value = "/mnt/it-backups/svjournal"
locked = true

[small_count]
min_threshold = 8

[retention]
months = 36
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def journal_under(vault: Vault, policy: Policy) -> Journal:
    return Journal(vault.engine, clock=lambda: FIXED_NOW, policy=policy)


# --- where the file lives ----------------------------------------------------------------


def test_policy_file_locations_per_platform() -> None:
    assert policy_path("linux", {}) == PurePosixPath("/etc/svjournal/policy.toml")
    assert policy_path("darwin", {}) == PurePosixPath(
        "/Library/Application Support/svjournal/policy.toml"
    )
    assert policy_path("win32", {"PROGRAMDATA": r"D:\ProgramData"}) == PureWindowsPath(
        r"D:\ProgramData\svjournal\policy.toml"
    )
    assert policy_path("win32", {}) == PureWindowsPath(r"C:\ProgramData\svjournal\policy.toml")
    assert policy_path("linux", {"SVJOURNAL_POLICY_FILE": "/tmp/p.toml"}) == Path("/tmp/p.toml")


def test_no_file_means_no_policy(tmp_path: Path) -> None:
    policy = load_policy(tmp_path / "absent.toml")
    assert policy.problem is None and policy.warning is None
    assert not any(policy.rule(k).is_set for k in STRICTEST)
    assert policy.remember_refusal() is None


def test_env_override_is_what_current_policy_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SVJOURNAL_POLICY_FILE", str(write(tmp_path, FULL)))
    assert current_policy().rule("retention").value == 36


# --- every key -----------------------------------------------------------------------------


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    policy = load_policy(path)
    assert policy.problem is None
    assert policy.rule("programme_name").value == "Northside peer support"
    assert policy.rule("programme_name").locked
    assert [d["code"] for d in policy.rule("departments").value] == ["icu", "ed"]
    assert not policy.rule("departments").locked
    assert policy.rule("escalation_contacts").value[0]["phone"] == "555 0100"
    assert policy.idle_max() == 10
    assert policy.rule("remember").value is False
    assert policy.rule("backup_folder").value == "/mnt/it-backups/svjournal"
    assert policy.threshold_min() == 8
    assert policy.rule("retention").value == 36
    assert all(policy.rule(k).origin == f"policy file {path}" for k in policy.rules)


def test_locked_values_win_over_the_users_and_cannot_be_changed(
    vault: Vault, tmp_path: Path
) -> None:
    before = journal_under(vault, Policy())
    before.set_setting("programme_name", "My own name")
    before.set_setting("extra_backup_folder", "/media/usb")
    journal = journal_under(vault, load_policy(write(tmp_path, FULL)))
    effective = journal.effective_setting("programme_name")
    assert (effective.value, effective.locked) == ("Northside peer support", True)
    assert journal.setting("extra_backup_folder") == "/mnt/it-backups/svjournal"
    assert journal.setting("escalation_contacts")[0]["name"] == "Staff support line"
    with pytest.raises(PolicyRefused, match="set by your IT department"):
        journal.set_setting("programme_name", "Another name")
    journal.set_setting("programme_name", "Northside peer support")  # unchanged: fine
    with pytest.raises(PolicyRefused):
        journal.set_setting("escalation_contacts", [])


def test_unlocked_values_are_defaults_the_user_may_change(vault: Vault, tmp_path: Path) -> None:
    journal = journal_under(vault, load_policy(write(tmp_path, FULL)))
    first = journal.effective_setting("departments")
    assert [d["label"] for d in first.value] == ["Intensive care", "Emergency"]
    assert first.origin.startswith("policy file") and not first.locked
    journal.set_setting("departments", [{"code": "ward_3", "label": "Ward 3"}])
    mine = journal.effective_setting("departments")
    assert (mine.value[0]["code"], mine.origin) == ("ward_3", "user setting")


def test_idle_lock_is_clamped_to_the_longest_allowed(vault: Vault, tmp_path: Path) -> None:
    journal_under(vault, Policy()).set_setting("idle_lock_minutes", 30)
    journal = journal_under(vault, load_policy(write(tmp_path, FULL)))
    assert journal.setting("idle_lock_minutes") == 10
    with pytest.raises(PolicyRefused, match="at most 10 minutes"):
        journal.set_setting("idle_lock_minutes", 11)
    journal.set_setting("idle_lock_minutes", 3)
    assert journal.effective_setting("idle_lock_minutes").origin == "user setting"
    assert journal.setting("idle_lock_minutes") == 3


def test_locked_idle_lock_is_exactly_the_maximum(vault: Vault, tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "[idle_lock]\nmax_minutes = 7\nlocked = true\n"))
    journal = journal_under(vault, policy)
    assert journal.setting("idle_lock_minutes") == 7  # the default 5 is not kept
    assert policy.is_locked("idle_lock_minutes")


def test_threshold_is_raised_to_the_smallest_allowed(vault: Vault, tmp_path: Path) -> None:
    journal_under(vault, Policy()).set_setting("small_count_threshold", 0)  # off
    journal = journal_under(vault, load_policy(write(tmp_path, FULL)))
    assert journal.setting("small_count_threshold") == 8
    for weaker in (0, 5, 7):
        with pytest.raises(PolicyRefused, match="at least 8"):
            journal.set_setting("small_count_threshold", weaker)
        with pytest.raises(PolicyRefused):
            journal.policy.check_threshold(weaker)  # a one-off report's threshold too
    journal.set_setting("small_count_threshold", 12)
    assert journal.setting("small_count_threshold") == 12
    journal.policy.check_threshold(20)


def test_remember_forbidden_refuses_and_ignores_a_remembered_key(
    vault: Vault, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = OSKeyStore()
    vault.remember(store, Policy())  # remembered before the policy arrived
    policy = load_policy(write(tmp_path, "[remember]\nallowed = false\n"))
    with pytest.raises(PolicyRefused, match="turned off by your IT department"):
        vault.remember(store, policy)
    vault.lock()
    assert vault.unlock_with_keystore(store, policy) is False
    assert not vault.is_unlocked
    assert vault.unlock_with_keystore(store, Policy()) is True


def test_remember_allowed_true_changes_nothing(tmp_path: Path) -> None:
    assert load_policy(write(tmp_path, "[remember]\nallowed = true\n")).remember_refusal() is None


# --- a file that cannot be used as written -------------------------------------------------

MALFORMED = {
    "bad TOML": ("[idle_lock\nmax_minutes = 10\n", "not valid TOML"),
    "wrong type": ('[idle_lock]\nmax_minutes = "ten"\n', "max_minutes: Must be a whole number"),
    "out of range": ("[idle_lock]\nmax_minutes = 500\n", "max_minutes: Must be at most 120"),
    "bad threshold": (
        "[small_count]\nmin_threshold = 2\n",
        "min_threshold: Use 0 (off) or a number",
    ),
    "unknown section": ("[remeber]\nallowed = false\n", "[remeber] is not a policy key"),
    "unknown key": ("[idle_lock]\nmax_minute = 10\n", "max_minute is not a policy key"),
    "locked not bool": ('[programme_name]\nvalue = "X"\nlocked = "yes"\n', "locked must be"),
    "not a table": ("idle_lock = 10\n", "must be a table"),
    "missing value": ("[retention]\nlocked = true\n", "needs months"),
    "remember not bool": ("[remember]\nallowed = 0\n", "allowed: Must be true or false"),
    "language unknown": ('[language]\nvalue = "tlh"\n', "'tlh' is not a language svjournal speaks"),
    "language not text": ("[language]\nvalue = 49\n", "value: Must be text"),
    "remember locked": ("[remember]\nallowed = true\nlocked = true\n", "locked is not"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_file_is_read_at_its_strictest(tmp_path: Path, case: str) -> None:
    text, expected = MALFORMED[case]
    path = write(tmp_path, text)
    policy = load_policy(path)
    assert policy.problem is not None and expected in policy.problem
    warning = policy.warning
    assert warning is not None and "\n" not in warning and str(path) in warning
    assert "strictest reading" in warning
    # Strictest: remembering refused, the shortest lock delay, the highest threshold.
    assert policy.remember_refusal() is not None
    assert policy.idle_max() == 1 and policy.is_locked("idle_lock_minutes")
    assert policy.threshold_min() == 50 and policy.is_locked("small_count_threshold")


def test_strictest_reading_is_never_weaker_than_what_the_file_says(
    vault: Vault, tmp_path: Path
) -> None:
    # A valid restriction next to a broken key: the restriction gets stricter, not dropped.
    text = "[idle_lock]\nmax_minutes = 10\n[small_count]\nmin_threshold = 8\n[typo]\nx = 1\n"
    journal = journal_under(vault, load_policy(write(tmp_path, text)))
    assert journal.setting("idle_lock_minutes") == 1
    assert journal.setting("small_count_threshold") == 50
    assert "strictest reading" in journal.effective_setting("idle_lock_minutes").origin


def test_content_values_that_pass_their_check_still_apply(vault: Vault, tmp_path: Path) -> None:
    text = '[programme_name]\nvalue = "Northside"\nlocked = true\n[departments]\nvalue = []\n'
    policy = load_policy(write(tmp_path, text))
    assert policy.problem is not None and "[departments]" in policy.problem
    journal = journal_under(vault, policy)
    assert journal.setting("programme_name") == "Northside"
    assert journal.effective_setting("departments").origin == "default"  # not applied


def test_unreadable_files_are_read_at_their_strictest(tmp_path: Path) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe[remember]")
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    huge = tmp_path / "huge.toml"
    huge.write_text("# x\n" * 100_000)
    for path, expected in ((binary, "not UTF-8"), (folder, "unreadable"), (huge, "larger")):
        policy = load_policy(path)
        assert policy.problem is not None and expected in policy.problem
        assert policy.remember_refusal() is not None and policy.idle_max() == 1


def test_the_language_key_sets_the_apps_language(tmp_path: Path) -> None:
    assert Policy().language() is None and Policy().language("fr") is None
    suggested = load_policy(write(tmp_path, '[language]\nvalue = "de-AT"\n'))
    assert suggested.problem is None and suggested.rule("language").value == "de"
    assert suggested.language() == "de"  # nobody chose: the policy's language
    assert suggested.language("fr") is None  # a person's choice stands when not locked
    assert i18n.resolve("fr", policy=suggested.language("fr"), environ={}) == "fr"
    locked = load_policy(write(tmp_path, '[language]\nvalue = "pt_BR"\nlocked = true\n'))
    assert locked.language("fr") == "pt_BR"
    assert i18n.resolve("fr", policy=locked.language("fr"), environ={}) == "pt_BR"


def test_a_bad_language_is_a_policy_problem_that_weakens_nothing(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, '[language]\nvalue = "Klingon"\n'))
    assert policy.problem is not None and "[language] value:" in policy.problem
    assert "de" in policy.problem  # the codes that would do are named
    assert policy.language() is None  # not applied: the app speaks what it would otherwise


def test_problem_count_is_told(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "[a]\nx = 1\n[b]\ny = 2\n"))
    assert policy.problem == "[a] is not a policy key (and 1 more)"


def test_journal_reads_the_current_policy_by_default(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SVJOURNAL_POLICY_FILE", str(write(tmp_path, FULL)))
    assert Journal(vault.engine).setting("programme_name") == "Northside peer support"
    with pytest.raises(PolicyRefused):
        vault.remember(OSKeyStore())
    vault.lock()
    vault.unlock(PASSPHRASE)  # the policy never stands between the owner and the journal
    assert vault.is_unlocked


def test_the_readme_example_is_a_valid_policy(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## IT policy", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    policy = load_policy(write(tmp_path, example))
    assert policy.problem is None
    assert set(policy.rules) == {
        "programme_name", "departments", "escalation_contacts", "idle_lock", "remember",
        "backup_folder", "small_count", "retention", "language",
    }  # fmt: skip
