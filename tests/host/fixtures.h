/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * What several host test files share, written once: assertions that print
 * the expected and the actual value, the MTE state seen as four 8-byte
 * fields at their offsets, and the VM configurations the guest- and
 * VMM-facing tests run against.
 *
 * Everything here is static or a macro: each test file gets its own copy,
 * and GCC does not warn about the static const objects a file leaves
 * unused when they are defined in a header.  The one exception, the
 * tag-storage seam at the end, is declared here and defined once.
 */
#ifndef KVMMTE_TESTS_FIXTURES_H
#define KVMMTE_TESTS_FIXTURES_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <kvmmte/state.h>
#include <kvmmte/vm.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Fill for output buffers: a byte no conversion or routine writes by chance. */
#define SENTINEL 0xa5

/* A call's return value against the expected one, both printed on failure. */
#define RET_CHECK_(kind, call, text, want) do {				\
	int ret_ = (call), want_ = (want);					\
	cr_##kind##_eq(ret_, want_, "%s: returned %d, expected %d", text, ret_, want_); \
} while (0)
#define ASSERT_RET(call, want)	RET_CHECK_(assert, call, #call, want)
#define EXPECT_RET(call, want)	RET_CHECK_(expect, call, #call, want)

#define EXPECT_U64(what, want, got)						\
	cr_expect_eq((uint64_t)(got), (uint64_t)(want), "%s: expected %#llx, got %#llx", \
		     (what), (unsigned long long)(want), (unsigned long long)(got))

/* Two struct kvmmte_state byte-identical; both printed field by field. */
#define EXPECT_STATE_EQ(what, s, ref)						\
	cr_expect(memcmp((s), (ref), sizeof(*(s))) == 0,			\
		  "%s: state expected {%#llx %#llx %#llx %#llx}, got {%#llx %#llx %#llx %#llx}", \
		  (what), (unsigned long long)(ref)->rgsr_el1, (unsigned long long)(ref)->gcr_el1, \
		  (unsigned long long)(ref)->tfsr_el1, (unsigned long long)(ref)->tfsre0_el1, \
		  (unsigned long long)(s)->rgsr_el1, (unsigned long long)(s)->gcr_el1,	\
		  (unsigned long long)(s)->tfsr_el1, (unsigned long long)(s)->tfsre0_el1)

/*
 * The state's fields by byte offset, as the register tables give them
 * (0 RGSR_EL1, 8 GCR_EL1, 16 TFSR_EL1, 24 TFSRE0_EL1): the tests walk
 * the registers without naming a member.
 */
static inline uint64_t field_at(const struct kvmmte_state *s, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)s + off, 8);
	return v;
}

static inline void set_field_at(struct kvmmte_state *s, size_t off, uint64_t v)
{
	memcpy((char *)s + off, &v, 8);
}

/* An MTE2 VM with asynchronous tag-check faults: GMID_EL1.BS 4, eager. */
static const struct kvmmte_vm_config vm_mte = { .mte_level = 2, .flags = 0, .gmid_bs = 4, .async = 1 };
/* MTE2 without FEAT_MTE_ASYNC: the TFSR registers do not exist. */
static const struct kvmmte_vm_config vm_noasync = { .mte_level = 2, .flags = 0, .gmid_bs = 4, .async = 0 };
static const struct kvmmte_vm_config vm_none = { .mte_level = 0, .flags = 0, .gmid_bs = 0, .async = 0 };

/*
 * ---- The tag-storage seam (tests/host/test_tags_page.c defines these) ----
 *
 * Host builds of lib/tags.c send every loop of asm/tags.S to
 * kvmmte_fake_tags_insn(), named by the loop (what follows
 * kvmmte_tags_loop_: "stgm_256", "save_bytes_gm", "dc_gzva_64" ...), and
 * read DCZID_EL0 from kvmmte_fake_tags_dczid().  test_tags_page.c records
 * the calls here, answers tags_fake_dczid (reset to 4: a 64-byte block,
 * DZP clear, by tags_seam_reset()) and counts the reads.
 */
struct tags_insn_call {
	char op[32];
	uintptr_t start, buf;
	size_t size, block;
};

#define TAGS_MAX_CALLS	8
extern struct tags_insn_call tags_calls[TAGS_MAX_CALLS];
extern unsigned int tags_ncalls;
extern uint64_t tags_fake_dczid;
extern unsigned int tags_dczid_reads;
void tags_seam_reset(void);
/*
 * The one loop call since the last check was @op over [@start, +@size)
 * with @buf and @block (messages name @what); the record is then cleared.
 */
void expect_tags_loop(const char *what, const char *op, const void *start, size_t size,
		      const void *buf, size_t block);
/* A call returned @ret, expected @want, and ran no loop. */
void expect_no_tags_loop(int ret, int want, const char *what);

#endif /* KVMMTE_TESTS_FIXTURES_H */
