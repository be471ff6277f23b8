# stmc-gdb.py - gdb support for programs built with stmc (docs/api.md, "Debugging").
#
#   (gdb) source /path/to/share/stmc/stmc-gdb.py     # `stmcc --print-gdb-script` prints the path
#
#   $stm(p)            *p as the selected thread sees it: its segment's copy of the heap, with the
#                      writes of the transaction it is running; the committed state when the
#                      thread holds no segment
#   $stm_committed(p)  *p in segment 0: the committed state (what `print *p` shows when the
#                      runtime mapped the debugger's view, STM_GDB_VIEW)
#   info stm           the segments, whether the view is mapped, the selected thread's segment
#
# Use the functions with print (and display, x, ...): gdb does not call functions for ptype,
# whatis or sizeof, which then show the type of a placeholder (int).
#
# A heap pointer (STM_HEAP T *) is an offset inside a segment; %gs holds the base of the
# segment of the thread that runs a transaction.  The constants below are stmc/layout.h's.
import struct

import gdb

HEAP_START = 1 << 30          # STMC_HEAP_START
SEG_SIZE = 1 << 33            # STMC_SEG_SIZE
HDR_RV = 0x1000               # STMC_HDR_RV: the running transaction's read version (0: none)
HDR_INDEX = 0x1000 + 64       # STMC_HDR_INDEX: the segment's number, -1 in the dummy segment
DEBUG_LAYOUT, DEBUG_SEG0, DEBUG_NSEG, DEBUG_VIEW = 0, 1, 2, 3   # _stm_debug[]


def _debug():
    if gdb.selected_inferior().pid == 0:
        raise gdb.GdbError("stmc: no process (run the program, or open a core file, first)")
    try:
        a = gdb.parse_and_eval("(unsigned long long *) &_stm_debug")
        v = [int(a[i]) for i in range(4)]
    except gdb.error:
        raise gdb.GdbError("stmc: this program has no _stm_debug (not linked with the stmc "
                           "runtime?)")
    if v[DEBUG_LAYOUT] != 1:
        raise gdb.GdbError("stmc: the runtime is not set up yet (run the program into main "
                           "first)")
    return v


def _read(addr, fmt):
    data = gdb.selected_inferior().read_memory(addr, struct.calcsize(fmt))
    return struct.unpack(fmt, bytes(data))[0]


def _thread_segment():
    """(index, base) of the selected thread's segment, or None when it holds none."""
    try:
        gs = int(gdb.parse_and_eval("$gs_base"))
    except gdb.error:
        return None
    if gs == 0:
        return None
    try:
        idx = _read(gs + HDR_INDEX, "<i")
    except gdb.MemoryError:
        return None
    if idx < 0:
        return None
    return idx, gs


def _deref(name, p, base):
    t = p.type.strip_typedefs()
    if t.code != gdb.TYPE_CODE_PTR:
        raise gdb.GdbError("%s: expects a heap pointer (STM_HEAP T *), got %s" % (name, p.type))
    if t.target().strip_typedefs().code == gdb.TYPE_CODE_VOID:
        raise gdb.GdbError("%s: %s points to void: cast it to the object's type first"
                           % (name, p.type))
    off = int(p)
    if off < HEAP_START or off >= SEG_SIZE:
        raise gdb.GdbError("%s: 0x%x is not a heap pointer (heap objects lie at 0x%x..0x%x)"
                           % (name, off, HEAP_START, SEG_SIZE))
    return gdb.Value(base + off).cast(t.target().pointer()).dereference()


class Stm(gdb.Function):
    """$stm(P): the object P points to as the selected thread sees it.

The thread's segment holds its running transaction's writes; a thread that holds no
segment sees the committed state (segment 0)."""

    def __init__(self):
        super().__init__("stm")

    def invoke(self, p):
        seg = _thread_segment()
        base = seg[1] if seg else _debug()[DEBUG_SEG0]
        return _deref("$stm", p, base)


class StmCommitted(gdb.Function):
    """$stm_committed(P): the object P points to in the committed state (segment 0)."""

    def __init__(self):
        super().__init__("stm_committed")

    def invoke(self, p):
        return _deref("$stm_committed", p, _debug()[DEBUG_SEG0])


class InfoStm(gdb.Command):
    """The stmc runtime's segments and the selected thread's segment."""

    def __init__(self):
        super().__init__("info stm", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        v = _debug()
        view = ("yes: print *p shows the committed state" if v[DEBUG_VIEW] else
                "no (STM_GDB_VIEW=1 maps it where its range is free): use $stm(p) or "
                "$stm_committed(p)")
        gdb.write("stmc: %d segments; segment 0 (the committed heap) at 0x%x\n"
                  % (v[DEBUG_NSEG], v[DEBUG_SEG0]))
        gdb.write("heap pointers readable as plain addresses: %s\n" % view)
        seg = _thread_segment()
        if seg is None:
            gdb.write("this thread: no segment ($stm(p) shows the committed state)\n")
            return
        rv = _read(seg[1] + HDR_RV, "<B")
        gdb.write("this thread: segment %d at 0x%x, %s\n"
                  % (seg[0], seg[1], "in a transaction" if rv else "between transactions"))


Stm()
StmCommitted()
InfoStm()
