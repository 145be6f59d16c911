/* Runs reductions.mlir's functions on emulated GPU threads and compiled for
 * the CPU (ref_*) on the same pseudo-random data: min and max must be
 * equal, the sums (in another order) within 1e-6 relative. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

void row_sum_squares(void *, void *);
void ref_row_sum_squares(void *, void *);
void min_max(void *, void *, void *);
void ref_min_max(void *, void *, void *);

static uint32_t state = 99;
static float next(void) {
  state = state * 1664525u + 1013904223u;
  return (float)((state >> 8) % 20001) / 1000.0f - 10.0f;
}

int main(void) {
  int failed = 0;
  static float x[6 * 300], s1[6], s2[6];
  for (int i = 0; i < 6 * 300; ++i)
    x[i] = next();
  for (int i = 0; i < 6; ++i)
    s1[i] = s2[i] = (float)i; /* the output's previous contents count */
  row_sum_squares(x, s1);
  ref_row_sum_squares(x, s2);
  double err = 0;
  for (int i = 0; i < 6; ++i)
    err = fmax(err, fabs((double)s1[i] - s2[i]) / fabs(s2[i]));
  printf("row_sum_squares: %s\n", err <= 1e-6 ? "within 1e-6" : "DIFFER");
  failed |= err > 1e-6;

  static float y[4 * 16 * 20];
  for (int i = 0; i < 4 * 16 * 20; ++i)
    y[i] = next();
  y[777] = -50.0f, y[1] = 60.0f;
  float lo1 = 0, hi1 = 0, lo2 = 0, hi2 = 0;
  min_max(y, &lo1, &hi1);
  ref_min_max(y, &lo2, &hi2);
  printf("min_max: gpu %g %g cpu %g %g\n", lo1, hi1, lo2, hi2);
  failed |= lo1 != lo2 || hi1 != hi2;
  return failed;
}
