"""British English from the US source: `python -m tools.british` fills every en_GB entry
still empty whose British spelling differs (programme, counsellor, licence, cancelled,
colour, -ise); an entry that reads the same stays empty, meaning "as in US English".

Run after `make translations`; read what it prints (it lists each entry it wrote) and fix by
hand any the rules got wrong in svjournal/locale/en_GB/LC_MESSAGES/svjournal.po. Placeholders
and markup are never respelt.
"""

from __future__ import annotations

import re
import sys

from tools import translations

PAIRS = [
    (r"\bprogram(s?)\b", r"programme\1"),
    (r"\bPrograms?\b", None),
    (r"\bcounselor(s?)\b", r"counsellor\1"),
    (r"\bcounseling\b", "counselling"),
    (r"\bbehavior(s?)\b", r"behaviour\1"),
    (r"\bcolor(s?|ed)\b", r"colour\1"),
    (r"\borganization(s?)\b", r"organisation\1"),
    (r"\borganizational\b", "organisational"),
    (r"\bcenter(s?)\b", r"centre\1"),
    (r"\blicense\b", "licence"),
    (r"\bpediatric(s?)\b", r"paediatric\1"),
    (r"\bPediatric(s?)\b", r"Paediatric\1"),
    (r"\banesthesia\b", "anaesthesia"),
    (r"\bAnesthesia\b", "Anaesthesia"),
    (r"\banesthesiolog", "anaesthesiolog"),
    (r"\bAnesthesiolog", "Anaesthesiolog"),
    (r"\bgynecolog", "gynaecolog"),
    (r"\bGynecolog", "Gynaecolog"),
    (r"\bhematolog", "haematolog"),
    (r"\bHematolog", "Haematolog"),
    (r"\bcanceled\b", "cancelled"),
    (r"\bCanceled\b", "Cancelled"),
    (r"\bcanceling\b", "cancelling"),
    (r"\blabeled\b", "labelled"),
    (r"\blabeling\b", "labelling"),
    (r"\btraveling\b", "travelling"),
    (r"\bmodeled\b", "modelled"),
    (r"\bcatalog(s?)\b", r"catalogue\1"),
    (r"\bgray\b", "grey"),
    (r"\bGray\b", "Grey"),
    (r"\bdefense\b", "defence"),
    (r"\bfulfill\b", "fulfil"),
    (r"\benroll\b", "enrol"),
    (r"\bjudgment\b", "judgement"),
    (r"\bon the weekend\b", "at the weekend"),
    (r"\banalyze", "analyse"),
    (r"\bAnalyze", "Analyse"),
]
IZE = re.compile(
    r"\b(real|recogn|organ|summar|priorit|minim|maxim|categor|anonym|normal|author|final|special|emphas|apolog|util|standard|optim|custom|visual|initial|synchron|character|memor|stabil|general|personal|familiar|sanit|legal|critic|harmon|mobil|neutral|central)iz(e|es|ed|ing|ation|ations)\b",
    re.I,
)


def british(text: str) -> str:
    # Placeholders ({color}) and markup are code, never respelt.
    parts = re.split(r"(\{[^{}]*\}|<[^>]*>)", text)
    return "".join(p if p.startswith(("{", "<")) else _british(p) for p in parts)


def _british(text: str) -> str:
    out = text
    for pattern, repl in PAIRS:
        if repl is None:
            continue
        out = re.sub(pattern, repl, out)
    out = re.sub(r"\bProgram(s?)\b", r"Programme\1", out)
    out = IZE.sub(lambda m: m.group(1) + "is" + m.group(2), out)
    return out


def main() -> int:
    todo = translations.todo("en_GB")
    done = []
    for entry in todo:
        key = entry["id"]
        if isinstance(key, list):
            forms = int(str(entry["forms"]))
            british_forms = [british(str(text)) for text in key][:forms]
            british_forms += [british_forms[-1]] * (forms - len(british_forms))
            if british_forms != [str(text) for text in key][:forms]:
                done.append({**entry, "translation": british_forms})
        elif british(str(key)) != key:
            done.append({**entry, "translation": british(str(key))})
    for entry in done:
        print(f"{entry['id']!r} -> {entry['translation']!r}")
    if done:
        translations.fill("en_GB", done)
    print(f"{len(done)} en_GB entries written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
