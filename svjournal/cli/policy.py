"""`svjournal policy`: the IT policy in force on this workstation and where each value
came from; with `--journal`, the journal's effective settings under it.

The policy's keys (`idle_lock:`, `remember:`...) are printed as the policy file spells them
(an administrator writes them there), so they are not translated; their values are."""

from __future__ import annotations

import argparse
from typing import Any

from svjournal.cli.common import EXIT_ERROR, EXIT_OK, CommandKit, unlocked_vault
from svjournal.core.i18n import ntr, tr
from svjournal.core.locale_format import format_number
from svjournal.core.policy import KEYS, LABELS, Policy, Rule, current_policy, policy_path

_WIDTH = 22


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return tr("allowed") if value else tr("forbidden")
    if isinstance(value, list):
        names = [str(item.get("label") or item.get("name") or "") for item in value]
        # Translators: a list in the policy: {n} is how many, {names} the names, comma-separated.
        return tr("{n}: {names}").format(n=format_number(len(value)), names=", ".join(names))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return repr(value) if isinstance(value, str) else str(value)


def _describe(key: str, rule: Rule[Any]) -> str:
    if not rule.is_set:
        return tr("not set")
    value = _show(rule.value)
    n = rule.value if isinstance(rule.value, int) and not isinstance(rule.value, bool) else 0
    shown = format_number(n)
    if key == "idle_lock" and rule.locked:
        value = ntr("exactly {n} minute", "exactly {n} minutes", n).format(n=shown)
    elif key == "idle_lock":
        value = ntr("at most {n} minute", "at most {n} minutes", n).format(n=shown)
    elif key == "small_count":
        # Translators: the smallest group size shown in reports, set by the IT policy.
        value = (tr("exactly {n}") if rule.locked else tr("at least {n}")).format(n=shown)
    elif key == "retention" and rule.locked:
        value = ntr(
            "closed cases de-identified after exactly {n} month",
            "closed cases de-identified after exactly {n} months",
            n,
        ).format(n=shown)
    elif key == "retention":
        value = ntr(
            "closed cases de-identified after at most {n} month",
            "closed cases de-identified after at most {n} months",
            n,
        ).format(n=shown)
    bounded = ("idle_lock", "small_count", "retention")
    if rule.locked and key not in bounded:
        # Translators: a policy value the user cannot change; {value} is the value itself.
        value = tr("{value}, locked").format(value=value)
    return f"{value}    [{rule.origin}]"


def print_policy(policy: Policy) -> None:
    where = policy.path or policy_path()
    if policy.problem:
        state = tr("{path} (problem)")
    elif policy.path:
        # Translators: the policy file was found and read.
        state = tr("{path} (read)")
    else:
        state = tr("{path} (none found)")
    file_label, portable_label = tr("policy file:"), tr("portable use:")
    width = max(_WIDTH, len(file_label) + 2, len(portable_label) + 2)
    print(f"{file_label:{width}}{state.format(path=where)}")
    if policy.portable_marker is not None:
        marker = tr("yes [marker {path}]").format(path=policy.portable_marker)
        print(f"{portable_label:{width}}{marker}")
    for key in KEYS:
        rule = policy.rule(key)
        if key == "remember" and not rule.is_set:
            refusal = policy.remember_refusal()
            if refusal:
                text = tr("forbidden [portable use]")
            else:
                text = tr("allowed (where a keyring exists)")
            print(f"{'remember:':{width}}{text}")
            continue
        print(f"{key + ':':{width}}{_describe(key, rule)}")


def cmd_policy(args: argparse.Namespace) -> int:
    policy = current_policy()
    print_policy(policy)
    if args.journal:
        from svjournal.core.journal import Journal

        with unlocked_vault(args) as vault:
            journal = Journal(vault.engine, policy=policy)
            print("\n" + tr("effective settings of the journal:"))
            labels = {setting: tr(label) for setting, label in LABELS.items()}
            width = max(_WIDTH, *(len(label) + 2 for label in labels.values()))
            for setting, label in labels.items():
                effective = journal.effective_setting(setting)
                shown = _show(effective.value)
                if setting == "retention_months" and effective.value:
                    months = int(effective.value)
                    shown = ntr("{n} month", "{n} months", months).format(n=format_number(months))
                elif setting == "retention_months":
                    # Translators: retention is switched off.
                    shown = tr("off")
                if effective.locked:
                    shown = tr("{value}, locked").format(value=shown)
                # Translators: a setting's label followed by a colon, as in "Idle lock:".
                name = tr("{label}:").format(label=label)
                print(f"  {name:{width}}{shown}    [{effective.origin}]")
    # main() has already put the problem on stderr in one line; the exit code tells scripts.
    return EXIT_ERROR if policy.problem else EXIT_OK


def register(kit: CommandKit) -> None:
    cmd = kit.add(
        "policy",
        cmd_policy,
        tr("show the IT policy in force here and where each value comes from"),
        kit.secret,
    )
    cmd.add_argument(
        "--journal",
        action="store_true",
        help=tr("also unlock the journal and show its effective settings and their origin"),
    )
