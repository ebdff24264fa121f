"""A SHA-256 manifest of every file in the installer's bundle, in `sha256sum` format.

One line per file, `<hex digest>  <path relative to the bundle>`, sorted by path (POSIX
separators, byte order), so the same bundle always gives the same manifest and IT can check
a copy with `cd dist/svjournal && sha256sum -c ../svjournal.sha256` (or compare on Windows
with Get-FileHash). The manifest is written beside the bundle, not inside it.

Usage: python tools/manifest.py dist/svjournal dist/svjournal.sha256
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

CHUNK = 1 << 20


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            sha.update(block)
    return sha.hexdigest()


def bundle_files(bundle: Path) -> list[str]:
    """Relative POSIX paths of the regular files under bundle (symlinks to files included,
    symlinked folders not followed), sorted by their UTF-8 bytes."""
    found: list[str] = []
    for folder, _dirs, files in os.walk(bundle):
        for name in files:
            path = Path(folder, name)
            if path.is_file():
                found.append(path.relative_to(bundle).as_posix())
    return sorted(found, key=lambda p: p.encode("utf-8"))


def manifest(bundle: Path) -> str:
    return "".join(f"{digest(bundle / rel)}  {rel}\n" for rel in bundle_files(bundle))


def main(argv: list[str]) -> int:
    bundle, output = Path(argv[0]), Path(argv[1])
    if not bundle.is_dir():
        print(f"manifest: {bundle} is not a folder")
        return 1
    if output.resolve().is_relative_to(bundle.resolve()):
        print("manifest: write it beside the bundle, not inside it")
        return 1
    text = manifest(bundle)
    output.write_text(text, encoding="utf-8")
    print(f"manifest: {output} ({text.count(chr(10))} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
