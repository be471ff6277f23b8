/* Two threads outside atomic blocks (implicit transactions) store to a heap object, call a
 * function that is const (PURE=0) or STM_PURE (PURE=1) and whose loop holds a safe point
 * (the loop calls a function of another file), then store again: to the same bytes (a) and
 * to an object allocated before the call (b).  The safe point can end the implicit
 * transaction (the other thread waits for the token); the store after the call must then
 * get a barrier of its own, or it is never published. */
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

extern long ext_mix(long) __attribute__((const));

#if PURE
#define ATTR STM_PURE
#else
#define ATTR __attribute__((const))
#endif

ATTR __attribute__((noinline)) long mixes(long n)
{
    long s = 0;
    for (long i = 0; i < n; i++)
        s += ext_mix(i);
    return s;
}

struct pair { long a, b; };
#define N 20000
static struct pair STM_HEAP *volatile objs[2][N];
static struct pair STM_HEAP *volatile fresh[2][N];
static long sink[2];

static void *work(void *arg)
{
    long t = (long)arg, s = 0;
    for (long i = 0; i < N; i++) {
        struct pair STM_HEAP *q = objs[t][i];
        q->a = -1;
        s += mixes(i & 63);
        q->a = i + 1; /* (a): the bytes stored before the call */
        struct pair STM_HEAP *f = stm_alloc(sizeof *f);
        s += mixes(i & 31);
        f->b = i + 1; /* (b): an object allocated before the call */
        fresh[t][i] = f;
    }
    sink[t] = s;
    return NULL;
}

int main(void)
{
    for (int t = 0; t < 2; t++)
        for (long i = 0; i < N; i++)
            objs[t][i] = stm_alloc(sizeof(struct pair));
    pthread_t th[2];
    for (long t = 0; t < 2; t++)
        pthread_create(&th[t], NULL, work, (void *)t);
    for (int t = 0; t < 2; t++)
        pthread_join(th[t], NULL);
    long lost_a = 0, lost_b = 0;
    for (int t = 0; t < 2; t++)
        for (long i = 0; i < N; i++) {
            lost_a += objs[t][i]->a != i + 1;
            lost_b += fresh[t][i]->b != i + 1;
        }
    printf("lost (a): %ld, lost (b): %ld (%ld)\n", lost_a, lost_b, sink[0] + sink[1]);
    return lost_a + lost_b != 0;
}
