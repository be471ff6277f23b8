// A struct local with a volatile member (an attempt counter) beside plain members: at an
// atomic block's retry the plain members go back to their values at the block's entry and
// the volatile member keeps what the aborted attempt left, so it counts every attempt.
// Before, the whole struct was restored, the counter too (it counted blocks, not attempts).
// Also a volatile array member indexed by a variable (the whole array is kept), and two
// threads whose blocks conflict, each counting its attempts in its own struct.  A volatile
// bitfield in the storage unit of a plain one is restored with it (each access loads and
// stores the whole unit): the plain bitfield must count blocks (it counted attempts when the
// volatile one's bytes were kept), and so is a union of a volatile and a plain member (the
// plain one kept the aborted attempt's value).  An array of structs with a volatile counter,
// indexed by a variable: each element's counter is kept, its plain members restored (they
// were kept when the counter's range spanned the array).
// -mllvm -stmc-restore-volatile-members=0: the whole struct restored (the contract before).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && env STM_INJECT_ABORTS=3 %run %t0 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 && env STM_INJECT_ABORTS=3 %run %t2 | FileCheck %s
// RUN: %stmcc -O2 -mllvm -stmc-restore-volatile-members=0 %s -o %tw && env STM_INJECT_ABORTS=3 %run %tw | FileCheck %s --check-prefix=WHOLE
// RUN: %stmcc -O2 -mllvm -stmc-report -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// CHECK: one thread: sum 3000 n 1000 tries>blocks yes array 1000/1000 slot>blocks yes bitfield 1000 union 1000 elements 1000/1000 tries>blocks yes
// CHECK: two threads: sums ok, counter 20000, attempts>=blocks yes
// WHOLE: one thread: sum 3000 n 1000 tries>blocks no array 1000/1000 slot>blocks no bitfield 1000 union 1000 elements 1000/1000 tries>blocks no
// REPORT: locals restored at an atomic block's retry {{[0-9]+}} ({{[1-9][0-9]*}} of them but their volatile members)
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

typedef STM_HEAP struct c { long v, w; } c_t;
static c_t *g;

struct tally { long sum; volatile int tries; int n; };
struct slots { long total; volatile long slot[4]; long count; };
struct bits { volatile unsigned tries : 12; unsigned n : 12; };
struct overlay { union { volatile long tries; long sum; } u; long n; };
struct elem { volatile int tries; long sum; };

static void one_thread(int k)
{
    struct tally t = {0, 0, 0};
    struct slots s = {0, {0}, 0};
    struct bits b = {0, 0};
    struct overlay o = {{0}, 0};
    struct elem e[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
    for (int i = 0; i < 1000; i++) {
        STM_ATOMIC {
            t.tries++;
            t.sum += g->v;
            t.n++;
            s.slot[k]++;
            s.total++;
            s.count++;
            b.tries++;
            b.n++;
            o.u.sum++;
            e[k].tries++;
            e[k].sum++;
            e[3 - k].sum++;
            g->w++;
        }
    }
    printf("one thread: sum %ld n %d tries>blocks %s array %ld/%ld slot>blocks %s bitfield %u "
           "union %ld elements %ld/%ld tries>blocks %s\n",
           t.sum, t.n, t.tries > 1000 ? "yes" : "no", s.total, s.count,
           s.slot[k] > 1000 ? "yes" : "no", (unsigned)b.n, o.u.sum + 0 * o.u.tries, e[k].sum,
           e[3 - k].sum,
           e[k].tries > 1000 ? "yes" : "no");
}

static long sums[2], attempts[2];

static void *worker(void *arg)
{
    struct { volatile long attempts; long sum; } a = {0, 0};
    for (int i = 0; i < 10000; i++)
        STM_ATOMIC {
            a.attempts++;
            a.sum += 1;
            g->v++; /* both threads: conflicts */
        }
    sums[(long)arg] = a.sum;
    attempts[(long)arg] = a.attempts;
    return NULL;
}

int main(int argc, char **argv)
{
    (void)argv;
    g = stm_alloc(sizeof *g);
    g->v = 3;
    one_thread(argc - 1);
    g->v = 0;
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    for (long i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("two threads: sums %s, counter %ld, attempts>=blocks %s\n",
           sums[0] == 10000 && sums[1] == 10000 ? "ok" : "WRONG", g->v,
           attempts[0] >= 10000 && attempts[1] >= 10000 ? "yes" : "no");
    return 0;
}
