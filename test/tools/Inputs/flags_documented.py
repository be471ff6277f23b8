"""Every runtime flag (STMC_FLAGS in runtime/internal.h) has a row in docs/api.md's table of
environment variables, and every row names a flag that exists; the same for the pass's
switches (cl::opt "stmc-..." in pass/*.cpp) and the table of pass switches.  Prints one line
per flag and switch."""
import glob
import re
import sys

src = sys.argv[1]
with open(src + "/runtime/internal.h") as f:
    text = f.read()
block = text[text.index("#define STMC_FLAGS(X)"):]
block = block[:block.index("\n\n")]
flags = re.findall(r"\bX\(([A-Z_]+),", block)
with open(src + "/docs/api.md") as f:
    api = f.read()
rows = re.findall(r"^\| `STM_([A-Z_]+)` \|", api, re.M)


def compare(names, documented, shown, where):
    """One line per name; the number of names without a row and rows without a name."""
    bad = 0
    for name in names:
        ok = name in documented
        bad += not ok
        print("%s %s" % (shown % name, "documented" if ok else "MISSING from docs/api.md"))
    for name in documented:
        if name not in names:
            bad += 1
            print("%s UNKNOWN: docs/api.md has a row, %s none" % (shown % name, where))
    return bad


switches = []
for path in sorted(glob.glob(src + "/pass/*.cpp")):
    with open(path) as f:
        switches += re.findall(r"cl::opt<[^>]*>\s*\w+\(\s*\"(stmc-[a-z0-9-]+)\"", f.read())
switch_rows = re.findall(r"^\| `-(stmc-[a-z0-9-]+)` \|", api, re.M)
bad = compare(flags, rows, "%s", "runtime/internal.h") + \
    compare(switches, switch_rows, "-%s", "pass/")
print("flags %d, rows %d, switches %d, switch rows %d, problems %d"
      % (len(flags), len(rows), len(switches), len(switch_rows), bad))
sys.exit(1 if bad else 0)
