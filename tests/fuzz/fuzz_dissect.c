/*
 * fuzz_dissect.c: libFuzzer entry over the whole dissector (link to
 * transport, DNS, TLS SNI, HTTP).  See fuzz_one.h for the input format.
 */
#include "fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return nd_fuzz_dissect_one(data, size);
}
