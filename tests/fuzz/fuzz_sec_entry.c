/*
 * fuzz_sec_entry.c: the libFuzzer entry for one fuzz_sec.h function,
 * chosen at compile time with -DND_FUZZ_ONE=nd_fuzz_<target>_one.
 */
#include "fuzz_sec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return ND_FUZZ_ONE(data, size);
}
