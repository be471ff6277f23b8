/* lisp - a small Lisp interpreter whose every object lives in the STM heap, in the spirit of
 * duhton (PyPy-STM's test interpreter on stmgc).  An example of stmc, not a benchmark.
 *
 *   build/bin/stmcc -O2 examples/lisp.c -o lisp              # stmc
 *   build/bin/stmcc --no-stm -O2 examples/lisp.c -o lisp.gil # the same, one global lock
 *   ./lisp --threads 2 examples/lisp/square_roots.lisp
 *
 * The language: integers, symbols, strings, pairs, vectors, closures; special forms quote ('x),
 * if, cond, define (always global), set!, lambda, let, begin, while, and, or, atomic; builtins
 * listed in `builtins[]` below (`--help` prints them).  `(parallel n f k)` runs `(f i j)` for
 * j = 0..k-1 on each of n new threads (i = 0..n-1), waits for them and returns the list of each
 * thread's last result; `(atomic e...)` evaluates its body as one transaction.  The global NT is
 * bound to --threads, SIZE to --size (nil when not given).  There is no garbage collector:
 * `(free! x)` frees a vector, a string or a list's pairs, and a call frees its own frame when
 * the callee's body cannot make a closure that would keep it (it contains no lambda or define).
 *
 * How the interpreter uses stmc:
 *
 * - Objects.  Every object the program can see is a `T STM_HEAP *` from stm_alloc: pairs,
 *   symbols and the symbol table, strings, vectors, closures, builtins, and the call frames
 *   that hold local variables.  Only integers are not: they are fixnums, tagged values
 *   (odd "pointers") that are never dereferenced, so arithmetic allocates nothing.  The
 *   interpreter's own state (the program text, the command line, print buffers) is plain
 *   memory, and so are a few globals set once in main before any thread starts (nil, the
 *   symbols of the special forms) and only read afterwards.
 *
 * - Immutable fields.  Fields marked STM_IMMUTABLE (every object's tag, a symbol's name and
 *   hash, a closure's code and environment, a frame's size and parent) are written only right
 *   after stm_alloc, in straight-line code or in the atomic block that allocated the object, and
 *   never again: reading them needs no read marker and can never conflict.  That is most reads
 *   the evaluator makes.  A frame's variable names are not marked: they are stored in a loop,
 *   and a loop's safe point may end the implicit transaction that allocated the frame.
 *
 * - Atomic blocks.  Three places, each for a reason:
 *   1. `(atomic ...)` in the program: the program's own transactions (eval_atomic).  Nested
 *      ones flatten into the outermost.
 *   2. intern (the symbol table is shared and threads may intern new symbols at any time:
 *      `string->symbol`): the lookup, the insertion and the table's growth (stm_realloc) are one
 *      transaction, so two threads interning one name get one symbol.
 *   3. The --granularity modes, which choose how much of the code that `parallel` runs is made
 *      of transactions without the program asking:
 *        0  (default) each call (f i j) is one atomic block, like duhton's transactions: the
 *           threads run in parallel and conflicting calls are rolled back and run again;
 *        1  each builtin call (except print, apply, parallel) and each set!/define is its own
 *           atomic block, as an interpreter that makes every bytecode atomic would;
 *        2  none: only (atomic ...).
 *   A program that needs atomicity writes (atomic ...), so it computes the same results in
 *   every mode.  The atomic blocks live in small functions of their own (eval_atomic,
 *   call_atomic, ...): a block calls setjmp in the function that contains it, and clang
 *   optimises such a function less well, which would hurt if that function were eval.
 *
 * - Implicit transactions.  Everything else runs outside atomic blocks: the reader, the
 *   top-level forms of the main thread, and in modes 1 and 2 the evaluator of the threads of
 *   `parallel` between blocks.  stmc runs that heap code in implicit transactions, which hold
 *   one token like a global interpreter lock and end at safe points (loop back-edges) when
 *   another thread waits, at calls to the C library (printf) and at atomic blocks.  They never
 *   abort, but they also do not make the program's code atomic, and they serialise: only mode 0
 *   runs the program's threads in parallel.  Hence the rule for programs: read and update
 *   data that other threads change (or free) only inside (atomic ...).
 *
 * - Retries.  An atomic block that conflicts is rolled back and run again, so what it does
 *   outside the heap must be harmless to repeat: evaluation only writes the heap and locals, a
 *   print (I/O) makes its block inevitable first (stmc does that at the C library call), and an
 *   error ends the process (exit() commits the block).  STM_INJECT_ABORTS=3 tests this.
 *
 * Errors in the program (a type error, an unbound variable, a failed assert, recursion deeper
 * than the C stack allows, ...) print `lisp: FILE:LINE: message` and exit with status 1; bad
 * command lines exit with status 2.  Using an object after `free!` is undefined, as in C.
 */
#include <stmc.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* ------------------------------------------------------------------------------------------ */
/* Objects                                                                                     */

enum tag { T_INT = 0 /* a fixnum */, T_NIL, T_SYM, T_PAIR, T_STR, T_VEC, T_CLOSURE, T_BUILTIN, T_FRAME };

typedef STM_HEAP struct obj Obj;          /* any object; or a fixnum (odd value) */
typedef STM_HEAP struct pair Pair;
typedef STM_HEAP struct sym Sym;
typedef STM_HEAP struct str Str;
typedef STM_HEAP struct vec Vec;
typedef STM_HEAP struct closure Closure;
typedef STM_HEAP struct builtin Builtin;
typedef STM_HEAP struct frame Frame;
typedef STM_HEAP struct symtab Symtab;

struct obj { int tag STM_IMMUTABLE; };
struct pair {
    int tag STM_IMMUTABLE;
    int line STM_IMMUTABLE;         /* source line of a pair read from the program, else 0 */
    Obj *car, *cdr;
};
struct sym {
    int tag STM_IMMUTABLE;
    int len STM_IMMUTABLE;
    unsigned long hash STM_IMMUTABLE;
    char STM_HEAP *name STM_IMMUTABLE;
    Obj *value;                     /* the global binding; NULL: unbound */
    Sym *next;                      /* the symbol table's bucket chain */
};
struct str { int tag STM_IMMUTABLE; long len STM_IMMUTABLE; char STM_HEAP *chars STM_IMMUTABLE; };
struct vec { int tag STM_IMMUTABLE; long len; Obj *STM_HEAP *items; };   /* vector-grow! */
struct closure {
    int tag STM_IMMUTABLE;
    int nparams STM_IMMUTABLE;
    bool captures STM_IMMUTABLE;    /* its body may make closures, which keep its frames */
    Obj *params STM_IMMUTABLE;      /* a list of symbols */
    Obj *body STM_IMMUTABLE;
    Frame *env STM_IMMUTABLE;
};
struct builtin { int tag STM_IMMUTABLE; int id STM_IMMUTABLE; Sym *name STM_IMMUTABLE; };
struct binding { Sym *name; Obj *value; };
struct frame {                      /* the local variables of a call or a let */
    int tag STM_IMMUTABLE;
    int n STM_IMMUTABLE;
    Frame *parent STM_IMMUTABLE;
    struct binding b[];
};
struct symtab { long nbuckets, count; Sym *STM_HEAP *buckets; };

/* Fixnums: v is stored as the odd value 2v+1. */
#define FIX_MAX (LONG_MAX >> 1)
#define FIX_MIN (LONG_MIN >> 1)
static inline bool is_fix(Obj *x) { return ((uintptr_t)x & 1) != 0; }
static inline long fix_val(Obj *x) { return (long)(intptr_t)x >> 1; }
static inline Obj *fix_unchecked(long v) { return (Obj *)(intptr_t)(long)(((unsigned long)v << 1) | 1); }
static inline int tag_of(Obj *x) { return is_fix(x) ? T_INT : x->tag; }

#define MAXARGS 16                  /* arguments of a call, bindings of a let */
#define PRINT_MAX (1 << 20)         /* characters that one print may print */

/* Set in main before any thread starts, read-only afterwards. */
static Obj *NIL, *TRUE;
static Symtab *symtab;
static Sym *S_quote, *S_if, *S_cond, *S_else, *S_define, *S_set, *S_lambda, *S_let, *S_begin,
    *S_while, *S_and, *S_or, *S_atomic;
static int granularity;
static const char *program_file;

/* Plain per-thread state: the source line being evaluated (for error messages), the lowest
 * stack address eval may use, and whether this is the main thread. */
static _Thread_local int cur_line;
static _Thread_local uintptr_t stack_limit;
static _Thread_local bool main_thread;

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */

static _Noreturn void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void error(const char *fmt, ...)
{
    /* Inside an atomic block the C library call makes the block inevitable (it may first run
     * again: then it reaches this error again), and exit() commits it. */
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    if (cur_line > 0)
        fprintf(stderr, "lisp: %s:%d: ", program_file, cur_line);
    else
        fprintf(stderr, "lisp: %s: ", program_file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void check_stack(void)
{
    char here;
    if ((uintptr_t)&here < stack_limit)
        error("recursion too deep");
}

static void set_stack_limit(size_t budget)
{
    char here;
    stack_limit = (uintptr_t)&here - budget;
}

/* ------------------------------------------------------------------------------------------ */
/* Constructors and accessors                                                                  */

static const char *describe(Obj *x);

static Obj *mk_int(long v)
{
    if (v < FIX_MIN || v > FIX_MAX)
        error("integer overflow");
    return fix_unchecked(v);
}

static long int_of(Obj *x, const char *who)
{
    if (!is_fix(x))
        error("%s: not an integer: %s", who, describe(x));
    return fix_val(x);
}

static Obj *cons_at(Obj *car, Obj *cdr, int line)
{
    Pair *p = stm_alloc(sizeof *p);
    p->tag = T_PAIR;
    p->line = line;
    p->car = car;
    p->cdr = cdr;
    return (Obj *)p;
}
static Obj *cons(Obj *car, Obj *cdr) { return cons_at(car, cdr, 0); }

static bool is_pair(Obj *x) { return tag_of(x) == T_PAIR; }
static Obj *car(Obj *x)
{
    if (!is_pair(x))
        error("car: not a pair: %s", describe(x));
    return ((Pair *)x)->car;
}
static Obj *cdr(Obj *x)
{
    if (!is_pair(x))
        error("cdr: not a pair: %s", describe(x));
    return ((Pair *)x)->cdr;
}
static Obj *second(Obj *x) { return car(cdr(x)); }

static long list_length(Obj *l)
{
    long n = 0;
    for (; is_pair(l); l = ((Pair *)l)->cdr)
        n++;
    if (l != NIL)
        error("not a proper list");
    return n;
}

static Str *as_str(Obj *x, const char *who)
{
    if (tag_of(x) != T_STR)
        error("%s: not a string: %s", who, describe(x));
    return (Str *)x;
}
static Vec *as_vec(Obj *x, const char *who)
{
    if (tag_of(x) != T_VEC)
        error("%s: not a vector: %s", who, describe(x));
    return (Vec *)x;
}
static Sym *as_sym(Obj *x, const char *who)
{
    if (tag_of(x) != T_SYM)
        error("%s: not a symbol: %s", who, describe(x));
    return (Sym *)x;
}

/* A string from plain memory: the characters are copied into the heap. */
static Obj *mk_str(const char *s, long len)
{
    char STM_HEAP *chars = stm_alloc((size_t)len + 1);
    memcpy(chars, s, (size_t)len);          /* memcpy into the heap is instrumented */
    Str *p = stm_alloc(sizeof *p);
    p->tag = T_STR;
    p->len = len;
    p->chars = chars;
    return (Obj *)p;
}

static Vec *mk_vec(long n, Obj *fill)
{
    Obj *STM_HEAP *items = stm_alloc(sizeof(Obj *) * (size_t)(n ? n : 1));
    for (long i = 0; i < n; i++)
        items[i] = fill;
    Vec *v = stm_alloc(sizeof *v);
    v->tag = T_VEC;
    v->len = n;
    v->items = items;
    return v;
}

/* ------------------------------------------------------------------------------------------ */
/* Symbols                                                                                     */

static unsigned long hash_bytes(const char *s, int len)
{
    unsigned long h = 1469598103934665603UL;      /* FNV-1a */
    for (int i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211UL;
    return h;
}

/* Compares a symbol's name (heap) with s (plain memory): C library functions never see heap
 * pointers, so the name is copied out first. */
static bool sym_is(Sym *p, const char *s, int len)
{
    char buf[256];
    if (p->len != len)
        return false;
    memcpy(buf, p->name, (size_t)len);
    return memcmp(buf, s, (size_t)len) == 0;
}

static void symtab_grow(void)
{
    long old = symtab->nbuckets, n = old * 2;
    Sym *STM_HEAP *b = symtab->buckets;
    Sym *all = NULL;
    for (long i = 0; i < old; i++) {        /* unlink every symbol ... */
        for (Sym *p = b[i], *next; p; p = next) {
            next = p->next;
            p->next = all;
            all = p;
        }
        b[i] = NULL;
    }
    b = stm_realloc(b, sizeof(Sym *) * (size_t)n);   /* the new half reads zero */
    for (Sym *p = all, *next; p; p = next) { /* ... and rehash it */
        next = p->next;
        long i = (long)(p->hash % (unsigned long)n);
        p->next = b[i];
        b[i] = p;
    }
    symtab->buckets = b;
    symtab->nbuckets = n;
}

static Sym *intern(const char *s, int len)
{
    if (len <= 0 || len > 255)
        error("symbol name of %d characters", len);
    unsigned long h = hash_bytes(s, len);
    Sym *r = NULL;
    STM_ATOMIC {
        long i = (long)(h % (unsigned long)symtab->nbuckets);
        for (r = symtab->buckets[i]; r; r = r->next)
            if (r->hash == h && sym_is(r, s, len))
                break;
        if (!r) {
            char STM_HEAP *name = stm_alloc((size_t)len + 1);
            memcpy(name, s, (size_t)len);
            r = stm_alloc(sizeof *r);
            r->tag = T_SYM;
            r->len = len;
            r->hash = h;
            r->name = name;
            r->next = symtab->buckets[i];
            symtab->buckets[i] = r;
            if (++symtab->count > 2 * symtab->nbuckets)
                symtab_grow();
        }
    }
    return r;
}

static Sym *intern_c(const char *s) { return intern(s, (int)strlen(s)); }

/* ------------------------------------------------------------------------------------------ */
/* Printing, into plain memory                                                                 */

typedef struct { char *s; size_t len, cap; } buf_t;

static void put(buf_t *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = 2 * (o->len + n + 1);
        o->s = realloc(o->s, o->cap);
        if (!o->s)
            error("out of memory");
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = 0;
}
static void puts_(buf_t *o, const char *s) { put(o, s, strlen(s)); }

/* Appends x; `display` leaves strings without quotes.  Stops after `limit` bytes. */
static void show(buf_t *o, Obj *x, bool display, size_t limit)
{
    char tmp[300];
    check_stack();
    if (o->len > limit)
        return;
    switch (tag_of(x)) {
    case T_INT:
        snprintf(tmp, sizeof tmp, "%ld", fix_val(x));
        puts_(o, tmp);
        break;
    case T_NIL: puts_(o, "()"); break;
    case T_SYM: {
        Sym *s = (Sym *)x;
        memcpy(tmp, s->name, (size_t)s->len);   /* out of the heap before printing */
        put(o, tmp, (size_t)s->len);
        break;
    }
    case T_STR: {
        Str *s = (Str *)x;
        if (!display)
            puts_(o, "\"");
        for (long i = 0; i < s->len && o->len <= limit; i += (long)sizeof tmp) {
            size_t n = (size_t)(s->len - i < (long)sizeof tmp ? s->len - i : (long)sizeof tmp);
            memcpy(tmp, s->chars + i, n);
            put(o, tmp, n);
        }
        if (!display)
            puts_(o, "\"");
        break;
    }
    case T_PAIR:
        puts_(o, "(");
        for (;;) {
            show(o, ((Pair *)x)->car, false, limit);
            x = ((Pair *)x)->cdr;
            if (!is_pair(x) || o->len > limit)
                break;
            puts_(o, " ");
        }
        if (x != NIL && !is_pair(x)) {
            puts_(o, " . ");
            show(o, x, false, limit);
        }
        puts_(o, ")");
        break;
    case T_VEC: {
        Vec *v = (Vec *)x;
        puts_(o, "#(");
        for (long i = 0; i < v->len && o->len <= limit; i++) {
            if (i)
                puts_(o, " ");
            show(o, v->items[i], false, limit);
        }
        puts_(o, ")");
        break;
    }
    case T_CLOSURE: puts_(o, "#<closure>"); break;
    case T_BUILTIN:
        puts_(o, "#<builtin ");
        show(o, (Obj *)((Builtin *)x)->name, true, limit);
        puts_(o, ">");
        break;
    default:
        snprintf(tmp, sizeof tmp, "#<object with tag %d>", tag_of(x));
        puts_(o, tmp);
    }
    if (o->len > limit) {           /* cut at the limit (again at each level: no harm) */
        o->len = limit;
        o->s[limit] = 0;
        puts_(o, "...");
    }
}

/* x for an error message (at most ~80 characters; the buffer is never freed: we exit). */
static const char *describe(Obj *x)
{
    buf_t o = {0};
    show(&o, x, false, 80);
    return o.s;
}

/* ------------------------------------------------------------------------------------------ */
/* Reader: program text (plain memory) to heap objects                                          */

typedef struct { const char *s; size_t pos; int line; } reader_t;

static void skip_space(reader_t *r)
{
    for (;;) {
        char c = r->s[r->pos];
        if (c == ';') {
            while (r->s[r->pos] && r->s[r->pos] != '\n')
                r->pos++;
        } else if (c == '\n') {
            r->line++;
            r->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            r->pos++;
        } else {
            return;
        }
    }
}

static Obj *read_form(reader_t *r);

static Obj *read_list(reader_t *r, int open_line)
{
    Obj *head = NIL;
    Pair *last = NULL;
    for (;;) {
        skip_space(r);
        char c = r->s[r->pos];
        if (!c) {
            cur_line = open_line;
            error("end of file inside the list opened here");
        }
        if (c == ')') {
            r->pos++;
            return head;
        }
        int line = r->line;
        Obj *x = read_form(r);
        Obj *p = cons_at(x, NIL, line);
        if (last)
            last->cdr = p;
        else
            head = p;
        last = (Pair *)p;
    }
}

static Obj *read_form(reader_t *r)
{
    check_stack();
    skip_space(r);
    cur_line = r->line;
    char c = r->s[r->pos];
    if (!c)
        return NULL;
    if (c == '(') {
        r->pos++;
        return read_list(r, r->line);
    }
    if (c == ')')
        error("unexpected )");
    if (c == '\'') {
        int line = r->line;
        r->pos++;
        Obj *x = read_form(r);
        if (!x)
            error("end of file after '");
        return cons_at((Obj *)S_quote, cons(x, NIL), line);
    }
    if (c == '"') {
        buf_t o = {0};
        put(&o, "", 0);
        for (r->pos++; r->s[r->pos] != '"'; r->pos++) {
            char ch = r->s[r->pos];
            if (!ch)
                error("end of file inside a string");
            if (ch == '\n')
                r->line++;
            if (ch == '\\') {
                ch = r->s[++r->pos];
                if (ch == 'n')
                    ch = '\n';
                else if (ch != '"' && ch != '\\')
                    error("unknown escape \\%c in a string", ch ? ch : '0');
            }
            put(&o, &ch, 1);
        }
        r->pos++;
        Obj *s = mk_str(o.s, (long)o.len);
        free(o.s);
        return s;
    }
    size_t start = r->pos;
    while (r->s[r->pos] && !strchr(" \t\r\n()';\"", r->s[r->pos]))
        r->pos++;
    const char *tok = r->s + start;
    int len = (int)(r->pos - start);
    int i = (len > 1 && (tok[0] == '-' || tok[0] == '+')) ? 1 : 0;
    bool number = true;
    for (; i < len; i++)
        if (tok[i] < '0' || tok[i] > '9')
            number = false;
    if (number) {
        char num[32];
        if (len >= (int)sizeof num)
            error("integer out of range: %.*s", len, tok);
        memcpy(num, tok, (size_t)len);
        num[len] = 0;
        errno = 0;
        long v = strtol(num, NULL, 10);
        if (errno || v < FIX_MIN || v > FIX_MAX)
            error("integer out of range: %s", num);
        return mk_int(v);
    }
    if (len == 3 && !memcmp(tok, "nil", 3))
        return NIL;
    if (len > 255)
        error("symbol longer than 255 characters");
    return (Obj *)intern(tok, len);
}

/* ------------------------------------------------------------------------------------------ */
/* Environments                                                                                */

static Frame *mk_frame(Frame *parent, int n)
{
    Frame *f = stm_alloc(sizeof(struct frame) + sizeof(struct binding) * (size_t)n);
    f->tag = T_FRAME;
    f->n = n;
    f->parent = parent;
    return f;
}

/* Frees the frames from top up the parent chain to base, both included. */
static void free_frames(Frame *top, Frame *base)
{
    while (top) {
        Frame *parent = top->parent;
        bool last = top == base;
        stm_free(top);
        if (last)
            break;
        top = parent;
    }
}

static Obj *STM_HEAP *lookup_slot(Sym *s, Frame *env)
{
    for (Frame *f = env; f; f = f->parent)
        for (int i = 0; i < f->n; i++)
            if (f->b[i].name == s)
                return &f->b[i].value;
    return &s->value;
}

static Obj *lookup(Sym *s, Frame *env)
{
    Obj *v = *lookup_slot(s, env);
    if (!v)
        error("unbound variable %s", describe((Obj *)s));
    return v;
}

/* Conservative: can evaluating x make a closure (a lambda, or a define of a function)? */
static bool may_capture(Obj *x)
{
    check_stack();
    for (; is_pair(x); x = ((Pair *)x)->cdr)
        if (may_capture(((Pair *)x)->car))
            return true;
    return x == (Obj *)S_lambda || x == (Obj *)S_define;
}

static Obj *mk_closure(Obj *params, Obj *body, Frame *env)
{
    int n = 0;
    for (Obj *p = params; p != NIL; p = cdr(p)) {
        as_sym(car(p), "lambda parameter");
        if (++n > MAXARGS)
            error("more than %d parameters", MAXARGS);
    }
    bool captures = may_capture(body);
    Closure *c = stm_alloc(sizeof *c);
    c->tag = T_CLOSURE;
    c->nparams = n;
    c->captures = captures;
    c->params = params;
    c->body = body;
    c->env = env;
    return (Obj *)c;
}

/* ------------------------------------------------------------------------------------------ */
/* Atomic blocks (each in a function of its own: see the header)                               */

static Obj *eval(Obj *x, Frame *env);
static Obj *eval_body(Obj *body, Frame *env);
static Obj *apply(Obj *f, int n, Obj **args);
static Obj *call_builtin(Builtin *b, int n, Obj **args);
static Obj *builtin_body(int id, int n, Obj **args);

static __attribute__((noinline)) Obj *eval_atomic(Obj *body, Frame *env)
{
    Obj *r = NIL;
    STM_ATOMIC { r = eval_body(body, env); }
    return r;
}

static __attribute__((noinline)) Obj *apply_atomic(Obj *f, int n, Obj **args)
{
    Obj *r = NIL;
    STM_ATOMIC { r = apply(f, n, args); }
    return r;
}

static __attribute__((noinline)) Obj *builtin_atomic(int id, int n, Obj **args)
{
    Obj *r = NIL;
    STM_ATOMIC { r = builtin_body(id, n, args); }
    return r;
}

static __attribute__((noinline)) void store_atomic(Obj *STM_HEAP *slot, Obj *v)
{
    STM_ATOMIC { *slot = v; }
}

static void store(Obj *STM_HEAP *slot, Obj *v)   /* set! and define */
{
    if (granularity == 1)
        store_atomic(slot, v);
    else
        *slot = v;
}

/* ------------------------------------------------------------------------------------------ */
/* Evaluator                                                                                   */

static Obj *eval_body(Obj *body, Frame *env)
{
    Obj *r = NIL;
    for (; body != NIL; body = cdr(body))
        r = eval(car(body), env);
    return r;
}

/* Binds a closure's parameters to args in a new frame. */
static Frame *enter(Closure *c, int n, Obj **args)
{
    if (c->nparams != n)
        error("%d arguments to a function of %d parameters", n, c->nparams);
    Frame *f = mk_frame(c->env, n);
    Obj *p = c->params;
    for (int i = 0; i < n; i++, p = ((Pair *)p)->cdr) {
        f->b[i].name = (Sym *)((Pair *)p)->car;
        f->b[i].value = args[i];
    }
    return f;
}

static Obj *apply(Obj *f, int n, Obj **args)
{
    if (tag_of(f) == T_BUILTIN)
        return call_builtin((Builtin *)f, n, args);
    if (tag_of(f) != T_CLOSURE)
        error("not a function: %s", describe(f));
    Closure *c = (Closure *)f;
    Frame *fr = enter(c, n, args);
    Obj *r = eval_body(c->body, fr);
    if (!c->captures)
        free_frames(fr, fr);
    return r;
}

/* Evaluates x in env.  Tail positions (if, cond, begin, let, and the call of a closure) loop
 * instead of recursing.  The frames that this invocation made and that nothing can keep (see
 * may_capture) form the chain own_top .. own_base (own_top is env then); they are freed when it
 * returns or when a tail call replaces them. */
static Obj *eval(Obj *x, Frame *env)
{
    Frame *own_top = NULL, *own_base = NULL;
#define RETURN(v)                                                                              \
    do {                                                                                       \
        Obj *r_ = (v);                                                                         \
        free_frames(own_top, own_base);                                                        \
        return r_;                                                                             \
    } while (0)

    check_stack();
    for (;;) {
        if (tag_of(x) == T_SYM)
            RETURN(lookup((Sym *)x, env));
        if (!is_pair(x))
            RETURN(x);                              /* integers, strings, ... evaluate to themselves */
        int line = ((Pair *)x)->line;
        if (line)
            cur_line = line;
        Obj *head = ((Pair *)x)->car, *rest = ((Pair *)x)->cdr;
        Obj *body = NULL;                           /* set: evaluate it, the last form in tail position */

        if (head == (Obj *)S_quote) {
            RETURN(car(rest));
        } else if (head == (Obj *)S_if) {           /* (if test then [else]) */
            Obj *test = eval(car(rest), env);
            Obj *arms = cdr(rest);
            if (test != NIL)
                x = car(arms);
            else if (cdr(arms) != NIL)
                x = car(cdr(arms));
            else
                RETURN(NIL);
            continue;
        } else if (head == (Obj *)S_cond) {         /* (cond (test body...) ... (else body...)) */
            for (Obj *c = rest; c != NIL && !body; c = cdr(c))
                if (car(car(c)) == (Obj *)S_else || eval(car(car(c)), env) != NIL)
                    body = cdr(car(c));
            if (!body)
                RETURN(NIL);
        } else if (head == (Obj *)S_begin) {
            body = rest;
        } else if (head == (Obj *)S_define) {       /* (define name value), (define (f params...) body...) */
            Obj *target = car(rest);
            Sym *name;
            Obj *v;
            if (is_pair(target)) {
                name = as_sym(car(target), "define");
                v = mk_closure(cdr(target), cdr(rest), env);
            } else {
                name = as_sym(target, "define");
                v = eval(second(rest), env);
            }
            store(&name->value, v);
            RETURN((Obj *)name);
        } else if (head == (Obj *)S_set) {          /* (set! name value) */
            Sym *name = as_sym(car(rest), "set!");
            Obj *v = eval(second(rest), env);
            Obj *STM_HEAP *slot = lookup_slot(name, env);
            if (!*slot)
                error("set! of unbound variable %s", describe((Obj *)name));
            store(slot, v);
            RETURN(v);
        } else if (head == (Obj *)S_lambda) {       /* (lambda (params...) body...) */
            RETURN(mk_closure(car(rest), cdr(rest), env));
        } else if (head == (Obj *)S_let) {          /* (let ((name value) ...) body...) */
            Obj *vals[MAXARGS];
            Sym *names[MAXARGS];
            int n = 0;
            for (Obj *b = car(rest); b != NIL; b = cdr(b)) {
                if (n == MAXARGS)
                    error("more than %d let bindings", MAXARGS);
                names[n] = as_sym(car(car(b)), "let");
                vals[n++] = eval(second(car(b)), env);
                cur_line = line;
            }
            Frame *f = mk_frame(env, n);
            for (int i = 0; i < n; i++) {
                f->b[i].name = names[i];
                f->b[i].value = vals[i];
            }
            body = cdr(rest);
            if (may_capture(body))
                own_top = own_base = NULL;          /* a closure may keep f and its parents */
            else if (own_top)
                own_top = f;                        /* own_top was env: f extends the chain */
            else
                own_top = own_base = f;
            env = f;
        } else if (head == (Obj *)S_while) {        /* (while test body...): nil */
            while (eval(car(rest), env) != NIL)
                eval_body(cdr(rest), env);
            RETURN(NIL);
        } else if (head == (Obj *)S_and || head == (Obj *)S_or) {
            bool is_and = head == (Obj *)S_and;
            Obj *r = is_and ? TRUE : NIL;
            for (; rest != NIL; rest = cdr(rest))
                if (((r = eval(car(rest), env)) == NIL) == is_and)
                    break;
            RETURN(r);
        } else if (head == (Obj *)S_atomic) {       /* (atomic body...) */
            RETURN(eval_atomic(rest, env));
        } else {                                    /* a call */
            Obj *f = eval(head, env);
            Obj *args[MAXARGS];
            int n = 0;
            for (Obj *a = rest; a != NIL; a = cdr(a)) {
                if (n == MAXARGS)
                    error("more than %d arguments", MAXARGS);
                args[n++] = eval(car(a), env);
                cur_line = line;
            }
            if (tag_of(f) == T_BUILTIN)
                RETURN(call_builtin((Builtin *)f, n, args));
            if (tag_of(f) != T_CLOSURE)
                error("not a function: %s", describe(f));
            Closure *c = (Closure *)f;
            Frame *fr = enter(c, n, args);
            /* A tail call: this invocation's frames are done (args holds values, and c->env
             * is none of them: their code makes no closures). */
            free_frames(own_top, own_base);
            own_top = own_base = c->captures ? NULL : fr;
            env = fr;
            body = c->body;
        }

        /* body...: all but the last form here, the last one by the loop */
        if (body == NIL)
            RETURN(NIL);
        for (; cdr(body) != NIL; body = cdr(body))
            eval(car(body), env);
        x = car(body);
    }
#undef RETURN
}

/* ------------------------------------------------------------------------------------------ */
/* parallel                                                                                    */

struct job {
    pthread_t thread;
    long i, k;
    Obj *f;
    Obj *result;
    int line;
};

static void *worker(void *arg)
{
    struct job *jb = arg;
    set_stack_limit(6u << 20);      /* of the 8 MiB stack that run_parallel asks for */
    cur_line = jb->line;
    Obj *r = NIL;
    for (long j = 0; j < jb->k; j++) {
        Obj *args[2] = {mk_int(jb->i), mk_int(j)};
        r = granularity == 0 ? apply_atomic(jb->f, 2, args) : apply(jb->f, 2, args);
    }
    jb->result = r;
    return NULL;
}

static Obj *parallel(long n, Obj *f, long k)
{
    if (!main_thread || stm_in_atomic())
        error("parallel: only from the main thread, outside atomic");
    if (n < 1 || n > 64)
        error("parallel: %ld threads (1 to 64)", n);
    if (tag_of(f) != T_CLOSURE && tag_of(f) != T_BUILTIN)
        error("parallel: not a function: %s", describe(f));
    struct job *jobs = calloc((size_t)n, sizeof *jobs);
    if (!jobs)
        error("out of memory");
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 8u << 20);
    for (long i = 0; i < n; i++) {
        jobs[i] = (struct job){.i = i, .k = k, .f = f, .line = cur_line};
        if (pthread_create(&jobs[i].thread, &attr, worker, &jobs[i]))
            error("parallel: cannot create a thread");
    }
    pthread_attr_destroy(&attr);
    for (long i = 0; i < n; i++)
        pthread_join(jobs[i].thread, NULL);
    Obj *results = NIL;
    for (long i = n - 1; i >= 0; i--)
        results = cons(jobs[i].result, results);
    free(jobs);
    return results;
}

/* ------------------------------------------------------------------------------------------ */
/* Builtins                                                                                    */

enum {
    B_ADD, B_SUB, B_MUL, B_QUOTIENT, B_MOD, B_LT, B_GT, B_LE, B_GE, B_NUMEQ, B_EQ, B_NOT,
    B_CONS, B_CAR, B_CDR, B_SETCAR, B_SETCDR, B_LIST, B_NULLP, B_PAIRP, B_LENGTH,
    B_MKVEC, B_VREF, B_VSET, B_VLEN, B_VGROW, B_LIST2VEC, B_FREE,
    B_STRLEN, B_STRAPPEND, B_NUM2STR, B_STR2SYM,
    B_PRINT, B_ASSERT, B_APPLY, B_PARALLEL, NBUILTINS
};

static const struct { const char *name; int min, max; } builtins[] = {   /* indexed by id */
    [B_ADD] = {"+", 0, MAXARGS}, [B_SUB] = {"-", 1, MAXARGS}, [B_MUL] = {"*", 0, MAXARGS},
    [B_QUOTIENT] = {"quotient", 2, 2}, [B_MOD] = {"mod", 2, 2},
    [B_LT] = {"<", 2, 2}, [B_GT] = {">", 2, 2}, [B_LE] = {"<=", 2, 2}, [B_GE] = {">=", 2, 2},
    [B_NUMEQ] = {"=", 2, 2}, [B_EQ] = {"eq?", 2, 2}, [B_NOT] = {"not", 1, 1},
    [B_CONS] = {"cons", 2, 2}, [B_CAR] = {"car", 1, 1}, [B_CDR] = {"cdr", 1, 1},
    [B_SETCAR] = {"set-car!", 2, 2}, [B_SETCDR] = {"set-cdr!", 2, 2},
    [B_LIST] = {"list", 0, MAXARGS}, [B_NULLP] = {"null?", 1, 1}, [B_PAIRP] = {"pair?", 1, 1},
    [B_LENGTH] = {"length", 1, 1}, [B_MKVEC] = {"make-vector", 2, 2},
    [B_VREF] = {"vector-ref", 2, 2}, [B_VSET] = {"vector-set!", 3, 3},
    [B_VLEN] = {"vector-length", 1, 1}, [B_VGROW] = {"vector-grow!", 2, 2},
    [B_LIST2VEC] = {"list->vector", 1, 1}, [B_FREE] = {"free!", 1, 1},
    [B_STRLEN] = {"string-length", 1, 1}, [B_STRAPPEND] = {"string-append", 2, 2},
    [B_NUM2STR] = {"number->string", 1, 1}, [B_STR2SYM] = {"string->symbol", 1, 1},
    [B_PRINT] = {"print", 0, MAXARGS}, [B_ASSERT] = {"assert", 1, MAXARGS},
    [B_APPLY] = {"apply", 2, 2}, [B_PARALLEL] = {"parallel", 3, 3},
};

static long index_in(Obj *i, long len, const char *who)
{
    long k = int_of(i, who);
    if (k < 0 || k >= len)
        error("%s: index %ld out of range [0, %ld)", who, k, len);
    return k;
}

static Obj *arith(int id, int n, Obj **a)
{
    long r = id == B_MUL, v;       /* (- x) is 0 - x; (- x y ...) starts from 0 + x */
    for (int i = 0; i < n; i++) {
        v = int_of(a[i], builtins[id].name);
        bool ovf;
        if (id == B_ADD || (id == B_SUB && i == 0 && n > 1))
            ovf = __builtin_add_overflow(r, v, &r);
        else if (id == B_SUB)
            ovf = __builtin_sub_overflow(r, v, &r);
        else
            ovf = __builtin_mul_overflow(r, v, &r);
        if (ovf)
            error("integer overflow");
    }
    return mk_int(r);
}

static Obj *compare(int id, Obj **a)
{
    long x = int_of(a[0], builtins[id].name), y = int_of(a[1], builtins[id].name);
    bool r = id == B_LT ? x < y : id == B_GT ? x > y : id == B_LE ? x <= y : id == B_GE ? x >= y : x == y;
    return r ? TRUE : NIL;
}

static Obj *builtin_body(int id, int n, Obj **a)
{
    switch (id) {
    case B_ADD: case B_SUB: case B_MUL:
        return arith(id, n, a);
    case B_QUOTIENT: case B_MOD: {
        long x = int_of(a[0], builtins[id].name), y = int_of(a[1], builtins[id].name);
        if (!y)
            error("%s: division by zero", builtins[id].name);
        if (id == B_QUOTIENT)
            return mk_int(x / y);           /* fixnums: no LONG_MIN / -1 */
        long m = x % y;
        return mk_int(m != 0 && (m < 0) != (y < 0) ? m + y : m);   /* the sign of y */
    }
    case B_LT: case B_GT: case B_LE: case B_GE: case B_NUMEQ:
        return compare(id, a);
    case B_EQ: return a[0] == a[1] ? TRUE : NIL;        /* fixnums are values: eq? compares them */
    case B_NOT: case B_NULLP: return a[0] == NIL ? TRUE : NIL;
    case B_CONS: return cons(a[0], a[1]);
    case B_CAR: return car(a[0]);
    case B_CDR: return cdr(a[0]);
    case B_SETCAR: case B_SETCDR:
        if (!is_pair(a[0]))
            error("%s: not a pair: %s", builtins[id].name, describe(a[0]));
        if (id == B_SETCAR)
            ((Pair *)a[0])->car = a[1];
        else
            ((Pair *)a[0])->cdr = a[1];
        return a[1];
    case B_LIST: {
        Obj *r = NIL;
        for (int i = n - 1; i >= 0; i--)
            r = cons(a[i], r);
        return r;
    }
    case B_PAIRP: return is_pair(a[0]) ? TRUE : NIL;
    case B_LENGTH:
        if (tag_of(a[0]) == T_VEC)
            return mk_int(((Vec *)a[0])->len);
        if (tag_of(a[0]) == T_STR)
            return mk_int(((Str *)a[0])->len);
        return mk_int(list_length(a[0]));
    case B_MKVEC: {
        long len = int_of(a[0], "make-vector");
        if (len < 0 || len > 10000000)
            error("make-vector: bad length %ld", len);
        return (Obj *)mk_vec(len, a[1]);
    }
    case B_VREF: {
        Vec *v = as_vec(a[0], "vector-ref");
        return v->items[index_in(a[1], v->len, "vector-ref")];
    }
    case B_VSET: {
        Vec *v = as_vec(a[0], "vector-set!");
        v->items[index_in(a[1], v->len, "vector-set!")] = a[2];
        return a[2];
    }
    case B_VLEN: return mk_int(as_vec(a[0], "vector-length")->len);
    case B_VGROW: {                     /* (vector-grow! v n): n >= length, new slots nil */
        Vec *v = as_vec(a[0], "vector-grow!");
        long old = v->len, len = int_of(a[1], "vector-grow!");
        if (len < old || len > 10000000)
            error("vector-grow!: bad length %ld", len);
        Obj *STM_HEAP *items = stm_realloc(v->items, sizeof(Obj *) * (size_t)(len ? len : 1));
        for (long i = old; i < len; i++)
            items[i] = NIL;
        v->items = items;
        v->len = len;
        return a[0];
    }
    case B_LIST2VEC: {
        long len = list_length(a[0]);
        Vec *v = mk_vec(len, NIL);
        Obj *l = a[0];
        for (long i = 0; i < len; i++, l = ((Pair *)l)->cdr)
            v->items[i] = ((Pair *)l)->car;
        return (Obj *)v;
    }
    case B_FREE: {                      /* a vector, a string, or the pairs of a list */
        Obj *x = a[0];
        if (tag_of(x) == T_VEC) {
            stm_free(((Vec *)x)->items);
            stm_free(x);
        } else if (tag_of(x) == T_STR) {
            stm_free(((Str *)x)->chars);
            stm_free(x);
        } else if (is_pair(x)) {
            while (is_pair(x)) {
                Obj *next = ((Pair *)x)->cdr;
                stm_free(x);
                x = next;
            }
        } else if (x != NIL) {
            error("free!: not a vector, string or list: %s", describe(x));
        }
        return NIL;
    }
    case B_STRLEN: return mk_int(as_str(a[0], "string-length")->len);
    case B_STRAPPEND: {
        Str *x = as_str(a[0], "string-append"), *y = as_str(a[1], "string-append");
        long lx = x->len, ly = y->len;
        char STM_HEAP *chars = stm_alloc((size_t)(lx + ly) + 1);
        memcpy(chars, x->chars, (size_t)lx);     /* heap to heap */
        memcpy(chars + lx, y->chars, (size_t)ly);
        Str *s = stm_alloc(sizeof *s);
        s->tag = T_STR;
        s->len = lx + ly;
        s->chars = chars;
        return (Obj *)s;
    }
    case B_NUM2STR: {
        char tmp[32];
        int len = snprintf(tmp, sizeof tmp, "%ld", int_of(a[0], "number->string"));
        return mk_str(tmp, len);
    }
    case B_STR2SYM: {                   /* interns: shared with every thread (see intern) */
        Str *s = as_str(a[0], "string->symbol");
        char tmp[256];
        if (s->len < 1 || s->len > 255)
            error("string->symbol: a name of %ld characters", s->len);
        memcpy(tmp, s->chars, (size_t)s->len);
        return (Obj *)intern(tmp, (int)s->len);
    }
    case B_PRINT: {                     /* (print x ...): displayed, separated by spaces */
        buf_t o = {0};
        puts_(&o, "");
        for (int i = 0; i < n; i++) {
            if (i)
                puts_(&o, " ");
            show(&o, a[i], true, PRINT_MAX);
        }
        if (o.len > PRINT_MAX)
            error("print: more than %d characters (a circular list?)", PRINT_MAX);
        puts_(&o, "\n");
        fputs(o.s, stdout);             /* in an atomic block: inevitable first */
        free(o.s);
        return n ? a[n - 1] : NIL;
    }
    case B_ASSERT:                      /* (assert test message ...) */
        if (a[0] == NIL) {
            buf_t o = {0};
            puts_(&o, "assertion failed");
            for (int i = 1; i < n; i++) {
                puts_(&o, i == 1 ? ": " : " ");
                show(&o, a[i], true, 1000);
            }
            error("%s", o.s);
        }
        return TRUE;
    case B_APPLY: {                     /* (apply f list) */
        Obj *args[MAXARGS];
        int k = 0;
        for (Obj *l = a[1]; l != NIL; l = cdr(l)) {
            if (k == MAXARGS)
                error("apply: more than %d arguments", MAXARGS);
            args[k++] = car(l);
        }
        return apply(a[0], k, args);
    }
    case B_PARALLEL:
        return parallel(int_of(a[0], "parallel"), a[1], int_of(a[2], "parallel"));
    }
    error("unknown builtin %d", id);
}

static Obj *call_builtin(Builtin *b, int n, Obj **args)
{
    int id = b->id;
    if (n < builtins[id].min || n > builtins[id].max)
        error("%s: %d arguments", builtins[id].name, n);
    if (granularity == 1 && id != B_PRINT && id != B_APPLY && id != B_PARALLEL)
        return builtin_atomic(id, n, args);
    return builtin_body(id, n, args);
}

/* ------------------------------------------------------------------------------------------ */
/* Start-up                                                                                    */

static void init(void)
{
    NIL = stm_alloc(sizeof(struct obj));
    NIL->tag = T_NIL;
    symtab = stm_alloc(sizeof *symtab);
    symtab->nbuckets = 64;
    symtab->buckets = stm_alloc(sizeof(Sym *) * 64);
    S_quote = intern_c("quote");
    S_if = intern_c("if");
    S_cond = intern_c("cond");
    S_else = intern_c("else");
    S_define = intern_c("define");
    S_set = intern_c("set!");
    S_lambda = intern_c("lambda");
    S_let = intern_c("let");
    S_begin = intern_c("begin");
    S_while = intern_c("while");
    S_and = intern_c("and");
    S_or = intern_c("or");
    S_atomic = intern_c("atomic");
    Sym *t = intern_c("t");
    TRUE = (Obj *)t;
    t->value = TRUE;
    for (int i = 0; i < NBUILTINS; i++) {
        Sym *s = intern_c(builtins[i].name);
        Builtin *b = stm_alloc(sizeof *b);
        b->tag = T_BUILTIN;
        b->id = (int)i;
        b->name = s;
        s->value = (Obj *)b;
    }
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf_t o = {0};
    char chunk[4096];
    size_t n;
    puts_(&o, "");
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        put(&o, chunk, n);
    bool bad = ferror(f) || memchr(o.s, 0, o.len);
    fclose(f);
    if (bad) {
        free(o.s);
        errno = 0;
        return NULL;
    }
    return o.s;
}

static void usage(FILE *out)
{
    fprintf(out,
        "usage: lisp [--threads N] [--granularity 0|1|2] [--size N] FILE.lisp\n"
        "  --threads N        bound to NT (1 to 64; default 1)\n"
        "  --granularity G    which code that parallel runs is made of atomic blocks:\n"
        "                     0 each call (f i j) (default), 1 each builtin call and set!/define,\n"
        "                     2 only (atomic ...)\n"
        "  --size N           bound to SIZE (default nil)\n"
        "special forms: quote if cond define set! lambda let begin while and or atomic\n"
        "builtins:");
    for (int i = 0; i < NBUILTINS; i++)
        fprintf(out, " %s", builtins[i].name);
    fprintf(out, "\n");
}

static long option_value(const char *opt, const char *arg, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = arg ? strtol(arg, &end, 10) : 0;
    if (!arg || !*arg || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "lisp: %s needs an integer from %ld to %ld\n", opt, lo, hi);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long threads = 1, size = -1;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--threads")) {
            threads = option_value(a, ++i < argc ? argv[i] : NULL, 1, 64);
        } else if (!strcmp(a, "--granularity")) {
            granularity = (int)option_value(a, ++i < argc ? argv[i] : NULL, 0, 2);
        } else if (!strcmp(a, "--size")) {
            size = option_value(a, ++i < argc ? argv[i] : NULL, 0, FIX_MAX);
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "lisp: unknown option %s\n", a);
            usage(stderr);
            return 2;
        } else if (file) {
            fprintf(stderr, "lisp: one program file only (%s, %s)\n", file, a);
            return 2;
        } else {
            file = a;
        }
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    char *src = read_file(file);
    if (!src) {
        fprintf(stderr, "lisp: cannot read %s%s%s\n", file, errno ? ": " : "",
                errno ? strerror(errno) : " (not a text file)");
        return 2;
    }
    program_file = file;
    main_thread = true;
    struct rlimit rl;               /* the main thread's stack: its limit, less 2 MiB */
    size_t budget = 6u << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (8u << 20))
        budget = rl.rlim_cur > (3u << 20) ? rl.rlim_cur - (2u << 20) : rl.rlim_cur / 2;
    set_stack_limit(budget);

    init();
    intern_c("NT")->value = mk_int(threads);
    intern_c("SIZE")->value = size < 0 ? NIL : mk_int(size);
    reader_t rd = {src, 0, 1};
    for (;;) {                      /* read a form, evaluate it: in the implicit transaction */
        Obj *form = read_form(&rd);
        if (!form)
            break;
        eval(form, NULL);
    }
    free(src);
    return 0;
}
