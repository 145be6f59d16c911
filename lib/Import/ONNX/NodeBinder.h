//===- NodeBinder.h - per-node view used by the op importers ----*- C++ -*-===//
//
// An op importer sees one ONNX node through a NodeBinder: typed access to
// inputs (values, static shapes, folded constants) and attributes with
// defaults, a builder, and errors that name the node. Importers are
// registered by (op type, since-version) in a table; see OpRegistry.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_LIB_IMPORT_ONNX_NODEBINDER_H
#define QCC_LIB_IMPORT_ONNX_NODEBINDER_H

#include "qcc/Dialect/Qcc/IR/QccOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Error.h"

#include "TensorConversion.h"

#include <onnx/onnx_pb.h>

namespace qcc::onnx_import {

class NodeBinder {
public:
  NodeBinder(const onnx::NodeProto &node, llvm::StringRef displayName,
             int64_t opset, mlir::OpBuilder &b, mlir::Location loc,
             llvm::SmallVectorImpl<mlir::Value> &inputs, std::string &error,
             llvm::StringRef file)
      : node(node), displayName(displayName), opset(opset), b(b), loc(loc),
        inputs(inputs), errorText(error), file(file) {}

  const onnx::NodeProto &node;
  /// The node's name, or "<OpType>_<index>" for unnamed nodes.
  const llvm::StringRef displayName;
  const int64_t opset;
  mlir::OpBuilder &b;
  const mlir::Location loc;

  // --- Inputs -------------------------------------------------------------
  size_t numInputs() const { return inputs.size(); }
  /// Input `i`, or null when absent or given as the empty name.
  mlir::Value input(size_t i) const {
    return i < inputs.size() ? inputs[i] : mlir::Value();
  }
  mlir::RankedTensorType type(size_t i) const {
    return mlir::cast<mlir::RankedTensorType>(input(i).getType());
  }
  llvm::ArrayRef<int64_t> shape(size_t i) const { return type(i).getShape(); }
  int64_t rank(size_t i) const { return type(i).getRank(); }
  mlir::Type elementType(size_t i) const { return type(i).getElementType(); }
  /// The constant value of input `i`, if it is (or folded to) a constant.
  mlir::DenseElementsAttr constant(size_t i) const;
  /// Integer contents of a constant input; error when not constant.
  llvm::FailureOr<llvm::SmallVector<int64_t>> constInts(size_t i,
                                                        llvm::StringRef what);
  llvm::FailureOr<llvm::SmallVector<double>> constFloats(size_t i,
                                                         llvm::StringRef what);
  /// Integer contents of optional input `i` into `out` when the node has
  /// it (`out` unchanged otherwise); error when it is not constant.
  mlir::LogicalResult optionalConstInts(size_t i, llvm::StringRef what,
                                        llvm::SmallVector<int64_t> &out) {
    if (!input(i))
      return mlir::success();
    auto values = constInts(i, what);
    if (mlir::failed(values))
      return mlir::failure();
    out = std::move(*values);
    return mlir::success();
  }

  // --- Attributes ---------------------------------------------------------
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  int64_t attrInt(llvm::StringRef name, int64_t dflt) const;
  float attrFloat(llvm::StringRef name, float dflt) const;
  std::string attrString(llvm::StringRef name, llvm::StringRef dflt) const;
  llvm::SmallVector<int64_t> attrInts(llvm::StringRef name) const;
  llvm::SmallVector<float> attrFloats(llvm::StringRef name) const;

  // --- Results ------------------------------------------------------------
  size_t numOutputs() const { return node.output_size(); }
  void setResult(size_t i, mlir::Value v) {
    if (results.size() <= i)
      results.resize(i + 1);
    results[i] = v;
  }
  llvm::ArrayRef<mlir::Value> getResults() const { return results; }

  /// Records `msg` as this node's error and returns failure.
  mlir::LogicalResult error(const llvm::Twine &msg);
  /// Error for an input that must be constant but is not.
  mlir::LogicalResult notConstant(size_t i, llvm::StringRef what,
                                  llvm::StringRef kind);
  /// Normalizes a possibly negative axis against `rank`.
  llvm::FailureOr<int64_t> axis(int64_t a, int64_t rank);

  /// Creates an op and folds it when its operands are constant.
  template <typename OpTy, typename... Args>
  mlir::Value create(Args &&...args) {
    return b.createOrFold<OpTy>(loc, std::forward<Args>(args)...);
  }
  /// A qcc.constant from an attribute.
  mlir::Value constantOf(mlir::DenseElementsAttr value) {
    return ConstantOp::create(b, loc, value.getType(), value);
  }
  mlir::RankedTensorType tensorType(llvm::ArrayRef<int64_t> shape,
                                    mlir::Type elem) const {
    return mlir::RankedTensorType::get(shape, elem);
  }

private:
  llvm::SmallVectorImpl<mlir::Value> &inputs;
  llvm::SmallVector<mlir::Value> results;
  std::string &errorText;
  llvm::StringRef file;
};

using ImportFn = mlir::LogicalResult (*)(NodeBinder &);

/// Registers importers for ONNX op `opType`: `fn` handles opsets from
/// `sinceVersion` up to the next registration of the same op.
struct OpImporterEntry {
  const char *opType;
  int sinceVersion;
  ImportFn fn;
};

llvm::ArrayRef<OpImporterEntry> elementwiseImporters();
llvm::ArrayRef<OpImporterEntry> nnImporters();
llvm::ArrayRef<OpImporterEntry> shapeImporters();
llvm::ArrayRef<OpImporterEntry> quantImporters();

/// Finds the importer for `opType` at `opset`, or null.
ImportFn lookupImporter(llvm::StringRef opType, int64_t opset);


/// Broadcast shape of two inputs, with an error naming the node.
llvm::FailureOr<llvm::SmallVector<int64_t>>
broadcastOrError(NodeBinder &n, llvm::ArrayRef<int64_t> a,
                 llvm::ArrayRef<int64_t> b);

/// Spatial attributes shared by Conv, ConvTranspose, pooling and the
/// integer convolutions.
struct Window {
  llvm::SmallVector<int64_t> kernel, strides, dilations, pads;
  std::string autoPad;
};
/// Reads strides/dilations/pads/auto_pad with ONNX defaults and checks them.
mlir::LogicalResult readWindow(NodeBinder &n, int64_t spatial,
                               llvm::ArrayRef<int64_t> kernel, Window &w);
/// Output spatial sizes of a forward window op; resolves auto_pad into pads.
llvm::FailureOr<llvm::SmallVector<int64_t>>
forwardOutput(NodeBinder &n, llvm::ArrayRef<int64_t> in, Window &w,
              bool ceilMode);

/// numpy matmul result shape, with an error naming the node.
llvm::FailureOr<llvm::SmallVector<int64_t>>
matmulShape(NodeBinder &n, llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

} // namespace qcc::onnx_import

#endif // QCC_LIB_IMPORT_ONNX_NODEBINDER_H
