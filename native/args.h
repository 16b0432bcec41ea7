// Argument unpacking for the N-API glue: each accessor checks one argument's type and throws a
// TypeError (RangeError for sizes) naming the function and the argument, so misuse from JS is
// an exception, never a crash. Typed arrays are used in place (zero copy).
#pragma once

#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/dtype.h"

namespace nabla {

struct ArrayArg {
  void* data;  // first element (byteOffset already applied)
  int64_t length;
  DType dtype;

  template <class T>
  T* as() const { return static_cast<T*>(data); }
};

// The typed array class for a dtype, with its article: "a Float32Array", "an Int32Array".
inline const char* arrayName(DType t) {
  switch (t) {
    case DType::F32: return "a Float32Array";
    case DType::F64: return "a Float64Array";
    case DType::I32: return "an Int32Array";
  }
  return "?";
}

// Calls f with a value of the C++ type matching a float dtype, e.g. f(float{}).
template <class F>
void withFloat(DType t, F&& f) {
  if (t == DType::F32) {
    f(float{});
  } else {
    f(double{});
  }
}

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* function, size_t count)
      : info_(info), function_(function) {
    if (info.Length() < count) {
      fail(std::string("expects ") + std::to_string(count) + " arguments, got " +
           std::to_string(info.Length()));
    }
  }

  Napi::Env env() const { return info_.Env(); }

  bool boolean(size_t i, const char* name) const {
    if (!info_[i].IsBoolean()) failArg(i, name, "a boolean");
    return info_[i].As<Napi::Boolean>().Value();
  }

  double number(size_t i, const char* name) const {
    if (!info_[i].IsNumber()) failArg(i, name, "a number");
    return info_[i].As<Napi::Number>().DoubleValue();
  }

  // A non-negative integer no larger than `max`.
  int64_t count(size_t i, const char* name, double max = 2147483647.0) const {
    const double v = info_[i].IsNumber() ? info_[i].As<Napi::Number>().DoubleValue() : -1;
    if (!(v >= 0 && v <= max && std::trunc(v) == v)) {
      failArg(i, name, "an integer from 0 to " + std::to_string(static_cast<int64_t>(max)));
    }
    return static_cast<int64_t>(v);
  }

  std::string string(size_t i, const char* name) const {
    if (!info_[i].IsString()) failArg(i, name, "a string");
    return info_[i].As<Napi::String>().Utf8Value();
  }

  uint32_t uint32(size_t i, const char* name) const {
    return static_cast<uint32_t>(count(i, name, 4294967295.0));
  }

  ArrayArg array(size_t i, const char* name) const { return array(info_[i], i, name); }

  ArrayArg floatArray(size_t i, const char* name) const {
    ArrayArg a;
    if (!typedArray(info_[i], a) || a.dtype == DType::I32) {
      failArg(i, name, "a Float32Array or Float64Array");
    }
    return a;
  }

  ArrayArg typed(size_t i, const char* name, DType dtype) const {
    ArrayArg a;
    if (!typedArray(info_[i], a) || a.dtype != dtype) {
      failArg(i, name, arrayName(dtype));
    }
    return a;
  }

  std::vector<ArrayArg> arrayList(size_t i, const char* name) const {
    if (!info_[i].IsArray()) failArg(i, name, "an array of typed arrays");
    Napi::Array list = info_[i].As<Napi::Array>();
    std::vector<ArrayArg> arrays;
    for (uint32_t k = 0; k < list.Length(); ++k) arrays.push_back(array(list.Get(k), i, name));
    return arrays;
  }

  void sameType(const ArrayArg& a, const char* aName, const ArrayArg& b, const char* bName) const {
    if (a.dtype != b.dtype) {
      fail(std::string(aName) + " is " + arrayName(a.dtype) + " but " + bName + " is " +
           arrayName(b.dtype));
    }
  }

  // `elements` is a double so products of several int32 extents cannot overflow unnoticed.
  void needs(const ArrayArg& a, const char* name, double elements) const {
    if (static_cast<double>(a.length) < elements) {
      fail(std::string(name) + " has " + std::to_string(a.length) + " elements, needs " +
               std::to_string(static_cast<int64_t>(elements)),
           true);
    }
  }

  [[noreturn]] void fail(const std::string& message, bool range = false) const {
    const std::string text = std::string(function_) + ": " + message;
    if (range) throw Napi::RangeError::New(env(), text);
    throw Napi::TypeError::New(env(), text);
  }

 private:
  [[noreturn]] void failArg(size_t i, const char* name, const std::string& expected) const {
    failArg(i, name, expected, info_[i]);
  }

  [[noreturn]] void failArg(size_t i, const char* name, const std::string& expected,
                            Napi::Value got) const {
    fail("argument " + std::to_string(i + 1) + " (" + name + ") must be " + expected + ", got " +
         describe(got));
  }

  ArrayArg array(Napi::Value value, size_t i, const char* name) const {
    ArrayArg a;
    if (!typedArray(value, a)) {
      failArg(i, name, "a Float32Array, Float64Array or Int32Array", value);
    }
    return a;
  }

  // Reads a Float32Array, Float64Array or Int32Array into `a`; false for anything else.
  bool typedArray(Napi::Value value, ArrayArg& a) const {
    if (!value.IsTypedArray()) return false;
    napi_typedarray_type type;
    size_t length;
    napi_get_typedarray_info(env(), value, &type, &length, &a.data, nullptr, nullptr);
    a.length = static_cast<int64_t>(length);
    switch (type) {
      case napi_float32_array: a.dtype = DType::F32; return true;
      case napi_float64_array: a.dtype = DType::F64; return true;
      case napi_int32_array: a.dtype = DType::I32; return true;
      default: return false;
    }
  }

  std::string describe(Napi::Value value) const {
    if (value.IsTypedArray()) {
      return "a " + value.As<Napi::Object>().Get("constructor").As<Napi::Object>().Get("name")
                        .ToString().Utf8Value();
    }
    switch (value.Type()) {
      case napi_undefined: return "undefined";
      case napi_null: return "null";
      case napi_boolean: return "a boolean";
      case napi_number: return "the number " + value.ToString().Utf8Value();
      case napi_string: return "a string";
      default: return value.IsArray() ? "an array" : "an object";
    }
  }

  const Napi::CallbackInfo& info_;
  const char* function_;
};

}  // namespace nabla
