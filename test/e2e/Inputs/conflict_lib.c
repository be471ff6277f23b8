/* The block of e2e/conflict_report.c's "dlclose" mode: a library's block whose commit the
 * main program's block conflicts with, unloaded before the report. */
#include <stmc.h>

void lib_add100(long STM_HEAP *n)
{
    STM_ATOMIC {
        *n += 100;
    }
}
