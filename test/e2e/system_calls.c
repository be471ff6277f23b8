// Calls to C library functions that LLVM's TargetLibraryInfo does not know (close, raise,
// posix_spawn, getline, dlopen, ...) are external calls like the others: inside an atomic block
// the block becomes inevitable first, so they run once; outside blocks the implicit transaction
// ends before them.  Before, the plugin took them for stmc-compiled functions of another file:
//   close:  a retried block closed its descriptor again (EBADF, ~500 of 1000 blocks with
//           STM_INJECT_ABORTS=3);
//   raise:  a retried block raised its signal again (the handler ran more than once a block);
//   spawn:  a retried block started its child again (41 children for 30 blocks);
//   getline: the main thread, blocked in getline outside blocks after a heap write, kept the
//           inevitable token, so the thread that was to write its input could not commit
//           (a hang, 9 of 10);
//   dlopen: a block aborted after dlopen rolled back the library constructor's allocation
//           (magic 0), and the constructor does not run again;
//   vfork:  in a block, the child's exec call made the shared (parent's) transaction
//           inevitable, which aborted and restarted the parent's block on the child's side
//           (SIGSEGV, 4 of 4); outside blocks the child's exec gave the parent's segment back
//           (the parent's thread state is shared), so the parent ran on a segment that another
//           thread then took: it read that thread's uncommitted writes (6 of 10 with one
//           segment on a loaded machine, rarely on an idle one: mode vforkseg).  Now vfork is
//           an external call itself: the parent's transaction is inevitable or ended before it
//           (the vfork mode fails 3 of 3 on the previous build: 1-7 children for 100 blocks).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 -shared -fPIC %S/Inputs/system_calls_lib.c -o %t.lib.so
// RUN: %stmcc -O0 %s -o %t0 -ldl
// RUN: %stmcc -O2 %s -o %t2 -ldl
// RUN: env STM_INJECT_ABORTS=3 %run %t0 close | FileCheck %s --check-prefix=CLOSE
// RUN: env STM_INJECT_ABORTS=3 %run %t2 close | FileCheck %s --check-prefix=CLOSE
// RUN: env STM_INJECT_ABORTS=3 %run %t2 raise | FileCheck %s --check-prefix=RAISE
// RUN: env STM_INJECT_ABORTS=3 %run %t2 spawn | FileCheck %s --check-prefix=SPAWN
// RUN: timeout 60 %t0 getline | FileCheck %s --check-prefix=GETLINE
// RUN: timeout 60 %t2 getline | FileCheck %s --check-prefix=GETLINE
// RUN: env STM_INJECT_ABORTS=1 %run %t2 dlopen %t.lib.so | FileCheck %s --check-prefix=DLOPEN
// RUN: %run %t2 vfork | FileCheck %s --check-prefix=VFORK
// RUN: env STM_INJECT_ABORTS=3 %run %t0 vfork | FileCheck %s --check-prefix=VFORK
// RUN: env STM_SEGMENTS=1 %run %t2 vforkseg | FileCheck %s --check-prefix=VFORKSEG
// RUN: env STM_SEGMENTS=1 %run %t2 vforkwait | FileCheck %s --check-prefix=VFORKWAIT
// RUN: env STM_SEGMENTS=1 %run %t0 vforkwait | FileCheck %s --check-prefix=VFORKWAIT
// CLOSE: closed 1000, EBADF 0
// RAISE: blocks 2000, handler ran 2000
// SPAWN: blocks 30, children 30
// GETLINE: got: hello
// DLOPEN: magic 42
// VFORK: blocks 100, children 100
// VFORKSEG: dirty 0, n 603000 of 603000
// vforkwait forces the window that vforkseg hits rarely (once in ~30 runs under load): a
// thread starts waiting for the only segment while the vfork child sleeps, and the child's
// _exit (an external call) then gave the parent's segment away from the child's side.
// VFORKWAIT: dirty 0
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stmc.h>

extern char **environ;
typedef STM_HEAP struct { long next, runs, x, y; int fd[1000]; } obj_t;
static obj_t *o;
static volatile sig_atomic_t handled;
static int fds[2];

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

static volatile int stop;

static void *committer(void *arg)
{
    (void)arg;
    while (!stop)
        STM_ATOMIC { /* conflicts with the vforking blocks */
            o->runs += 0;
            o->y++;
        }
    return NULL;
}

/* Its blocks set flag and clear it again: no committed state has flag set. */
static void *flagger(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3000; i++) {
        STM_ATOMIC {
            o->x = 1;
            for (volatile int j = 0; j < 3000; j++) {
            }
            o->runs++;
            o->x = 0;
        }
        usleep(20);
    }
    return NULL;
}

/* Waits for the only segment (main holds it) and then keeps a write uncommitted for 100 ms. */
static void *segment_taker(void *arg)
{
    (void)arg;
    usleep(10000); /* after main's vfork */
    STM_ATOMIC {
        o->x = 1;
        for (volatile long j = 0; j < 100000000; j++) {
        }
        o->x = 0;
    }
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        o->y++;
    }
    if (write(fds[1], "hello\n", 6) != 6)
        abort();
    return NULL;
}

int main(int argc, char **argv)
{
    o = stm_alloc(sizeof *o);
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "close")) {
        long ebadf = 0;
        for (int i = 0; i < 1000; i++) {
            o->fd[i] = open("/dev/null", O_RDONLY);
            STM_ATOMIC {
                if (close(o->fd[o->next++]) != 0)
                    ebadf++;
            }
        }
        printf("closed %ld, EBADF %ld\n", o->next, ebadf);
    } else if (!strcmp(mode, "raise")) {
        signal(SIGUSR1, on_usr1);
        for (int i = 0; i < 2000; i++)
            STM_ATOMIC {
                o->runs++;
                raise(SIGUSR1);
            }
        printf("blocks %ld, handler ran %d\n", o->runs, (int)handled);
    } else if (!strcmp(mode, "spawn")) {
        char *args[] = {"true", NULL};
        for (int i = 0; i < 30; i++)
            STM_ATOMIC {
                pid_t pid;
                o->runs++;
                posix_spawn(&pid, "/bin/true", NULL, NULL, args, environ);
            }
        int children = 0;
        while (wait(NULL) > 0)
            children++;
        printf("blocks %ld, children %d\n", o->runs, children);
    } else if (!strcmp(mode, "getline")) {
        if (pipe(fds))
            return 1;
        FILE *in = fdopen(fds[0], "r");
        pthread_t t;
        pthread_create(&t, NULL, writer, NULL);
        o->x = 1; /* outside a block: the implicit transaction holds the token */
        char *line = NULL;
        size_t n = 0;
        if (getline(&line, &n, in) < 0)
            return 1;
        printf("got: %s", line);
        pthread_join(t, NULL);
        free(line);
    } else if (!strcmp(mode, "dlopen") && argc > 2) {
        void *h = NULL;
        STM_ATOMIC {
            o->runs++;
            h = dlopen(argv[2], RTLD_NOW);
        }
        if (!h) {
            printf("dlopen: %s\n", dlerror());
            return 1;
        }
        long (*magic)(void) = (long (*)(void))dlsym(h, "lib_magic");
        printf("magic %ld\n", magic());
    } else if (!strcmp(mode, "vfork")) {
        pthread_t t;
        pthread_create(&t, NULL, committer, NULL);
        for (int i = 0; i < 100; i++)
            STM_ATOMIC {
                o->runs++;
                if (vfork() == 0) {
                    execl("/bin/true", "true", (char *)0);
                    _exit(127);
                }
            }
        stop = 1;
        pthread_join(t, NULL);
        int children = 0;
        while (wait(NULL) > 0)
            children++;
        printf("blocks %ld, children %d\n", o->runs, children);
    } else if (!strcmp(mode, "vforkwait")) {
        pthread_t t;
        o->runs = 1; /* main holds the only segment */
        pthread_create(&t, NULL, segment_taker, NULL);
        pid_t pid = vfork();
        if (pid == 0) {
            usleep(50000); /* the taker waits for the segment meanwhile */
            _exit(0);
        }
        usleep(20000);
        long dirty = 0;
        for (int k = 0; k < 100; k++)
            dirty += o->x; /* outside blocks: never the taker's uncommitted 1 */
        waitpid(pid, NULL, 0);
        pthread_join(t, NULL);
        printf("dirty %ld\n", dirty);
    } else if (!strcmp(mode, "vforkseg")) {
        pthread_t t;
        pthread_create(&t, NULL, flagger, NULL);
        long dirty = 0;
        for (int i = 0; i < 3000; i++) {
            pid_t pid = vfork();
            if (pid == 0) {
                execl("/bin/true", "true", (char *)0);
                _exit(127);
            }
            for (int k = 0; k < 200; k++) { /* outside blocks */
                dirty += o->x;
                o->runs++;
            }
            waitpid(pid, NULL, 0);
        }
        pthread_join(t, NULL);
        printf("dirty %ld, n %ld of %ld\n", dirty, o->runs, 3000 + 200L * 3000);
    } else {
        return 2;
    }
    return 0;
}
