/* libffi, for calling the library as a foreign caller would. */
#include <ffi.h>
#include <dlfcn.h>
