"""Every runtime flag (STMC_FLAGS in runtime/internal.h) has a row in docs/api.md's table of
environment variables, and every row names a flag that exists.  Prints one line per flag."""
import re
import sys

src = sys.argv[1]
with open(src + "/runtime/internal.h") as f:
    text = f.read()
block = text[text.index("#define STMC_FLAGS(X)"):]
block = block[:block.index("\n\n")]
flags = re.findall(r"\bX\(([A-Z_]+),", block)
with open(src + "/docs/api.md") as f:
    rows = re.findall(r"^\| `STM_([A-Z_]+)` \|", f.read(), re.M)
bad = 0
for name in flags:
    ok = name in rows
    bad += not ok
    print("%s %s" % (name, "documented" if ok else "MISSING from docs/api.md"))
for name in rows:
    if name not in flags:
        bad += 1
        print("%s UNKNOWN: docs/api.md has a row, runtime/internal.h no flag" % name)
print("flags %d, rows %d, problems %d" % (len(flags), len(rows), bad))
sys.exit(1 if bad else 0)
