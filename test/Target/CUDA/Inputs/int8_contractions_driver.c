/* Runs each function of int8_contractions.mlir twice on the same
 * pseudo-random buffers: compiled for the CPU (ref_*) and as CUDA kernels
 * on emulated GPU threads; every byte of every buffer must agree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void matmul_zp(void *, void *, void *);
void conv_zp(void *, void *, void *);
void dynamic_zp(void *, void *, void *, void *);
void ref_matmul_zp(void *, void *, void *);
void ref_conv_zp(void *, void *, void *);
void ref_dynamic_zp(void *, void *, void *, void *);

static uint32_t state = 12345;
static void fill(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    p[i] = (uint8_t)(state >> 24);
  }
}

static int check(const char *name, int nargs, const size_t *sizes,
                 void (*run)(void **), void (*ref)(void **)) {
  void *a[4], *b[4];
  for (int i = 0; i < nargs; ++i) {
    a[i] = malloc(sizes[i]);
    b[i] = malloc(sizes[i]);
    fill(a[i], sizes[i]);
    memcpy(b[i], a[i], sizes[i]);
  }
  run(a);
  ref(b);
  size_t bad = 0, total = 0, changed = 0;
  for (int i = 0; i < nargs; ++i) {
    for (size_t j = 0; j < sizes[i]; ++j)
      bad += ((uint8_t *)a[i])[j] != ((uint8_t *)b[i])[j];
    total += sizes[i];
  }
  for (size_t j = 0; j < sizes[nargs - 1] / 4; ++j)
    changed += ((int32_t *)b[nargs - 1])[j] != 0;
  printf("%s: %zu of %zu bytes differ, %zu nonzero outputs\n", name, bad, total,
         changed);
  for (int i = 0; i < nargs; ++i) {
    free(a[i]);
    free(b[i]);
  }
  return bad != 0;
}

static void run_matmul(void **p) { matmul_zp(p[0], p[1], p[2]); }
static void ref_matmul(void **p) { ref_matmul_zp(p[0], p[1], p[2]); }
static void run_conv(void **p) { conv_zp(p[0], p[1], p[2]); }
static void ref_conv(void **p) { ref_conv_zp(p[0], p[1], p[2]); }
static void run_dynamic(void **p) { dynamic_zp(p[0], p[1], p[2], p[3]); }
static void ref_dynamic(void **p) { ref_dynamic_zp(p[0], p[1], p[2], p[3]); }

int main(void) {
  int failed = 0;
  size_t mm[] = {2 * 80 * 70, 2 * 70 * 72, 2 * 80 * 72 * 4};
  failed |= check("matmul_zp", 3, mm, run_matmul, ref_matmul);
  size_t cv[] = {16 * 11 * 11, 24 * 16 * 9, 24 * 25 * 4};
  failed |= check("conv_zp", 3, cv, run_conv, ref_conv);
  size_t dy[] = {16 * 64, 64 * 40, 1, 16 * 40 * 4};
  failed |= check("dynamic_zp", 4, dy, run_dynamic, ref_dynamic);
  return failed;
}
