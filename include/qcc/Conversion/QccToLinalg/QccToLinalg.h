//===- QccToLinalg.h - qcc to linalg lowering -------------------*- C++ -*-===//
#ifndef QCC_CONVERSION_QCCTOLINALG_QCCTOLINALG_H
#define QCC_CONVERSION_QCCTOLINALG_QCCTOLINALG_H

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace qcc {
/// Maps ONNX unsigned integer element types (ui8, ...) to signless ones.
class QccTypeConverter : public mlir::TypeConverter {
public:
  QccTypeConverter();
};

void populateQccElementwiseToLinalgPatterns(mlir::TypeConverter &converter,
                                            mlir::RewritePatternSet &patterns);
void populateQccMatMulToLinalgPatterns(mlir::TypeConverter &converter,
                                       mlir::RewritePatternSet &patterns);
void populateQccConvToLinalgPatterns(mlir::TypeConverter &converter,
                                     mlir::RewritePatternSet &patterns);
void populateQccDataMovementToLinalgPatterns(mlir::TypeConverter &converter,
                                             mlir::RewritePatternSet &patterns);
void populateQccReductionToLinalgPatterns(mlir::TypeConverter &converter,
                                          mlir::RewritePatternSet &patterns);
void populateQccQuantOpsToLinalgPatterns(mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);
void populateQccLayerNormIntegerToLinalgPatterns(
    mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);
/// All of the above.
void populateQccToLinalgPatterns(mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
} // namespace qcc

#endif // QCC_CONVERSION_QCCTOLINALG_QCCTOLINALG_H
