/* Runs a model's `main` (x -> y, plus its workspace) twice on the same
 * input: on emulated GPU threads (qcc_emu_main, from emulate_cuda.py) and
 * compiled for the CPU (ref_main). Prints both outputs; exits 1 unless
 * they are bitwise equal, or with TOLERANCE, unless every output is within
 * TOLERANCE of the outputs' largest magnitude (float kernels sum in
 * another order).
 * usage: model_driver NUM_INPUTS NUM_OUTPUTS [TOLERANCE] (float32 counts) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qcc_emu_main(void *x, void *y, void *workspace);
void ref_main(void *x, void *y, void *workspace);

enum { kWorkspace = 16 << 20 };

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4)
    return 2;
  long nx = atol(argv[1]), ny = atol(argv[2]);
  float *x = malloc(nx * sizeof(float));
  float *gpu = calloc(ny, sizeof(float)), *cpu = calloc(ny, sizeof(float));
  void *w1 = calloc(kWorkspace, 1), *w2 = calloc(kWorkspace, 1);
  uint32_t s = 7;
  for (long i = 0; i < nx; ++i) {
    s = s * 1664525u + 1013904223u;
    x[i] = (float)((s >> 8) % 2000) / 500.0f - 2.0f;
  }
  qcc_emu_main(x, gpu, w1);
  ref_main(x, cpu, w2);
  int same = memcmp(gpu, cpu, ny * sizeof(float)) == 0;
  for (long i = 0; i < ny; ++i)
    printf("y[%ld] gpu %.9g cpu %.9g\n", i, gpu[i], cpu[i]);
  if (argc == 4) {
    double tolerance = atof(argv[3]), scale = 0, err = 0;
    for (long i = 0; i < ny; ++i)
      scale = fmax(scale, fabs(cpu[i]));
    for (long i = 0; i < ny; ++i)
      err = fmax(err, fabs((double)gpu[i] - cpu[i]));
    int close = err <= tolerance * scale && scale > 0;
    printf("max |gpu - cpu| / max |cpu| %s %g\n", close ? "<=" : ">",
           tolerance);
    return !close;
  }
  printf(same ? "outputs identical\n" : "outputs differ\n");
  return !same;
}
