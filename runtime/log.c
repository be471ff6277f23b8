/* runtime/log.c - the commit log and validation.
 *
 * The log is a singly linked list of entries {seq, written granules}, oldest first, under
 * g_lock.  A segment's last_seen points at the newest entry it has imported.  Validation walks
 * the entries after last_seen: a granule that the running transaction marked read (rmark ==
 * its version) is a conflict; otherwise, when the granule's page is private in the segment,
 * the committed bytes are copied in (pages that are still shared show segment 0 live).
 * Entries are freed once every segment has seen them; an idle segment that lags more than
 * STM_LOG_MAX entries is marked to drop its private pages at its next start instead.
 */
#include "internal.h"

#include <stdlib.h>

struct log_entry *g_log_head, *g_log_tail;
uint64_t g_log_len;

void log_setup(void)
{
    struct log_entry *e = calloc(1, sizeof *e);
    if (!e)
        stmc_fatal("out of memory (commit log)");
    g_log_head = g_log_tail = e;
    for (int i = 1; i <= g_nseg; i++)
        g_seg[i].last_seen = e;
}

struct log_entry *log_prepare(struct seg *s)
{
    size_t n = s->wset.n;
    struct log_entry *e = malloc(sizeof *e + n * sizeof(uint64_t));
    if (!e)
        stmc_fatal("out of memory (commit log entry of %zu granules)", n);
    e->next = NULL;
    e->n = n;
    for (size_t i = 0; i < n; i++)
        e->g[i] = s->wset.v[i] & ~WS_FRESH;
    return e;
}

void log_free(struct log_entry *list)
{
    while (list) {
        struct log_entry *next = list->next;
        free(list);
        list = next;
    }
}

void log_append(struct seg *s, struct log_entry *e)
{
    e->seq = g_log_tail->seq + 1;
    __atomic_store_n(&g_log_tail->next, e, __ATOMIC_RELEASE);
    __atomic_store_n(&g_log_tail, e, __ATOMIC_RELEASE);
    g_log_len++;
    s->last_seen = e;
    STAT(s, log_entries);
}

struct log_entry *log_trim(void)
{
    if (g_log_len > (uint64_t)g_flags.LOG_MAX) {
        uint64_t keep = g_log_tail->seq - (uint64_t)g_flags.LOG_MAX / 2;
        for (int i = 1; i <= g_nseg; i++) {
            struct seg *s = &g_seg[i];
            if (!s->running && s->last_seen->seq < keep) {
                s->last_seen = g_log_tail;
                __atomic_store_n(&s->reset_pending, 1, __ATOMIC_RELEASE);
                STAT(s, lag_resets);
            }
        }
    }
    uint64_t min = g_log_tail->seq;
    for (int i = 1; i <= g_nseg; i++)
        if (__atomic_load_n(&g_seg[i].last_seen, __ATOMIC_RELAXED)->seq < min)
            min = __atomic_load_n(&g_seg[i].last_seen, __ATOMIC_RELAXED)->seq;
    struct log_entry *old = g_log_head, *e = g_log_head, *last = NULL;
    while (e->seq < min) {
        last = e;
        e = e->next;
        g_log_len--;
    }
    if (!last)
        return NULL;
    last->next = NULL;
    g_log_head = e;
    return old;
}

bool validate_locked(struct seg *s, bool check)
{
    return validate_upto(s, check, NULL);
}

/* Import (and with check, look for conflicts in) the entries after last_seen, up to and
 * including stop (NULL: to the end).  Without g_lock only with check = false and a stop read
 * from g_log_tail: entries up to it are complete and pinned by this segment's last_seen. */
bool validate_upto(struct seg *s, bool check, struct log_entry *stop)
{
    bool conflict = false;
    uint8_t v = s->version;
    char *dst = s->base, *src = g_seg[0].base;
    uint64_t imported = 0;
    struct log_entry *e = s->last_seen == stop ? NULL
                          : __atomic_load_n(&s->last_seen->next, __ATOMIC_ACQUIRE);
    for (; e; e = e == stop ? NULL : __atomic_load_n(&e->next, __ATOMIC_ACQUIRE)) {
        for (size_t i = 0; i < e->n; i++) {
            uint64_t g = e->g[i];
            if (check && *rmark(s, g) == v)
                conflict = true;
            uint64_t off = g << STMC_GRANULE_SHIFT;
            if (__atomic_load_n(&s->priv[page_of(off)], __ATOMIC_ACQUIRE)) {
                memcpy(dst + off, src + off, STMC_GRANULE);
                imported++;
            }
        }
        __atomic_store_n(&s->last_seen, e, __ATOMIC_RELAXED);
    }
    s->st.imported_granules += imported;
    return conflict;
}
