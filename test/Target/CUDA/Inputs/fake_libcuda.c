/* A stand-in for libcuda.so.1, for testing the host side of -target=cuda
 * models without a GPU. Device memory is host memory; kernels do not run.
 * FAKE_CUDA_MODE selects what it does:
 *   ok          every call succeeds; each call is traced on stderr
 *   no-device   cuInit fails with CUDA_ERROR_NO_DEVICE
 *   launch-fail cuLaunchKernel fails with CUDA_ERROR_LAUNCH_FAILED
 *   oom         cuMemAlloc fails with CUDA_ERROR_OUT_OF_MEMORY */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

static const char *mode(void) {
  const char *m = getenv("FAKE_CUDA_MODE");
  return m ? m : "ok";
}
static int is(const char *m) { return strcmp(mode(), m) == 0; }

static int ctx, module, stream;

CUresult cuInit(unsigned flags) {
  (void)flags;
  return is("no-device") ? 100 : 0;
}
CUresult cuDeviceGetCount(int *n) {
  *n = 1;
  return 0;
}
CUresult cuDeviceGet(int *d, int i) {
  *d = i;
  return 0;
}
CUresult cuDevicePrimaryCtxRetain(void **c, int d) {
  (void)d;
  *c = &ctx;
  return 0;
}
static void *current;
CUresult cuCtxGetCurrent(void **c) {
  *c = current;
  return 0;
}
CUresult cuCtxSetCurrent(void *c) {
  current = c;
  return 0;
}
CUresult cuModuleLoadData(void **m, const void *image) {
  const unsigned char *b = (const unsigned char *)image;
  uint32_t magic;
  memcpy(&magic, b, 4);
  fprintf(stderr, "fake-cuda: load %s\n",
          magic == 0xBA55ED50u ? "fatbin"
          : memcmp(b,
                   "\x7f"
                   "ELF",
                   4) == 0
              ? "cubin"
          : strstr((const char *)b, ".version") ? "ptx"
                                                : "unknown");
  *m = &module;
  return 0;
}
CUresult cuModuleGetFunction(void **f, void *m, const char *name) {
  (void)m;
  *f = (void *)name;
  return 0;
}
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        void *s, void **params, void **extra) {
  (void)gy, (void)gz, (void)by, (void)bz, (void)smem, (void)params, (void)extra;
  if (is("launch-fail"))
    return 719;
  fprintf(stderr, "fake-cuda: launch %s grid %u block %u stream %s\n",
          (const char *)f, gx, bx, s ? "set" : "default");
  return 0;
}
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
  if (is("oom"))
    return 2;
  *p = (CUdeviceptr)(uintptr_t)aligned_alloc(256, (bytes + 255) / 256 * 256);
  fprintf(stderr, "fake-cuda: alloc %zu\n", bytes);
  return 0;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
  free((void *)(uintptr_t)p);
  return 0;
}
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void *h, size_t n, void *s) {
  (void)s;
  memcpy((void *)(uintptr_t)d, h, n);
  fprintf(stderr, "fake-cuda: copy in %zu\n", n);
  return 0;
}
CUresult cuMemcpyDtoHAsync_v2(void *h, CUdeviceptr d, size_t n, void *s) {
  (void)s;
  memcpy(h, (void *)(uintptr_t)d, n);
  fprintf(stderr, "fake-cuda: copy out %zu\n", n);
  return 0;
}
CUresult cuMemcpyAsync(CUdeviceptr d, CUdeviceptr s, size_t n, void *st) {
  (void)st;
  memmove((void *)(uintptr_t)d, (void *)(uintptr_t)s, n);
  return 0;
}
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned v, size_t n, void *s) {
  (void)s;
  for (size_t i = 0; i < n; ++i)
    ((unsigned *)(uintptr_t)d)[i] = v;
  return 0;
}
CUresult cuMemsetD16Async(CUdeviceptr d, unsigned short v, size_t n, void *s) {
  (void)s;
  for (size_t i = 0; i < n; ++i)
    ((unsigned short *)(uintptr_t)d)[i] = v;
  return 0;
}
CUresult cuStreamCreate(void **s, unsigned flags) {
  (void)flags;
  *s = &stream;
  return 0;
}
CUresult cuStreamSynchronize(void *s) {
  (void)s;
  fprintf(stderr, "fake-cuda: synchronize\n");
  return 0;
}
CUresult cuGetErrorName(CUresult r, const char **s) {
  *s = r == 100   ? "CUDA_ERROR_NO_DEVICE"
       : r == 719 ? "CUDA_ERROR_LAUNCH_FAILED"
       : r == 2   ? "CUDA_ERROR_OUT_OF_MEMORY"
                  : "CUDA_ERROR_UNKNOWN";
  return 0;
}
CUresult cuGetErrorString(CUresult r, const char **s) {
  *s = r == 100 ? "no CUDA-capable device is detected" : "fake error";
  return 0;
}
