// libtorch's autocast switch, which tch exposes only for CUDA with its default
// dtype. Autocast is thread-local dispatcher state: once on, matrix products
// run in the given low precision while everything else (embeddings, layer
// norm, softmax, residual sums) stays f32, as `torch.autocast` does in Python;
// on the CPU, with the narrower policy for matmul below.
#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
#include <c10/util/Exception.h>
#include <torch/library.h>

#include <mutex>

namespace {

// Autocast's CPU policy lowers every matmul. In a transformer that includes
// attention's score (Q·Kᵀ) and context (P·V) products, and their bf16 rounding
// is what moves short sentences' vectors most (few tokens to average it out
// in the pooling). Under this policy a matmul with a 2-D right-hand side (a
// weight matrix) is still lowered, and any other runs in f32, its operands
// widened: the linear layers (tch's `linear`, lowered by autocast's own
// policy), nearly all of the FLOPs, stay bf16; attention becomes f32.
at::Tensor matmul_lowering_weights(const at::Tensor& self, const at::Tensor& other) {
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
  const auto low = [](const at::Tensor& t) {
    return t.scalar_type() == at::kFloat ? t.to(at::kBFloat16) : t;
  };
  const auto wide = [](const at::Tensor& t) {
    return t.scalar_type() == at::kBFloat16 ? t.to(at::kFloat) : t;
  };
  if (other.dim() == 2) {
    return at::matmul(low(self), low(other));
  }
  return at::matmul(wide(self), wide(other));
}

// libtorch warns when a kernel replaces another; here that is the point.
struct Quiet : c10::WarningHandler {
  void process(const c10::Warning&) override {}
};

void lower_only_weight_products() {
  static std::once_flag once;
  std::call_once(once, [] {
    Quiet quiet;
    c10::WarningUtils::WarningHandlerGuard guard(&quiet);
    // Lives as long as the process, like the registrations it replaces.
    static auto* library = new torch::Library(
        torch::Library::IMPL, "aten", c10::DispatchKey::AutocastCPU, __FILE__, __LINE__);
    library->impl("matmul", TORCH_FN(matmul_lowering_weights));
  });
}

}  // namespace

// Switches bf16 autocast on or off for the calling thread. False, with
// nothing changed, if libtorch refused.
extern "C" bool precis_autocast_bf16(bool cuda, bool enabled) {
  try {
    if (!cuda) {
      lower_only_weight_products();
    }
    const auto device = cuda ? at::kCUDA : at::kCPU;
    at::autocast::set_autocast_dtype(device, at::kBFloat16);
    at::autocast::set_autocast_enabled(device, enabled);
    return true;
  } catch (...) {
    return false;
  }
}
