/* Runs each function of float_contractions.mlir twice on the same
 * pseudo-random buffers: compiled for the CPU (ref_*) and as CUDA kernels
 * on emulated GPU threads. The kernels sum in another order (fused
 * multiply-adds, K split across threads), so outputs must agree to within
 * 1e-5 of the output's magnitude, not bit for bit (tf32 tensor cores round
 * the activations to 10 mantissa bits: 2e-3); inputs must not change.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void matmul_f32(void *, void *, void *);
void conv_f32(void *, void *, void *);
void gemv_int4(void *, void *);
void gemv_f16(void *, void *, void *);
void matmul_f16_tf32(void *, void *);
void gemv_int8_zp(void *, void *, void *, void *);
void ref_gemv_int8_zp(void *, void *, void *, void *);
void ref_matmul_f16_tf32(void *, void *);
void ref_matmul_f32(void *, void *, void *);
void ref_conv_f32(void *, void *, void *);
void ref_gemv_int4(void *, void *);
void ref_gemv_f16(void *, void *, void *);

static uint32_t state = 12345;
static float next(void) {
  state = state * 1664525u + 1013904223u;
  return (float)((state >> 8) % 2001) / 1000.0f - 1.0f;
}

enum Kind { F32, F16 };

/* Buffers of `n` elements; the last is the output (accumulated into). */
static int check(const char *name, int nargs, const size_t *n,
                 const enum Kind *kind, double tolerance, void (*run)(void **),
                 void (*ref)(void **)) {
  void *a[3], *b[3];
  for (int i = 0; i < nargs; ++i) {
    size_t bytes = n[i] * (kind[i] == F16 ? 2 : 4);
    a[i] = malloc(bytes);
    b[i] = malloc(bytes);
    for (size_t j = 0; j < n[i]; ++j) {
      if (kind[i] == F16)
        ((_Float16 *)a[i])[j] = (_Float16)next();
      else
        ((float *)a[i])[j] = next();
    }
    memcpy(b[i], a[i], bytes);
  }
  run(a);
  ref(b);
  int inputsSame = 1;
  for (int i = 0; i + 1 < nargs; ++i)
    inputsSame &= memcmp(a[i], b[i], n[i] * (kind[i] == F16 ? 2 : 4)) == 0;
  const float *gpu = a[nargs - 1], *cpu = b[nargs - 1];
  size_t outs = n[nargs - 1];
  double scale = 0, err = 0;
  for (size_t j = 0; j < outs; ++j)
    scale = fmax(scale, fabs(cpu[j]));
  for (size_t j = 0; j < outs; ++j)
    err = fmax(err, fabs((double)gpu[j] - cpu[j]) / scale);
  int ok = inputsSame && err <= tolerance && scale > 1;
  printf("%s: %zu outputs, max |gpu - cpu| / max |cpu| %s %g, inputs %s\n",
         name, outs, err <= tolerance ? "<=" : ">", tolerance,
         inputsSame ? "unchanged" : "CHANGED");
  for (int i = 0; i < nargs; ++i) {
    free(a[i]);
    free(b[i]);
  }
  return !ok;
}

#define WRAP(f)                                                                \
  static void run_##f(void **p) { f(p[0], p[1], p[2]); }                       \
  static void refrun_##f(void **p) { ref_##f(p[0], p[1], p[2]); }
WRAP(matmul_f32)
WRAP(conv_f32)
WRAP(gemv_f16)
#define WRAP2(f)                                                               \
  static void run_##f(void **p) { f(p[0], p[1]); }                             \
  static void refrun_##f(void **p) { ref_##f(p[0], p[1]); }
WRAP2(gemv_int4)
WRAP2(matmul_f16_tf32)

int main(void) {
  int failed = 0;
  enum Kind plain[] = {F32, F32, F32};
  size_t mm[] = {2 * 80 * 70, 2 * 70 * 72, 2 * 80 * 72};
  failed |= check("matmul_f32", 3, mm, plain, 1e-5, run_matmul_f32,
                  refrun_matmul_f32);
  size_t cv[] = {16 * 11 * 11, 24 * 16 * 9, 24 * 25};
  failed |=
      check("conv_f32", 3, cv, plain, 1e-5, run_conv_f32, refrun_conv_f32);
  enum Kind w4[] = {F32, F32};
  size_t g4[] = {3 * 70, 3 * 40};
  failed |=
      check("gemv_int4", 2, g4, w4, 1e-5, run_gemv_int4, refrun_gemv_int4);
  enum Kind h[] = {F32, F16, F32};
  size_t gh[] = {70, 20 * 70, 20};
  failed |= check("gemv_f16", 3, gh, h, 1e-5, run_gemv_f16, refrun_gemv_f16);
  enum Kind tc[] = {F32, F32};
  size_t mt[] = {40 * 70, 40 * 24};
  failed |= check("matmul_f16_tf32", 2, mt, tc, 2e-3, run_matmul_f16_tf32,
                  refrun_matmul_f16_tf32);
  /* Integers: every byte equal. */
  static uint8_t x8[2 * 100], w8[100 * 40], zp = 131;
  static int32_t o1[2 * 40], o2[2 * 40];
  for (int i = 0; i < 2 * 100; ++i)
    x8[i] = (uint8_t)(next() * 127 + 128);
  for (int i = 0; i < 100 * 40; ++i)
    w8[i] = (uint8_t)(int8_t)(next() * 127);
  for (int i = 0; i < 2 * 40; ++i)
    o1[i] = o2[i] = i * 1000;
  gemv_int8_zp(x8, w8, &zp, o1);
  ref_gemv_int8_zp(x8, w8, &zp, o2);
  int same = memcmp(o1, o2, sizeof o1) == 0;
  printf("gemv_int8_zp: %s\n", same ? "integers identical" : "DIFFER");
  failed |= !same;
  return failed;
}
