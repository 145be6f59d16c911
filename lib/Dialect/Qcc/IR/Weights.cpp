//===- Weights.cpp - constant tensors held densely or as resources --------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

using namespace mlir;
using namespace llvm;

namespace qcc {

/// Bytes per element in DenseElementsAttr's layout.
static size_t storageBytes(Type t) {
  return std::max<size_t>(1, (t.getIntOrFloatBitWidth() + 7) / 8);
}

std::optional<WeightData> getWeightData(Attribute attr) {
  auto elements = dyn_cast_or_null<ElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  auto type = cast<ShapedType>(elements.getType());
  Type elem = type.getElementType();
  if (!isa<IntegerType, FloatType>(elem) || elem.isInteger(1) ||
      !type.hasStaticShape())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return WeightData{type, dense.getRawData(), dense.isSplat()};
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  if (!blob)
    return std::nullopt;
  ArrayRef<char> raw = blob->getData();
  if (raw.size() != (size_t)type.getNumElements() * storageBytes(elem))
    return std::nullopt; // Released, or not in qcc's layout.
  return WeightData{type, raw, false};
}

bool isResourceWeight(Attribute attr) {
  return isa_and_nonnull<DenseResourceElementsAttr>(attr);
}

ElementsAttr matchWeight(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)) || !getWeightData(attr))
    return {};
  return cast<ElementsAttr>(attr);
}

std::vector<float> weightFloats(ElementsAttr attr) {
  std::optional<WeightData> w = getWeightData(attr);
  if (!w)
    return {};
  int64_t n = w->type.getNumElements();
  std::vector<float> out(n);
  Type elem = w->type.getElementType();
  if (elem.isF32()) {
    if (w->splat)
      std::fill(out.begin(), out.end(), w->at<float>(0));
    else
      std::memcpy(out.data(), w->raw.data(), n * sizeof(float));
    return out;
  }
  if (auto f = dyn_cast<FloatType>(elem)) {
    unsigned width = f.getWidth();
    for (int64_t i = 0; i < n; ++i) {
      uint64_t bits = 0;
      std::memcpy(&bits, w->raw.data() + (w->splat ? 0 : i) * (width / 8),
                  width / 8);
      APFloat v(f.getFloatSemantics(), APInt(width, bits));
      bool lost;
      v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
      out[i] = v.convertToFloat();
    }
    return out;
  }
  std::vector<int64_t> ints = weightInts(attr);
  for (int64_t i = 0; i < n; ++i)
    out[i] = (float)ints[i];
  return out;
}

std::vector<int64_t> weightInts(ElementsAttr attr) {
  std::optional<WeightData> w = getWeightData(attr);
  if (!w)
    return {};
  auto intType = dyn_cast<IntegerType>(w->type.getElementType());
  if (!intType)
    return {};
  int64_t n = w->type.getNumElements();
  unsigned width = intType.getWidth();
  size_t esize = storageBytes(intType);
  bool isUnsigned = intType.isUnsigned();
  std::vector<int64_t> out(n);
  for (int64_t i = 0; i < n; ++i) {
    uint64_t bits = 0;
    std::memcpy(&bits, w->raw.data() + (w->splat ? 0 : i) * esize, esize);
    if (width < 64)
      bits &= (uint64_t(1) << width) - 1;
    out[i] = isUnsigned || width == 64
                 ? (int64_t)bits
                 : SignExtend64(bits, width);
  }
  return out;
}

WeightBuffer::WeightBuffer(size_t bytes) : length(bytes) {
  // aligned_alloc needs a multiple of the alignment; one byte at least.
  size_t rounded = std::max<size_t>(64, (bytes + 63) & ~size_t(63));
  this->bytes = static_cast<char *>(std::aligned_alloc(64, rounded));
  if (!this->bytes)
    report_fatal_error("out of memory for a weight");
  std::memset(this->bytes, 0, rounded);
}

WeightBuffer::WeightBuffer(WeightBuffer &&other) noexcept
    : bytes(other.bytes), length(other.length) {
  other.bytes = nullptr;
  other.length = 0;
}

WeightBuffer &WeightBuffer::operator=(WeightBuffer &&other) noexcept {
  std::free(bytes);
  bytes = other.bytes;
  length = other.length;
  other.bytes = nullptr;
  other.length = 0;
  return *this;
}

WeightBuffer::~WeightBuffer() { std::free(bytes); }

char *WeightBuffer::release() {
  char *out = bytes;
  bytes = nullptr;
  length = 0;
  return out;
}

/// A blob name the printer accepts: the hint's identifier characters.
static std::string blobName(StringRef hint) {
  std::string name;
  for (char c : hint)
    name += llvm::isAlnum(c) || c == '_' ? c : '_';
  if (name.empty() || llvm::isDigit(name[0]))
    name.insert(0, "w_");
  return name;
}

static ElementsAttr makeResource(ShapedType type, ArrayRef<char> bytes,
                                 size_t alignment,
                                 AsmResourceBlob::DeleterFn deleter,
                                 StringRef nameHint) {
  AsmResourceBlob blob(bytes, alignment, std::move(deleter),
                       /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, blobName(nameHint),
                                        std::move(blob));
}

ElementsAttr makeWeight(ShapedType type, WeightBuffer &&buffer, bool resource,
                        StringRef nameHint) {
  if (!resource) {
    ArrayRef<char> raw(buffer.data(), buffer.size());
    return DenseElementsAttr::getFromRawBuffer(type, raw);
  }
  size_t size = buffer.size();
  char *data = buffer.release();
  return makeResource(
      type, ArrayRef<char>(data, size), 64,
      [](void *p, size_t, size_t) { std::free(p); }, nameHint);
}

/// The file mappings behind mapped weights (start address -> length):
/// only those may be dropped with MADV_DONTNEED, which would zero
/// anonymous memory.
static std::mutex mappedLock;
static std::map<const char *, size_t> &mappedRanges() {
  static std::map<const char *, size_t> ranges;
  return ranges;
}

ElementsAttr makeMappedWeight(ShapedType type, ArrayRef<char> bytes,
                              size_t alignment, std::function<void()> release,
                              StringRef nameHint) {
  {
    std::lock_guard<std::mutex> guard(mappedLock);
    mappedRanges()[bytes.data()] = bytes.size();
  }
  const char *start = bytes.data();
  return makeResource(
      type, bytes, alignment,
      [start, release = std::move(release)](void *, size_t, size_t) {
        {
          std::lock_guard<std::mutex> guard(mappedLock);
          mappedRanges().erase(start);
        }
        if (release)
          release();
      },
      nameHint);
}

void doneReadingWeight(Attribute attr) {
  auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  if (blob)
    doneReadingWeight(blob->getData());
}

void doneReadingWeight(ArrayRef<char> data) {
  if (data.empty())
    return;
  {
    std::lock_guard<std::mutex> guard(mappedLock);
    if (!mappedRanges().count(data.data()))
      return;
  }
  // Whole pages inside the weight only: a neighbour may still be in use.
  static const uintptr_t page = ::sysconf(_SC_PAGESIZE);
  uintptr_t begin = ((uintptr_t)data.data() + page - 1) / page * page;
  uintptr_t end = ((uintptr_t)data.data() + data.size()) / page * page;
  if (end > begin)
    ::madvise((void *)begin, end - begin, MADV_DONTNEED);
}

ElementsAttr retypeWeight(ElementsAttr attr, ShapedType type) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  auto dense = cast<DenseElementsAttr>(attr);
  if (dense.getElementType() == type.getElementType())
    return dense.reshape(type);
  return DenseElementsAttr::getFromRawBuffer(type, dense.getRawData());
}

uint64_t releaseUnusedWeights(Operation *root) {
  MLIRContext *ctx = root->getContext();
  llvm::DenseSet<const void *> used;
  root->walk([&](Operation *op) {
    op->getAttrDictionary().walk([&](DenseResourceElementsAttr attr) {
      used.insert(attr.getRawHandle().getResource());
    });
  });
  auto &manager =
      DenseResourceElementsHandle::getManagerInterface(ctx).getBlobManager();
  SmallVector<std::string> dead;
  manager.getBlobMap([&](const StringMap<DialectResourceBlobManager::BlobEntry>
                             &map) {
    for (const auto &entry : map) {
      const AsmResourceBlob *blob = entry.second.getBlob();
      if (blob && !blob->getData().empty() && !used.count(&entry.second))
        dead.push_back(entry.first().str());
    }
  });
  uint64_t released = 0;
  for (const std::string &key : dead) {
    if (DialectResourceBlobManager::BlobEntry *entry = manager.lookup(key)) {
      released += entry->getBlob()->getData().size();
      entry->setBlob(AsmResourceBlob());
    }
  }
  return released;
}

} // namespace qcc
