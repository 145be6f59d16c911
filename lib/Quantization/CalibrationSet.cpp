//===- CalibrationSet.cpp - calibration samples from disk -----------------===//
#include "CalibrationSet.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace llvm;
using namespace qcc;

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), "calibration: " + msg);
}

static std::string mismatch(const std::string &what, const runtime::Tensor &t,
                            const TensorSignature &sig) {
  return what + " holds " + runtime::dtypeName(t.dtype) + " " +
         runtime::formatShape(t.shape) + ", input '" + sig.name + "' is " +
         runtime::dtypeName(sig.dtype) + " " + runtime::formatShape(sig.shape);
}

/// The number of samples stacked in `t` for input `sig`, if it fits.
static std::optional<size_t> stackedCount(const runtime::Tensor &t,
                                          const TensorSignature &sig) {
  if (t.dtype != sig.dtype)
    return std::nullopt;
  const auto &s = t.shape;
  // [N, *shape]
  if (s.size() == sig.shape.size() + 1 &&
      std::equal(sig.shape.begin(), sig.shape.end(), s.begin() + 1))
    return s[0];
  // [N * b, *shape[1:]]
  if (!sig.shape.empty() && s.size() == sig.shape.size() && sig.shape[0] > 0 &&
      std::equal(sig.shape.begin() + 1, sig.shape.end(), s.begin() + 1) &&
      s[0] % sig.shape[0] == 0)
    return s[0] / sig.shape[0];
  return std::nullopt;
}

Expected<CalibrationSet>
CalibrationSet::open(const std::string &path,
                     const std::vector<TensorSignature> &inputs,
                     int64_t maxSamples) {
  auto set = openAll(path, inputs);
  if (set && maxSamples > 0)
    set->count = std::min<size_t>(set->count, maxSamples);
  return set;
}

Expected<CalibrationSet>
CalibrationSet::openAll(const std::string &path,
                        const std::vector<TensorSignature> &inputs) {
  CalibrationSet set;
  set.path = path;
  set.inputs = inputs;
  if (StringRef(path).ends_with(".npz")) {
    std::vector<std::pair<std::string, runtime::Tensor>> arrays;
    std::string error;
    if (!runtime::readNpz(path, arrays, error))
      return fail(error);
    for (auto [i, sig] : llvm::enumerate(inputs)) {
      auto it =
          llvm::find_if(arrays, [&](auto &a) { return a.first == sig.name; });
      if (it == arrays.end() && arrays.size() == 1 && inputs.size() == 1)
        it = arrays.begin();
      if (it == arrays.end())
        return fail("'" + path + "' has no array named '" + sig.name +
                    "' for input '" + sig.name + "'");
      std::optional<size_t> n = stackedCount(it->second, sig);
      if (!n)
        return fail(mismatch("array '" + it->first + "' of '" + path + "'",
                             it->second, sig) +
                    " (expected the samples stacked along a new first axis "
                    "or along the batch axis)");
      if (i > 0 && *n != set.count)
        return fail("'" + path + "': array '" + it->first + "' holds " +
                    Twine(*n) + " samples, the others " + Twine(set.count));
      set.count = *n;
      set.stacked.push_back(std::move(it->second));
    }
    if (set.count == 0)
      return fail("'" + path + "' holds no samples");
    return set;
  }

  if (!sys::fs::is_directory(path))
    return fail("'" + path + "' is neither a folder nor a .npz file");
  std::error_code ec;
  for (sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
       it.increment(ec))
    if (sys::fs::is_directory(it->path()))
      set.folders.push_back(it->path());
  if (ec)
    return fail("cannot list '" + path + "': " + ec.message());
  llvm::sort(set.folders);
  if (set.folders.empty())
    set.folders.push_back(path);
  set.count = set.folders.size();
  return set;
}

std::string CalibrationSet::sampleName(size_t index) const {
  if (!folders.empty())
    return folders[index];
  return path + "[" + std::to_string(index) + "]";
}

Error CalibrationSet::load(size_t index,
                           std::vector<runtime::Tensor> &out) const {
  out.assign(inputs.size(), {});
  for (auto [i, sig] : llvm::enumerate(inputs)) {
    if (!folders.empty()) {
      SmallString<256> npy(folders[index]), pb(folders[index]);
      sys::path::append(npy, sig.name + ".npy");
      sys::path::append(pb, "input_" + Twine(i) + ".pb");
      std::string file = sys::fs::exists(npy)  ? npy.str().str()
                         : sys::fs::exists(pb) ? pb.str().str()
                                               : "";
      if (file.empty())
        return fail("sample '" + folders[index] + "' has no file for input '" +
                    sig.name + "' (expected " + sig.name + ".npy or input_" +
                    Twine(i) + ".pb)");
      std::string error;
      if (!runtime::loadTensor(file, out[i], error))
        return fail(error);
      if (out[i].dtype != sig.dtype || out[i].shape != sig.shape)
        return fail(mismatch("'" + file + "'", out[i], sig));
      continue;
    }
    const runtime::Tensor &all = stacked[i];
    size_t bytes = all.data.size() / count;
    out[i].dtype = sig.dtype;
    out[i].shape = sig.shape;
    out[i].data.assign(all.data.begin() + index * bytes,
                       all.data.begin() + (index + 1) * bytes);
  }
  return Error::success();
}

Expected<std::vector<std::vector<runtime::Tensor>>>
CalibrationSet::loadAll() const {
  std::vector<std::vector<runtime::Tensor>> all(count);
  for (size_t s = 0; s < count; ++s)
    if (Error e = load(s, all[s]))
      return std::move(e);
  return all;
}
