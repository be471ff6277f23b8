/* intset_rbtree - an integer set as a red-black tree (parent pointers, NULL leaves) in the STM
 * heap, under random contains/insert/remove operations (10% updates by default), checked
 * against the serial model and the red-black invariants at the end (intset_common.h).
 *
 * Fields are written only when their value changes (a recolouring that changes nothing is not
 * a write), so that lookups rarely conflict with updates in other parts of the tree.
 */
#include "bench_support.h"

#define SET_NAME "intset_rbtree"

struct node {
    long key;
    long red;
    struct node STM_HEAP *left;
    struct node STM_HEAP *right;
    struct node STM_HEAP *parent;
};

struct tree {
    struct node STM_HEAP *root;
};

static struct tree STM_HEAP *tree;

static void set_init(long range)
{
    (void)range;
    tree = stm_alloc(sizeof(struct tree));
}

static inline TM_SAFE void set_red(struct node STM_HEAP *n, long red)
{
    if (n->red != red)
        n->red = red;
}

static inline TM_SAFE bool is_red(const struct node STM_HEAP *n)
{
    return n && n->red;
}

static TM_SAFE struct node STM_HEAP *find(long k)
{
    struct node STM_HEAP *n = tree->root;
    while (n && n->key != k)
        n = k < n->key ? n->left : n->right;
    return n;
}

/* Puts v where u was under u's parent. */
static TM_SAFE void replace_child(struct node STM_HEAP *u, struct node STM_HEAP *v)
{
    struct node STM_HEAP *p = u->parent;
    if (!p)
        tree->root = v;
    else if (p->left == u)
        p->left = v;
    else
        p->right = v;
    if (v)
        v->parent = p;
}

static TM_SAFE void rotate_left(struct node STM_HEAP *x)
{
    struct node STM_HEAP *y = x->right;
    x->right = y->left;
    if (y->left)
        y->left->parent = x;
    replace_child(x, y);
    y->left = x;
    x->parent = y;
}

static TM_SAFE void rotate_right(struct node STM_HEAP *x)
{
    struct node STM_HEAP *y = x->left;
    x->left = y->right;
    if (y->right)
        y->right->parent = x;
    replace_child(x, y);
    y->right = x;
    x->parent = y;
}

static TM_SAFE bool set_contains(long k)
{
    return find(k) != NULL;
}

static TM_SAFE long set_insert(long k)
{
    struct node STM_HEAP *y = NULL, *x = tree->root;
    while (x) {
        if (k == x->key)
            return false;
        y = x;
        x = k < x->key ? x->left : x->right;
    }
    struct node STM_HEAP *z = stm_alloc(sizeof(struct node));
    z->key = k;
    z->red = 1;
    z->parent = y;
    if (!y)
        tree->root = z;
    else if (k < y->key)
        y->left = z;
    else
        y->right = z;

    struct node STM_HEAP *p;
    while ((p = z->parent) && p->red) {
        struct node STM_HEAP *g = p->parent;  /* p is red, so not the root */
        if (p == g->left) {
            struct node STM_HEAP *u = g->right;
            if (is_red(u)) {
                p->red = 0;
                u->red = 0;
                g->red = 1;
                z = g;
            } else {
                if (z == p->right) {
                    z = p;
                    rotate_left(z);
                    p = z->parent;
                }
                p->red = 0;
                g->red = 1;
                rotate_right(g);
            }
        } else {
            struct node STM_HEAP *u = g->left;
            if (is_red(u)) {
                p->red = 0;
                u->red = 0;
                g->red = 1;
                z = g;
            } else {
                if (z == p->left) {
                    z = p;
                    rotate_right(z);
                    p = z->parent;
                }
                p->red = 0;
                g->red = 1;
                rotate_left(g);
            }
        }
    }
    set_red(tree->root, 0);
    return true;
}

/* Restores the black height after a black node was removed above x (x may be NULL, its parent
 * is xp). */
static TM_SAFE void remove_fixup(struct node STM_HEAP *x, struct node STM_HEAP *xp)
{
    while (x != tree->root && !is_red(x)) {
        if (x == xp->left) {
            struct node STM_HEAP *w = xp->right;
            if (w->red) {
                w->red = 0;
                xp->red = 1;
                rotate_left(xp);
                w = xp->right;
            }
            if (!is_red(w->left) && !is_red(w->right)) {
                w->red = 1;
                x = xp;
                xp = x->parent;
            } else {
                if (!is_red(w->right)) {
                    w->left->red = 0;
                    w->red = 1;
                    rotate_right(w);
                    w = xp->right;
                }
                set_red(w, xp->red);
                set_red(xp, 0);
                if (w->right)
                    set_red(w->right, 0);
                rotate_left(xp);
                x = tree->root;
            }
        } else {
            struct node STM_HEAP *w = xp->left;
            if (w->red) {
                w->red = 0;
                xp->red = 1;
                rotate_right(xp);
                w = xp->left;
            }
            if (!is_red(w->left) && !is_red(w->right)) {
                w->red = 1;
                x = xp;
                xp = x->parent;
            } else {
                if (!is_red(w->left)) {
                    w->right->red = 0;
                    w->red = 1;
                    rotate_left(w);
                    w = xp->left;
                }
                set_red(w, xp->red);
                set_red(xp, 0);
                if (w->left)
                    set_red(w->left, 0);
                rotate_right(xp);
                x = tree->root;
            }
        }
    }
    if (x)
        set_red(x, 0);
}

static TM_SAFE long set_remove(long k)
{
    struct node STM_HEAP *z = find(k), *x, *xp;
    if (!z)
        return false;
    long removed_red = z->red;
    if (!z->left) {
        x = z->right;
        xp = z->parent;
        replace_child(z, x);
    } else if (!z->right) {
        x = z->left;
        xp = z->parent;
        replace_child(z, x);
    } else {
        struct node STM_HEAP *y = z->right;
        while (y->left)
            y = y->left;
        removed_red = y->red;
        x = y->right;
        if (y->parent == z) {
            xp = y;
        } else {
            xp = y->parent;
            replace_child(y, x);
            y->right = z->right;
            y->right->parent = y;
        }
        replace_child(z, y);
        y->left = z->left;
        y->left->parent = y;
        set_red(y, z->red);
    }
    if (!removed_red)
        remove_fixup(x, xp);
    stm_free(z);
    return true;
}

/* Black height of n, or -1 if an invariant is broken below it. */
static long check_node(const struct node STM_HEAP *n, const struct node STM_HEAP *parent,
                       long lo, long hi, unsigned char *member, char *why, size_t wn)
{
    if (!n)
        return 1;
    if (n->parent != parent || n->key < lo || n->key >= hi) {
        snprintf(why, wn, "bad parent link or order at key %ld", n->key);
        return -1;
    }
    if (n->red && (is_red(n->left) || is_red(n->right))) {
        snprintf(why, wn, "red node %ld has a red child", n->key);
        return -1;
    }
    member[n->key] = 1;
    long l = check_node(n->left, n, lo, n->key, member, why, wn);
    long r = l < 0 ? -1 : check_node(n->right, n, n->key + 1, hi, member, why, wn);
    if (l < 0 || r < 0)
        return -1;
    if (l != r) {
        snprintf(why, wn, "black heights %ld and %ld below key %ld", l, r, n->key);
        return -1;
    }
    return l + !n->red;
}

static bool set_members(unsigned char *member, long range, char *why, size_t n)
{
    if (is_red(tree->root)) {
        snprintf(why, n, "red root");
        return false;
    }
    return check_node(tree->root, NULL, 0, range, member, why, n) >= 0;
}

static void destroy(struct node STM_HEAP *n)
{
    if (!n)
        return;
    destroy(n->left);
    destroy(n->right);
    stm_free(n);
}

static void set_destroy(void)
{
    destroy(tree->root);
    stm_free(tree);
}

#include "intset_common.h"

int main(int argc, char **argv)
{
    return set_main(argc, argv, 65536, 2000000, 10);
}
