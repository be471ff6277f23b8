; duhton's many_square_roots (examples/square_roots.c in C): floor(sqrt n) of the numbers
; n = 10^9 + k * 10^5, k < COUNT, each by the seed's linear search, about 31,600 steps of
; arithmetic around a few heap accesses.  The threads take equal ranges of k (ranges, not
; every NT-th k: neighbouring slots of `roots` share a conflict granule).  With
; --granularity 0 each (parallel) call is one transaction: the roots are computed in parallel.
; Usage: lisp [--threads N] [--granularity G] [--size COUNT] square_roots.lisp

(define COUNT (or SIZE 12))
(define (number k) (+ 1000000000 (* k 100000)))

(define (isqrt n)
  (let ((i 0))
    (while (<= (* (+ i 1) (+ i 1)) n)
      (set! i (+ i 1)))
    i))

(define roots (make-vector COUNT 0))
(define per-thread (quotient (+ COUNT NT -1) NT))

; thread i, call j: the root of number (i * per-thread + j), if there is one
(parallel NT
  (lambda (i j)
    (let ((k (+ (* i per-thread) j)))
      (if (< k COUNT)
          (vector-set! roots k (isqrt (number k))))))
  per-thread)

; check every root, serially
(define (root-ok? r n) (and (<= (* r r) n) (> (* (+ r 1) (+ r 1)) n)))
(define sum 0)
(define k 0)
(while (< k COUNT)
  (assert (root-ok? (vector-ref roots k) (number k)) "wrong root of" (number k))
  (set! sum (+ sum (vector-ref roots k)))
  (set! k (+ k 1)))
(print "roots:" COUNT "first:" (vector-ref roots 0) "last:" (vector-ref roots (- COUNT 1)) "sum:" sum)
(print "check: ok")
