; The interpreter's other features for test/e2e/example_lisp.test: every result is checked
; here, and the output does not depend on the thread count or the granularity.

; closures that keep their frames (a counter generator), apply, set-car!
(define (make-counter)
  (let ((n 0))
    (lambda () (set! n (+ n 1)) n)))
(define c1 (make-counter))
(define c2 (make-counter))
(c1) (c1) (c2)
(assert (= (c1) 3) "counter 1")
(assert (= (c2) 2) "counter 2")
(assert (= (apply + (list 1 2 3 4)) 10) "apply")
(define p (list 1 2 3))
(set-car! (cdr p) 20)
(assert (= (apply + p) 24) "set-car!")
(print "closures:" (c1) (c2) p)

; deep tail recursion runs in constant space (its frames are freed as it goes)
(define (count-down n acc) (if (= n 0) acc (count-down (- n 1) (+ acc 1))))
(assert (= (count-down 100000 0) 100000) "tail calls")
(print "tail calls:" (count-down 100000 0))

; integers: fixnums, floor mod, quotient
(assert (= (mod -7 3) 2) "mod") (assert (= (mod 7 -3) -2) "mod")
(assert (= (quotient -7 2) -3) "quotient")
(print "integers:" (* 2147483647 2147483647) (mod -7 3) (quotient -7 2) (- 5))

; symbols interned by all threads at once: one symbol per name
(define names (make-vector 40 nil))
(parallel NT
  (lambda (i j)
    (let ((s (string->symbol (string-append "sym-" (number->string (mod (+ i j) 40))))))
      (atomic
        (if (null? (vector-ref names (mod (+ i j) 40)))
            (vector-set! names (mod (+ i j) 40) s)
            (assert (eq? s (vector-ref names (mod (+ i j) 40))) "two symbols of one name")))))
  60)
(define k 0)
(while (< k 40)
  (assert (eq? (vector-ref names k) (string->symbol (string-append "sym-" (number->string k))))
          "symbol" k)
  (set! k (+ k 1)))
(print "symbols:" (vector-ref names 0) (vector-ref names 39))

; a shared stack whose vector grows (stm_realloc) while threads push
(define stack (make-vector 1 0))
(define sp 0)
(define PUSHES 300)
(define per-thread (quotient (+ PUSHES NT -1) NT))
(parallel NT
  (lambda (i j)
    (if (< (+ (* i per-thread) j) PUSHES)
        (atomic
          (if (= sp (vector-length stack)) (vector-grow! stack (* 2 sp)))
          (vector-set! stack sp (+ (* i per-thread) j))
          (set! sp (+ sp 1)))))
  per-thread)
(define total 0)
(set! k 0)
(while (< k sp) (set! total (+ total (vector-ref stack k))) (set! k (+ k 1)))
(assert (= total (quotient (* PUSHES (- PUSHES 1)) 2)) "stack total")
(print "stack:" sp (vector-length stack) total)

; strings
(define s (string-append "abc" (number->string -42)))
(assert (= (string-length s) 6) "string-length")
(print "strings:" s (list s) (length (list->vector (list 1 2 3))))
(print "check: ok")
