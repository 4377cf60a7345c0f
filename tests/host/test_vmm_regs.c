// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The VMM's view of a vcpu's MTE state (lib/vmm.c): reset, one-reg
 * get/set, the migration blob.  One-reg ids, reset values and the blob's
 * bytes are written out by hand here (the blob's CRC from an independent
 * table-driven CRC-32 checked against the standard check value); every
 * rejected request must leave the state byte-identical.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <kvmmte/vmm.h>
#include "fixtures.h"

/* vm_mte, vm_noasync and vm_none: fixtures.h.  MTE level 1 is no VM's. */
static const struct kvmmte_vm_config vm_bad = { 1, 0, 0, 0 };

/* KVM one-reg ids: 0x6030000000130000 | op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2 */
struct id_case {
	const char *name;
	uint64_t id;
	size_t off;
	uint64_t valid;
};
static const struct id_case ids[] = {
	{ "RGSR_EL1", 0x603000000013c085ULL, 0, 0xffff0f },	/* 3,0,1,0,5 */
	{ "GCR_EL1", 0x603000000013c086ULL, 8, 0x1ffff },	/* 3,0,1,0,6 */
	{ "TFSR_EL1", 0x603000000013c2b0ULL, 16, 0x3 },		/* 3,0,5,6,0 */
	{ "TFSRE0_EL1", 0x603000000013c2b1ULL, 24, 0x3 },	/* 3,0,5,6,1 */
};
#define NIDS 4

static const struct kvmmte_state prev_vm = {
	.rgsr_el1 = 0x00123405, .gcr_el1 = 0x10001, .tfsr_el1 = 0x3, .tfsre0_el1 = 0x1,
};

/* --- reset ----------------------------------------------------------------- */

Test(reset, mte_vcpu_gets_the_documented_pattern_whatever_was_there)
{
	struct kvmmte_state s = prev_vm;

	cr_assert_eq(kvmmte_vcpu_reset(&vm_mte, &s), 0);
	/* 0xa5a5... masked: RGSR SEED 0xa5a5, TAG 0x5; GCR RRND 1, Exclude 0xa5a5 */
	EXPECT_U64("rgsr", 0xa5a505, s.rgsr_el1);
	EXPECT_U64("gcr", 0x1a5a5, s.gcr_el1);
	EXPECT_U64("tfsr", 0, s.tfsr_el1);
	EXPECT_U64("tfsre0", 0, s.tfsre0_el1);
	memset(&s, 0xff, sizeof(s));
	cr_assert_eq(kvmmte_vcpu_reset(&vm_mte, &s), 0);
	EXPECT_U64("rgsr from all-ones", 0xa5a505, s.rgsr_el1);
	EXPECT_U64("tfsr from all-ones", 0, s.tfsr_el1);
}

Test(reset, vcpu_without_mte_is_all_zero)
{
	struct kvmmte_state s = prev_vm, zero;

	memset(&zero, 0, sizeof(zero));
	cr_assert_eq(kvmmte_vcpu_reset(&vm_none, &s), 0);
	EXPECT_STATE_EQ("no-MTE reset", &s, &zero);
}

Test(reset, errors_leave_the_state_untouched)
{
	struct kvmmte_state s = prev_vm;

	cr_expect_eq(kvmmte_vcpu_reset(&vm_bad, &s), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vcpu_reset(NULL, &s), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vcpu_reset(&vm_mte, NULL), -KVMMTE_EFAULT);
	EXPECT_STATE_EQ("reset errors", &s, &prev_vm);
}

/* --- register list ----------------------------------------------------------- */

Test(reg_list, four_ids_for_an_mte_vm_in_state_order)
{
	uint64_t out[6] = { 0 };
	size_t i;

	cr_expect_eq(kvmmte_vmm_reg_list(&vm_mte, NULL, 0), 4);
	cr_assert_eq(kvmmte_vmm_reg_list(&vm_mte, out, 6), 4);
	for (i = 0; i < NIDS; i++)
		EXPECT_U64(ids[i].name, ids[i].id, out[i]);
	EXPECT_U64("past the end", 0, out[4]);
}

Test(reg_list, none_for_a_vm_without_mte)
{
	uint64_t out[4] = { 7, 7, 7, 7 };

	cr_expect_eq(kvmmte_vmm_reg_list(&vm_none, out, 4), 0);
	cr_expect_eq(kvmmte_vmm_reg_list(&vm_none, NULL, 0), 0);
	EXPECT_U64("out[0]", 7, out[0]);
}

Test(reg_list, short_buffer_and_bad_config)
{
	uint64_t out[4] = { 7, 7, 7, 7 };

	cr_expect_eq(kvmmte_vmm_reg_list(&vm_mte, out, 3), -KVMMTE_ENOSPC);
	EXPECT_U64("out[0] after ENOSPC", 7, out[0]);
	cr_expect_eq(kvmmte_vmm_reg_list(&vm_bad, out, 4), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vmm_reg_list(NULL, out, 4), -KVMMTE_EFAULT);
}

/* --- get / set ------------------------------------------------------------------ */

Test(get_set, get_reads_each_register)
{
	size_t i;

	for (i = 0; i < NIDS; i++) {
		uint64_t v = 0xdead;

		cr_assert_eq(kvmmte_vmm_get_reg(&vm_mte, &prev_vm, ids[i].id, &v), 0, "%s", ids[i].name);
		EXPECT_U64(ids[i].name, field_at(&prev_vm, ids[i].off), v);
	}
}

Test(get_set, set_writes_only_the_named_register_and_get_returns_it)
{
	size_t i;

	for (i = 0; i < NIDS; i++) {
		struct kvmmte_state s = prev_vm, ref = prev_vm;
		uint64_t v = ids[i].valid & 0x5a5a5a5a5a5a5a5aULL, got = 0;

		set_field_at(&ref, ids[i].off, v);
		cr_assert_eq(kvmmte_vmm_set_reg(&vm_mte, &s, ids[i].id, v), 0, "%s", ids[i].name);
		EXPECT_STATE_EQ(ids[i].name, &s, &ref);
		cr_assert_eq(kvmmte_vmm_get_reg(&vm_mte, &s, ids[i].id, &got), 0);
		EXPECT_U64(ids[i].name, v, got);
		/* every defined bit at once is accepted */
		cr_expect_eq(kvmmte_vmm_set_reg(&vm_mte, &s, ids[i].id, ids[i].valid), 0);
		EXPECT_U64(ids[i].name, ids[i].valid, field_at(&s, ids[i].off));
	}
}

Test(get_set, any_res0_bit_is_erange_and_nothing_changes)
{
	size_t i;
	unsigned b;

	for (i = 0; i < NIDS; i++)
		for (b = 0; b < 64; b++) {
			struct kvmmte_state s = prev_vm;
			uint64_t bit = 1ULL << b;

			if (ids[i].valid & bit)
				continue;
			cr_expect_eq(kvmmte_vmm_set_reg(&vm_mte, &s, ids[i].id, bit), -KVMMTE_ERANGE,
				     "%s bit %u accepted", ids[i].name, b);
			EXPECT_STATE_EQ(ids[i].name, &s, &prev_vm);
		}
}

Test(get_set, unknown_ids_are_enoent)
{
	static const uint64_t unknown[] = {
		0x603000000013c804ULL,	/* GMID_EL1 3,1,0,0,4: not state */
		0x603000000013eab0ULL,	/* TFSR_EL12 3,5,5,6,0: an alias */
		0x603000000013e2b0ULL,	/* TFSR_EL2 3,4,5,6,0 */
		0x603000000013c080ULL,	/* SCTLR_EL1 */
		0x603000000013c087ULL,	/* next to GCR */
		0x6020000000130000ULL | 0xc086,	/* GCR's sysreg bits, U32 size */
		0x603000000012c086ULL,	/* GCR's bits, another register group */
		0x0000000000000000ULL, ~0ULL, 0xc086ULL,
	};
	size_t i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct kvmmte_state s = prev_vm;
		uint64_t v = 0x77;

		cr_expect_eq(kvmmte_vmm_get_reg(&vm_mte, &s, unknown[i], &v), -KVMMTE_ENOENT,
			     "get %#llx", (unsigned long long)unknown[i]);
		cr_expect_eq(kvmmte_vmm_set_reg(&vm_mte, &s, unknown[i], 0), -KVMMTE_ENOENT,
			     "set %#llx", (unsigned long long)unknown[i]);
		/* unknown wins over hidden: the id is wrong whatever the VM */
		cr_expect_eq(kvmmte_vmm_set_reg(&vm_none, &s, unknown[i], 0), -KVMMTE_ENOENT);
		EXPECT_U64("val after ENOENT", 0x77, v);
		EXPECT_STATE_EQ("ENOENT", &s, &prev_vm);
	}
}

Test(get_set, hidden_for_a_vm_without_mte_is_eperm)
{
	size_t i;

	for (i = 0; i < NIDS; i++) {
		struct kvmmte_state s = prev_vm;
		uint64_t v = 0x77;

		cr_expect_eq(kvmmte_vmm_get_reg(&vm_none, &s, ids[i].id, &v), -KVMMTE_EPERM, "%s",
			     ids[i].name);
		cr_expect_eq(kvmmte_vmm_set_reg(&vm_none, &s, ids[i].id, 0), -KVMMTE_EPERM, "%s",
			     ids[i].name);
		EXPECT_U64("val after EPERM", 0x77, v);
		EXPECT_STATE_EQ("EPERM", &s, &prev_vm);
	}
}

Test(get_set, caller_errors)
{
	struct kvmmte_state s = prev_vm;
	uint64_t v = 0x77;

	cr_expect_eq(kvmmte_vmm_get_reg(NULL, &s, ids[0].id, &v), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vmm_get_reg(&vm_mte, NULL, ids[0].id, &v), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vmm_get_reg(&vm_mte, &s, ids[0].id, NULL), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vmm_get_reg(&vm_bad, &s, ids[0].id, &v), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vmm_set_reg(NULL, &s, ids[0].id, 0), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vmm_set_reg(&vm_mte, NULL, ids[0].id, 0), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vmm_set_reg(&vm_bad, &s, ids[0].id, 0), -KVMMTE_EINVAL);
	EXPECT_U64("val", 0x77, v);
	EXPECT_STATE_EQ("caller errors", &s, &prev_vm);
}

/* --- migration blob -------------------------------------------------------------- */

/* Table-driven CRC-32 (IEEE, reflected): a second implementation. */
static uint32_t test_crc32(const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	uint32_t crc = 0xffffffff;
	size_t i;

	if (!table[1])
		for (i = 0; i < 256; i++) {
			uint32_t c = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	for (i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void fix_crc(uint8_t *b)
{
	uint32_t c = test_crc32(b, 48);

	b[48] = (uint8_t)c;
	b[49] = (uint8_t)(c >> 8);
	b[50] = (uint8_t)(c >> 16);
	b[51] = (uint8_t)(c >> 24);
}

static const struct kvmmte_state blob_state = {
	.rgsr_el1 = 0xabcd03, .gcr_el1 = 0x1fff0, .tfsr_el1 = 0x3, .tfsre0_el1 = 0x1,
};
/* blob_state serialised, byte by byte (CRC from Python's zlib.crc32). */
static const uint8_t blob_bytes[56] = {
	'K', 'M', 'T', 'E', 0x01, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x03, 0xcd, 0xab, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x77, 0x06, 0x52, 0x79, 0x00, 0x00, 0x00, 0x00,
};

Test(blob, test_crc_matches_the_standard_check_value)
{
	cr_assert_eq(test_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
	cr_assert_eq(test_crc32(blob_bytes, 48), 0x79520677u);
}

Test(blob, save_produces_the_documented_little_endian_bytes)
{
	uint8_t buf[64];
	size_t i;

	memset(buf, 0xee, sizeof(buf));
	cr_assert_eq(kvmmte_state_blob_save(&vm_mte, &blob_state, buf, sizeof(buf)), 56);
	for (i = 0; i < 56; i++)
		cr_expect_eq(buf[i], blob_bytes[i], "byte %zu: expected %#x, got %#x", i,
			     blob_bytes[i], buf[i]);
	cr_expect_eq(buf[56], 0xee, "wrote past the blob");
}

Test(blob, restore_of_the_documented_bytes_and_round_trip)
{
	struct kvmmte_state s = prev_vm;
	uint8_t buf[56];

	cr_assert_eq(kvmmte_state_blob_restore(&vm_mte, &s, blob_bytes, 56), 0);
	EXPECT_STATE_EQ("restore", &s, &blob_state);

	cr_assert_eq(kvmmte_state_blob_save(&vm_mte, &prev_vm, buf, sizeof(buf)), 56);
	cr_assert_eq(kvmmte_state_blob_restore(&vm_mte, &s, buf, sizeof(buf)), 0);
	EXPECT_STATE_EQ("round trip", &s, &prev_vm);
}

Test(blob, save_errors_write_nothing)
{
	uint8_t buf[56];
	size_t i;

	memset(buf, 0xee, sizeof(buf));
	cr_expect_eq(kvmmte_state_blob_save(&vm_mte, &blob_state, buf, 55), -KVMMTE_ENOSPC);
	cr_expect_eq(kvmmte_state_blob_save(&vm_mte, &blob_state, buf, 0), -KVMMTE_ENOSPC);
	cr_expect_eq(kvmmte_state_blob_save(&vm_none, &blob_state, buf, 56), -KVMMTE_EPERM);
	cr_expect_eq(kvmmte_state_blob_save(&vm_bad, &blob_state, buf, 56), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_state_blob_save(NULL, &blob_state, buf, 56), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_state_blob_save(&vm_mte, NULL, buf, 56), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_state_blob_save(&vm_mte, &blob_state, NULL, 56), -KVMMTE_EFAULT);
	for (i = 0; i < sizeof(buf); i++)
		cr_expect_eq(buf[i], 0xee, "byte %zu written", i);
}

/* Restore @b (@n bytes) into a copy of prev_vm: expect @err, state unchanged. */
static void expect_rejected(const char *what, const struct kvmmte_vm_config *vm,
			    const uint8_t *b, size_t n, int err)
{
	struct kvmmte_state s = prev_vm;
	int ret = kvmmte_state_blob_restore(vm, &s, b, n);

	cr_expect_eq(ret, err, "%s: expected %d, got %d", what, err, ret);
	EXPECT_STATE_EQ(what, &s, &prev_vm);
}

Test(blob, truncated_is_ebadmsg)
{
	size_t n;

	for (n = 0; n < 16; n++)
		expect_rejected("shorter than the header", &vm_mte, blob_bytes, n, -KVMMTE_EBADMSG);
	for (n = 16; n < 56; n++)
		expect_rejected("shorter than its length", &vm_mte, blob_bytes, n, -KVMMTE_EBADMSG);
}

Test(blob, longer_than_its_length_is_e2big)
{
	uint8_t b[64] = { 0 };

	memcpy(b, blob_bytes, 56);
	expect_rejected("trailing bytes", &vm_mte, b, 57, -KVMMTE_E2BIG);
	expect_rejected("trailing bytes", &vm_mte, b, 64, -KVMMTE_E2BIG);
}

Test(blob, bad_magic_is_eproto)
{
	uint8_t b[56];
	int i;

	for (i = 0; i < 4; i++) {
		memcpy(b, blob_bytes, 56);
		b[i] ^= 0x20;
		fix_crc(b);
		expect_rejected("magic", &vm_mte, b, 56, -KVMMTE_EPROTO);
	}
	/* big-endian writer's magic */
	memcpy(b, blob_bytes, 56);
	b[0] = 'E', b[1] = 'T', b[2] = 'M', b[3] = 'K';
	fix_crc(b);
	expect_rejected("byte-swapped magic", &vm_mte, b, 56, -KVMMTE_EPROTO);
}

Test(blob, other_version_is_eprotonosupport)
{
	static const uint16_t versions[] = { 0, 2, 0x100, 0xffff };
	uint8_t b[56];
	size_t i;

	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		memcpy(b, blob_bytes, 56);
		b[4] = (uint8_t)versions[i];
		b[5] = (uint8_t)(versions[i] >> 8);
		fix_crc(b);
		expect_rejected("version", &vm_mte, b, 56, -KVMMTE_EPROTONOSUPPORT);
	}
}

Test(blob, wrong_length_field_is_ebadmsg)
{
	static const uint32_t lens[] = { 0, 55, 57, 64, 0x38000000 };
	uint8_t b[64] = { 0 };
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memcpy(b, blob_bytes, 56);
		b[8] = (uint8_t)lens[i];
		b[9] = (uint8_t)(lens[i] >> 8);
		b[10] = (uint8_t)(lens[i] >> 16);
		b[11] = (uint8_t)(lens[i] >> 24);
		fix_crc(b);
		expect_rejected("length field", &vm_mte, b, 56, -KVMMTE_EBADMSG);
		expect_rejected("length field, buffer of that size", &vm_mte, b,
				lens[i] <= 64 ? lens[i] : 64, -KVMMTE_EBADMSG);
	}
}

Test(blob, any_corrupted_byte_is_rejected)
{
	uint8_t b[56];
	int i;

	/* Bytes the CRC covers (and the CRC itself): EBADMSG unless the flip
	 * hits magic or version, which are checked first. */
	for (i = 0; i < 56; i++) {
		int want = i < 4 ? -KVMMTE_EPROTO : i < 6 ? -KVMMTE_EPROTONOSUPPORT : -KVMMTE_EBADMSG;

		memcpy(b, blob_bytes, 56);
		b[i] ^= 0x01;
		expect_rejected("one flipped bit", &vm_mte, b, 56, want);
	}
}

Test(blob, reserved_fields_must_be_zero)
{
	static const int reserved[] = { 6, 7, 12, 13, 14, 15, 52, 53, 54, 55 };
	uint8_t b[56];
	size_t i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		memcpy(b, blob_bytes, 56);
		b[reserved[i]] = 0x80;
		fix_crc(b);
		expect_rejected("reserved byte", &vm_mte, b, 56, -KVMMTE_EBADMSG);
	}
}

Test(blob, res0_bits_in_any_register_are_erange)
{
	size_t r;
	unsigned bit;

	for (r = 0; r < NIDS; r++)
		for (bit = 0; bit < 64; bit++) {
			uint8_t b[56];

			if (ids[r].valid & (1ULL << bit))
				continue;
			memcpy(b, blob_bytes, 56);
			b[16 + ids[r].off + bit / 8] |= (uint8_t)(1U << (bit % 8));
			fix_crc(b);
			expect_rejected(ids[r].name, &vm_mte, b, 56, -KVMMTE_ERANGE);
		}
}

Test(blob, restore_into_a_vm_without_mte_is_eperm)
{
	expect_rejected("no-MTE VM", &vm_none, blob_bytes, 56, -KVMMTE_EPERM);
}

Test(blob, caller_errors)
{
	struct kvmmte_state s = prev_vm;

	expect_rejected("bad config", &vm_bad, blob_bytes, 56, -KVMMTE_EINVAL);
	expect_rejected("NULL vm", NULL, blob_bytes, 56, -KVMMTE_EFAULT);
	expect_rejected("NULL buffer", &vm_mte, NULL, 56, -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_state_blob_restore(&vm_mte, NULL, blob_bytes, 56), -KVMMTE_EFAULT);
	EXPECT_STATE_EQ("untouched", &s, &prev_vm);
}

/* --- a VM without FEAT_MTE_ASYNC: no TFSR registers, a 40-byte blob ----------- */

Test(noasync, reg_list_has_rgsr_and_gcr_only_exact_room_is_enough)
{
	uint64_t out[3] = { 7, 7, 7 };

	cr_expect_eq(kvmmte_vmm_reg_list(&vm_noasync, NULL, 0), 2);
	cr_expect_eq(kvmmte_vmm_reg_list(&vm_noasync, out, 1), -KVMMTE_ENOSPC);
	EXPECT_U64("out[0] after ENOSPC", 7, out[0]);
	cr_assert_eq(kvmmte_vmm_reg_list(&vm_noasync, out, 2), 2);
	EXPECT_U64(ids[0].name, ids[0].id, out[0]);
	EXPECT_U64(ids[1].name, ids[1].id, out[1]);
	EXPECT_U64("past the end", 7, out[2]);
}

/* Exactly KVMMTE_VMM_NR_REGS entries of room is enough; one fewer is not. */
Test(reg_list, exact_room_is_enough_one_less_is_enospc)
{
	uint64_t out[4] = { 7, 7, 7, 7 };
	size_t i;

	cr_assert_eq(kvmmte_vmm_reg_list(&vm_mte, out, 4), 4);
	for (i = 0; i < NIDS; i++)
		EXPECT_U64(ids[i].name, ids[i].id, out[i]);
	memset(out, 7, sizeof(out));
	cr_expect_eq(kvmmte_vmm_reg_list(&vm_mte, out, 3), -KVMMTE_ENOSPC);
	EXPECT_U64("out[0] after ENOSPC", 0x0707070707070707ULL, out[0]);
}

Test(noasync, tfsr_ids_are_hidden_eperm_rgsr_gcr_work)
{
	struct kvmmte_state s = prev_vm;
	uint64_t v = 0x5a;
	size_t i;

	for (i = 0; i < NIDS; i++) {
		int want = ids[i].off >= 16 ? -KVMMTE_EPERM : 0;

		cr_expect_eq(kvmmte_vmm_get_reg(&vm_noasync, &s, ids[i].id, &v), want,
			     "get %s", ids[i].name);
		cr_expect_eq(kvmmte_vmm_set_reg(&vm_noasync, &s, ids[i].id, 1), want,
			     "set %s", ids[i].name);
	}
	EXPECT_U64("TFSR_EL1 untouched", prev_vm.tfsr_el1, s.tfsr_el1);
	EXPECT_U64("TFSRE0_EL1 untouched", prev_vm.tfsre0_el1, s.tfsre0_el1);
	EXPECT_U64("GCR_EL1 set", 1, s.gcr_el1);
}

/* blob_state's RGSR and GCR, serialised for a VM without async (CRC from zlib). */
static const uint8_t blob_bytes_noasync[40] = {
	'K', 'M', 'T', 'E', 0x01, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x03, 0xcd, 0xab, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x9d, 0x77, 0xb7, 0x0b, 0x00, 0x00, 0x00, 0x00,
};

Test(noasync, blob_carries_rgsr_and_gcr_only)
{
	struct kvmmte_state s = prev_vm;
	uint8_t buf[64];
	size_t i;

	cr_expect_eq(test_crc32(blob_bytes_noasync, 32), 0x0bb7779du);
	cr_expect_eq(kvmmte_state_blob_size(&vm_noasync), 40);
	cr_expect_eq(kvmmte_state_blob_size(&vm_mte), 56);
	cr_expect_eq(kvmmte_state_blob_size(&vm_none), -KVMMTE_EPERM);
	memset(buf, 0xee, sizeof(buf));
	cr_expect_eq(kvmmte_state_blob_save(&vm_noasync, &blob_state, buf, 39), -KVMMTE_ENOSPC);
	cr_expect_eq(buf[0], 0xee, "written on ENOSPC");
	cr_assert_eq(kvmmte_state_blob_save(&vm_noasync, &blob_state, buf, 40), 40);
	for (i = 0; i < 40; i++)
		cr_expect_eq(buf[i], blob_bytes_noasync[i], "byte %zu: expected %#x, got %#x", i,
			     blob_bytes_noasync[i], buf[i]);
	cr_expect_eq(buf[40], 0xee, "wrote past the blob");
	cr_assert_eq(kvmmte_state_blob_restore(&vm_noasync, &s, blob_bytes_noasync, 40), 0);
	EXPECT_U64("RGSR_EL1", blob_state.rgsr_el1, s.rgsr_el1);
	EXPECT_U64("GCR_EL1", blob_state.gcr_el1, s.gcr_el1);
	EXPECT_U64("TFSR_EL1 (absent)", 0, s.tfsr_el1);
	EXPECT_U64("TFSRE0_EL1 (absent)", 0, s.tfsre0_el1);
}

/* A blob of the other kind of VM is refused, and nothing changes. */
Test(noasync, blob_of_the_other_kind_is_ebadmsg)
{
	struct kvmmte_state s = prev_vm;

	cr_expect_eq(kvmmte_state_blob_restore(&vm_noasync, &s, blob_bytes, 56), -KVMMTE_EBADMSG);
	cr_expect_eq(kvmmte_state_blob_restore(&vm_mte, &s, blob_bytes_noasync, 40),
		     -KVMMTE_EBADMSG);
	EXPECT_STATE_EQ("after both", &s, &prev_vm);
}
