// Declares glibc's libmvec SIMD variants of the libm functions the element-wise loops call, so
// GCC vectorises those loops (what -ffast-math would enable, without its other effects: NaN and
// infinity keep IEEE semantics). libmvec is accurate to a few ulp and hands special inputs to
// the scalar routines. Include before any use of these functions; link with -lmvec.
#pragma once

#include <cmath>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NABLA_SIMD __attribute__((simd("notinbranch")))
extern "C" {
NABLA_SIMD float expf(float) noexcept;
NABLA_SIMD double exp(double) noexcept;
NABLA_SIMD float logf(float) noexcept;
NABLA_SIMD double log(double) noexcept;
NABLA_SIMD float log1pf(float) noexcept;
NABLA_SIMD double log1p(double) noexcept;
NABLA_SIMD float expm1f(float) noexcept;
NABLA_SIMD double expm1(double) noexcept;
NABLA_SIMD float tanhf(float) noexcept;
NABLA_SIMD double tanh(double) noexcept;
NABLA_SIMD float sinf(float) noexcept;
NABLA_SIMD double sin(double) noexcept;
NABLA_SIMD float cosf(float) noexcept;
NABLA_SIMD double cos(double) noexcept;
NABLA_SIMD float powf(float, float) noexcept;
NABLA_SIMD double pow(double, double) noexcept;
}
#undef NABLA_SIMD
#endif
