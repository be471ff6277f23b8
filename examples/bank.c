/* bank - transfers between random accounts in atomic blocks, and concurrent audits that read
 * every account in one transaction: the classic STM consistency test.  Money is only moved, so
 * every audit must see the same total, and no balance may go negative.
 *
 * Each thread does its share of --size operations; --audit per mille of them are audits.
 */
#include "bench_support.h"

struct account {
    long balance;
    long ops;                   /* transfers that touched this account */
};

static struct account STM_HEAP *accounts;
static long g_accounts, g_ops, g_audit, g_seed, g_total;
static int g_threads;

#define INITIAL_BALANCE 1000

static TM_SAFE bool transfer(long from, long to, long amount)
{
    if (accounts[from].balance < amount)
        return false;
    accounts[from].balance -= amount;
    accounts[from].ops++;
    accounts[to].balance += amount;
    accounts[to].ops++;
    return true;
}

/* Returns the total, or -1 if some balance is negative. */
static TM_SAFE long audit(void)
{
    long total = 0;
    bool negative = false;
    for (long i = 0; i < g_accounts; i++) {
        long b = accounts[i].balance;
        negative |= b < 0;
        total += b;
    }
    return negative ? -1 : total;
}

struct worker {
    BENCH_PER_THREAD int id;
    long transfers, refused, audits, bad_audits;
};

static void *work(void *p)
{
    struct worker *w = p;
    long lo, hi;
    uint64_t rng = bench_seed(g_seed, w->id);
    bench_split(g_ops, g_threads, w->id, &lo, &hi);
    for (long i = lo; i < hi; i++) {
        if (bench_rand_below(&rng, 1000) < g_audit) {
            long total = 0;
            STM_ATOMIC {
                total = audit();
            }
            w->audits++;
            w->bad_audits += total != g_total;
        } else {
            long from = bench_rand_below(&rng, g_accounts);
            long to = bench_rand_below(&rng, g_accounts - 1);
            long amount = 1 + bench_rand_below(&rng, 50);
            bool done = false;
            to += to >= from;   /* to != from */
            STM_ATOMIC {
                done = transfer(from, to, amount);
            }
            if (done)
                w->transfers++;
            else
                w->refused++;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 1, ops = 4000000, naccounts = 4096, audit_pm = 2, seed = 1;
    struct bench_opt opts[] = {
        {"--threads", &threads, "worker threads"},
        {"--size", &ops, "operations in all"},
        {"--accounts", &naccounts, "number of accounts"},
        {"--audit", &audit_pm, "audits per 1000 operations"},
        {"--seed", &seed, "random seed"},
    };
    bench_parse(argc, argv, opts, 5);
    g_threads = bench_threads_ok(threads);
    if (ops < 0 || naccounts < 2 || audit_pm < 0 || audit_pm > 1000)
        return bench_check(false, "bad options");
    g_ops = ops;
    g_accounts = naccounts;
    g_audit = audit_pm;
    g_seed = seed;
    g_total = naccounts * INITIAL_BALANCE;
    bench_header("bank", g_threads, "ops=%ld accounts=%ld audit=%ld/1000", ops, naccounts,
                 audit_pm);

    accounts = stm_alloc(sizeof(struct account) * (size_t)naccounts);
    for (long i = 0; i < naccounts; i++)
        accounts[i].balance = INITIAL_BALANCE;
    struct worker *w = bench_per_thread(g_threads, sizeof *w);
    for (int i = 0; i < g_threads; i++)
        w[i].id = i;

    bench_time(bench_run_threads(g_threads, work, w, sizeof *w));

    long transfers = 0, refused = 0, audits = 0, bad_audits = 0, touched = 0;
    for (int i = 0; i < g_threads; i++) {
        transfers += w[i].transfers;
        refused += w[i].refused;
        audits += w[i].audits;
        bad_audits += w[i].bad_audits;
    }
    for (long i = 0; i < naccounts; i++)
        touched += accounts[i].ops;
    long final_total = audit();
    printf("transfers: %ld refused: %ld audits: %ld\n", transfers, refused, audits);
    stm_free(accounts);
    free(w);
    return bench_check(bad_audits == 0 && final_total == g_total && touched == 2 * transfers &&
                           transfers + refused + audits == ops,
                       "bad audits %ld, final total %ld (expected %ld), touched %ld for %ld "
                       "transfers",
                       bad_audits, final_total, g_total, touched, transfers);
}
