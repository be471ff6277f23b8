"""The plugin's list of <stmc.h>'s functions (isRuntimeName in pass/StmcInstrument.cpp, between
its BEGIN/END lines) names exactly the stm_* functions that include/stmc.h declares or
defines.  A name missing from the list would be instrumented as program code (the header's
inline barriers address the markers themselves); a name in the list that the header lacks
would leave a program's own function of that name without barriers."""
import re
import sys

src = sys.argv[1]
with open(src + "/include/stmc.h") as f:
    header = set(re.findall(r"^(?:STMC_API|static inline)[^;{]*?\b(stm_\w+)\s*\(", f.read(),
                            re.M))
with open(src + "/pass/StmcInstrument.cpp") as f:
    text = f.read()
block = text[text.index("// BEGIN <stmc.h> functions"):text.index("// END <stmc.h> functions")]
plugin = set(re.findall(r'"(stm_\w+)"', block))
for n in sorted(header | plugin):
    where = "both" if n in header and n in plugin else \
        "HEADER ONLY" if n in header else "PLUGIN ONLY"
    print(n, where)
print("header %d, plugin %d" % (len(header), len(plugin)))
sys.exit(0 if header == plugin else 1)
