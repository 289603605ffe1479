"""The shipped corpus as a function of the full sets: `python -m bench.corpora ship`.

`corpus/` holds a small, licensed selection of `../shared/corpus-raw/`; this
module recreates it byte for byte, so the selection can be reviewed and
regenerated rather than edited by hand. UNGDC speeches get a sidecar
`NAME.meta.json` with a title, the country (name and ISO3 code), speaker,
post and session from the corpus's table of speakers; their folder a
`_collection.json`; the seed a sidecar naming its issuer.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

SEED = "seed/000_2961365e15364d64.txt"
MEDUZA = "ru-golunov-meduza/golunov_meduza_articles.jsonl"
MEDUZA_LICENCE = "ru-golunov-meduza/Licence.txt"
UNGDC_README = "ungdc/README_UNGDC.txt"
SPEAKERS = "ungdc/Speakers_by_session.csv"
SHIPPED_SESSIONS = ("session74_2019", "session75_2020")
SEED_META = {"issuer": "Ministry of Foreign Affairs of the Republic of Azerbaijan", "type": "press release"}
UNGDC_COLLECTION = {"collection": "UN General Debate", "type": "speech"}


def speakers(raw: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(session, ISO code) → the speaker row, values whitespace-normalised.

    The table has a few repeated rows; the first one is kept.
    """
    table: dict[tuple[str, str], dict[str, str]] = {}
    with open(raw / SPEAKERS, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            row = {k: " ".join((v or "").split()) for k, v in row.items() if k}
            table.setdefault((row["Session"], row["ISO Code"]), row)
    return table


def speech_title(stem: str, table: dict) -> str:
    """The title of speech `ISO_SESSION_YEAR`: country, speaker, post, session."""
    iso, session, year = stem.split("_")
    debate = f"UN General Debate, {session}th session ({year})"
    row = table.get((session, iso))
    if row is None:
        return f"{iso} — {debate}"
    return f"{row['Country']}: {row['Name of Person Speaking']}, {row['Post']} — {debate}"


def speech_metadata(stem: str, table: dict) -> dict:
    """The sidecar of speech `ISO_SESSION_YEAR`: its title, and who spoke for which country."""
    iso, session, _year = stem.split("_")
    meta = {"title": speech_title(stem, table), "lang": "en", "country_code": iso,
            "session": int(session)}
    row = table.get((session, iso))
    if row is not None:
        meta.update(country=row["Country"], speaker=row["Name of Person Speaking"], post=row["Post"])
    return meta


def write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False) + "\n", encoding="utf-8")


def copy_ungdc_session(source: Path, dest: Path, table: dict) -> int:
    """Copies one session's speeches with their title sidecars; returns how many."""
    dest.mkdir(parents=True, exist_ok=True)
    count = 0
    for speech in sorted(source.glob("*.txt")):
        if speech.name.startswith("."):
            continue
        shutil.copyfile(speech, dest / speech.name)
        write_json(dest / f"{speech.stem}.meta.json", speech_metadata(speech.stem, table))
        count += 1
    return count


def write_meduza(source: Path, dest: Path) -> int:
    """Copies the Meduza JSON Lines, leaving out records without text; returns how many kept."""
    kept = []
    for line in source.read_bytes().splitlines(keepends=True):
        if not line.strip():
            continue
        text = json.loads(line).get("text")
        if isinstance(text, str) and text.strip():
            kept.append(line)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(b"".join(kept))
    return len(kept)


def ship(raw: Path, corpus: Path) -> dict[str, int]:
    """Recreates the shipped corpus's files in `corpus` from the full sets in `raw`.

    Files are overwritten, nothing is deleted; `SOURCES.md` is left alone.
    Returns how many statements each part holds.
    """
    if not (raw / SPEAKERS).is_file():
        raise FileNotFoundError(f"the full sets are not in {raw} (see ../shared/README.md)")
    (corpus / "seed").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(raw / SEED, corpus / "seed" / Path(SEED).name)
    write_json(corpus / "seed" / f"{Path(SEED).stem}.meta.json", SEED_META)
    counts = {"seed": 1}
    counts["meduza"] = write_meduza(raw / MEDUZA, corpus / "meduza" / Path(MEDUZA).name)
    shutil.copyfile(raw / MEDUZA_LICENCE, corpus / "meduza" / "LICENCE.txt")
    table = speakers(raw)
    for session in SHIPPED_SESSIONS:
        counts[session] = copy_ungdc_session(raw / "ungdc" / session, corpus / "ungdc" / session, table)
    shutil.copyfile(raw / UNGDC_README, corpus / "ungdc" / Path(UNGDC_README).name)
    write_json(corpus / "ungdc" / "_collection.json", UNGDC_COLLECTION)
    return counts
