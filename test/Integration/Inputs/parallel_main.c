/* Runs a model compiled as an object with a caller-provided parallel-for
 * (ranges handed out in reverse, on the calling thread) and with the
 * model's own pool at 1, 2 and 3 threads; every output must equal
 * P_run's bit for bit. usage: parallel_main (model input from a fixed
 * pattern; prints "same" or "DIFFERENT") */
#include "m.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t calls;

static void reverse_for(void *context, int64_t n, qcc_task_fn task,
                        void *arg) {
  (void)context;
  int64_t parts = n < 3 ? n : 3;
  for (int64_t p = parts - 1; p >= 0; --p)
    task(arg, n * p / parts, n * (p + 1) / parts);
  ++calls;
}

int main(void) {
  const qcc_model_info *info = m_info();
  size_t in = 1, out = 1;
  for (int i = 0; i < info->inputs[0].rank; ++i)
    in *= (size_t)info->inputs[0].shape[i];
  for (int i = 0; i < info->outputs[0].rank; ++i)
    out *= (size_t)info->outputs[0].shape[i];
  float *x = malloc(in * sizeof *x), *ref = malloc(out * sizeof *ref),
        *y = malloc(out * sizeof *y);
  void *ws = NULL;
  if (info->workspace_bytes &&
      posix_memalign(&ws, 64, (size_t)info->workspace_bytes))
    return 2;
  for (size_t i = 0; i < in; ++i)
    x[i] = (float)((int)(i * 37 % 101) - 50) / 25.0f;
  const void *inputs[] = {x};
  void *refs[] = {ref}, *outs[] = {y};
  if (m_run(inputs, refs, ws))
    return 2;
  qcc_parallel mine = {reverse_for, NULL, 3};
  int same = 1;
  if (m_run_parallel(inputs, outs, ws, &mine))
    return 2;
  same &= memcmp(ref, y, out * sizeof *y) == 0 && calls > 0;
  if (m_run_parallel(inputs, outs, ws, NULL))
    return 2;
  same &= memcmp(ref, y, out * sizeof *y) == 0;
  for (int t = 1; t <= 3; ++t) {
    qcc_parallel *pool = m_parallel_create(t);
    if (!pool)
      return 2;
    memset(y, 0, out * sizeof *y);
    if (m_run_parallel(inputs, outs, ws, pool))
      return 2;
    same &= memcmp(ref, y, out * sizeof *y) == 0;
    m_parallel_destroy(pool);
  }
  printf("%s (abi %u, %lld caller parallel-for calls)\n",
         same ? "same" : "DIFFERENT", info->abi_version, (long long)calls);
  return same ? 0 : 1;
}
