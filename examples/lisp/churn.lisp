; Allocation churn, lists built and dropped as a garbage collector would see them (there is
; no collector here: free! returns a list's pairs to stmc's allocator).
; SLOTS shared lists of LEN numbers.  Update u (of UPDATES, split among the threads) replaces
; the list of slot u mod SLOTS by a new one whose numbers are one more, and frees the old
; one, in one transaction: every list always holds LEN equal numbers, and at the end slot s
; holds its number of updates.  A list that another thread may free is read only inside
; (atomic ...): the free takes effect when the transaction commits, and stmc reuses the
; memory only after every transaction that could still see the list has ended.
; Each update also builds, sums and frees a private list of 10 to 49 squares.
; Usage: lisp [--threads N] [--granularity G] [--size UPDATES] churn.lisp

(define UPDATES (or SIZE 403))
(define SLOTS 8)
(define LEN 20)

(define (repeat n x)
  (let ((l nil))
    (while (> n 0) (set! l (cons x l)) (set! n (- n 1)))
    l))

(define (incremented l)                 ; a new list, each number + 1
  (let ((r nil))
    (while (pair? l) (set! r (cons (+ (car l) 1) r)) (set! l (cdr l)))
    r))

(define (all-equal? l x)
  (cond ((null? l) t)
        ((= (car l) x) (all-equal? (cdr l) x))
        (else nil)))

(define (squares n)                     ; (0 1 4 ... (n-1)^2)
  (let ((l nil))
    (while (> n 0) (set! n (- n 1)) (set! l (cons (* n n) l)))
    l))

(define (sum l)
  (let ((s 0))
    (while (pair? l) (set! s (+ s (car l))) (set! l (cdr l)))
    s))

(define slots (make-vector SLOTS nil))
(define s 0)
(while (< s SLOTS) (vector-set! slots s (repeat LEN 0)) (set! s (+ s 1)))

(define (update! u)
  (atomic
    (let ((old (vector-ref slots (mod u SLOTS))))
      (assert (= (length old) LEN) "a list lost its pairs")
      (assert (all-equal? old (car old)) "a list changed under a reader")
      (vector-set! slots (mod u SLOTS) (incremented old))
      (free! old)))
  (let ((n (+ 10 (mod u 40))))
    (let ((l (squares n)))
      (assert (= (sum l) (quotient (* (- n 1) n (- (* 2 n) 1)) 6)) "sum of squares")
      (free! l))))

(define per-thread (quotient (+ UPDATES NT -1) NT))
(parallel NT
  (lambda (i j)
    (let ((u (+ (* i per-thread) j)))
      (if (< u UPDATES) (update! u))))
  per-thread)

(define counts nil)
(set! s (- SLOTS 1))
(while (>= s 0)
  (let ((l (vector-ref slots s)))
    (assert (= (length l) LEN) "slot" s "length")
    (assert (all-equal? l (car l)) "slot" s "not uniform")
    (assert (= (car l) (+ (quotient UPDATES SLOTS) (if (< s (mod UPDATES SLOTS)) 1 0))) "slot" s "updates")
    (set! counts (cons (car l) counts)))
  (set! s (- s 1)))
(print "updates:" UPDATES "per slot:" counts)
(print "check: ok")
