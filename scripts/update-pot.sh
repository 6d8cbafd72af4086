#!/usr/bin/env bash
# Rebuilds locale/tdkt.pot, the catalogue of every string people read:
# _() and N_() in the C sources, and {{#_}}…{{/_}} in the templates. Message
# ids are the Vietnamese text; an English translation goes in locale/en.po
# (msginit -l en -i locale/tdkt.pot -o locale/en.po) and is compiled with msgfmt.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find src -name '*.c' | sort > "$tmp/files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --add-comments=TRANSLATORS \
  --package-name=tdkt --no-location --sort-output -o "$tmp/c.pot" -f "$tmp/files"
# Templates: one C-like line per {{#_}}…{{/_}} so xgettext can read them.
python3 - "$tmp/tpl.c" <<'PY'
import pathlib, re, sys
out = []
for path in sorted(pathlib.Path("templates").rglob("*.mustache")):
    text = path.read_text(encoding="utf-8")
    for m in re.finditer(r"\{\{#_\}\}(.*?)\{\{/_\}\}", text, re.S):
        s = m.group(1).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        out.append(f'_("{s}");')
pathlib.Path(sys.argv[1]).write_text("\n".join(out) + "\n", encoding="utf-8")
PY
xgettext --from-code=UTF-8 --language=C --keyword=_ --package-name=tdkt --no-location \
  --sort-output -o "$tmp/tpl.pot" "$tmp/tpl.c"
mkdir -p locale
msgcat --sort-output -o locale/tdkt.pot "$tmp/c.pot" "$tmp/tpl.pot"
echo "locale/tdkt.pot: $(grep -c '^msgid ' locale/tdkt.pot) messages"
