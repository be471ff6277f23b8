// A program that supplies its own malloc (a bump allocator counting with C11 atomics, as
// lock-free allocators do), compiled by stmc: the runtime allocates with glibc's own
// functions, never with it.  Before, the runtime called it from inside a commit while the
// implicit transaction still ran, and the allocator's atomics (_stm_sync) ended that
// transaction from inside its own commit: endless recursion, SIGSEGV (3 of 3).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t | FileCheck %s
// CHECK: nodes 40000
#include <stmc.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>

#define ARENA (256u << 20)
static char arena[ARENA] __attribute__((aligned(64)));
static _Atomic size_t top;
static _Atomic long nallocs;

void *malloc(size_t n)
{
    atomic_fetch_add_explicit(&nallocs, 1, memory_order_relaxed);
    size_t sz = (n + 31) & ~(size_t)15;
    size_t at = atomic_fetch_add(&top, sz);
    if (at + sz > ARENA) { errno = ENOMEM; return NULL; }
    *(size_t *)(arena + at) = n;
    return arena + at + 16;
}
void free(void *p) { (void)p; }
void *calloc(size_t a, size_t b) { void *p = malloc(a * b); if (p) memset(p, 0, a * b); return p; }
void *realloc(void *p, size_t n)
{
    void *q = malloc(n);
    if (q && p) { size_t o = *(size_t *)((char *)p - 16); memcpy(q, p, o < n ? o : n); }
    return q;
}
void *aligned_alloc(size_t al, size_t n) { void *p = malloc(n + al); return (void *)(((uintptr_t)p + al - 1) & ~(uintptr_t)(al - 1)); }
int posix_memalign(void **r, size_t al, size_t n) { *r = aligned_alloc(al, n); return 0; }
void *memalign(size_t al, size_t n) { return aligned_alloc(al, n); }

struct node { long v; struct node STM_HEAP *next; };
struct root { struct node STM_HEAP *head; };
static struct root STM_HEAP *root;

static void *worker(void *arg)
{
    long t = (long)arg;
    for (long i = 0; i < 20000; i++) {
        struct node STM_HEAP *n = stm_alloc(sizeof *n);   /* outside blocks: implicit tx */
        n->v = t * 100000 + i;
        STM_ATOMIC { n->next = root->head; root->head = n; }
    }
    return NULL;
}

int main(void)
{
    root = stm_alloc(sizeof *root);
    pthread_t th[2];
    for (long t = 0; t < 2; t++)
        pthread_create(&th[t], NULL, worker, (void *)t);
    for (int t = 0; t < 2; t++)
        pthread_join(th[t], NULL);
    long n = 0;
    STM_ATOMIC { n = 0; for (struct node STM_HEAP *p = root->head; p; p = p->next) n++; }
    printf("nodes %ld (mallocs %ld)\n", n, (long)nallocs);
    return n != 40000;
}
