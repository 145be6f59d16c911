//===- QccToLinalgPass.cpp - the convert-qcc-to-linalg pass ---------------===//
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/Passes.h"
#include "qcc/Dialect/Qcc/IR/QccDialect.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace qcc {
#define GEN_PASS_DEF_CONVERTQCCTOLINALG
#include "qcc/Conversion/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

QccTypeConverter::QccTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](RankedTensorType t) -> Type { return signless(t); });
  addConversion([](IntegerType t) -> Type { return signless(t); });
  // Unsigned and signless tensors share bits: a cast between them is a no-op
  // that bufferization never sees once every op is converted.
  auto materialize = [](OpBuilder &b, Type type, ValueRange inputs,
                        Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs)
        .getResult(0);
  };
  addSourceMaterialization(materialize);
  addTargetMaterialization(materialize);
}

void qcc::populateQccToLinalgPatterns(TypeConverter &converter,
                                      RewritePatternSet &patterns) {
  populateQccElementwiseToLinalgPatterns(converter, patterns);
  populateQccMatMulToLinalgPatterns(converter, patterns);
  populateQccConvToLinalgPatterns(converter, patterns);
  populateQccDataMovementToLinalgPatterns(converter, patterns);
  populateQccReductionToLinalgPatterns(converter, patterns);
  populateQccQuantOpsToLinalgPatterns(converter, patterns);
  populateQccLayerNormIntegerToLinalgPatterns(converter, patterns);
}

namespace {
struct ConvertQccToLinalgPass
    : qcc::impl::ConvertQccToLinalgBase<ConvertQccToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    QccTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.addIllegalDialect<QccDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    RewritePatternSet patterns(ctx);
    populateQccToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    // A value returned twice needs a second buffer: each output is its own
    // caller-provided buffer.
    getOperation()->walk([](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 8> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<RankedTensorType>(v.getType());
        if (!type || seen.insert(v).second)
          continue;
        // alloc_tensor (unlike tensor.empty) is never merged by CSE, so the
        // copy really gets a buffer of its own.
        operand.set(bufferization::AllocTensorOp::create(b, ret.getLoc(), type,
                                                         ValueRange{}, v));
      }
    });
  }
};
} // namespace
