; duhton's trees (examples/trees.c in C): a shared binary tree, built once, walked read-only
; by many transactions that never conflict.  A node is a vector #(key left right); keys are
; 0 .. NODES-1.  Walk w sums (key + w mod 7) over the tree, so the expected sum of walk w is
; NODES*(NODES-1)/2 + (w mod 7)*NODES; a wrong sum is counted in `bad` (an atomic update).
; Usage: lisp [--threads N] [--granularity G] [--size WALKS] trees.lisp

(define WALKS (or SIZE 200))
(define DEPTH 7)                        ; 2^8 - 1 = 255 nodes

(define next-key 0)
(define (build depth)
  (let ((node (make-vector 3 nil)))
    (vector-set! node 0 next-key)
    (set! next-key (+ next-key 1))
    (if (> depth 0)
        (begin (vector-set! node 1 (build (- depth 1)))
               (vector-set! node 2 (build (- depth 1)))))
    node))
(define tree (build DEPTH))
(define NODES next-key)

(define (walk node salt)                ; recursion on both children
  (if (null? node)
      0
      (+ (vector-ref node 0) salt
         (walk (vector-ref node 1) salt)
         (walk (vector-ref node 2) salt))))

(define (expected w) (+ (quotient (* NODES (- NODES 1)) 2) (* (mod w 7) NODES)))
(define bad 0)
(define per-thread (quotient (+ WALKS NT -1) NT))

(parallel NT
  (lambda (i j)
    (let ((w (+ (* i per-thread) j)))
      (if (< w WALKS)
          (if (not (= (walk tree (mod w 7)) (expected w)))
              (atomic (set! bad (+ bad 1)))))))
  per-thread)

(print "nodes:" NODES "walks:" WALKS "bad walks:" bad "sum of walk 0:" (walk tree 0))
(assert (= bad 0) bad "walks saw a wrong sum")
(print "check: ok")
