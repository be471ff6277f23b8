// STM_IMMUTABLE stores call _stm_write_immutable.  With STM_DEBUG=1 the runtime checks that
// the object was allocated by the running transaction: (a) initialisation in the allocating
// transaction passes (atomic block, many objects initialised after all were allocated, and an
// implicit transaction outside atomic blocks); (b) a write in a later transaction, or to an
// older object next to a fresh one, prints the site and aborts; (c) without STM_DEBUG the same
// write is not checked and runs.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %stmcc -O0 %s -o %t.O0
// RUN: env STM_DEBUG=1 %run %t init | FileCheck --check-prefix=INIT %s
// RUN: env STM_DEBUG=1 %run %t.O0 init | FileCheck --check-prefix=INIT %s
// RUN: env STM_DEBUG=1 not --crash %run %t late 2>&1 | FileCheck --check-prefix=LATE %s
// RUN: env STM_DEBUG=1 not --crash %run %t.O0 late 2>&1 | FileCheck --check-prefix=LATE %s
// RUN: env STM_DEBUG=1 not --crash %run %t other 2>&1 | FileCheck --check-prefix=OTHER %s
// RUN: %run %t late | FileCheck --check-prefix=UNCHECKED %s
// RUN: %run %t other | FileCheck --check-prefix=UNCHECKED %s
// INIT: init ok 3000 499333500 5
// LATE-NOT: late write done
// UNCHECKED: late write done 8
#include <stmc.h>
#include <stdio.h>
#include <string.h>

typedef struct obj {
  long id STM_IMMUTABLE;
  long val;
} obj_t;

#define N 3000
static obj_t STM_HEAP *objs[N];
static obj_t STM_HEAP *g;

static void setup(void) {
  STM_ATOMIC {
    obj_t STM_HEAP *o = stm_alloc(sizeof *o);
    o->id = 7;
    o->val = 1;
    g = o;
  }
  STM_ATOMIC { g->val = 2; } // a mutable field: never checked
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "init";
  // An implicit transaction (outside atomic blocks) that allocates and initialises.
  obj_t STM_HEAP *solo = stm_alloc(sizeof *solo);
  solo->id = 5;
  setup();
  if (!strcmp(mode, "init")) {
    long sum = 0;
    STM_ATOMIC {
      for (int i = 0; i < N; i++)
        objs[i] = stm_alloc(sizeof(obj_t));
      for (int i = 0; i < N; i++)
        objs[i]->id = i * 111;
    }
    for (int i = 0; i < N; i++)
      sum += objs[i]->id;
    printf("init ok %d %ld %ld\n", N, sum, solo->id);
    return 0;
  }
  if (!strcmp(mode, "late")) {
    STM_ATOMIC {
// LATE: stmc: write to an STM_IMMUTABLE field at {{.*}}immutable_debug.c:[[#@LINE+1]] of an object not allocated in this transaction (8 bytes at heap offset 0x{{[0-9a-f]+}}); hint:
      g->id = 8;
    }
  } else {
    STM_ATOMIC {
      obj_t STM_HEAP *n = stm_alloc(sizeof *n);
      n->id = 1;
// OTHER: stmc: write to an STM_IMMUTABLE field at {{.*}}immutable_debug.c:[[#@LINE+1]] of an object not allocated
      g->id = 8;
      g->val = n->id;
    }
  }
  printf("late write done %ld\n", g->id);
  return 0;
}
