// STM_CONFLICTS=N names, at exit, the blocks whose conflicts lost time: the aborted block, the
// block whose commit it conflicted with, and the bytes of the object they met on.  One
// conflict, forced: the main thread's block reads c->n and waits (its first attempt only)
// until a second thread's block has committed a write of c->n; its commit then finds the
// conflict and it runs again.  The block writes c->pad[0] first, so that the first attempt
// runs with read markers (an unmarked read-only start would run again at its first write,
// before the wait).  "fn": the second thread's block is stm_atomic(add100, c), named by the
// function's address as addr2line takes it; "oddfn": the same through a function at an odd
// address (clang aligns none at -Os; the runtime once told functions from site records by bit
// 0, and read code as a record: SIGSEGV at exit).  "dlclose": the second thread's block lies
// in a library that main unloads before exit (the report once read its site record there:
// SIGSEGV).  Without the flag nothing is printed.  The object is named by the call that
// allocated it, as addr2line takes it ("on bytes 32-47 of a 48-byte heap object" alone named
// none of a review's records apart); addr2line on it gives main's stm_alloc line.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 -g %s -o %t0 && env STM_CONFLICTS=5 %run %t0 2>&1 | FileCheck %s
// RUN: %stmcc -O2 -g %s -o %t2 && env STM_CONFLICTS=5 %run %t2 2>&1 | FileCheck %s
// RUN: env STM_CONFLICTS=5 %run %t2 > %t.report 2>&1
// RUN: sh -c "$(sed -n 's/.*heap object.*(\(addr2line [^)]*\)).*/\1/p' %t.report)" | FileCheck %s --check-prefix=ALLOC-LINE
// RUN: env STM_CONFLICTS=5 %run %t2 fn 2>&1 | FileCheck --check-prefix=FN %s
// RUN: env STM_CONFLICTS=5 %run %t2 oddfn 2>&1 | FileCheck --check-prefix=ODD %s
// RUN: %stmcc -O2 -shared -fPIC -g %S/Inputs/conflict_lib.c -o %t.lib.so
// RUN: env STM_CONFLICTS=5 %run %t2 dlclose %t.lib.so 2>&1 | FileCheck --check-prefix=DLCLOSE %s
// RUN: %run %t2 2>&1 | FileCheck --check-prefix=OFF %s
// RUN: env STM_CONFLICTS=5 %run %t2 none 2>&1 | FileCheck --check-prefix=NONE %s
// CHECK: n=101 attempts=2
// CHECK-NEXT: stmc conflicts: 1 abort, {{[0-9.]+}} ms lost in aborted attempts; the 1 costliest of 1 pairs (STM_CONFLICTS=5):
// CHECK-NEXT:   1 abort, {{[0-9.]+}} ms lost: {{.*}}conflict_report.c:[[# @LINE + 35]] (reader)
// CHECK-NEXT:     conflicted with a commit of {{.*}}conflict_report.c:[[# @LINE + 71]] (writer)
// CHECK-NEXT:     on bytes 32-47 of a 48-byte heap object (at 0x{{[0-9a-f]+}}) allocated by a call in {{.*}}conflict_report{{.*}} (addr2line -f -e {{.*}} 0x{{[0-9a-f]+}})
// ALLOC-LINE: main
// ALLOC-LINE-NEXT: conflict_report.c:[[# @LINE + 92]]
// FN: n=101 attempts=2
// FN-NEXT: stmc conflicts: 1 abort,
// FN-NEXT:   1 abort, {{[0-9.]+}} ms lost: {{.*}}conflict_report.c:[[# @LINE + 28]] (reader)
// FN-NEXT:     conflicted with a commit of stm_atomic({{.*}}conflict_report{{.*}} (addr2line -f -e {{.*}} 0x{{[0-9a-f]+}}))
// ODD: add100_odd at an odd address
// ODD: n=101 attempts=2
// ODD-NEXT: stmc conflicts: 1 abort,
// ODD-NEXT:   1 abort, {{[0-9.]+}} ms lost: {{.*}}conflict_report.c:{{[0-9]+}} (reader)
// ODD-NEXT:     conflicted with a commit of stm_atomic({{.*}}conflict_report{{.*}} (addr2line -f -e {{.*}} 0x{{[0-9a-f]*[13579bdf]}}))
// DLCLOSE: unloaded: 0
// DLCLOSE: n=101 attempts=2
// DLCLOSE-NEXT: stmc conflicts: 1 abort,
// DLCLOSE-NEXT:   1 abort, {{[0-9.]+}} ms lost: {{.*}}conflict_report.c:{{[0-9]+}} (reader)
// DLCLOSE-NEXT:     conflicted with a commit of {{.*}}conflict_lib.c:7 (lib_add100)
// OFF: n=101 attempts=2
// OFF-NOT: stmc conflicts
// NONE: n=100 attempts=1
// NONE-NEXT: stmc conflicts: none
#include <stmc.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct counter { long pad[4]; long n; long other; };
static struct counter STM_HEAP *c;
static int a_read, b_done, attempts;

static void reader(void)
{
    STM_ATOMIC {
        c->pad[0] = 1;
        long v = c->n;
        if (__atomic_fetch_add(&attempts, 1, __ATOMIC_RELAXED) == 0) {
            __atomic_store_n(&a_read, 1, __ATOMIC_RELEASE);
            while (!__atomic_load_n(&b_done, __ATOMIC_ACQUIRE))
                ;
        }
        c->n = v + 1;
    }
}

void add100(void *arg); /* (global: add100_odd jumps to it) */
void add100(void *arg)
{
    struct counter STM_HEAP *p = (struct counter STM_HEAP *)(uintptr_t)arg;
    p->n += 100;
}

/* add100 at an odd address: a jump to it, placed one byte past a 16-byte boundary */
void add100_odd(void *arg);
__asm__(".text\n.p2align 4\nnop\n.globl add100_odd\n.type add100_odd,@function\n"
        "add100_odd:\njmp add100\n.size add100_odd, .-add100_odd\n");

static void (*lib_add100)(long STM_HEAP *);

static void *writer(void *arg)
{
    while (!__atomic_load_n(&a_read, __ATOMIC_ACQUIRE))
        ;
    if (arg == (void *)2)
        stm_atomic(add100_odd, (void *)(uintptr_t)c);
    else if (arg == (void *)3)
        lib_add100(&c->n);
    else if (arg)
        stm_atomic(add100, (void *)(uintptr_t)c);
    else
        STM_ATOMIC {
            c->n += 100;
        }
    __atomic_store_n(&b_done, 1, __ATOMIC_RELEASE);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    void *lib = NULL;
    if (strcmp(mode, "dlclose") == 0) {
        lib = dlopen(argv[2], RTLD_NOW);
        if (!lib) {
            printf("dlopen: %s\n", dlerror());
            return 1;
        }
        lib_add100 = (void (*)(long STM_HEAP *))dlsym(lib, "lib_add100");
    }
    if (strcmp(mode, "oddfn") == 0) {
        uintptr_t at = (uintptr_t)add100_odd;
        __asm__("" : "+r"(at)); /* (the compiler takes functions as aligned: & 1 would be 0) */
        printf("add100_odd at an %s address\n", at & 1 ? "odd" : "even");
    }
    c = stm_alloc(sizeof *c);
    pthread_t t;
    if (strcmp(mode, "none") == 0) { /* no second thread: nothing to conflict with */
        __atomic_store_n(&b_done, 1, __ATOMIC_RELEASE);
        c->n = 99;
    } else {
        void *how = strcmp(mode, "fn") == 0        ? (void *)1
                    : strcmp(mode, "oddfn") == 0   ? (void *)2
                    : strcmp(mode, "dlclose") == 0 ? (void *)3
                                                   : NULL;
        pthread_create(&t, NULL, writer, how);
    }
    reader();
    if (strcmp(mode, "none") != 0)
        pthread_join(t, NULL);
    if (lib)
        printf("unloaded: %d\n", dlclose(lib));
    long n;
    STM_ATOMIC {
        n = c->n;
    }
    printf("n=%ld attempts=%d\n", n, attempts);
    fflush(stdout);
    return 0;
}
