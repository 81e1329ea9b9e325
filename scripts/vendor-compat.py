#!/usr/bin/env python3
"""Refreshes tests/compat/upstream/ from the original Kollect project's reference data.

The tests read the compatibility contract (golden .spec schemas, golden envelopes, sample
manifests) from tests/compat/upstream/ so that a clone of this repository passes on its own.
Only facts are kept: schema `description`s are replaced by normalised SHA-256 hashes (so the test
that our CRD descriptions are our own words still works), and comments are dropped from the
sample manifests. The licence notice of the original stays with the data.

Usage: scripts/vendor-compat.py [SOURCE]   (default: ../shared/compat/upstream beside the repo)
Needs PyYAML (Debian python3-yaml). Writes deterministically: running it twice changes nothing.
"""
import hashlib
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests" / "compat" / "upstream"

NOTICE = """\
# Reference data from the original Kollect operator

Data (not prose) from the public Kollect project, github.com/PlatformRelay/Kollect, commit d09be97.
Made by `scripts/vendor-compat.py` from the copy the project was given; do not edit by hand.

* `test/schema/golden/*.spec.openapi.yaml`: each kind's `.spec` OpenAPI schema with every
  `description` removed. `*.description-hashes.txt` lists the SHA-256 of each removed description,
  lower-cased with whitespace collapsed, for the test that our CRD descriptions are our own words.
* `test/schema/golden/*.json`: the golden export and event envelopes, unchanged.
* `config/samples/**`: the sample manifests, comments removed.

MIT License

Copyright (c) 2026 Konrad Heimel

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def normalise(text: str) -> str:
    # The same normalisation as tests/unit/Crds (whitespace collapsed, lower case).
    return " ".join(text.split()).lower()


def strip_descriptions(node, hashes):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                hashes.add(hashlib.sha256(normalise(value).encode("utf-8")).hexdigest())
                continue
            out[key] = strip_descriptions(value, hashes)
        return out
    if isinstance(node, list):
        return [strip_descriptions(item, hashes) for item in node]
    return node


def main() -> int:
    source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "compat" / "upstream").resolve()
    if not (source / "test" / "schema" / "golden").is_dir():
        print(f"vendor-compat: no reference data at {source}", file=sys.stderr)
        return 2
    written = []
    for path in sorted((source / "test" / "schema" / "golden").iterdir()):
        out = TARGET / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.name.endswith(".spec.openapi.yaml"):
            hashes = set()
            schema = strip_descriptions(yaml.safe_load(path.read_text(encoding="utf-8")), hashes)
            out.write_text(yaml.safe_dump(schema, sort_keys=True, default_flow_style=False, width=100), encoding="utf-8")
            hash_file = out.with_name(path.name.replace(".spec.openapi.yaml", ".description-hashes.txt"))
            hash_file.write_text("".join(h + "\n" for h in sorted(hashes)), encoding="utf-8")
            written += [out, hash_file]
        elif path.suffix == ".json":
            out.write_bytes(path.read_bytes())
            written.append(out)
    for path in sorted((source / "config" / "samples").rglob("*.yaml")):
        out = TARGET / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        lines = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if not line.lstrip().startswith("#")]
        out.write_text("".join(lines), encoding="utf-8")
        written.append(out)
    (TARGET / "README.md").write_text(NOTICE, encoding="utf-8")
    print(f"vendor-compat: {len(written) + 1} files from {source} into {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
