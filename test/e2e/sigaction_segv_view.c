// SIGSEGV as the program sees it.  The runtime installs its fault diagnostics (on_segv) at
// start; sigaction and signal report what they pass faults on to, not themselves (a docs
// review: a program that never touched SIGSEGV was shown a SA_SIGINFO handler, and signal(
// SIGSEGV, SIG_DFL) returned it, so code that installs a handler only over the default
// skipped it).
// - plain: the query reports SIG_DFL without SA_SIGINFO; signal(SIGSEGV, SIG_DFL) returns
//   SIG_DFL and keeps the diagnostics, with the default action behind them: a write through
//   a null heap pointer is still named, then the process dies of SIGSEGV.
// - own: a handler installed by the program is reported back, and it gets the fault (it
//   replaces the diagnostics, as documented).
// - early: a handler installed by a constructor that runs before the runtime's start is
//   reported (it was the runtime's own before), and gets the fault after the diagnostics.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t
// RUN: not --crash %run %t plain 2>&1 | FileCheck %s --check-prefix=PLAIN
// RUN: not %run %t own 2>&1 | FileCheck %s --check-prefix=OWN
// RUN: env SEGV_EARLY=1 not %run %t early 2>&1 | FileCheck %s --check-prefix=EARLY
// PLAIN: query: default 1, siginfo 0
// PLAIN-NEXT: signal(SIG_DFL) returned the default: 1
// PLAIN-NEXT: query again: default 1
// PLAIN: stmc: invalid heap pointer: a write to heap offset 0x0-0xf, which is not in the heap (null heap pointer?), faulted in its barrier
// PLAIN-NOT: UNREACHED
// OWN: query after installing: own handler 1
// OWN-NOT: stmc: invalid heap pointer
// OWN: own handler got the fault
// EARLY: query: early handler 1
// EARLY: stmc: invalid heap pointer: a write to heap offset 0x0-0xf
// EARLY-NEXT: early handler got the fault
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stmc.h>

typedef STM_HEAP struct obj { long a, b; } obj_t;

static void own(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    static const char m[] = "own handler got the fault\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(3);
}

static void early(int sig)
{
    (void)sig;
    static const char m[] = "early handler got the fault\n";
    (void)!write(2, m, sizeof m - 1);
    _exit(4);
}

/* before the runtime's start (its constructor has no priority: it runs after this one) */
__attribute__((constructor(101))) static void install_early(void)
{
    if (getenv("SEGV_EARLY"))
        signal(SIGSEGV, early);
}

static void fault(void)
{
    obj_t *volatile o = 0;
    STM_ATOMIC { o->b = 1; }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "plain";
    struct sigaction old;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!strcmp(mode, "plain")) {
        sigaction(SIGSEGV, NULL, &old);
        printf("query: default %d, siginfo %d\n", old.sa_handler == SIG_DFL,
               (old.sa_flags & SA_SIGINFO) != 0);
        printf("signal(SIG_DFL) returned the default: %d\n", signal(SIGSEGV, SIG_DFL) == SIG_DFL);
        sigaction(SIGSEGV, NULL, &old);
        printf("query again: default %d\n", old.sa_handler == SIG_DFL);
    } else if (!strcmp(mode, "own")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = own;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGSEGV, NULL, &old);
        printf("query after installing: own handler %d\n",
               (old.sa_flags & SA_SIGINFO) && old.sa_sigaction == own);
    } else {
        sigaction(SIGSEGV, NULL, &old);
        printf("query: early handler %d\n",
               !(old.sa_flags & SA_SIGINFO) && old.sa_handler == early);
    }
    fault();
    printf("UNREACHED\n");
    return 0;
}
