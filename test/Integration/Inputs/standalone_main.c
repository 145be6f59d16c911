/* A -nostdlib -ffreestanding program around a model compiled with
 * --integer-only: it reads the inputs' bytes from stdin, runs the model and
 * writes the outputs' bytes to stdout, through raw Linux system calls
 * (x86-64 and AArch64). Built with -DBARE it does no I/O at all: a
 * bare-metal (Cortex-M) image that only shows the object links alone.
 *
 * -DHEADER='"m.h"' -DP=m -DPU=M name the model (prefix and upper case). */
#include HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define MODEL_INFO CAT(P, _info)
#define MODEL_RUN CAT(P, _run)
#define WORKSPACE_BYTES CAT(PU, _WORKSPACE_BYTES)

static unsigned char workspace[WORKSPACE_BYTES + 1]
    __attribute__((aligned(64)));
/* Inputs and outputs, one after another, each 64-byte aligned. */
static unsigned char arena[1 << 20] __attribute__((aligned(64)));

static uint64_t bytesOf(const qcc_tensor_info *t) {
  uint64_t n = 1;
  for (int32_t i = 0; i < t->rank; ++i)
    n *= (uint64_t)t->shape[i];
  switch (t->dtype) {
  case 1: case 6: case 12: return 4 * n;
  case 4: case 5: case 10: case 16: return 2 * n;
  case 7: case 11: case 13: return 8 * n;
  default: return n;
  }
}

#ifndef BARE
static long sys3(long n, long a, long b, long c) {
#if defined(__x86_64__)
  long r;
  __asm__ volatile("syscall"
                   : "=a"(r)
                   : "a"(n), "D"(a), "S"(b), "d"(c)
                   : "rcx", "r11", "memory");
  return r;
#elif defined(__aarch64__)
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
#else
#error "x86-64 or AArch64 Linux only"
#endif
}
#if defined(__x86_64__)
enum { SYS_READ = 0, SYS_WRITE = 1 };
__asm__(".globl _start\n_start:\n xor %ebp, %ebp\n and $-16, %rsp\n"
        " call cmain\n mov %eax, %edi\n mov $60, %eax\n syscall\n");
#else
enum { SYS_READ = 63, SYS_WRITE = 64 };
__asm__(".globl _start\n_start:\n bl cmain\n mov x8, #93\n svc #0\n");
#endif

static int transfer(long call, unsigned char *p, uint64_t n) {
  while (n > 0) {
    long got = sys3(call, call == SYS_READ ? 0 : 1, (long)p, (long)n);
    if (got <= 0)
      return 1;
    p += got;
    n -= (uint64_t)got;
  }
  return 0;
}
#endif

int cmain(void) {
  const qcc_model_info *info = MODEL_INFO();
  const void *inputs[16];
  void *outputs[16];
  uint64_t offset = 0;
  if (info->num_inputs > 16 || info->num_outputs > 16)
    return 3;
  for (int32_t i = 0; i < info->num_inputs + info->num_outputs; ++i) {
    int isInput = i < info->num_inputs;
    const qcc_tensor_info *t =
        isInput ? &info->inputs[i] : &info->outputs[i - info->num_inputs];
    uint64_t n = bytesOf(t);
    if (offset + n > sizeof(arena))
      return 3;
#ifndef BARE
    if (isInput && transfer(SYS_READ, arena + offset, n))
      return 4;
#endif
    if (isInput)
      inputs[i] = arena + offset;
    else
      outputs[i - info->num_inputs] = arena + offset;
    offset += (n + 63) / 64 * 64;
  }
  int rc = MODEL_RUN(inputs, outputs, workspace);
  if (rc != 0)
    return 10 + rc;
#ifndef BARE
  for (int32_t i = 0; i < info->num_outputs; ++i)
    if (transfer(SYS_WRITE, outputs[i], bytesOf(&info->outputs[i])))
      return 5;
#endif
  return 0;
}
