"""Fill msgstr entries of a .po file from a JSON dict {msgid: msgstr or [singular, plural]}.

A plural entry may also be given as two keys, {msgid: singular, msgid_plural: plural}.

Developer helper for translation work: `python scripts/fill_po.py daks/core/locale/de/LC_MESSAGES/django.po t.json`.
Entries missing from the dict are listed; fuzzy flags of filled entries are removed.
"""

import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(line) for line in lines)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def main(po_path, json_path):
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    with open(po_path, encoding="utf-8") as handle:
        blocks = handle.read().split("\n\n")
    out, missing = [], []
    for block in blocks:
        lines = block.split("\n")
        keys = {}
        current = None
        for line in lines:
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
            if m:
                current = m.group(1)
                keys[current] = [m.group(2)]
            elif line.startswith('"') and current:
                keys[current].append(line)
        if "msgid" not in keys or unquote(keys["msgid"]) == "":
            out.append(block)
            continue
        msgid = unquote(keys["msgid"])
        if msgid not in translations:
            existing = keys.get("msgstr") or keys.get("msgstr[0]") or ['""']
            if not unquote(existing):
                missing.append(msgid)
            out.append(block)
            continue
        value = translations[msgid]
        head = [ln for ln in lines if ln.startswith("#") and ln.strip() != "#, fuzzy"]
        head = [re.sub(r"^#, fuzzy, ", "#, ", ln) for ln in head]
        head = [ln for ln in head if not ln.startswith("#|")]
        new = [*head, "msgid " + quote(msgid)]
        if "msgid_plural" in keys:
            new.append("msgid_plural " + quote(unquote(keys["msgid_plural"])))
            msgid_plural = unquote(keys["msgid_plural"])
            if isinstance(value, list):
                singular, plural = value
            else:
                # The plural either has its own key {msgid_plural: German plural} or keeps its translation.
                singular = value
                plural = translations.get(msgid_plural) or unquote(keys.get("msgstr[1]", ['""']))
                if not isinstance(plural, str) or not plural:
                    plural = value
                    missing.append(f"{msgid_plural} (plural form)")
            new += ["msgstr[0] " + quote(singular), "msgstr[1] " + quote(plural)]
        else:
            new.append("msgstr " + quote(value))
        out.append("\n".join(new))
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(out))
    for msgid in missing:
        print("MISSING:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
