//===- AllTargets.cpp - register every target qcc has ---------------------===//
#include "qcc/Target/CPU/CPUTarget.h"
#include "qcc/Target/CUDA/CUDATarget.h"
#include "qcc/Target/TargetBackend.h"

void qcc::registerAllTargets() {
  static bool registered = [] {
    registerCPUTarget();
    registerCUDATarget();
    return true;
  }();
  (void)registered;
}
