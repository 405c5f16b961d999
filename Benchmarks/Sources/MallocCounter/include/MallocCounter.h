#ifndef SWIFTVI_BENCH_MALLOC_COUNTER_H
#define SWIFTVI_BENCH_MALLOC_COUNTER_H
#include <stdint.h>

/// The number of allocation calls (malloc, calloc, realloc, posix_memalign,
/// aligned_alloc, memalign) made by this process since it started.
uint64_t svibench_allocation_count(void);

#endif
