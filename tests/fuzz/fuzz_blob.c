// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * libFuzzer target: migration blob restore.  Input: a VM selector, a
 * "repair" byte, then the blob.  Repair optionally fixes magic, version,
 * length and CRC so the fuzzer also reaches the checks behind them.
 * Invariants:
 *  - the return value is exactly the documented one (reference validator);
 *  - a rejected blob leaves the state byte-identical;
 *  - an accepted blob is canonical: saving the restored state reproduces
 *    the input byte for byte.
 */
#include "fuzz_common.h"

static uint32_t ref_crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffff;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
	}
	return ~crc;
}

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

/* A VM with async faults carries four registers, one without two (no TFSR). */
static unsigned int ref_size(bool async)
{
	return async ? 56 : 40;
}

static int ref_restore_result(bool vm_valid, bool mte, bool async, const uint8_t *b, size_t n)
{
	unsigned int i, len = ref_size(async), crc = len - 8;

	if (!vm_valid)
		return -KVMMTE_EINVAL;
	if (!mte)
		return -KVMMTE_EPERM;
	if (n < 16)
		return -KVMMTE_EBADMSG;
	if (memcmp(b, "KMTE", 4))
		return -KVMMTE_EPROTO;
	if (le(b + 4, 2) != 1)
		return -KVMMTE_EPROTONOSUPPORT;
	if (le(b + 8, 4) != len || n < len)
		return -KVMMTE_EBADMSG;
	if (n > len)
		return -KVMMTE_E2BIG;
	if (le(b + crc, 4) != ref_crc32(b, crc) || le(b + 6, 2) || le(b + 12, 4) ||
	    le(b + crc + 4, 4))
		return -KVMMTE_EBADMSG;
	for (i = 0; i < (async ? 4U : 2U); i++)
		if (le(b + 16 + 8 * i, 8) & ~fuzz_valid[i])
			return -KVMMTE_ERANGE;
	return 0;
}

static int fuzz_one(struct fuzz_in *in)
{
	struct kvmmte_vm_config vm;
	struct kvmmte_state s, s0;
	bool vm_valid = fuzz_pick_vm(in, &vm);
	unsigned int repair = (unsigned int)fuzz_take(in, 1), i;
	uint8_t *blob, out[64];
	size_t n = in->n;
	unsigned int len = ref_size(vm.async), crc = len - 8;
	int ret, want;

	/* Exactly n bytes on the heap, so ASan sees any over-read. */
	blob = malloc(n ? n : 1);
	if (!blob)
		return 0;
	memcpy(blob, in->p, n);
	if ((repair & 1) && n >= 4)
		memcpy(blob, "KMTE", 4);
	if ((repair & 2) && n >= 6)
		blob[4] = 1, blob[5] = 0;
	if ((repair & 4) && n >= 12)
		blob[8] = (uint8_t)len, blob[9] = blob[10] = blob[11] = 0;
	if ((repair & 8) && n >= len) {
		uint32_t c;

		for (i = 0; i < crc - 16 && (repair & 0x10); i++)	/* clear RES0 bits too */
			blob[16 + i] &= (uint8_t)(fuzz_valid[i / 8] >> (8 * (i % 8)));
		c = ref_crc32(blob, crc);
		blob[crc] = (uint8_t)c, blob[crc + 1] = (uint8_t)(c >> 8);
		blob[crc + 2] = (uint8_t)(c >> 16), blob[crc + 3] = (uint8_t)(c >> 24);
	}

	for (i = 0; i < 4; i++)
		fuzz_set_field(&s, i, 0x0123456789abcdefULL * (i + 1));
	s0 = s;
	ret = kvmmte_state_blob_restore(&vm, &s, blob, n);
	want = ref_restore_result(vm_valid, vm.mte_level >= 2, vm.async, blob, n);
	FUZZ_CHECK(ret == want, "restore of %zu bytes: ret %d want %d", n, ret, want);
	if (ret) {
		FUZZ_CHECK(memcmp(&s, &s0, sizeof(s)) == 0, "state changed on rejection (%d)", ret);
	} else {
		FUZZ_CHECK(kvmmte_state_blob_save(&vm, &s, out, sizeof(out)) == (int)len, "save");
		FUZZ_CHECK(n == len && memcmp(out, blob, len) == 0, "accepted blob is not canonical");
		if (!vm.async)	/* the TFSR fields of a VM without them: 0 */
			FUZZ_CHECK(fuzz_field(&s, 2) == 0 && fuzz_field(&s, 3) == 0, "TFSR fields set");
	}
	free(blob);
	return 0;
}
