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

#define QCC_ABI_VERSION 1

/* Names of the unprefixed entry points of a shared library, for dlsym. */
#define QCC_MODEL_GET_INFO_SYMBOL "qcc_model_get_info"
#define QCC_MODEL_RUN_SYMBOL "qcc_model_run"

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

/* P_info / qcc_model_get_info: a pointer to static data, valid as long as
 * the library stays loaded. */
typedef const qcc_model_info *(*qcc_model_get_info_fn)(void);

/* P_run / qcc_model_run: inputs and outputs are arrays of num_inputs and
 * num_outputs buffer pointers in graph order. Returns 0 on success. */
typedef int (*qcc_model_run_fn)(const void *const *inputs, void *const *outputs,
                                void *workspace);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QCC_RUNTIME_QCC_MODEL_H */
