/* Drives a model compiled by qcc through its generated header: fills the
   inputs, runs it through P_run and P_run_typed, checks the results and
   prints the info descriptor. Build with -DHEADER="model.h" -DP=model. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define P_INFO CAT(P, _info)
#define P_RUN CAT(P, _run)
#define P_RUN_TYPED CAT(P, _run_typed)

static const float x[2][3] = {{1, 2, 3}, {4, -5, 6}};
static const float w[3][4] = {{1, 0, -1, 0.5f}, {0, 1, -1, 0.5f}, {0, 0, -1, 0.5f}};
static const uint8_t u[4] = {250, 7, 0, 255};

static const float y_ref[2][4] = {{1, 2, 0, 3}, {4, 0, 0, 2.5f}};
static const int64_t idx_ref[2] = {3, 0};
static const uint8_t v_ref[4] = {125, 3, 0, 127}; /* unsigned division */
static const bool pos_ref[2][4] = {{1, 1, 0, 1}, {1, 0, 0, 1}};

static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    printf("MISMATCH %s\n", what);
    ++failures;
  }
}

static void check_outputs(const char *how, const float *y, const int64_t *idx,
                          const uint8_t *v, const bool *pos) {
  for (int i = 0; i < 8; ++i)
    check(fabsf(y[i] - (&y_ref[0][0])[i]) <= 1e-6f, "y");
  for (int i = 0; i < 2; ++i)
    check(idx[i] == idx_ref[i], "idx");
  for (int i = 0; i < 4; ++i)
    check(v[i] == v_ref[i], "v");
  for (int i = 0; i < 8; ++i)
    check(pos[i] == (&pos_ref[0][0])[i], "pos");
  printf("%s: y = [%g %g %g %g; %g %g %g %g], idx = [%lld %lld], v = [%d %d %d %d]\n",
         how, y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7],
         (long long)idx[0], (long long)idx[1], v[0], v[1], v[2], v[3]);
}

static void print_tensors(const char *kind, int n, const qcc_tensor_info *t) {
  for (int i = 0; i < n; ++i) {
    printf("%s %d: %s dtype=%d rank=%d shape=[", kind, i, t[i].name,
           (int)t[i].dtype, (int)t[i].rank);
    for (int d = 0; d < t[i].rank; ++d)
      printf(d ? " %lld" : "%lld", (long long)t[i].shape[d]);
    printf("]\n");
  }
}

int main(void) {
  const qcc_model_info *info = P_INFO();
  printf("abi_version=%u name=%s target=%s\n", (unsigned)info->abi_version,
         info->name, info->target);
  print_tensors("input", info->num_inputs, info->inputs);
  print_tensors("output", info->num_outputs, info->outputs);

  void *workspace = NULL;
  if (info->workspace_bytes)
    workspace = aligned_alloc(64, (info->workspace_bytes + 63) / 64 * 64);

  float y[8];
  int64_t idx[2];
  uint8_t v[4];
  bool pos[8];

  memset(y, 0xff, sizeof y);
  memset(idx, 0xff, sizeof idx);
  memset(v, 0xff, sizeof v);
  memset(pos, 0x7f, sizeof pos);
  const void *inputs[] = {x, w, u};
  void *outputs[] = {y, idx, v, pos};
  int status = P_RUN(inputs, outputs, workspace);
  printf("run status=%d\n", status);
  check_outputs("run", y, idx, v, pos);

  memset(y, 0xff, sizeof y);
  memset(idx, 0xff, sizeof idx);
  memset(v, 0xff, sizeof v);
  memset(pos, 0x7f, sizeof pos);
  status = P_RUN_TYPED(&x[0][0], &w[0][0], u, y, idx, v, pos, workspace);
  printf("run_typed status=%d\n", status);
  check_outputs("run_typed", y, idx, v, pos);

  /* Running again with the same buffers gives the same results. */
  status = P_RUN(inputs, outputs, workspace);
  check(status == 0, "status");
  check_outputs("rerun", y, idx, v, pos);

  free(workspace);
  printf("%s\n", failures ? "FAILED" : "PASSED");
  return failures != 0;
}
