// The debugger's view (STM_GDB_VIEW): segment 0's heap, the committed state, mapped PROT_NONE
// at the heap pointers' own values, so that gdb reads a heap pointer as a plain address (it
// read "Cannot access memory at address 0x40000020" before).  A debugger reads through ptrace,
// which may read a PROT_NONE mapping; so does /proc/self/mem, which this test reads instead of
// running gdb (e2e/gdb_script.c runs gdb).  Checked: with STM_GDB_VIEW=1 the view holds what
// was committed (not a running transaction's writes) and follows commits; a fork child's view
// is its own heap file's.  (That the program itself still faults there, with the runtime's
// message for a heap pointer used as a plain one: e2e/misuse_heap_to_library.c.)  With 0, and
// with the default 2 when no debugger started the program, there is no view (the read fails).
// _stm_debug says which.  A tracer that is not a debugger (strace; here this program as a
// minimal ptrace tracer) does not get the view by default: under strace a program lost the
// MAP_32BIT range to it.  A fork child maps only the parts of the view still there: the
// program's own mapping over part of it (MAP_FIXED) survives in the child, which had it
// replaced by the view and died of SIGSEGV.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: env STM_GDB_VIEW=1 %run %t | FileCheck %s --check-prefix=VIEW
// RUN: env STM_GDB_VIEW=0 %run %t | FileCheck %s --check-prefix=NONE
// RUN: %run %t | FileCheck %s --check-prefix=NONE
// RUN: %run %t trace %t | FileCheck %s --check-prefix=NONE
// VIEW: flag 1, committed 12, in a block 12 (own 99), after 99
// VIEW-NEXT: child: 77 (own mapping: program data), parent: 99
// NONE: flag 0, no view
#include <stmc.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

struct node {
    long key;
    struct node STM_HEAP *next;
};
extern unsigned long long _stm_debug[4];
static int mem = -1;

// What a debugger reads at the heap pointer's value, or -1 when nothing is mapped there.
static long peek(struct node STM_HEAP *n)
{
    long v;
    if (pread(mem, &v, sizeof v, (off_t)(unsigned long)n) != (ssize_t)sizeof v)
        return -1;
    return v;
}

// "trace PROG": run PROG traced by this process, as strace would (not a debugger by name).
static int trace(char **argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
        int sig = WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st);
        ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "trace"))
        return trace(argv + 2);
    mem = open("/proc/self/mem", O_RDONLY);
    struct node STM_HEAP *n;
    STM_ATOMIC {
        n = stm_alloc(sizeof *n);
        n->key = 12;
    }
    if (!_stm_debug[STMC_DEBUG_VIEW]) {
        printf("flag %llu, %s\n", _stm_debug[STMC_DEBUG_VIEW],
               peek(n) == -1 ? "no view" : "a view after all");
        return 0;
    }
    long committed = peek(n), inside = 0, own = 0;
    STM_ATOMIC {
        n->key = 99;
        inside = peek(n);
        own = n->key;
    }
    printf("flag %llu, committed %ld, in a block %ld (own %ld), after %ld\n",
           _stm_debug[STMC_DEBUG_VIEW], committed, inside, own, peek(n));
    fflush(stdout);
    // The program's own memory over part of the view, at 256 MiB into it.
    char *mine = mmap((void *)(STMC_HEAP_START + (256UL << 20)), 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    strcpy(mine, "program data");
    pid_t pid = fork();
    if (pid == 0) {
        STM_ATOMIC { n->key = 77; }
        int m = open("/proc/self/mem", O_RDONLY);
        long v = -1;
        if (pread(m, &v, sizeof v, (off_t)(unsigned long)n) != (ssize_t)sizeof v)
            v = -1;
        printf("child: %ld (own mapping: %s), ", v, mine);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("parent: %ld\n", peek(n));
    return 0;
}
