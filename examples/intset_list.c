/* intset_list - an integer set as a sorted singly linked list in the STM heap, under random
 * contains/insert/remove operations (10% updates by default), checked against the serial
 * model at the end (intset_common.h).  Long read sets: a transaction reads every node before
 * its key, so any update to that prefix conflicts with it.
 */
#include "bench_support.h"

#define SET_NAME "intset_list"

struct node {
    long key;
    struct node STM_HEAP *next;
};

static struct node STM_HEAP *head;     /* sentinel, key -1 (below every key) */

static void set_init(long range)
{
    (void)range;
    head = stm_alloc(sizeof(struct node));
    head->key = -1;
}

/* The last node whose key is below k (the head sentinel at least). */
static TM_SAFE struct node STM_HEAP *find_prev(long k)
{
    struct node STM_HEAP *prev = head, *cur = head->next;
    while (cur && cur->key < k) {
        prev = cur;
        cur = cur->next;
    }
    return prev;
}

static TM_SAFE bool set_contains(long k)
{
    struct node STM_HEAP *next = find_prev(k)->next;
    return next && next->key == k;
}

static TM_SAFE long set_insert(long k)
{
    struct node STM_HEAP *prev = find_prev(k), *next = prev->next;
    if (next && next->key == k)
        return false;
    struct node STM_HEAP *n = stm_alloc(sizeof(struct node));
    n->key = k;
    n->next = next;
    prev->next = n;
    return true;
}

static TM_SAFE long set_remove(long k)
{
    struct node STM_HEAP *prev = find_prev(k), *next = prev->next;
    if (!next || next->key != k)
        return false;
    prev->next = next->next;
    stm_free(next);
    return true;
}

static bool set_members(unsigned char *member, long range, char *why, size_t n)
{
    long last = -1;
    for (struct node STM_HEAP *c = head->next; c; c = c->next) {
        if (c->key <= last || c->key >= range) {
            snprintf(why, n, "list not sorted or key out of range at key %ld", c->key);
            return false;
        }
        member[c->key] = 1;
        last = c->key;
    }
    return true;
}

static void set_destroy(void)
{
    struct node STM_HEAP *c = head;
    while (c) {
        struct node STM_HEAP *next = c->next;
        stm_free(c);
        c = next;
    }
}

#include "intset_common.h"

int main(int argc, char **argv)
{
    return set_main(argc, argv, 512, 1000000, 10);
}
