/* Runs GPU kernels compiled for the CPU by emulate_cuda.py: one POSIX
 * thread per GPU thread, blocks one after another (so a kernel's shared
 * memory can be an ordinary global), __syncthreads as a barrier of the
 * block, and mma.sync.m16n8k32 on 8-bit integers computed from the
 * registers of the warp's 32 lanes with the PTX ISA's fragment tables
 * ("Matrix Fragments for mma.m16n8k32"): with g = lane / 4 and
 * t = lane % 4, A's registers 0..3 hold rows g, g+8, g, g+8 at K bytes
 * 4t..4t+3 (registers 2 and 3: 16 more), B's registers hold column g at
 * K bytes 4t..4t+3 and 16+4t..16+4t+3, and the accumulators rows g, g, g+8,
 * g+8 at columns 2t, 2t+1, 2t, 2t+1. Bytes are little-endian in a register.
 * mma.sync.m16n8k8 on tf32 ("Matrix Fragments for mma.m16n8k8", .tf32) has
 * the same registers with one element per register: A's 0..3 hold rows g,
 * g+8, g, g+8 at K t (2 and 3: t + 4), B's column g at K t and t + 4; the
 * tensor cores read the top 19 bits of each, accumulators are floats.
 * mma.sync.m16n8k16 on f16 has them again with two halves per register
 * (K 2w and 2w + 1 of word w, the lower half first).
 * libdevice's functions are libm's here (a float model's GPU output is
 * compared with a tolerance, not bit for bit).
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kMaxThreads = 1024 };

static __thread int32_t tid[3];
static int32_t ctaid[3], ntid[3], nctaid[3];
static pthread_barrier_t block_barrier;
static pthread_barrier_t warp_barrier[kMaxThreads / 32];
static int32_t warp_regs[kMaxThreads / 32][32][6];

#define SREG(name, array)                                                      \
  int32_t qcc_emu_##name##_x(void) { return array[0]; }                        \
  int32_t qcc_emu_##name##_y(void) { return array[1]; }                        \
  int32_t qcc_emu_##name##_z(void) { return array[2]; }
SREG(tid, tid)
SREG(ctaid, ctaid)
SREG(ntid, ntid)
SREG(nctaid, nctaid)

#define LIBDEVICE(name)                                                        \
  float __nv_##name(float x) { return name(x); }
LIBDEVICE(expf)
LIBDEVICE(erff)
LIBDEVICE(tanhf)
LIBDEVICE(logf)
LIBDEVICE(exp2f)
LIBDEVICE(sinf)
LIBDEVICE(cosf)
float __nv_powf(float x, float y) { return powf(x, y); }

void qcc_emu_barrier(void) { pthread_barrier_wait(&block_barrier); }

static int linear_tid(void) {
  return tid[0] + ntid[0] * (tid[1] + ntid[1] * tid[2]);
}

/* Publishes this lane's MMA registers to its warp and waits for the other
 * lanes: afterwards every lane reads the whole warp's registers. */
static int32_t (*share_registers(const int32_t *in, int n, int *lane_out))[6] {
  int t = linear_tid(), warp = t / 32, lane = t % 32;
  for (int i = 0; i < n; ++i)
    warp_regs[warp][lane][i] = in[i];
  pthread_barrier_wait(&warp_barrier[warp]);
  *lane_out = lane;
  return warp_regs[warp];
}

/* Every lane has read the registers before any lane's next MMA. */
static void done_reading(void) {
  pthread_barrier_wait(&warp_barrier[linear_tid() / 32]);
}

/* The register holding A[row][k] (B[k][col] with is_b, rc = col) when each
 * register holds `per` K-adjacent elements: lane g*4 + t holds words t and
 * t + 4 of row (column) g; A's registers 0..3 are rows g, g+8, g, g+8 at
 * words t, t, t+4, t+4, B's 4 and 5 words t and t+4. *sub is the
 * element's place in its register. */
static int32_t element_register(int32_t (*regs)[6], int per, int is_b, int rc,
                                int k, int *sub) {
  int word = k / per, high = word >= 4;
  *sub = k % per;
  if (is_b)
    return regs[rc * 4 + word % 4][4 + high];
  return regs[(rc % 8) * 4 + word % 4][(rc >= 8 ? 1 : 0) + (high ? 2 : 0)];
}

static int32_t byte_of(int32_t reg, int j, int is_unsigned) {
  uint8_t v = (uint8_t)((uint32_t)reg >> (8 * j));
  return is_unsigned ? (int32_t)v : (int32_t)(int8_t)v;
}

void qcc_emu_mma(int32_t ua, int32_t ub, int32_t a0, int32_t a1, int32_t a2,
                 int32_t a3, int32_t b0, int32_t b1, int32_t c0, int32_t c1,
                 int32_t c2, int32_t c3, int32_t *out) {
  int32_t in[6] = {a0, a1, a2, a3, b0, b1}, c[4] = {c0, c1, c2, c3};
  int lane;
  int32_t(*regs)[6] = share_registers(in, 6, &lane);
  int g = lane / 4, tg = lane % 4;
  for (int q = 0; q < 4; ++q) {
    int row = g + (q >= 2 ? 8 : 0), col = 2 * tg + (q & 1), sa, sb;
    uint32_t acc = (uint32_t)c[q];
    for (int k = 0; k < 32; ++k) {
      int32_t a = element_register(regs, 4, 0, row, k, &sa);
      int32_t b = element_register(regs, 4, 1, col, k, &sb);
      acc += (uint32_t)(byte_of(a, sa, ua) * byte_of(b, sb, ub));
    }
    out[q] = (int32_t)acc;
  }
  done_reading();
}

/* Element `sub` of a float register: tf32 (per 1, the top 19 bits) or f16
 * (per 2, the lower half first). */
static float float_of(int32_t reg, int per, int sub) {
  if (per == 1) {
    uint32_t bits = (uint32_t)reg & 0xffffe000u;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
  }
  uint16_t bits = (uint16_t)((uint32_t)reg >> (16 * sub));
  _Float16 h;
  memcpy(&h, &bits, sizeof h);
  return (float)h;
}

static void mma_float(int per, const int32_t in[6], const float c[4],
                      float *out) {
  int lane;
  int32_t(*regs)[6] = share_registers(in, 6, &lane);
  int g = lane / 4, tg = lane % 4;
  for (int q = 0; q < 4; ++q) {
    int row = g + (q >= 2 ? 8 : 0), col = 2 * tg + (q & 1), sa, sb;
    float acc = c[q];
    for (int k = 0; k < 8 * per; ++k) {
      int32_t a = element_register(regs, per, 0, row, k, &sa);
      int32_t b = element_register(regs, per, 1, col, k, &sb);
      acc += float_of(a, per, sa) * float_of(b, per, sb);
    }
    out[q] = acc;
  }
  done_reading();
}

void qcc_emu_mma_tf32(int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                      int32_t b0, int32_t b1, float c0, float c1, float c2,
                      float c3, float *out) {
  int32_t in[6] = {a0, a1, a2, a3, b0, b1};
  float c[4] = {c0, c1, c2, c3};
  mma_float(1, in, c, out);
}

void qcc_emu_mma_f16(int32_t a0, int32_t a1, int32_t a2, int32_t a3, int32_t b0,
                     int32_t b1, float c0, float c1, float c2, float c3,
                     float *out) {
  int32_t in[6] = {a0, a1, a2, a3, b0, b1};
  float c[4] = {c0, c1, c2, c3};
  mma_float(2, in, c, out);
}

struct thread_start {
  int32_t id[3];
  void (*body)(void *);
  void *args;
};

static void *run_thread(void *p) {
  struct thread_start *s = p;
  for (int i = 0; i < 3; ++i)
    tid[i] = s->id[i];
  s->body(s->args);
  return NULL;
}

void qcc_emu_run(const int64_t dims[6], void (*body)(void *), void *args) {
  int n = (int)(dims[3] * dims[4] * dims[5]);
  if (n > kMaxThreads) {
    fprintf(stderr, "emu: %d threads per block\n", n);
    exit(2);
  }
  static pthread_t threads[kMaxThreads];
  static struct thread_start starts[kMaxThreads];
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 1 << 20);
  for (int i = 0; i < 3; ++i) {
    nctaid[i] = (int32_t)dims[i];
    ntid[i] = (int32_t)dims[3 + i];
  }
  for (int64_t z = 0; z < dims[2]; ++z)
    for (int64_t y = 0; y < dims[1]; ++y)
      for (int64_t x = 0; x < dims[0]; ++x) {
        ctaid[0] = (int32_t)x, ctaid[1] = (int32_t)y, ctaid[2] = (int32_t)z;
        pthread_barrier_init(&block_barrier, NULL, (unsigned)n);
        for (int w = 0; w * 32 < n; ++w)
          pthread_barrier_init(&warp_barrier[w], NULL,
                               (unsigned)(n - w * 32 < 32 ? n - w * 32 : 32));
        for (int t = 0; t < n; ++t) {
          starts[t].id[0] = (int32_t)(t % dims[3]);
          starts[t].id[1] = (int32_t)(t / dims[3] % dims[4]);
          starts[t].id[2] = (int32_t)(t / (dims[3] * dims[4]));
          starts[t].body = body;
          starts[t].args = args;
          if (pthread_create(&threads[t], &attr, run_thread, &starts[t])) {
            fprintf(stderr, "emu: cannot start thread %d\n", t);
            exit(2);
          }
        }
        for (int t = 0; t < n; ++t)
          pthread_join(threads[t], NULL);
        pthread_barrier_destroy(&block_barrier);
        for (int w = 0; w * 32 < n; ++w)
          pthread_barrier_destroy(&warp_barrier[w]);
      }
  pthread_attr_destroy(&attr);
}
