// Functions declared in system headers are code stmc did not compile, also those that LLVM's
// TargetLibraryInfo does not know (close, kill, getline, vfork, dlopen, ...): the frontend marks
// them (annotate "stm_system") and their calls are wrapped as external calls, so an atomic block
// becomes inevitable before them and runs them once.  Before, they were taken for stmc-compiled
// functions of another file: a retried block closed its file twice (test e2e/system_calls.c).
// (At -O2 glibc's inline getline calls __getdelim, declared there too.)  Clocks, process ids
// and random numbers are on the pure list, and setjmp/longjmp are no external calls (setjmp
// returns twice; an interpreter's error handler in a block must not make it inevitable): not
// wrapped.  -stmc-system-headers=0: the old rule (only
// TargetLibraryInfo's names and the blocking list).  The frontend records these functions by
// symbol at the end of the file (a table the pass reads): annotating the declarations bound
// sscanf to glibc's pre-C99 sscanf instead of the asm label __isoc99_sscanf of its later
// redeclaration, also with the switch off.  Functions that glibc defines inline at -O1 and up
// (putchar_unlocked writes the FILE buffer itself) are external calls too: a retried block
// printed its character again (1508 for 1000 blocks with STM_INJECT_ABORTS=3).
// RUN: %stmcc -O0 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm -mllvm -stmc-system-headers=0 %s -o - | FileCheck %s --check-prefixes=OFF,SCANF
// RUN: %stmcc -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=SCANF
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=SCANF,PUTC
// RUN: %stmcc -O2 -D_FORTIFY_SOURCE=2 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=FORTIFY
// RUN: %stmcc -O0 -S -emit-llvm %s -o - | grep -A1 "call void @_stm_external_enter" | FileCheck %s --check-prefix=WRAPPED
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | grep -A1 "call void @_stm_external_enter" | FileCheck %s --check-prefix=WRAPPED
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <inttypes.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <threads.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stmc.h>

struct acc { long v; };

// CHECK-LABEL: define {{.*}}i32 @close_in_block(
// CHECK: call void @_stm_external_enter(
// CHECK-NEXT: call i32 @close(
// CHECK-NEXT: call void @_stm_external_leave(
// OFF-LABEL: define {{.*}}i32 @close_in_block(
// OFF-NOT: _stm_external_enter
// OFF: call i32 @close(
int close_in_block(struct acc STM_HEAP *a, int fd)
{
    int r = 0;
    STM_ATOMIC {
        a->v++;
        r = close(fd);
    }
    return r;
}

// CHECK-LABEL: define {{.*}}i32 @kill_outside(
// CHECK: call void @_stm_external_enter(
// CHECK-NEXT: call i32 @kill(
// OFF-LABEL: define {{.*}}i32 @kill_outside(
// OFF-NOT: _stm_external_enter
// OFF: call i32 @kill(
int kill_outside(struct acc STM_HEAP *a, int pid)
{
    a->v = 1;
    return kill(pid, SIGUSR1);
}

// CHECK-LABEL: define {{.*}}i64 @getline_outside(
// CHECK: call void @_stm_external_enter(
// CHECK: call i64 @{{getline|__getdelim}}(
// CHECK-NEXT: call void @_stm_external_leave(
long getline_outside(struct acc STM_HEAP *a, FILE *f)
{
    char *line = NULL;
    size_t n = 0;
    a->v = 2;
    return getline(&line, &n, f);
}

// CHECK-LABEL: define {{.*}}i64 @clock_in_block(
// CHECK-NOT: _stm_external_enter
// CHECK: call i32 @clock_gettime(
// CHECK-NOT: _stm_external_enter
// CHECK: {{^}}}
long clock_in_block(struct acc STM_HEAP *a)
{
    struct timespec ts = {0, 0};
    STM_ATOMIC {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        a->v = ts.tv_nsec;
    }
    return ts.tv_sec;
}

// CHECK-LABEL: define {{.*}}i64 @setjmp_rand_in_block(
// CHECK-NOT: _stm_external_enter
// CHECK: {{^}}}
static jmp_buf env;
__attribute__((noinline)) void fail(void) { longjmp(env, 1); }
long setjmp_rand_in_block(struct acc STM_HEAP *a)
{
    long r = 0;
    STM_ATOMIC {
        if (!setjmp(env)) {
            r = rand();
            if (++a->v > 5)
                fail();
        } else {
            r = -1;
        }
    }
    return r;
}

// SCANF-LABEL: define {{.*}}i32 @scan(
// SCANF: call {{.*}}@__isoc99_sscanf(
int scan(const char *text, int *v)
{
    return sscanf(text, "%d", v);
}

// (The inline body's own __overflow call, on the full-buffer path, is wrapped either way;
// the whole inlined call is wrapped before stdout's buffer is touched.)
// PUTC-LABEL: define {{.*}}void @putc_in_block(
// PUTC: call void @_stm_external_enter(
// PUTC-NEXT: load ptr, ptr @stdout
// PUTC: {{^}}}
// OFF-LABEL: define {{.*}}void @putc_in_block(
// OFF-NOT: _stm_external_enter
// OFF: load ptr, ptr @stdout
// OFF: {{^}}}
void putc_in_block(struct acc STM_HEAP *a)
{
    STM_ATOMIC {
        a->v++;
        putchar_unlocked('x');
    }
}

// More of libm, the conversions and the clocks are on the pure list: a block that calls lrint
// became inevitable, and outside blocks each call committed the implicit transaction (15x).
// CHECK-LABEL: define {{.*}}i64 @math_in_block(
// CHECK-NOT: _stm_external_enter
// CHECK: {{^}}}
long math_in_block(struct acc STM_HEAP *a, double x, const char *s)
{
    long r = 0;
    struct timespec ts;
    STM_ATOMIC {
        r = lrint(x) + (long)strtoimax(s, NULL, 10) + timespec_get(&ts, TIME_UTC);
        a->v = r;
    }
    return r;
}

// Also pure: atof, feof_unlocked (inline at -O2), thrd_equal/thrd_current (not blocking like
// the rest of thrd_*), and _FORTIFY_SOURCE's __memcpy_chk family: each made its block
// inevitable (200,002 inevitable transactions in 200,000 blocks).
// CHECK-LABEL: define {{.*}}i64 @more_pure_in_block(
// CHECK-NOT: _stm_external_enter
// CHECK: {{^}}}
// FORTIFY-LABEL: define {{.*}}i64 @more_pure_in_block(
// FORTIFY-NOT: _stm_external_enter
// FORTIFY: {{^}}}
long more_pure_in_block(struct acc STM_HEAP *a, const char *s, FILE *f, char *buf)
{
    long r = 0;
    STM_ATOMIC {
        r = (long)atof(s) + feof_unlocked(f) + thrd_equal(thrd_current(), thrd_current());
        memcpy(buf, s, 8);
        strcpy(buf + 8, s);
        a->v = r;
    }
    return r;
}

// A block-scope redeclaration of a library function is its most recent declaration; it made
// close unknown to the table for the whole file (close_in_block above was not wrapped).
int redeclares_close(int fd)
{
    extern int close(int);
    return close(fd);
}

// pthread_cleanup_pop's bookkeeping (__pthread_unregister_cancel) is pure; the push's
// (__pthread_register_cancel) is an external call: a block that aborted between the two left
// the thread's cleanup list on a dead frame (pthread_exit then crashed: e2e/cancel_deferred.c,
// mode cleanupabort), so the push makes the block inevitable.
// WRAPPED: call void @__pthread_register_cancel(
// WRAPPED-NOT: __pthread_unregister_cancel
static void undo(void *p) { (void)p; }
long cleanup_in_block(struct acc STM_HEAP *a)
{
    long r = 0;
    STM_ATOMIC {
        pthread_cleanup_push(undo, 0);
        r = ++a->v;
        pthread_cleanup_pop(0);
    }
    return r;
}
