//===- HostRuntime.c - the CUDA host runtime inside every -target=cuda model
//===//
//
// Compiled to LLVM bitcode when qcc is built, then linked and internalized
// into each CUDA model, so the model object needs nothing but libc: no
// libcudart, no libcuda at link time. The driver is opened on the first run
// (dlopen("libcuda.so.1")); without it, or without a GPU, a run returns an
// error code and qcc_cuda_last_error() says why.
//
// The mgpu* functions are what MLIR's gpu-to-llvm lowering calls. Loading is
// lazy: the module constructor only records the device image, and the first
// launch loads it into the current context. Every launch of a run goes to
// the run's stream, in order, so the per-launch synchronization the lowering
// asks for is not needed: P_run waits once, P_run_device not at all.
//
//===----------------------------------------------------------------------===//
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The few driver API types used, as the driver ABI defines them.
typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef unsigned long long CUdeviceptr;
enum { CUDA_SUCCESS = 0, CU_STREAM_NON_BLOCKING = 1 };

// Run status codes (P_run's return values; 1 is a bad workspace).
enum {
  QCC_OK = 0,
  QCC_BAD_WORKSPACE = 1,
  QCC_NO_DEVICE = 2,
  QCC_CUDA_ERROR = 3,
  QCC_OUT_OF_MEMORY = 4,
};

static struct {
  int loaded; // 0 not tried, 1 ready, -1 failed (reason in `why`)
  char why[256];
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxGetCurrent)(CUcontext *);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr, const void *, size_t, CUstream);
  CUresult (*cuMemcpyDtoHAsync)(void *, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
} driver;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

// The status of the calling thread's current run: the first error wins,
// and once set, the rest of the run's driver calls are skipped.
static _Thread_local int status;
static _Thread_local char message[512];
static _Thread_local CUstream currentStream;

static void fail(int code, const char *format, ...) {
  if (status)
    return;
  status = code;
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
}

/// Checks a driver call; on failure records "what: CUDA_ERROR_X (text)".
static int check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return 1;
  const char *name = "unknown error", *text = "";
  if (driver.cuGetErrorName)
    driver.cuGetErrorName(result, &name);
  if (driver.cuGetErrorString)
    driver.cuGetErrorString(result, &text);
  fail(result == 2 ? QCC_OUT_OF_MEMORY : QCC_CUDA_ERROR, "%s failed: %s (%s)",
       what, name ? name : "?", text ? text : "");
  return 0;
}

#define RESOLVE(field, symbol)                                                 \
  if (!(driver.field = (__typeof__(driver.field))dlsym(lib, symbol))) {        \
    snprintf(driver.why, sizeof driver.why, "the CUDA driver (%s) has no %s",  \
             path, symbol);                                                    \
    return -1;                                                                 \
  }

static int loadDriverLocked(void) {
  // QCC_CUDA_DRIVER names another driver library (an unusual install, or
  // the fake driver of qcc's tests).
  const char *path = getenv("QCC_CUDA_DRIVER");
  if (!path || !*path)
    path = "libcuda.so.1";
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *reason = dlerror();
    snprintf(driver.why, sizeof driver.why,
             "no CUDA driver: cannot load %s (%s); this model needs an NVIDIA "
             "GPU and its driver",
             path, reason ? reason : "not found");
    return -1;
  }
  RESOLVE(cuInit, "cuInit");
  RESOLVE(cuDeviceGetCount, "cuDeviceGetCount");
  RESOLVE(cuDeviceGet, "cuDeviceGet");
  RESOLVE(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  RESOLVE(cuCtxGetCurrent, "cuCtxGetCurrent");
  RESOLVE(cuCtxSetCurrent, "cuCtxSetCurrent");
  RESOLVE(cuModuleLoadData, "cuModuleLoadData");
  RESOLVE(cuModuleGetFunction, "cuModuleGetFunction");
  RESOLVE(cuLaunchKernel, "cuLaunchKernel");
  RESOLVE(cuMemAlloc, "cuMemAlloc_v2");
  RESOLVE(cuMemFree, "cuMemFree_v2");
  RESOLVE(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2");
  RESOLVE(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2");
  RESOLVE(cuMemcpyAsync, "cuMemcpyAsync");
  RESOLVE(cuMemsetD32Async, "cuMemsetD32Async");
  RESOLVE(cuMemsetD16Async, "cuMemsetD16Async");
  RESOLVE(cuStreamCreate, "cuStreamCreate");
  RESOLVE(cuStreamSynchronize, "cuStreamSynchronize");
  RESOLVE(cuGetErrorName, "cuGetErrorName");
  RESOLVE(cuGetErrorString, "cuGetErrorString");
  CUresult result = driver.cuInit(0);
  int count = 0;
  if (result == CUDA_SUCCESS)
    result = driver.cuDeviceGetCount(&count);
  if (result != CUDA_SUCCESS || count == 0) {
    const char *name = "no device";
    if (result != CUDA_SUCCESS)
      driver.cuGetErrorName(result, &name);
    snprintf(driver.why, sizeof driver.why,
             "no usable CUDA device: cuInit/cuDeviceGetCount gave %s",
             name ? name : "?");
    return -1;
  }
  return 1;
}

/// Opens the driver once per process; 0 (and a message) when there is none.
static int driverReady(void) {
  pthread_mutex_lock(&lock);
  if (!driver.loaded)
    driver.loaded = loadDriverLocked();
  int ok = driver.loaded > 0;
  pthread_mutex_unlock(&lock);
  if (!ok)
    fail(QCC_NO_DEVICE, "%s", driver.why);
  return ok;
}

/// Makes device 0's primary context current unless the caller has one.
static int ensureContext(void) {
  CUcontext ctx = NULL;
  if (!check(driver.cuCtxGetCurrent(&ctx), "cuCtxGetCurrent"))
    return 0;
  if (ctx)
    return 1;
  CUdevice device;
  if (!check(driver.cuDeviceGet(&device, 0), "cuDeviceGet") ||
      !check(driver.cuDevicePrimaryCtxRetain(&ctx, device),
             "cuDevicePrimaryCtxRetain"))
    return 0;
  return check(driver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
}

//===----------------------------------------------------------------------===//
// What the lowered host code calls (MLIR's runtime wrapper interface).
//===----------------------------------------------------------------------===//

struct Function;
typedef struct Module {
  const void *image; // cubin/fatbin, or NUL-terminated PTX
  CUcontext context; // where `module` was loaded
  CUmodule module;
  struct Function *functions;
} Module;

typedef struct Function {
  Module *owner;
  const char *name;
  CUcontext context;
  CUfunction function;
  struct Function *next;
} Function;

// Called from the model's constructor: only records the image.
void *mgpuModuleLoad(void *data, size_t size) {
  (void)size;
  Module *module = (Module *)calloc(1, sizeof(Module));
  if (module)
    module->image = data;
  return module;
}

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  (void)optLevel;
  return mgpuModuleLoad(data, 0);
}

// Called from the model's destructor. The CUmodule is left to the driver,
// which may already be shutting down when a process exits.
void mgpuModuleUnload(void *handle) {
  Module *module = (Module *)handle;
  if (!module)
    return;
  pthread_mutex_lock(&lock);
  for (Function *f = module->functions, *next; f; f = next) {
    next = f->next;
    free(f);
  }
  pthread_mutex_unlock(&lock);
  free(module);
}

void *mgpuModuleGetFunction(void *handle, const char *name) {
  Module *module = (Module *)handle;
  if (!module)
    return NULL;
  pthread_mutex_lock(&lock);
  Function *f = module->functions;
  while (f && strcmp(f->name, name) != 0)
    f = f->next;
  if (!f && (f = (Function *)calloc(1, sizeof(Function)))) {
    f->owner = module;
    f->name = name;
    f->next = module->functions;
    module->functions = f;
  }
  pthread_mutex_unlock(&lock);
  return f;
}

/// The kernel in the current context, loading the image on first use.
static CUfunction resolve(Function *f) {
  CUcontext ctx = NULL;
  if (!check(driver.cuCtxGetCurrent(&ctx), "cuCtxGetCurrent"))
    return NULL;
  pthread_mutex_lock(&lock);
  Module *module = f->owner;
  if (f->function && f->context == ctx) {
    CUfunction function = f->function;
    pthread_mutex_unlock(&lock);
    return function;
  }
  int ok = 1;
  if (!module->module || module->context != ctx) {
    ok = check(driver.cuModuleLoadData(&module->module, module->image),
               "loading the model's kernels (cuModuleLoadData)");
    module->context = ctx;
  }
  if (ok &&
      check(driver.cuModuleGetFunction(&f->function, module->module, f->name),
            "cuModuleGetFunction"))
    f->context = ctx;
  CUfunction function = ok ? f->function : NULL;
  pthread_mutex_unlock(&lock);
  return function;
}

void *mgpuStreamCreate(void) { return currentStream; }
void mgpuStreamDestroy(void *stream) { (void)stream; }
void mgpuStreamSynchronize(void *stream) { (void)stream; }

void mgpuLaunchKernel(void *handle, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t paramCount) {
  (void)paramCount;
  if (status)
    return;
  if (!handle) {
    fail(QCC_OUT_OF_MEMORY, "out of host memory for the kernel table");
    return;
  }
  CUfunction function = resolve((Function *)handle);
  if (!function)
    return;
  check(driver.cuLaunchKernel(
            function, (unsigned)gridX, (unsigned)gridY, (unsigned)gridZ,
            (unsigned)blockX, (unsigned)blockY, (unsigned)blockZ,
            (unsigned)sharedBytes, (CUstream)stream, params, extra),
        ((Function *)handle)->name);
}

void *mgpuMemAlloc(uint64_t bytes, void *stream, int hostShared) {
  (void)stream;
  (void)hostShared;
  CUdeviceptr ptr = 0;
  if (!status)
    check(driver.cuMemAlloc(&ptr, bytes ? bytes : 1), "cuMemAlloc");
  return (void *)(uintptr_t)ptr;
}

void mgpuMemFree(void *ptr, void *stream) {
  (void)stream;
  if (ptr && driver.loaded > 0)
    driver.cuMemFree((CUdeviceptr)(uintptr_t)ptr);
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  if (!status)
    check(driver.cuMemcpyAsync((CUdeviceptr)(uintptr_t)dst,
                               (CUdeviceptr)(uintptr_t)src, bytes,
                               (CUstream)stream),
          "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream) {
  if (!status)
    check(driver.cuMemsetD32Async((CUdeviceptr)(uintptr_t)dst, value, count,
                                  (CUstream)stream),
          "cuMemsetD32Async");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count, void *stream) {
  if (!status)
    check(driver.cuMemsetD16Async((CUdeviceptr)(uintptr_t)dst, value, count,
                                  (CUstream)stream),
          "cuMemsetD16Async");
}

//===----------------------------------------------------------------------===//
// What P_run, P_run_device and P_last_error call.
//===----------------------------------------------------------------------===//

/// A model's buffers, as its ABI wrapper describes them.
typedef struct {
  int32_t numInputs, numOutputs;
  const uint64_t *inputBytes, *outputBytes;
  uint64_t workspaceBytes;
} qcc_cuda_model;

/// Device buffers P_run keeps between runs (one set per model).
typedef struct {
  pthread_mutex_t lock;
  CUcontext context;
  CUstream stream;
  CUdeviceptr *buffers; // inputs, outputs, workspace
} Cache;

typedef void (*Body)(void **args);

static void begin(void) {
  status = QCC_OK;
  message[0] = 0;
}

const char *qcc_cuda_last_error(void) { return message; }

/// Calls `body` with the buffers in `main`'s order, on `stream`.
static void launch(const qcc_cuda_model *model, const void *const *inputs,
                   void *const *outputs, void *workspace, CUstream stream,
                   Body body) {
  int n = model->numInputs + model->numOutputs + 1;
  void **args = (void **)calloc((size_t)n, sizeof(void *));
  if (!args) {
    fail(QCC_OUT_OF_MEMORY, "out of host memory");
    return;
  }
  int k = 0;
  for (int i = 0; i < model->numInputs; ++i)
    args[k++] = (void *)inputs[i];
  for (int i = 0; i < model->numOutputs; ++i)
    args[k++] = outputs[i];
  args[k] = workspace;
  currentStream = stream;
  body(args);
  currentStream = NULL;
  free(args);
}

/// Runs `body` on device buffers given by the caller, on `stream`: the run is
/// enqueued, not waited for.
int qcc_cuda_run_device(const qcc_cuda_model *model, const void *const *inputs,
                        void *const *outputs, void *workspace, void *stream,
                        Body body) {
  begin();
  if (model->workspaceBytes &&
      (!workspace || ((uintptr_t)workspace & 63) != 0)) {
    fail(QCC_BAD_WORKSPACE,
         "the model needs a 64-byte aligned device workspace of %llu bytes",
         (unsigned long long)model->workspaceBytes);
    return status;
  }
  if (driverReady() && ensureContext())
    launch(model, inputs, outputs, workspace, (CUstream)stream, body);
  return status;
}

/// Frees what prepare() allocated, so that the next run starts again.
static void release(const qcc_cuda_model *model, Cache *cache) {
  int n = model->numInputs + model->numOutputs + 1;
  for (int i = 0; i < n; ++i)
    if (cache->buffers[i])
      driver.cuMemFree(cache->buffers[i]);
  free(cache->buffers);
  cache->buffers = NULL;
}

/// Allocates the cached device buffers and the run's stream once.
static int prepare(const qcc_cuda_model *model, Cache *cache) {
  CUcontext ctx = NULL;
  if (!check(driver.cuCtxGetCurrent(&ctx), "cuCtxGetCurrent"))
    return 0;
  if (cache->buffers && cache->context == ctx)
    return 1;
  int n = model->numInputs + model->numOutputs + 1;
  cache->buffers = (CUdeviceptr *)calloc((size_t)n, sizeof(CUdeviceptr));
  if (!cache->buffers) {
    fail(QCC_OUT_OF_MEMORY, "out of host memory");
    return 0;
  }
  cache->context = ctx;
  if (!check(driver.cuStreamCreate(&cache->stream, CU_STREAM_NON_BLOCKING),
             "cuStreamCreate")) {
    release(model, cache);
    return 0;
  }
  for (int i = 0; i < n; ++i) {
    uint64_t bytes = i < model->numInputs ? model->inputBytes[i]
                     : i < model->numInputs + model->numOutputs
                         ? model->outputBytes[i - model->numInputs]
                         : model->workspaceBytes;
    // 256-byte aligned by the driver, so the workspace is 64-byte aligned.
    if (!check(driver.cuMemAlloc(&cache->buffers[i], bytes ? bytes : 1),
               "allocating device memory (cuMemAlloc)")) {
      release(model, cache);
      return 0;
    }
  }
  return 1;
}

/// Runs `body` on host buffers: copies in, runs, copies out, waits.
int qcc_cuda_run_host(const qcc_cuda_model *model, void **cacheSlot,
                      const void *const *inputs, void *const *outputs,
                      Body body) {
  begin();
  if (!driverReady() || !ensureContext())
    return status;
  pthread_mutex_lock(&lock);
  if (!*cacheSlot) {
    Cache *fresh = (Cache *)calloc(1, sizeof(Cache));
    if (fresh)
      pthread_mutex_init(&fresh->lock, NULL);
    *cacheSlot = fresh;
  }
  Cache *cache = (Cache *)*cacheSlot;
  pthread_mutex_unlock(&lock);
  if (!cache) {
    fail(QCC_OUT_OF_MEMORY, "out of host memory");
    return status;
  }
  // One run at a time per model: the cached buffers are shared.
  pthread_mutex_lock(&cache->lock);
  if (prepare(model, cache)) {
    int in = model->numInputs, out = model->numOutputs;
    for (int i = 0; i < in && !status; ++i)
      check(driver.cuMemcpyHtoDAsync(cache->buffers[i], inputs[i],
                                     model->inputBytes[i], cache->stream),
            "copying an input to the device");
    void *devIn[in ? in : 1], *devOut[out ? out : 1];
    for (int i = 0; i < in; ++i)
      devIn[i] = (void *)(uintptr_t)cache->buffers[i];
    for (int i = 0; i < out; ++i)
      devOut[i] = (void *)(uintptr_t)cache->buffers[in + i];
    // The cached workspace is 256-byte aligned (cuMemAlloc).
    if (!status)
      launch(model, (const void *const *)devIn, devOut,
             (void *)(uintptr_t)cache->buffers[in + out], cache->stream, body);
    for (int i = 0; i < out && !status; ++i)
      check(driver.cuMemcpyDtoHAsync(outputs[i], cache->buffers[in + i],
                                     model->outputBytes[i], cache->stream),
            "copying an output from the device");
    if (!status)
      check(driver.cuStreamSynchronize(cache->stream),
            "running the model (cuStreamSynchronize)");
  }
  pthread_mutex_unlock(&cache->lock);
  return status;
}
