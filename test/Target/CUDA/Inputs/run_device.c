/* Runs a CUDA model through P_run_device with the fake driver, whose device
 * memory is host memory: checks the entry point's arguments and errors. */
#include HEADER

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  const qcc_model_info *info = model_info();
  printf("abi_version=%u target=%s workspace_bytes=%llu device=%llu\n",
         info->abi_version, info->target,
         (unsigned long long)info->workspace_bytes,
         (unsigned long long)model_device_workspace_bytes());
  static float x[6], w[12], y[8];
  static unsigned char u[4], v[4], pos[8];
  static long long idx[2];
  const void *inputs[] = {x, w, u};
  void *outputs[] = {y, idx, v, pos};
  size_t bytes = (model_device_workspace_bytes() + 63) / 64 * 64;
  char *ws = aligned_alloc(64, bytes + 64);
  int rc = model_run_device(inputs, outputs, ws, (void *)0x1);
  printf("aligned: rc=%d error='%s'\n", rc, model_last_error());
  rc = model_run_device(inputs, outputs, ws + 8, (void *)0x1);
  printf("misaligned: rc=%d error='%s'\n", rc, model_last_error());
  rc = model_run_device(inputs, outputs, NULL, NULL);
  printf("missing: rc=%d\n", rc);
  free(ws);
  return 0;
}
