# For each function of an .ll file whose name matches the regex `fn` (-v fn=...), one line per
# `ret`: "<name>: ret after <callee of the call just before it>", or "... ret without a call
# before it".
/^define / {
    name = ""
    for (i = 1; i <= NF; i++)
        if ($i ~ /^@/) { name = $i; sub(/\(.*/, "", name); break }
    inside = (name != "" && name ~ fn)
}
inside && /^  ret / {
    if (prev ~ /call .*@[A-Za-z_.0-9]+\(/) {
        callee = prev; sub(/.*call [^@]*@/, "", callee); sub(/\(.*/, "", callee)
        print name ": ret after " callee
    } else {
        print name ": ret without a call before it"
    }
}
/^}/ { inside = 0 }
{ prev = $0 }
