"""`svjournal policy`: the IT policy in force on this workstation and where each value
came from; with `--journal`, the journal's effective settings under it."""

from __future__ import annotations

import argparse
from typing import Any

from svjournal.cli.common import EXIT_ERROR, EXIT_OK, CommandKit, unlocked_vault
from svjournal.core.policy import KEYS, LABELS, Policy, Rule, current_policy, policy_path

_WIDTH = 22


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "allowed" if value else "forbidden"
    if isinstance(value, list):
        names = [str(item.get("label") or item.get("name") or "") for item in value]
        return f"{len(value)}: " + ", ".join(names)
    return repr(value) if isinstance(value, str) else str(value)


def _describe(key: str, rule: Rule[Any]) -> str:
    if not rule.is_set:
        return "not set"
    value = _show(rule.value)
    if key == "idle_lock":
        unit = "minute" if rule.value == 1 else "minutes"
        value = f"{'exactly' if rule.locked else 'at most'} {rule.value} {unit}"
    elif key == "small_count":
        value = f"{'exactly' if rule.locked else 'at least'} {rule.value}"
    elif key == "retention":
        how = "exactly" if rule.locked else "at most"
        value = f"closed cases de-identified after {how} {rule.value} months"
    bounded = ("idle_lock", "small_count", "retention")
    lock = ", locked" if rule.locked and key not in bounded else ""
    return f"{value}{lock}    [{rule.origin}]"


def print_policy(policy: Policy) -> None:
    where = policy.path or policy_path()
    state = "problem" if policy.problem else ("read" if policy.path else "none found")
    print(f"{'policy file:':{_WIDTH}}{where} ({state})")
    if policy.portable_marker is not None:
        print(f"{'portable use:':{_WIDTH}}yes [marker {policy.portable_marker}]")
    for key in KEYS:
        rule = policy.rule(key)
        if key == "remember" and not rule.is_set:
            refusal = policy.remember_refusal()
            text = "forbidden [portable use]" if refusal else "allowed (where a keyring exists)"
            print(f"{'remember:':{_WIDTH}}{text}")
            continue
        print(f"{key + ':':{_WIDTH}}{_describe(key, rule)}")


def cmd_policy(args: argparse.Namespace) -> int:
    policy = current_policy()
    print_policy(policy)
    if args.journal:
        from svjournal.core.journal import Journal

        with unlocked_vault(args) as vault:
            journal = Journal(vault.engine, policy=policy)
            print("\neffective settings of the journal:")
            for setting, label in LABELS.items():
                effective = journal.effective_setting(setting)
                lock = ", locked" if effective.locked else ""
                shown = _show(effective.value)
                if setting == "retention_months":
                    shown = f"{effective.value} months" if effective.value else "off"
                print(f"  {label + ':':{_WIDTH}}{shown}{lock}    [{effective.origin}]")
    # main() has already put the problem on stderr in one line; the exit code tells scripts.
    return EXIT_ERROR if policy.problem else EXIT_OK


def register(kit: CommandKit) -> None:
    cmd = kit.add(
        "policy",
        cmd_policy,
        "show the IT policy in force here and where each value comes from",
        kit.secret,
    )
    cmd.add_argument(
        "--journal",
        action="store_true",
        help="also unlock the journal and show its effective settings and their origin",
    )
