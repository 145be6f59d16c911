//===- ModelSignature.cpp - signature attributes and the C header ---------===//
#include "qcc/Target/ModelSignature.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

using namespace mlir;
using namespace llvm;

namespace qcc {

static Expected<std::vector<TensorSignature>> readTensors(ModuleOp module,
                                                          StringRef attrName) {
  auto array = module->getAttrOfType<ArrayAttr>(attrName);
  if (!array)
    return createStringError(inconvertibleErrorCode(),
                             "module has no '" + attrName +
                                 "' attribute (was it imported by qcc?)");
  std::vector<TensorSignature> out;
  for (Attribute a : array) {
    auto dict = dyn_cast<DictionaryAttr>(a);
    auto name = dict ? dict.getAs<StringAttr>("name") : StringAttr();
    auto dtype = dict ? dict.getAs<IntegerAttr>("dtype") : IntegerAttr();
    auto shape =
        dict ? dict.getAs<DenseI64ArrayAttr>("shape") : DenseI64ArrayAttr();
    if (!name || !dtype || !shape)
      return createStringError(inconvertibleErrorCode(),
                               "malformed '" + attrName + "' entry");
    TensorSignature t{name.str(), (int32_t)dtype.getInt(),
                      std::vector<int64_t>(shape.asArrayRef().begin(),
                                           shape.asArrayRef().end()),
                      std::nullopt};
    auto scale = dict.getAs<FloatAttr>("scale");
    auto zeroPoint = dict.getAs<IntegerAttr>("zero_point");
    if (scale && zeroPoint)
      t.quant = EdgeQuantization{(float)scale.getValueAsDouble(),
                                 (int32_t)zeroPoint.getInt()};
    else if (scale || zeroPoint)
      return createStringError(inconvertibleErrorCode(),
                               "malformed '" + attrName + "' entry '" +
                                   name.getValue() +
                                   "': a scale without a zero point");
    out.push_back(std::move(t));
  }
  return out;
}

Expected<ModelSignature> readSignature(ModuleOp module) {
  ModelSignature sig;
  auto in = readTensors(module, "qcc.inputs");
  if (!in)
    return in.takeError();
  auto out = readTensors(module, "qcc.outputs");
  if (!out)
    return out.takeError();
  sig.inputs = std::move(*in);
  sig.outputs = std::move(*out);
  if (auto ws = module->getAttrOfType<IntegerAttr>("qcc.workspace_bytes"))
    sig.workspaceBytes = ws.getInt();
  return sig;
}

std::string toCIdentifier(StringRef name) {
  std::string id;
  for (char c : name)
    id.push_back(isAlnum(c) ? c : '_');
  if (id.empty() || isDigit(id[0]))
    id.insert(id.begin(), '_');
  return id;
}

static StringRef cTypeOf(int32_t dtype) {
  switch (dtype) {
  case 1:
    return "float";
  case 2:
    return "uint8_t";
  case 3:
    return "int8_t";
  case 4:
    return "uint16_t";
  case 5:
    return "int16_t";
  case 6:
    return "int32_t";
  case 7:
    return "int64_t";
  case 9:
    return "bool";
  case 10:
    return "uint16_t /* float16 bits */";
  case 11:
    return "double";
  case 12:
    return "uint32_t";
  case 13:
    return "uint64_t";
  case 16:
    return "uint16_t /* bfloat16 bits */";
  default:
    return "void";
  }
}

/// A float literal that reads back as exactly `v`.
static std::string floatLiteral(float v) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.9gf", v);
  std::string text = buf;
  // "1f" is not a C literal: give integral values a decimal point.
  if (text.find_first_of(".e") == std::string::npos)
    text.insert(text.size() - 1, ".0");
  return text;
}

/// Scale and zero-point constants of integer inputs and outputs, and how a
/// caller converts at the edge.
static void emitEdgeQuantization(raw_ostream &os, const ModelSignature &sig,
                                 StringRef prefix) {
  auto quantized = [](const TensorSignature &t) { return t.quant.has_value(); };
  if (llvm::none_of(sig.inputs, quantized) &&
      llvm::none_of(sig.outputs, quantized))
    return;
  std::string upper = toCIdentifier(prefix.upper());
  os << "\n/* Integer I/O (--integer-only): these buffers hold 8-bit values\n"
     << "   q = saturate(round_half_to_even(x / SCALE) + ZERO_POINT) for real\n"
     << "   values x. Convert at the edge, where floats are available:\n"
     << "     int32_t q = (int32_t)lrintf(x / SCALE) + ZERO_POINT;\n"
     << "     q = q < QMIN ? QMIN : q > QMAX ? QMAX : q;   (uint8: 0..255,\n"
     << "                                                  int8: -128..127)\n"
     << "     float x = (float)(q - ZERO_POINT) * SCALE;\n"
     << "   (lrintf rounds half to even in the default rounding mode.) */\n";
  auto emit = [&](StringRef kind, const std::vector<TensorSignature> &ts) {
    for (const TensorSignature &t : ts) {
      if (!t.quant)
        continue;
      std::string base = upper + "_" + kind.str() + "_" +
                         toCIdentifier(StringRef(t.name).upper());
      os << "#define " << base << "_SCALE " << floatLiteral(t.quant->scale)
         << "\n#define " << base << "_ZERO_POINT " << t.quant->zeroPoint
         << "\n";
    }
  };
  emit("INPUT", sig.inputs);
  emit("OUTPUT", sig.outputs);
}

/// `text` as it may stand inside a C comment: no `*/` to end it early (a
/// model's tensor names are the model author's, not ours), no `/*` (a
/// warning, an error under -Werror), and nothing
/// but printable ASCII (a newline could end a `//` comment a tool adds,
/// and other bytes depend on the reader's encoding).
static std::string commentSafe(StringRef text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "*\\/";
      ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      out += "/\\*";
      ++i;
    } else if (c < 0x20 || c >= 0x7f)
      out += "\\x" + llvm::utohexstr(c, /*LowerCase=*/true, /*Width=*/2);
    else
      out += char(c);
  }
  return out;
}

std::string generateHeader(const ModelSignature &sig, StringRef prefix,
                           StringRef target, bool deviceEntryPoints,
                           bool parallelEntryPoints) {
  std::string text;
  raw_string_ostream os(text);
  std::string guard = toCIdentifier(prefix.upper()) + "_H";
  os << "/* Generated by qcc: compiled model '" << prefix << "' for "
     << commentSafe(target)
     << ". Do not edit. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdbool.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     // The same definitions as qcc/Runtime/qcc_model.h, under its guard.
     << "#ifndef QCC_MODEL_ABI_TYPES\n#define QCC_MODEL_ABI_TYPES\n"
     << "typedef struct qcc_tensor_info {\n  const char *name;\n"
     << "  int32_t dtype;\n  int32_t rank;\n  const int64_t *shape;\n"
     << "} qcc_tensor_info;\n\n"
     << "typedef struct qcc_model_info {\n  uint32_t abi_version;\n"
     << "  const char *name;\n  int32_t num_inputs;\n"
     << "  const qcc_tensor_info *inputs;\n  int32_t num_outputs;\n"
     << "  const qcc_tensor_info *outputs;\n  uint64_t workspace_bytes;\n"
     << "  const char *target;\n} qcc_model_info;\n\n"
     << "typedef struct qcc_tensor_quant {\n  int32_t quantized;\n"
     << "  float scale;\n  int32_t zero_point;\n} qcc_tensor_quant;\n\n"
     << "typedef struct qcc_quant_info {\n  int32_t num_inputs;\n"
     << "  const qcc_tensor_quant *inputs;\n  int32_t num_outputs;\n"
     << "  const qcc_tensor_quant *outputs;\n} qcc_quant_info;\n\n"
     << "typedef void (*qcc_task_fn)(void *task, int64_t begin, int64_t end);\n"
     << "typedef struct qcc_parallel {\n"
     << "  void (*parallel_for)(void *context, int64_t n, qcc_task_fn task,\n"
     << "                       void *task_arg);\n"
     << "  void *context;\n  int32_t num_threads;\n} qcc_parallel;\n"
     << "#endif\n\n";
  auto describe = [&](const char *kind,
                      const std::vector<TensorSignature> &ts) {
    for (auto [i, t] : llvm::enumerate(ts)) {
      os << "/* " << kind << " " << i << " '" << commentSafe(t.name)
         << "': " << cTypeOf(t.dtype) << " [";
      for (auto [j, d] : llvm::enumerate(t.shape))
        os << (j ? "x" : "") << d;
      os << "]";
      if (t.quant)
        os << ", quantized: scale " << floatLiteral(t.quant->scale)
           << ", zero point " << t.quant->zeroPoint;
      os << " */\n";
    }
  };
  describe("input", sig.inputs);
  describe("output", sig.outputs);
  emitEdgeQuantization(os, sig, prefix);
  os << "\n/* Bytes of scratch memory P_run needs (64-byte aligned). */\n"
     << "#define " << toCIdentifier(prefix.upper()) << "_WORKSPACE_BYTES "
     << (deviceEntryPoints ? 0 : sig.workspaceBytes) << "u\n";
  if (deviceEntryPoints)
    os << "/* Bytes of device memory P_run_device needs as its workspace. */\n"
       << "#define " << toCIdentifier(prefix.upper())
       << "_DEVICE_WORKSPACE_BYTES " << sig.workspaceBytes << "u\n";
  os << "\n/* The model's description: names, dtypes (ONNX codes), shapes. */\n"
     << "const qcc_model_info *" << prefix << "_info(void);\n\n"
     << "/* Runs the model. `inputs` and `outputs` hold one dense row-major\n"
     << "   buffer per tensor, in the order above; `workspace` holds at least\n"
     << "   workspace_bytes (64-byte aligned), or NULL when that is 0.\n"
     << "   Returns 0 on success. */\n"
     << "int " << prefix
     << "_run(const void *const *inputs, void *const *outputs,\n"
     << "    void *workspace);\n\n"
     << "/* Each tensor's scale and zero point, when it is quantized\n"
     << "   (ABI version 2). */\n"
     << "const qcc_quant_info *" << prefix << "_quant_info(void);\n\n";
  if (deviceEntryPoints)
    os << "/* CUDA (ABI version 3). P_run takes host buffers, copies them to\n"
       << "   the GPU and back and waits; it needs no workspace (pass NULL).\n"
       << "   P_run_device takes device buffers and a CUstream (NULL: the\n"
       << "   default stream) and only enqueues the kernels; its workspace\n"
       << "   is device memory of P_device_workspace_bytes() bytes, 64-byte\n"
       << "   aligned. Both return 0 on success, 2 without a CUDA driver or\n"
       << "   GPU, 3 when a CUDA call fails, 4 out of memory; P_last_error()\n"
       << "   then says why (per thread). */\n"
       << "int " << prefix
       << "_run_device(const void *const *inputs, void *const *outputs,\n"
       << "    void *workspace, void *stream);\n"
       << "const char *" << prefix << "_last_error(void);\n"
       << "uint64_t " << prefix << "_device_workspace_bytes(void);\n\n";
  if (parallelEntryPoints)
    os << "/* Threads (ABI version 4): P_run_parallel runs the model with the\n"
       << "   caller's parallel-for (NULL: one thread, as P_run). Results are\n"
       << "   the same for every thread count. P_parallel_create makes the\n"
       << "   pool linked into the model (NULL where the object has none: a\n"
       << "   cross-compiled one); one pool serves any number of runs, one at\n"
       << "   a time per pool. */\n"
       << "int " << prefix
       << "_run_parallel(const void *const *inputs, void *const *outputs,\n"
       << "    void *workspace, const qcc_parallel *parallel);\n"
       << "qcc_parallel *" << prefix << "_parallel_create(int32_t num_threads);\n"
       << "void " << prefix << "_parallel_destroy(qcc_parallel *pool);\n\n";
  // Typed convenience wrapper: one parameter per tensor, named after it.
  os << "static inline int " << prefix << "_run_typed(";
  bool first = true;
  auto param = [&](const TensorSignature &t, bool isInput, size_t i) {
    os << (first ? "" : ", ") << (isInput ? "const " : "") << cTypeOf(t.dtype)
       << " *" << (isInput ? "in" : "out") << i << "_" << toCIdentifier(t.name);
    first = false;
  };
  for (auto [i, t] : llvm::enumerate(sig.inputs))
    param(t, true, i);
  for (auto [i, t] : llvm::enumerate(sig.outputs))
    param(t, false, i);
  os << (first ? "" : ", ") << "void *workspace) {\n";
  os << "  const void *inputs[] = {";
  for (auto [i, t] : llvm::enumerate(sig.inputs))
    os << (i ? ", " : "") << "in" << i << "_" << toCIdentifier(t.name);
  if (sig.inputs.empty())
    os << "0";
  os << "};\n  void *outputs[] = {";
  for (auto [i, t] : llvm::enumerate(sig.outputs))
    os << (i ? ", " : "") << "out" << i << "_" << toCIdentifier(t.name);
  os << "};\n  return " << prefix << "_run(inputs, outputs, workspace);\n}\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}

} // namespace qcc
