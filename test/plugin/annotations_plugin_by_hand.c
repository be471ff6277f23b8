// With the plugin loaded by hand (clang -fplugin= -fpass-plugin=, as stmcc --print-plugin and
// the CMake package offer), STM_EXTERNAL and STM_IMMUTABLE take effect as under stmcc: the
// external call makes the block inevitable (_stm_external_enter) and the immutable field's
// store calls _stm_write_immutable.  Before, stmc.h made the annotations empty unless stmcc's
// -D__STMC_PLUGIN__ was given: the call was a plain one, and a retried block repeated its
// I/O (found by a review helper).
// RUN: %clang -O2 -I%stmc_include -fplugin=%stmc_plugin -fpass-plugin=%stmc_plugin -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s
// CHECK-LABEL: define {{.*}}@use(
// CHECK: call void @_stm_write_immutable(
// CHECK: call void @_stm_external_enter(
// CHECK-NEXT: call void @legacy_log(
#include <stmc.h>

typedef STM_HEAP struct node {
    STM_IMMUTABLE long id;
    long v;
} node_t;

STM_EXTERNAL void legacy_log(long v);

long use(node_t *n)
{
    node_t *m = stm_alloc(sizeof *m);
    STM_ATOMIC {
        m->id = 5;
        legacy_log(n->v);
    }
    return m->id;
}
