//===- qcc.cpp - the qcc compiler driver ----------------------------------===//
//
//   qcc model.onnx -o model.o                 object file + model.h
//   qcc model.onnx --emit=shared -o libm.so   shared library (+ header)
//   qcc model.onnx --compile-to=linalg --emit=mlir
//
// Flags become CompileOptions (lib/Compiler/Flags.cpp); qcc::compile does
// the rest.
//
//===----------------------------------------------------------------------===//
#include "qcc/Compiler/Compiler.h"
#include "qcc/Compiler/Flags.h"
#include "qcc/InitAll.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

static int fail(const Twine &msg) {
  WithColor::error(errs(), "qcc") << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  // Every pass by name (before the pass-manager flags read the registry):
  // --pass-at pipelines and --mlir-print-ir-before=PASS.
  qcc::registerAllPasses();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::SetVersionPrinter([](raw_ostream &os) { os << "qcc 0.1 (LLVM 22)\n"; });
  // --help shows qcc's own options (LLVM's and MLIR's stay usable, listed by
  // --help-hidden).
  cl::HideUnrelatedOptions(qcc::compilerFlagCategory());
  cl::ParseCommandLineOptions(
      argc, argv,
      "qcc: compiles ONNX models to native code\n\n"
      "Examples:\n"
      "  qcc model.onnx -o model.o                  object + model.h (C ABI)\n"
      "  qcc model.onnx --emit=shared -o libm.so     shared library\n"
      "  qcc model.onnx --input-shape x=1x3x224x224  fix dynamic dims\n"
      "  qcc model.onnx --quant=f16                  float16 weights\n"
      "  qcc model.onnx --quant=dynamic              int8 MatMul/Gemm weights\n"
      "  qcc model.onnx --quant=int8 --calib=DIR     full integer, calibrated\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --emit=onnx -o m.qdq.onnx\n"
      "                                             the same as QDQ ONNX\n"
      "  qcc model.onnx --quant=w4 --group-size=128  int4 weights (LLMs)\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --calib-method=mse\n"
      "                                             clip ranges for least "
      "error\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --eval=SET --report=r.json\n"
      "                                             per-layer SQNR, sizes, "
      "top-1\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --accuracy-budget=40\n"
      "                                             keep sensitive layers "
      "float\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --integer-only\n"
      "                                             no float arithmetic "
      "inside\n"
      "  qcc model.onnx --quant=w4 --exclude=/head/MatMul "
      "--quant-config=r.json\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --load-pass-plugin=p.so \\\n"
      "      --pass-at='after-quantize=func.func(my-pass)'  your own passes\n"
      "  qcc model.onnx -target=cuda --gpu-arch=sm_90 -o m.o\n"
      "                                             NVIDIA GPU (host object "
      "with kernels)\n"
      "  qcc model.onnx -target=cuda --emit=ptx -o m.ptx   the kernels as PTX\n"
      "  qcc model.onnx -target=cuda --gpu-float-math=tf32 -o m.o\n"
      "                                             float products on tf32 "
      "tensor cores\n"
      "  qcc model.onnx --compile-to=linalg --emit=mlir   IR after a phase\n"
      "  qcc-run libm.so --input x=in.npy --expect out.npy\n\n"
      "Guides: docs/Quantization.md, docs/IntegerOnly.md, docs/CUDA.md, "
      "docs/Plugins.md, docs/ABI.md\n");

  for (const std::string &path : qcc::passPluginFlags()) {
    auto plugin = mlir::PassPlugin::load(path);
    if (!plugin)
      return fail("--load-pass-plugin=" + path + ": " +
                  toString(plugin.takeError()));
    plugin->registerPassRegistryCallbacks();
  }
  auto options = qcc::compileOptionsFromFlags();
  if (!options)
    return fail(toString(options.takeError()));
  if (Error e = qcc::compile(*options))
    return fail(toString(std::move(e)));
  return 0;
}
