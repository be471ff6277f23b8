; A bank with conflicts (examples/bank.c in C).  OPS operations, split among the threads:
; operation k is an audit when k mod 8 = 0 (one transaction reads every account: the total
; must be intact) and otherwise a transfer of (k mod 50) + 1 from account 7k mod ACCOUNTS to
; account 13k + 1 mod ACCOUNTS.  Each operation also counts itself in `done`, one variable
; that every transaction writes: concurrent transactions conflict, and all but one are rolled
; back and run again.  Transfers commute, so the final balances do not depend on the order:
; they are checked against a serial replay.
; Usage: lisp [--threads N] [--granularity G] [--size OPS] bank.lisp

(define OPS (or SIZE 2000))
(define ACCOUNTS 10)
(define INITIAL 1000)
(define accounts (make-vector ACCOUNTS INITIAL))
(define done 0)
(define audits 0)

(define (total v)
  (let ((sum 0) (i 0))
    (while (< i (vector-length v))
      (set! sum (+ sum (vector-ref v i)))
      (set! i (+ i 1)))
    sum))

(define (transfer! v k)
  (let ((from (mod (* k 7) ACCOUNTS)) (to (mod (+ (* k 13) 1) ACCOUNTS)) (amount (+ (mod k 50) 1)))
    (vector-set! v from (- (vector-ref v from) amount))
    (vector-set! v to (+ (vector-ref v to) amount))))

(define (audit? k) (= (mod k 8) 0))

(define (operation k)
  (atomic
    (if (audit? k)
        (begin (assert (= (total accounts) (* ACCOUNTS INITIAL)) "audit: the total changed")
               (set! audits (+ audits 1)))
        (transfer! accounts k))
    (set! done (+ done 1))))

(define per-thread (quotient (+ OPS NT -1) NT))
(parallel NT
  (lambda (i j)
    (let ((k (+ (* i per-thread) j)))
      (if (< k OPS) (operation k))))
  per-thread)

; the same transfers, serially
(define expected (make-vector ACCOUNTS INITIAL))
(define k 0)
(while (< k OPS)
  (if (not (audit? k)) (transfer! expected k))
  (set! k (+ k 1)))

(print "operations:" done "audits:" audits "total:" (total accounts))
(print "accounts:" accounts)
(assert (= done OPS) "operations lost")
(set! k 0)
(while (< k ACCOUNTS)
  (assert (= (vector-ref accounts k) (vector-ref expected k)) "account" k)
  (set! k (+ k 1)))
(print "check: ok")
