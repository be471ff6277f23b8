#!/usr/bin/env python3
"""Writes an interpreter-style C function for measuring the plugin's compile time on code
dense in heap accesses: one loop around a switch of N cases, each of ~12 heap accesses.

    python3 examples/bench/gen_eval.py 200 > /tmp/eval200.c
    time build/bin/stmcc -O2 -c /tmp/eval200.c -o /dev/null
    time build/bin/stmcc --no-stm -O2 -c /tmp/eval200.c -o /dev/null
"""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    out = ['#include <stmc.h>',
           'typedef STM_HEAP struct obj { long tag; long v[8]; STM_HEAP struct obj *next; } obj_t;',
           'typedef STM_HEAP struct frame {',
           '    obj_t *stack[64];',
           '    long sp, pc;',
           '    const unsigned *code;',
           '} frame_t;',
           '',
           'long eval(frame_t *f)',
           '{',
           '    long acc = 0;',
           '    for (;;) {',
           '        switch (f->code[f->pc++]) {']
    for i in range(n):
        out += ['        case %d: {' % i,
                '            obj_t *a = f->stack[f->sp - 1], *b = a->next;',
                '            if (b && b->tag == %d) {' % (i % 7),
                '                a->v[%d] += b->v[%d];' % (i % 8, (i * 3) % 8),
                '                f->stack[f->sp++] = b;',
                '            } else {',
                '                acc += a->v[%d];' % ((i * 5) % 8),
                '                f->sp--;',
                '            }',
                '            break;',
                '        }']
    out += ['        default:', '            return acc;', '        }', '    }', '}']
    print('\n'.join(out))


if __name__ == '__main__':
    main()
