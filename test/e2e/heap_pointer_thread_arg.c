// A heap pointer handed to another thread through a void * (pthread_create's argument, an
// stm_on_commit callback's): the sender casts it to a plain pointer, which is an address in
// its own segment; the receiver casts it back, in its own segment.  The cast back finds the
// sender's segment (_stm_heap_from_flat), so the receiver gets the same heap pointer and sees
// the object through its own segment, as any other heap access.  (Before, the cast back
// subtracted the receiver's base: a pointer far outside its segment, and SIGSEGV.)  No warning
// for a cast whose plain pointer only goes to such an argument.  Four workers, each given its
// own job this way, and a job through a callback; main checks every result.  A sentinel made
// from a plain pointer that was never a heap pointer ((job_t *)(void *)1) keeps its value:
// the workers store it in the heap and main's copy compares equal to it.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 -Werror %s -o %t0 -lpthread
// RUN: %run %t0 | FileCheck %s
// RUN: %stmcc -O2 -Werror %s -o %t2 -lpthread
// RUN: %run %t2 | FileCheck %s
// RUN: env STM_SEGMENTS=2 %run %t2 | FileCheck %s
// CHECK: job 0: 0 -> 0
// CHECK: job 1: 1 -> 1000
// CHECK: job 2: 2 -> 2000
// CHECK: job 3: 3 -> 3000
// CHECK: callback's job: 7 -> 7
// CHECK: sentinels equal: 4
// CHECK: jobs ok
#include <pthread.h>
#include <stdio.h>
#include <stmc.h>

typedef STM_HEAP struct job {
    long in, out;
    STM_HEAP struct job *mark;
} job_t;

#define DONE ((job_t *)(void *)1) /* a sentinel: never dereferenced */

static void *work(void *arg)
{
    job_t *j = (job_t *)arg;
    STM_ATOMIC {
        j->out = j->in * 1000;
        j->mark = DONE;
    }
    return NULL;
}

static job_t *seen; /* set by the callback, in main's thread */

static void on_commit(void *arg)
{
    job_t *j = (job_t *)arg;
    seen = j;
}

int main(void)
{
    job_t *jobs[4];
    pthread_t t[4];
    for (long i = 0; i < 4; i++) {
        jobs[i] = stm_alloc(sizeof(struct job));
        STM_ATOMIC {
            jobs[i]->in = i;
        }
    }
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, work, (void *)jobs[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        long in = 0, out = 0;
        STM_ATOMIC {
            in = jobs[i]->in;
            out = jobs[i]->out;
        }
        printf("job %d: %ld -> %ld\n", i, in, out);
        ok &= out == in * 1000;
    }
    job_t *k = stm_alloc(sizeof(struct job));
    STM_ATOMIC {
        k->in = 7;
        k->out = 7;
        stm_on_commit(on_commit, (void *)k);
    }
    long in = 0, out = 0;
    STM_ATOMIC {
        in = seen->in;
        out = seen->out;
    }
    printf("callback's job: %ld -> %ld\n", in, out);
    ok &= seen == k && in == 7;
    int same = 0;
    for (int i = 0; i < 4; i++)
        STM_ATOMIC {
            same += jobs[i]->mark == DONE;
        }
    printf("sentinels equal: %d\n", same);
    ok &= same == 4;
    printf("jobs %s\n", ok ? "ok" : "WRONG");
    return !ok;
}
