//===- TargetBackend.cpp - the registry of targets -------------------------===//
#include "qcc/Target/TargetBackend.h"

#include "llvm/ADT/StringMap.h"

#include <mutex>

using namespace llvm;

namespace qcc {

TargetBackend::~TargetBackend() = default;

namespace {
struct Registry {
  std::mutex mutex;
  StringMap<std::unique_ptr<TargetBackend>> backends;
};
Registry &registry() {
  static Registry r;
  return r;
}
} // namespace

void registerTargetBackend(std::unique_ptr<TargetBackend> backend) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::string name = backend->name().str();
  r.backends[name] = std::move(backend);
}

const TargetBackend *lookupTargetBackend(StringRef name) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = r.backends.find(name);
  return it == r.backends.end() ? nullptr : it->second.get();
}

SmallVector<StringRef> targetBackendNames() {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  SmallVector<StringRef> names;
  for (auto &entry : r.backends)
    names.push_back(entry.first());
  llvm::sort(names);
  return names;
}

} // namespace qcc
