;; Float32 matrix products of an analog tile's reads, WebAssembly SIMD (128-bit). The caller (gemm.ts) places the
;; operands in this module's memory; all pointers are byte offsets, all matrices row-major float32.
;;
;; Every output is summed in one fixed order, whatever the batch size, the sample's place in it or the blocking, so
;; a batch reads each row exactly as a batch of one does:
;;   forward  y[b][i] = Σ_j w[i][j]·x[b][j]: four lanes, lane l over the columns j ≡ l (mod 4) below n − n mod 4 in
;;            increasing j, then (l0 + l1) + (l2 + l3), then the last n mod 4 columns one by one;
;;   backward z[b][j] = Σ_i d[b][i]·w[i][j]: one sum from 0 over i in increasing order.
;; Each product and each sum is rounded to float32 (no fused multiply-add). Terms with a zero input are skipped,
;; which changes no result: adding ±0 leaves a float unchanged, and a sum that starts at +0 never becomes −0.
;;
;; The IO steps around the products (noise management, the DAC, the ADC and the bounds) are float64 and give the
;; bits of the JavaScript copy in products.ts: the same operations in the same order, and Math.round's rounding
;; (ties toward +∞, −0 for −0.5 ≤ t < 0) written out below.
(module
  (memory (export "memory") 1)

;; Math.round(t) is written out where it is used (a call per value costs more than the rounding), without a
  ;; branch (V8 compiles a float select to one, mispredicted half the time here):
  ;;   f = floor(t); r = f + (t − f ≥ 0.5, as 0 or 1); result = r with the sign of t.
  ;; t − f is exact for t ≥ 0 and t ≤ −1, and for −1 < t < 0 it is ≥ 0.5 exactly when t ≥ −0.5; the sign gives
  ;; −0 for −0.5 ≤ t ≤ −0, as Math.round does; ties go up.

  ;; x[k] = float32(clip(quantize(v[k]·s, step), ±bound)) for k < len (v float64, zeros stay 0); returns Σ of the
  ;; float64 values squared.
  (func $quantizeRow (param $v i32) (param $len i32) (param $x i32) (param $s f64) (param $step f64) (param $bound f64) (result f64)
    (local $k i32) (local $u f64) (local $t f64) (local $f f64) (local $norm f64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $len)))
        ;; Every value takes the same path, zeros too: a branch on zero would be mispredicted at every edge of a
        ;; sparse picture. u + 0 turns −0 into +0 (and changes nothing else), so a zero input stays +0 throughout.
        (local.set $u (f64.add (f64.load (i32.add (local.get $v) (i32.shl (local.get $k) (i32.const 3)))) (f64.const 0)))
        (local.set $t (f64.mul (local.get $u) (local.get $s)))
        (if (f64.gt (local.get $step) (f64.const 0))
          (then
            (local.set $t (f64.div (local.get $t) (local.get $step)))
            (local.set $f (f64.floor (local.get $t)))
            (local.set $t (f64.mul
              (f64.copysign
                (f64.add (local.get $f) (f64.convert_i32_u (f64.ge (f64.sub (local.get $t) (local.get $f)) (f64.const 0.5))))
                (local.get $t))
              (local.get $step)))))
        (local.set $t (select (local.get $bound)
          (select (f64.neg (local.get $bound)) (local.get $t) (f64.lt (local.get $t) (f64.neg (local.get $bound))))
          (f64.gt (local.get $t) (local.get $bound))))
        (f32.store (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $t)))
        (local.set $norm (f64.add (local.get $norm) (f64.mul (local.get $t) (local.get $t))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
    (local.get $norm))

  ;; One row again at scale s (a bound-management re-read): quantizeRow, exported.
  (func (export "quantizeRow") (param $v i32) (param $len i32) (param $x i32) (param $s f64) (param $step f64) (param $bound f64) (result f64)
    (call $quantizeRow (local.get $v) (local.get $len) (local.get $x) (local.get $s) (local.get $step) (local.get $bound)))

  ;; For each of $rows rows of v (float64, $len each): m = max |v|; scale[r] = 0 for an all-zero row (its x row
  ;; zeroed), else s = 1/m with $absMax (noise management) or 1, scale[r] = s, x row = quantizeRow(v, s), norm[r] =
  ;; its Σ x².
  (func (export "quantize") (param $v i32) (param $len i32) (param $rows i32) (param $x i32) (param $scale i32) (param $norm i32)
      (param $absMax i32) (param $step f64) (param $bound f64)
    (local $r i32) (local $k i32) (local $m f64) (local $a f64) (local $s f64) (local $vr i32) (local $xr i32)
    (block $done
      (loop $rowsl
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $vr (i32.add (local.get $v) (i32.shl (i32.mul (local.get $r) (local.get $len)) (i32.const 3))))
        (local.set $xr (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $len)) (i32.const 2))))
        (local.set $m (f64.const 0))
        (local.set $k (i32.const 0))
        (block $mDone
          (loop $ml
            (br_if $mDone (i32.ge_u (local.get $k) (local.get $len)))
            (local.set $a (f64.abs (f64.load (i32.add (local.get $vr) (i32.shl (local.get $k) (i32.const 3))))))
            (if (f64.gt (local.get $a) (local.get $m)) (then (local.set $m (local.get $a))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $ml)))
        (if (f64.eq (local.get $m) (f64.const 0))
          (then
            (f64.store (i32.add (local.get $scale) (i32.shl (local.get $r) (i32.const 3))) (f64.const 0))
            (memory.fill (local.get $xr) (i32.const 0) (i32.shl (local.get $len) (i32.const 2))))
          (else
            (local.set $s (select (f64.div (f64.const 1) (local.get $m)) (f64.const 1) (local.get $absMax)))
            (f64.store (i32.add (local.get $scale) (i32.shl (local.get $r) (i32.const 3))) (local.get $s))
            (f64.store (i32.add (local.get $norm) (i32.shl (local.get $r) (i32.const 3)))
              (call $quantizeRow (local.get $vr) (local.get $len) (local.get $xr) (local.get $s) (local.get $step) (local.get $bound)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsl))))

  ;; out[k] = the ADC's and the bounds' reading of y[k] + wn·g + on·g (g: the next normals of $g, in order, each
  ;; term only when its factor is > 0), divided by s, for k < len (y float32, g and out float64). Returns 1 when
  ;; an output reached ±bound.
  (func (export "outputs") (param $y i32) (param $g i32) (param $len i32) (param $wn f64) (param $on f64) (param $step f64)
      (param $bound f64) (param $s f64) (param $out i32) (result i32)
    (local $k i32) (local $t f64) (local $f f64) (local $sat i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $len)))
        (local.set $t (f64.promote_f32 (f32.load (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 2))))))
        (if (f64.gt (local.get $wn) (f64.const 0))
          (then
            (local.set $t (f64.add (local.get $t) (f64.mul (local.get $wn) (f64.load (local.get $g)))))
            (local.set $g (i32.add (local.get $g) (i32.const 8)))))
        (if (f64.gt (local.get $on) (f64.const 0))
          (then
            (local.set $t (f64.add (local.get $t) (f64.mul (local.get $on) (f64.load (local.get $g)))))
            (local.set $g (i32.add (local.get $g) (i32.const 8)))))
        (if (f64.gt (local.get $step) (f64.const 0))
          (then
              (local.set $t (f64.div (local.get $t) (local.get $step)))
              (local.set $f (f64.floor (local.get $t)))
              (local.set $t (f64.mul
                (f64.copysign
                  (f64.add (local.get $f) (f64.convert_i32_u (f64.ge (f64.sub (local.get $t) (local.get $f)) (f64.const 0.5))))
                  (local.get $t))
                (local.get $step)))))
        (if (i32.or (f64.ge (local.get $t) (local.get $bound)) (f64.le (local.get $t) (f64.neg (local.get $bound))))
          (then
            (local.set $sat (i32.const 1))
            (local.set $t (select (local.get $bound) (f64.neg (local.get $bound)) (f64.gt (local.get $t) (f64.const 0))))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))) (f64.div (local.get $t) (local.get $s)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
    (local.get $sat))

  ;; Writes to $out the column offsets j (multiples of 4 below $n4) where any of the $rows rows of x (stride $n
  ;; floats) has a non-zero value in columns j … j+3; returns their count.
  (func $chunks (param $x i32) (param $n i32) (param $n4 i32) (param $rows i32) (param $out i32) (result i32)
    (local $j i32) (local $r i32) (local $acc v128) (local $cnt i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $j) (local.get $n4)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $r (i32.const 0))
        (loop $rowsl
          ;; |x| bits: a zero (either sign) has no bit set once the sign is cleared.
          (local.set $acc (v128.or (local.get $acc)
            (v128.and
              (v128.load (i32.add (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))) (i32.shl (local.get $j) (i32.const 2))))
              (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $rowsl (i32.lt_u (local.get $r) (local.get $rows))))
        (if (v128.any_true (local.get $acc))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $cnt) (i32.const 2))) (local.get $j))
            (local.set $cnt (i32.add (local.get $cnt) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $cols)))
    (local.get $cnt))

  ;; (l0 + l1) + (l2 + l3) of $a, then + w[j]·x[j] for j in [$n4, $n), in order ($wr, $xr: the row starts).
  (func $finish (param $a v128) (param $wr i32) (param $xr i32) (param $n4 i32) (param $n i32) (result f32)
    (local $s f32) (local $j i32)
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
      (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
    (local.set $j (local.get $n4))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $s (f32.add (local.get $s)
          (f32.mul (f32.load (i32.add (local.get $wr) (i32.shl (local.get $j) (i32.const 2))))
                   (f32.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
    (local.get $s))

  ;; Y (bs×m) = X (bs×n) · Wᵀ (W: m×n). $c: scratch for n/4 chunk offsets.
  ;; Samples in pairs (2 rows of W × 2 samples, four accumulators), over the chunks that are non-zero in either.
  (func (export "forward") (param $w i32) (param $x i32) (param $y i32) (param $m i32) (param $n i32) (param $bs i32) (param $c i32)
    (local $n4 i32) (local $b i32) (local $i i32) (local $k i32) (local $nc i32) (local $j4 i32)
    (local $x0 i32) (local $x1 i32) (local $w0 i32) (local $w1 i32) (local $y0 i32) (local $y1 i32) (local $ce i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $v0 v128) (local $v1 v128) (local $u0 v128) (local $u1 v128)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $b) (i32.const 2)) (local.get $bs)))
        (local.set $x0 (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (local.get $n)) (i32.const 2))))
        (local.set $x1 (i32.add (local.get $x0) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $y0 (i32.add (local.get $y) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 2))))
        (local.set $y1 (i32.add (local.get $y0) (i32.shl (local.get $m) (i32.const 2))))
        (local.set $nc (call $chunks (local.get $x0) (local.get $n) (local.get $n4) (i32.const 2) (local.get $c)))
        (local.set $ce (i32.add (local.get $c) (i32.shl (local.get $nc) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
            (local.set $w0 (i32.add (local.get $w) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
            (local.set $w1 (i32.add (local.get $w0) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $a00 (v128.const i32x4 0 0 0 0))
            (local.set $a01 (v128.const i32x4 0 0 0 0))
            (local.set $a10 (v128.const i32x4 0 0 0 0))
            (local.set $a11 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $c))
            (block $kDone
              (loop $kl
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $ce)))
                (local.set $j4 (i32.shl (i32.load (local.get $k)) (i32.const 2)))
                (local.set $v0 (v128.load (i32.add (local.get $w0) (local.get $j4))))
                (local.set $v1 (v128.load (i32.add (local.get $w1) (local.get $j4))))
                (local.set $u0 (v128.load (i32.add (local.get $x0) (local.get $j4))))
                (local.set $u1 (v128.load (i32.add (local.get $x1) (local.get $j4))))
                (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $v0) (local.get $u0))))
                (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $v0) (local.get $u1))))
                (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $v1) (local.get $u0))))
                (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $v1) (local.get $u1))))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $kl)))
            (f32.store (i32.add (local.get $y0) (i32.shl (local.get $i) (i32.const 2)))
              (call $finish (local.get $a00) (local.get $w0) (local.get $x0) (local.get $n4) (local.get $n)))
            (f32.store (i32.add (local.get $y1) (i32.shl (local.get $i) (i32.const 2)))
              (call $finish (local.get $a01) (local.get $w0) (local.get $x1) (local.get $n4) (local.get $n)))
            (f32.store (i32.add (local.get $y0) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))
              (call $finish (local.get $a10) (local.get $w1) (local.get $x0) (local.get $n4) (local.get $n)))
            (f32.store (i32.add (local.get $y1) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))
              (call $finish (local.get $a11) (local.get $w1) (local.get $x1) (local.get $n4) (local.get $n)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $rows)))
        ;; The last row of an odd m: 1 row × 2 samples.
        (if (i32.lt_u (local.get $i) (local.get $m))
          (then
            (local.set $w0 (i32.add (local.get $w) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
            (local.set $a00 (v128.const i32x4 0 0 0 0))
            (local.set $a01 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $c))
            (block $kDone
              (loop $kl
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $ce)))
                (local.set $j4 (i32.shl (i32.load (local.get $k)) (i32.const 2)))
                (local.set $v0 (v128.load (i32.add (local.get $w0) (local.get $j4))))
                (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $x0) (local.get $j4))))))
                (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $x1) (local.get $j4))))))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $kl)))
            (f32.store (i32.add (local.get $y0) (i32.shl (local.get $i) (i32.const 2)))
              (call $finish (local.get $a00) (local.get $w0) (local.get $x0) (local.get $n4) (local.get $n)))
            (f32.store (i32.add (local.get $y1) (i32.shl (local.get $i) (i32.const 2)))
              (call $finish (local.get $a01) (local.get $w0) (local.get $x1) (local.get $n4) (local.get $n)))))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br $pairs)))
    ;; The last sample of an odd batch: 2 rows × 1 sample, then the last row.
    (if (i32.lt_u (local.get $b) (local.get $bs))
      (then
        (local.set $x0 (i32.add (local.get $x) (i32.shl (i32.mul (local.get $b) (local.get $n)) (i32.const 2))))
        (local.set $y0 (i32.add (local.get $y) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 2))))
        (local.set $nc (call $chunks (local.get $x0) (local.get $n) (local.get $n4) (i32.const 1) (local.get $c)))
        (local.set $ce (i32.add (local.get $c) (i32.shl (local.get $nc) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
            (local.set $w0 (i32.add (local.get $w) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
            (local.set $w1 (i32.add (local.get $w0) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $a00 (v128.const i32x4 0 0 0 0))
            (local.set $a10 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $c))
            (block $kDone
              (loop $kl
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $ce)))
                (local.set $j4 (i32.shl (i32.load (local.get $k)) (i32.const 2)))
                (local.set $u0 (v128.load (i32.add (local.get $x0) (local.get $j4))))
                (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (v128.load (i32.add (local.get $w0) (local.get $j4))) (local.get $u0))))
                (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (v128.load (i32.add (local.get $w1) (local.get $j4))) (local.get $u0))))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $kl)))
            (f32.store (i32.add (local.get $y0) (i32.shl (local.get $i) (i32.const 2)))
              (call $finish (local.get $a00) (local.get $w0) (local.get $x0) (local.get $n4) (local.get $n)))
            (f32.store (i32.add (local.get $y0) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))
              (call $finish (local.get $a10) (local.get $w1) (local.get $x0) (local.get $n4) (local.get $n)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $rows)))
        (if (i32.lt_u (local.get $i) (local.get $m))
          (then
            (local.set $w0 (i32.add (local.get $w) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
            (local.set $a00 (v128.const i32x4 0 0 0 0))
            (local.set $k (local.get $c))
            (block $kDone
              (loop $kl
                (br_if $kDone (i32.ge_u (local.get $k) (local.get $ce)))
                (local.set $j4 (i32.shl (i32.load (local.get $k)) (i32.const 2)))
                (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (v128.load (i32.add (local.get $w0) (local.get $j4))) (v128.load (i32.add (local.get $x0) (local.get $j4))))))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $kl)))
            (f32.store (i32.add (local.get $y0) (i32.shl (local.get $i) (i32.const 2)))
              (call $finish (local.get $a00) (local.get $w0) (local.get $x0) (local.get $n4) (local.get $n))))))))

  ;; Z (bs×n) = D (bs×m) · W (m×n). Four samples at a time: for each row i with a non-zero d, z[s][j…j+3] +=
  ;; w[i][j…j+3]·d[s][i] for the four samples s (the sums stay in memory, so each is taken in increasing i).
  (func (export "backward") (param $w i32) (param $d i32) (param $z i32) (param $m i32) (param $n i32) (param $bs i32)
    (local $n4 i32) (local $b i32) (local $i i32) (local $j i32) (local $wr i32) (local $o i32) (local $zs i32)
    (local $d0 f32) (local $d1 f32) (local $d2 f32) (local $d3 f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $v v128)
    (local $z0 i32) (local $z1 i32) (local $z2 i32) (local $z3 i32) (local $dr i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $zs (i32.shl (local.get $n) (i32.const 2)))
    (memory.fill (local.get $z) (i32.const 0) (i32.mul (i32.mul (local.get $bs) (local.get $n)) (i32.const 4)))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $b) (i32.const 4)) (local.get $bs)))
        (local.set $z0 (i32.add (local.get $z) (i32.mul (local.get $b) (local.get $zs))))
        (local.set $z1 (i32.add (local.get $z0) (local.get $zs)))
        (local.set $z2 (i32.add (local.get $z1) (local.get $zs)))
        (local.set $z3 (i32.add (local.get $z2) (local.get $zs)))
        (local.set $dr (i32.add (local.get $d) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
            (local.set $o (i32.add (local.get $dr) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $d0 (f32.load (local.get $o)))
            (local.set $d1 (f32.load (i32.add (local.get $o) (i32.shl (local.get $m) (i32.const 2)))))
            (local.set $d2 (f32.load (i32.add (local.get $o) (i32.shl (local.get $m) (i32.const 3)))))
            (local.set $d3 (f32.load (i32.add (local.get $o) (i32.mul (local.get $m) (i32.const 12)))))
            (if (i32.eqz (i32.and (i32.and (f32.eq (local.get $d0) (f32.const 0)) (f32.eq (local.get $d1) (f32.const 0)))
                                  (i32.and (f32.eq (local.get $d2) (f32.const 0)) (f32.eq (local.get $d3) (f32.const 0)))))
              (then
                (local.set $s0 (f32x4.splat (local.get $d0)))
                (local.set $s1 (f32x4.splat (local.get $d1)))
                (local.set $s2 (f32x4.splat (local.get $d2)))
                (local.set $s3 (f32x4.splat (local.get $d3)))
                (local.set $wr (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $zs))))
                (local.set $j (i32.const 0))
                (block $colsDone
                  (loop $cols
                    (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n4)))
                    (local.set $o (i32.shl (local.get $j) (i32.const 2)))
                    (local.set $v (v128.load (i32.add (local.get $wr) (local.get $o))))
                    (v128.store (i32.add (local.get $z0) (local.get $o)) (f32x4.add (v128.load (i32.add (local.get $z0) (local.get $o))) (f32x4.mul (local.get $v) (local.get $s0))))
                    (v128.store (i32.add (local.get $z1) (local.get $o)) (f32x4.add (v128.load (i32.add (local.get $z1) (local.get $o))) (f32x4.mul (local.get $v) (local.get $s1))))
                    (v128.store (i32.add (local.get $z2) (local.get $o)) (f32x4.add (v128.load (i32.add (local.get $z2) (local.get $o))) (f32x4.mul (local.get $v) (local.get $s2))))
                    (v128.store (i32.add (local.get $z3) (local.get $o)) (f32x4.add (v128.load (i32.add (local.get $z3) (local.get $o))) (f32x4.mul (local.get $v) (local.get $s3))))
                    (local.set $j (i32.add (local.get $j) (i32.const 4)))
                    (br $cols)))
                (block $tailDone
                  (loop $tail
                    (br_if $tailDone (i32.ge_u (local.get $j) (local.get $n)))
                    (local.set $o (i32.shl (local.get $j) (i32.const 2)))
                    (f32.store (i32.add (local.get $z0) (local.get $o)) (f32.add (f32.load (i32.add (local.get $z0) (local.get $o))) (f32.mul (f32.load (i32.add (local.get $wr) (local.get $o))) (local.get $d0))))
                    (f32.store (i32.add (local.get $z1) (local.get $o)) (f32.add (f32.load (i32.add (local.get $z1) (local.get $o))) (f32.mul (f32.load (i32.add (local.get $wr) (local.get $o))) (local.get $d1))))
                    (f32.store (i32.add (local.get $z2) (local.get $o)) (f32.add (f32.load (i32.add (local.get $z2) (local.get $o))) (f32.mul (f32.load (i32.add (local.get $wr) (local.get $o))) (local.get $d2))))
                    (f32.store (i32.add (local.get $z3) (local.get $o)) (f32.add (f32.load (i32.add (local.get $z3) (local.get $o))) (f32.mul (f32.load (i32.add (local.get $wr) (local.get $o))) (local.get $d3))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $tail)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br $quads)))
    ;; The samples left over, one at a time.
    (block $singlesDone
      (loop $singles
        (br_if $singlesDone (i32.ge_u (local.get $b) (local.get $bs)))
        (local.set $z0 (i32.add (local.get $z) (i32.mul (local.get $b) (local.get $zs))))
        (local.set $dr (i32.add (local.get $d) (i32.shl (i32.mul (local.get $b) (local.get $m)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
            (local.set $d0 (f32.load (i32.add (local.get $dr) (i32.shl (local.get $i) (i32.const 2)))))
            (if (f32.ne (local.get $d0) (f32.const 0))
              (then
                (local.set $s0 (f32x4.splat (local.get $d0)))
                (local.set $wr (i32.add (local.get $w) (i32.mul (local.get $i) (local.get $zs))))
                (local.set $j (i32.const 0))
                (block $colsDone
                  (loop $cols
                    (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n4)))
                    (local.set $o (i32.shl (local.get $j) (i32.const 2)))
                    (v128.store (i32.add (local.get $z0) (local.get $o)) (f32x4.add (v128.load (i32.add (local.get $z0) (local.get $o))) (f32x4.mul (v128.load (i32.add (local.get $wr) (local.get $o))) (local.get $s0))))
                    (local.set $j (i32.add (local.get $j) (i32.const 4)))
                    (br $cols)))
                (block $tailDone
                  (loop $tail
                    (br_if $tailDone (i32.ge_u (local.get $j) (local.get $n)))
                    (local.set $o (i32.shl (local.get $j) (i32.const 2)))
                    (f32.store (i32.add (local.get $z0) (local.get $o)) (f32.add (f32.load (i32.add (local.get $z0) (local.get $o))) (f32.mul (f32.load (i32.add (local.get $wr) (local.get $o))) (local.get $d0))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $tail)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $singles)))))
