/*===- qcc_model.h - The compiled-model C ABI --------------------*- C -*-===*\
|*                                                                            *|
|* The stable, versioned C interface of a model compiled by qcc. A compiled   *|
|* model with symbol prefix P exports P_info and P_run; a shared library also *|
|* exports the unprefixed aliases qcc_model_get_info and qcc_model_run so a   *|
|* generic loader (qcc-run, the Python API) needs no prefix.                  *|
|*                                                                            *|
|* Extensions (quantization parameters of integer I/O, device-pointer entry   *|
|* points) are added as new symbols and a higher abi_version, never by        *|
|* changing the structs or functions below. A loader written for version N    *|
|* can therefore run any model with abi_version >= N.                         *|
|*                                                                            *|
|* This header is plain C99 and C++ and has no dependencies beyond stdint.h.  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef QCC_RUNTIME_QCC_MODEL_H
#define QCC_RUNTIME_QCC_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1: P_info, P_run. 2: adds P_quant_info (integer I/O). 3: -target=cuda
 * models, which add P_run_device, P_last_error and P_device_workspace_bytes.
 * 4: CPU models (but --integer-only ones, which stay at 2) add
 * P_run_parallel, P_parallel_create and P_parallel_destroy. Versions 3 and
 * 4 add different entry points: look them up by name (dlsym) rather than
 * comparing versions. */
#define QCC_ABI_VERSION 4

/* Names of the unprefixed entry points of a shared library, for dlsym. */
#define QCC_MODEL_GET_INFO_SYMBOL "qcc_model_get_info"
#define QCC_MODEL_RUN_SYMBOL "qcc_model_run"
#define QCC_MODEL_GET_QUANT_INFO_SYMBOL "qcc_model_get_quant_info" /* v2 */
#define QCC_MODEL_RUN_DEVICE_SYMBOL "qcc_model_run_device"         /* v3 */
#define QCC_MODEL_RUN_PARALLEL_SYMBOL "qcc_model_run_parallel"     /* v4 */
#define QCC_MODEL_PARALLEL_CREATE_SYMBOL "qcc_model_parallel_create" /* v4 */
#define QCC_MODEL_PARALLEL_DESTROY_SYMBOL "qcc_model_parallel_destroy" /* v4 */
#define QCC_MODEL_LAST_ERROR_SYMBOL "qcc_model_last_error"         /* v3 */
#define QCC_MODEL_DEVICE_WORKSPACE_BYTES_SYMBOL                                \
  "qcc_model_device_workspace_bytes" /* v3 */

/* Return codes of run (and run_device). */
enum {
  QCC_RUN_OK = 0,
  QCC_RUN_BAD_WORKSPACE = 1, /* missing or not 64-byte aligned */
  QCC_RUN_NO_DEVICE = 2,     /* CUDA: no driver (libcuda.so.1) or no GPU */
  QCC_RUN_DEVICE_ERROR = 3,  /* CUDA: a driver call failed */
  QCC_RUN_OUT_OF_MEMORY = 4  /* CUDA: device or host memory */
};

/* Element types: the ONNX TensorProto.DataType codes, so that values read
 * from an ONNX model or a TensorProto file need no translation. */
enum {
  QCC_DTYPE_FLOAT = 1,
  QCC_DTYPE_UINT8 = 2,
  QCC_DTYPE_INT8 = 3,
  QCC_DTYPE_UINT16 = 4,
  QCC_DTYPE_INT16 = 5,
  QCC_DTYPE_INT32 = 6,
  QCC_DTYPE_INT64 = 7,
  QCC_DTYPE_BOOL = 9, /* one byte per element, 0 or 1 */
  QCC_DTYPE_FLOAT16 = 10,
  QCC_DTYPE_DOUBLE = 11,
  QCC_DTYPE_UINT32 = 12,
  QCC_DTYPE_UINT64 = 13,
  QCC_DTYPE_BFLOAT16 = 16
};

/* Bytes of one element of a QCC_DTYPE_* code; 0 for a code the ABI does
 * not use. */
static inline uint32_t qcc_dtype_size(int32_t dtype) {
  switch (dtype) {
  case QCC_DTYPE_UINT8:
  case QCC_DTYPE_INT8:
  case QCC_DTYPE_BOOL:
    return 1;
  case QCC_DTYPE_UINT16:
  case QCC_DTYPE_INT16:
  case QCC_DTYPE_FLOAT16:
  case QCC_DTYPE_BFLOAT16:
    return 2;
  case QCC_DTYPE_FLOAT:
  case QCC_DTYPE_INT32:
  case QCC_DTYPE_UINT32:
    return 4;
  case QCC_DTYPE_INT64:
  case QCC_DTYPE_DOUBLE:
  case QCC_DTYPE_UINT64:
    return 8;
  default:
    return 0;
  }
}

/* The structs are shared with the headers qcc writes next to a model. */
#ifndef QCC_MODEL_ABI_TYPES
#define QCC_MODEL_ABI_TYPES

/* One input or output. Its buffer is dense, row-major, little endian. */
typedef struct qcc_tensor_info {
  const char *name;
  int32_t dtype;        /* a QCC_DTYPE_* code */
  int32_t rank;         /* 0 for a scalar */
  const int64_t *shape; /* rank static dimensions */
} qcc_tensor_info;

typedef struct qcc_model_info {
  uint32_t abi_version; /* QCC_ABI_VERSION of the compiler that built it */
  const char *name;     /* the symbol prefix P */
  int32_t num_inputs;
  const qcc_tensor_info *inputs;
  int32_t num_outputs;
  const qcc_tensor_info *outputs;
  /* The caller provides at least this many bytes, 64-byte aligned, as the
   * workspace argument of run; NULL when 0. */
  uint64_t workspace_bytes;
  const char *target; /* "x86_64-unknown-linux-gnu", "cuda:sm_90", ... */
} qcc_model_info;

/* ABI version 2: how integer inputs and outputs relate to real values.
 * A model built with --integer-only takes and returns 8-bit tensors; entry
 * i says how to convert buffer i at the edge:
 *   q = saturate(round_half_to_even(x / scale) + zero_point)  (inputs)
 *   x = (q - zero_point) * scale                              (outputs)
 * Tensors with quantized == 0 hold plain values (scale 1, zero point 0). */
typedef struct qcc_tensor_quant {
  int32_t quantized; /* 1 when the buffer holds quantized values */
  float scale;
  int32_t zero_point;
} qcc_tensor_quant;

typedef struct qcc_quant_info {
  int32_t num_inputs;
  const qcc_tensor_quant *inputs; /* in the order of qcc_model_info */
  int32_t num_outputs;
  const qcc_tensor_quant *outputs;
} qcc_quant_info;

/* ABI version 4: threads. A task runs the iterations [begin, end) of one of
 * the model's parallel loops. parallel_for(context, n, task, task_arg) must
 * call task(task_arg, b, e) for ranges that cover [0, n) exactly once, on
 * any threads, concurrently or not, and return when all have returned. */
typedef void (*qcc_task_fn)(void *task, int64_t begin, int64_t end);
typedef struct qcc_parallel {
  void (*parallel_for)(void *context, int64_t n, qcc_task_fn task,
                       void *task_arg);
  void *context;       /* passed back to parallel_for */
  int32_t num_threads; /* informational */
} qcc_parallel;

#endif /* QCC_MODEL_ABI_TYPES */

/* P_info / qcc_model_get_info: a pointer to static data, valid as long as
 * the library stays loaded. */
typedef const qcc_model_info *(*qcc_model_get_info_fn)(void);

/* P_run / qcc_model_run: inputs and outputs are arrays of num_inputs and
 * num_outputs buffer pointers in graph order. Returns 0 on success. */
typedef int (*qcc_model_run_fn)(const void *const *inputs, void *const *outputs,
                                void *workspace);

/* P_quant_info / qcc_model_get_quant_info (abi_version >= 2). */
typedef const qcc_quant_info *(*qcc_model_get_quant_info_fn)(void);

/* ABI version 3, CUDA models (target "cuda:sm_NN"). Their P_run takes host
 * buffers, copies them to the GPU and back, and waits; its workspace
 * argument is unused (workspace_bytes is 0).
 *
 * P_run_device / qcc_model_run_device: inputs and outputs are device
 * pointers (cuMemAlloc/cudaMalloc) in the current CUDA context (device 0's
 * primary context when none is current); workspace is device memory of
 * P_device_workspace_bytes() bytes, 64-byte aligned (NULL when 0); stream is
 * a CUstream (NULL: the default stream). The kernels are only enqueued: the
 * caller synchronizes the stream before reading the outputs. */
typedef int (*qcc_model_run_device_fn)(const void *const *inputs,
                                       void *const *outputs, void *workspace,
                                       void *stream);

/* P_last_error / qcc_model_last_error: why the calling thread's last run
 * failed ("" after a success); valid until its next run. */
typedef const char *(*qcc_model_last_error_fn)(void);

/* P_device_workspace_bytes / qcc_model_device_workspace_bytes. */
typedef uint64_t (*qcc_model_device_workspace_bytes_fn)(void);

/* ABI version 4, CPU models. P_run_parallel / qcc_model_run_parallel: as
 * run, with the model's parallel loops on `parallel` (NULL: the calling
 * thread alone). Outputs are bit-identical for every thread count.
 * P_parallel_create / qcc_model_parallel_create: the thread pool linked into
 * the model (num_threads including the caller's; NULL when the object has
 * none, or out of memory); P_parallel_destroy frees it. A pool runs one
 * parallel_for at a time: concurrent runs on one pool wait for each other. */
typedef int (*qcc_model_run_parallel_fn)(const void *const *inputs,
                                         void *const *outputs, void *workspace,
                                         const qcc_parallel *parallel);
typedef qcc_parallel *(*qcc_model_parallel_create_fn)(int32_t num_threads);
typedef void (*qcc_model_parallel_destroy_fn)(qcc_parallel *pool);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QCC_RUNTIME_QCC_MODEL_H */
