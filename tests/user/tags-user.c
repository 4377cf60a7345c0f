// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The _el0 tag-storage routines on real tagged memory, under qemu-aarch64
 * (or on an MTE machine): mmap(PROT_MTE) pages, synchronous tag checks
 * enabled with prctl(PR_SET_TAGGED_ADDR_CTRL).
 *
 * Every page size x format x clear mode x pointer kind runs one cycle:
 * random tags are written with this file's own STG, saved, the page is
 * cleared, restored, and then every granule is read back with LDG and
 * loaded through a pointer carrying its expected tag, so a wrong tag
 * faults (SIGSEGV, si_code SEGV_MTESERR) and is reported by granule.  A
 * load with a wrong tag must fault, or the checks were not live.  Guard
 * pages on both sides must keep their tags and data.  Every error path
 * must leave the page, its neighbours and the buffer as they were.
 *
 * Pointer kinds: an untagged pointer lets clear use DC GVA/GZVA (qemu
 * reports DCZID_EL0.DZP = 0); a pointer with an address tag makes it use
 * ST2G/STZ2G (STGM/STZGM for _el1), so both paths run.
 *
 * The _el1 routines run here too.  What they use that EL0 may not --
 * LDGM, STGM, STZGM and MRS GMID_EL1 -- raises SIGILL, and the handler
 * below carries each out from its Arm ARM definition, one granule at a
 * time with LDG/STG/STZG, with GMID_EL1.BS chosen by the test (2..6: the
 * hardware of this machine's QEMU only ever reports 6).  This checks the
 * routines' logic (addresses, loop bounds, word layout, block sizes), not
 * the block instructions themselves: those run for real at EL2 in the
 * benchmark and the QEMU harness.
 *
 *   tags-user [--seed N]	random tags from seed N (default: from the
 *				clock); the seed is printed to rerun a failure.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <kvmmte/tags.h>
#include "harness.h"
#include "../target/tags-shared.h"

#ifndef PROT_MTE
#define PROT_MTE		0x20
#endif
#ifndef PR_SET_TAGGED_ADDR_CTRL
#define PR_SET_TAGGED_ADDR_CTRL	55
#endif
#ifndef PR_TAGGED_ADDR_ENABLE
#define PR_TAGGED_ADDR_ENABLE	(1UL << 0)
#endif
#ifndef PR_MTE_TCF_SYNC
#define PR_MTE_TCF_SYNC		(1UL << 1)
#endif
#ifndef PR_MTE_TAG_SHIFT
#define PR_MTE_TAG_SHIFT	3
#endif
#ifndef SEGV_MTESERR
#define SEGV_MTESERR		9
#endif

#define GRANULE		16
#define MAX_PAGE	KVMMTE_TAGS_PAGE_64K
#define MAX_TAGS	(MAX_PAGE / GRANULE)
#define CANARY		0xa5
#define BUF_SLACK	64

/* ---- this file's own tag access: independent of the library ----------- */

static uintptr_t untag(const void *p)
{
	return (uintptr_t)p & ~((uintptr_t)0xf << 56);
}

static void *with_tag(const void *p, unsigned int tag)
{
	return (void *)(untag(p) | (uintptr_t)tag << 56);
}

static void stg(void *granule, unsigned int tag)
{
	uintptr_t a = (uintptr_t)with_tag(granule, tag);

	__asm__ volatile("stg %0, [%0]" : : "r"(a) : "memory");
}

static unsigned int ldg(const void *granule)
{
	uintptr_t a = untag(granule);

	__asm__ volatile("ldg %0, [%0]" : "+r"(a) : : "memory");
	return (unsigned int)(a >> 56) & 0xf;
}

/* PSTATE.TCO = 1: bulk data set-up and checks through untagged pointers. */
static void tag_checks_off(void)
{
	__asm__ volatile("msr tco, #1" : : : "memory");
}

static void tag_checks_on(void)
{
	__asm__ volatile("msr tco, #0" : : : "memory");
}

/* ---- faults --------------------------------------------------------- */

static sigjmp_buf probe_jmp;
static volatile sig_atomic_t probing;
static volatile int probe_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!probing) {		/* a real crash: die as one */
		signal(sig, SIG_DFL);
		return;
	}
	probing = 0;
	probe_code = si->si_code;
	siglongjmp(probe_jmp, 1);
}

/* Load a byte of @granule through a pointer tagged @tag: 0, or si_code. */
static int probe_load(const void *granule, unsigned int tag)
{
	volatile const uint8_t *p = with_tag(granule, tag);

	probe_code = -1;
	if (sigsetjmp(probe_jmp, 0))
		return probe_code;
	probing = 1;
	(void)*p;
	probing = 0;
	return 0;
}

/* ---- EL1-only instructions, carried out on SIGILL ------------------------ */

#define INSN_MRS_GMID		0xd5390080u	/* mrs xt, GMID_EL1; | Rt */
#define INSN_MRS_RT_MASK	0xffffffe0u
#define INSN_LDGM		0xd9e00000u	/* | Rn << 5 | Rt */
#define INSN_STGM		0xd9a00000u
#define INSN_STZGM		0xd9200000u
#define INSN_MULTI_MASK		0xfffffc00u

enum { EMUL_GMID, EMUL_LDGM, EMUL_STGM, EMUL_STZGM, EMUL_COUNT };
static unsigned int emul_gmid_bs = 6;
static volatile unsigned long emul_count[EMUL_COUNT];

static void stzg(void *granule, unsigned int tag)
{
	uintptr_t a = (uintptr_t)with_tag(granule, tag);

	__asm__ volatile("stzg %0, [%0]" : : "r"(a) : "memory");
}

static uint64_t dczid(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, dczid_el0" : "=r"(v));
	return v;
}

/*
 * LDGM/STGM: the naturally aligned block of 4 << GMID_EL1.BS bytes around
 * Xn; the tag of the granule at address A is bits [4i+3:4i] of Xt with
 * i = A<7:4>.  STZGM: the DCZID_EL0 block, data zeroed, tag Xt<3:0>.
 */
static void on_sigill(int sig, siginfo_t *si, void *ucv)
{
	mcontext_t *mc = &((ucontext_t *)ucv)->uc_mcontext;
	uint32_t insn = *(const uint32_t *)(uintptr_t)mc->pc;
	unsigned int rt = insn & 31, rn = (insn >> 5) & 31;
	uint64_t xt = rt == 31 ? 0 : mc->regs[rt];
	uintptr_t xn = rn == 31 ? mc->sp : mc->regs[rn];
	uintptr_t block, a, end;
	uint64_t word = 0;

	(void)si;
	if ((insn & INSN_MRS_RT_MASK) == INSN_MRS_GMID) {
		if (rt != 31)
			mc->regs[rt] = emul_gmid_bs;
		emul_count[EMUL_GMID]++;
	} else if ((insn & INSN_MULTI_MASK) == INSN_LDGM ||
		   (insn & INSN_MULTI_MASK) == INSN_STGM) {
		block = (uintptr_t)4 << emul_gmid_bs;
		a = xn & ~(block - 1);
		for (end = a + block; a < end; a += GRANULE) {
			unsigned int shift = ((a >> 4) & 15) * 4;

			if ((insn & INSN_MULTI_MASK) == INSN_LDGM)
				word |= (uint64_t)ldg((void *)a) << shift;
			else
				stg((void *)a, (unsigned int)(xt >> shift) & 0xf);
		}
		if ((insn & INSN_MULTI_MASK) == INSN_LDGM) {
			if (rt != 31)
				mc->regs[rt] = word;
			emul_count[EMUL_LDGM]++;
		} else {
			emul_count[EMUL_STGM]++;
		}
	} else if ((insn & INSN_MULTI_MASK) == INSN_STZGM) {
		block = (uintptr_t)4 << (dczid() & 0xf);
		a = xn & ~(block - 1);
		for (end = a + block; a < end; a += GRANULE)
			stzg((void *)a, (unsigned int)xt & 0xf);
		emul_count[EMUL_STZGM]++;
	} else {
		signal(sig, SIG_DFL);	/* not ours: die with SIGILL */
		return;
	}
	mc->pc += 4;
}

/* ---- random tags ------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng(void)	/* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* ---- the arena: [guard][page][guard], each of the page's size ---------- */

static uint8_t *arena;		/* MAX_PAGE-aligned, 4 * MAX_PAGE bytes */
static uint8_t expected[MAX_TAGS];
static uint8_t data_before[3 * MAX_PAGE];
static uint8_t buf[MAX_TAGS + BUF_SLACK] __attribute__((aligned(16)));

/* The page under test, aligned to every page size; its guards fit. */
static uint8_t *page_of(void)
{
	return arena + MAX_PAGE;
}

static uint8_t data_pattern(size_t i)
{
	return (uint8_t)(i * 131 + 17);
}

static unsigned int guard_tag(size_t g)
{
	return (unsigned int)(g * 7 + 3) & 0xf;
}

/*
 * Guards get fixed tags, the page random ones (kept in expected[]); all
 * three get a data pattern.  data_before[] holds the data as set.
 */
static void prepare(size_t size)
{
	uint8_t *page = page_of(), *lo = page - size;
	size_t n = size / GRANULE, g, i;

	tag_checks_off();
	for (i = 0; i < 3 * size; i++)
		lo[i] = data_before[i] = data_pattern(i);
	tag_checks_on();
	for (g = 0; g < n; g++) {
		expected[g] = (uint8_t)(rng() >> 60);
		stg(page + g * GRANULE, expected[g]);
		stg(lo + g * GRANULE, guard_tag(g));
		stg(page + size + g * GRANULE, guard_tag(g + n));
	}
}

/* Tags of the page (@want, or all zero if NULL) and of both guards. */
static void check_tags(size_t size, const uint8_t *want, const char *when)
{
	uint8_t *page = page_of(), *lo = page - size;
	size_t n = size / GRANULE, g;

	for (g = 0; g < n; g++) {
		unsigned int t = ldg(page + g * GRANULE), w = want ? want[g] : 0;

		EXPECT(t == w, "%s: granule %zu of the page: tag %#x, expected %#x", when, g, t, w);
		t = ldg(lo + g * GRANULE);
		EXPECT(t == guard_tag(g), "%s: granule %zu of the guard below: tag %#x, expected %#x",
		       when, g, t, guard_tag(g));
		t = ldg(page + size + g * GRANULE);
		EXPECT(t == guard_tag(g + n), "%s: granule %zu of the guard above: tag %#x, expected %#x",
		       when, g, t, guard_tag(g + n));
	}
}

/* Data of page and guards against data_before[]; the page's zero if asked. */
static void check_data(size_t size, int page_zeroed, const char *when)
{
	uint8_t *lo = page_of() - size;
	size_t i;

	tag_checks_off();
	for (i = 0; i < 3 * size; i++) {
		int in_page = i >= size && i < 2 * size;
		uint8_t w = in_page && page_zeroed ? 0 : data_before[i];

		if (lo[i] != w) {
			uint8_t got = lo[i];	/* read before checks are back on */

			tag_checks_on();
			EXPECT(0, "%s: data byte %zd (from the page) is %#04x, expected %#04x",
			       when, (ssize_t)i - (ssize_t)size, got, w);
			return;
		}
	}
	tag_checks_on();
}

/* expected[] in @fmt, as docs/tags.md defines it (the oracle shared with the EL2 suite). */
static size_t encode(enum kvmmte_tags_format fmt, size_t size, uint8_t *out)
{
	return tags_format_encode(fmt, expected, size / GRANULE, out);
}

static void check_buf_canary(size_t from, const char *when)
{
	size_t i;

	for (i = from; i < sizeof(buf); i++)
		if (buf[i] != CANARY) {
			EXPECT(0, "%s: buffer byte %zu written (%#04x) past the format's size %zu",
			       when, i, buf[i], from);
			return;
		}
}

/* ---- the full cycle ------------------------------------------------- */

struct cycle {
	const struct tags_ops *ops;
	unsigned int gmid_bs;	/* _el1: GMID_EL1.BS the emulation reports */
	size_t size;
	enum kvmmte_tags_format fmt;
	unsigned int clear_flags;
	unsigned int ptr_tag;	/* 0: untagged pointer (DC path) */
};

static void emul_reset(unsigned int gmid_bs)
{
	unsigned int i;

	emul_gmid_bs = gmid_bs;
	for (i = 0; i < EMUL_COUNT; i++)
		emul_count[i] = 0;
}

/*
 * The block instructions ran as many times as the block sizes say (so the
 * emulated path, not some other, did the work), and never for _el0.
 */
static void check_emulation(const struct cycle *c)
{
	unsigned long blocks = c->size >> (c->gmid_bs + 2);
	unsigned long gm = 4UL << c->gmid_bs, dcz = 4UL << (dczid() & 0xf);
	int dc_path = !c->ptr_tag && !(dczid() & 0x10);
	unsigned long stgm = blocks, stzgm = 0;

	if (c->ops == &tags_ops_el0) {
		EXPECT(!emul_count[EMUL_GMID] && !emul_count[EMUL_LDGM] && !emul_count[EMUL_STGM] &&
		       !emul_count[EMUL_STZGM], "_el0 executed an EL1-only instruction");
		return;
	}
	/*
	 * clear: DC G(Z)VA when allowed and its block is 64 bytes or more (and,
	 * tags only, beats STGM's); else STGM from a 64-byte block up, STZGM
	 * (data) from a 64-byte DC ZVA block up; else ST2G/STZ2G.
	 */
	dc_path = dc_path && dcz >= 64;
	if (c->clear_flags & KVMMTE_TAGS_CLEAR_DATA)
		stzgm = dc_path || dcz < 64 ? 0 : c->size / dcz;
	else if (!(dc_path && dcz > gm) && gm >= 64)
		stgm += blocks;
	EXPECT(emul_count[EMUL_GMID] == 3, "GMID_EL1 read %lu times, expected 3 (once per call)",
	       emul_count[EMUL_GMID]);
	EXPECT(emul_count[EMUL_LDGM] == blocks, "LDGM x%lu, expected %lu", emul_count[EMUL_LDGM],
	       blocks);
	EXPECT(emul_count[EMUL_STGM] == stgm, "STGM x%lu, expected %lu", emul_count[EMUL_STGM], stgm);
	EXPECT(emul_count[EMUL_STZGM] == stzgm, "STZGM x%lu, expected %lu",
	       emul_count[EMUL_STZGM], stzgm);
}

static void test_cycle(const void *arg)
{
	const struct cycle *c = arg;
	uint8_t *page = page_of(), *ptr = with_tag(page, c->ptr_tag);
	static uint8_t want[MAX_TAGS];
	size_t n = c->size / GRANULE, need, g, i;
	int ret, faults = 0;

	prepare(c->size);
	check_tags(c->size, expected, "after set-up (test's own STG)");

	memset(buf, CANARY, sizeof(buf));
	emul_reset(c->gmid_bs);
	ret = c->ops->save(ptr, c->size, buf, sizeof(buf), c->fmt);
	ASSERT(ret == 0, "save returned %d", ret);
	need = encode(c->fmt, c->size, want);
	for (i = 0; i < need; i++)
		if (buf[i] != want[i]) {
			EXPECT(0, "save: buffer byte %zu is %#04x, expected %#04x", i, buf[i], want[i]);
			break;
		}
	check_buf_canary(need, "save");
	check_tags(c->size, expected, "after save");
	check_data(c->size, 0, "after save");

	ret = c->ops->clear(ptr, c->size, c->clear_flags);
	ASSERT(ret == 0, "clear returned %d", ret);
	check_tags(c->size, NULL, "after clear");
	check_data(c->size, !!(c->clear_flags & KVMMTE_TAGS_CLEAR_DATA), "after clear");

	ret = c->ops->restore(ptr, c->size, buf, sizeof(buf), c->fmt);
	ASSERT(ret == 0, "restore returned %d", ret);
	check_emulation(c);
	check_tags(c->size, expected, "after restore");
	check_data(c->size, !!(c->clear_flags & KVMMTE_TAGS_CLEAR_DATA), "after restore");

	/* Synchronous tag checks: the right tag loads, granule by granule. */
	for (g = 0; g < n; g++) {
		int code = probe_load(page + g * GRANULE, expected[g]);

		if (code && faults++ < 4)
			EXPECT(0, "granule %zu: load with its restored tag %#x faulted (si_code %d)",
			       g, expected[g], code);
	}
	EXPECT(!faults, "%d of %zu granules faulted with their restored tag", faults, n);
	/* ... and a wrong one faults, or the checks above proved nothing. */
	g = rng() % n;
	ret = probe_load(page + g * GRANULE, expected[g] ^ 0x9);
	EXPECT(ret == SEGV_MTESERR, "granule %zu: load with wrong tag %#x gave si_code %d, "
	       "expected %d (SEGV_MTESERR)", g, expected[g] ^ 0x9, ret, SEGV_MTESERR);
}

/* The two save formats agree through the library's own converter. */
static void test_save_formats_agree_through_pack(void)
{
	static uint8_t bytes[MAX_TAGS], packed[MAX_TAGS / 2] __attribute__((aligned(8)));
	static uint8_t converted[MAX_TAGS / 2];
	size_t size = KVMMTE_TAGS_PAGE_16K, n = size / GRANULE;

	prepare(size);
	ASSERT(kvmmte_tags_save_el0(page_of(), size, bytes, n, KVMMTE_TAGS_BYTES) == 0, "save bytes");
	ASSERT(kvmmte_tags_save_el0(page_of(), size, packed, n / 2, KVMMTE_TAGS_PACKED) == 0,
	       "save packed");
	ASSERT(kvmmte_tags_pack(converted, n / 2, bytes, n) == 0, "pack");
	EXPECT(!memcmp(converted, packed, n / 2), "pack(saved bytes) differs from saved packed");
}

/* ---- error paths: nothing touched ------------------------------------- */

enum op { CLEAR, SAVE, RESTORE };

struct bad_call {
	const char *what;
	enum op op;
	size_t page_off;	/* added to the page address */
	size_t size;
	size_t buf_off;		/* added to buf (misalignment) */
	ssize_t buf_size;	/* -1: exactly what the format needs, -2: one less */
	int fmt;
	unsigned int flags;
	ssize_t poison_at;	/* >= 0: byte of buf set to poison_val (restore) */
	uint8_t poison_val;
	int null_buf;
	int want;
};

static const struct bad_call bad_calls[] = {
	{ "clear_misaligned_by_a_granule", CLEAR, 16, 4096, 0, 0, 0, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "clear_16k_page_only_4k_aligned", CLEAR, 4096, 16384, 0, 0, 0, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "clear_with_data_8k_page_size", CLEAR, 0, 8192, 0, 0, 0, KVMMTE_TAGS_CLEAR_DATA, -1, 0, 0,
	  -KVMMTE_EINVAL },
	{ "clear_unknown_flag", CLEAR, 0, 4096, 0, 0, 0, 1U << 5, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_buffer_one_byte_short_packed", SAVE, 0, 4096, 0, -2, KVMMTE_TAGS_PACKED, 0, -1, 0, 0,
	  -KVMMTE_ENOSPC },
	{ "save_buffer_one_byte_short_bytes", SAVE, 0, 65536, 0, -2, KVMMTE_TAGS_BYTES, 0, -1, 0, 0,
	  -KVMMTE_ENOSPC },
	{ "save_buffer_misaligned", SAVE, 0, 4096, 4, -1, KVMMTE_TAGS_BYTES, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_page_misaligned", SAVE, 2048, 4096, 0, -1, KVMMTE_TAGS_PACKED, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_unknown_format", SAVE, 0, 4096, 0, -1, 2, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_null_buffer", SAVE, 0, 4096, 0, -1, KVMMTE_TAGS_PACKED, 0, -1, 0, 1, -KVMMTE_EFAULT },
	{ "restore_tag_16_in_last_byte", RESTORE, 0, 4096, 0, -1, KVMMTE_TAGS_BYTES, 0, 255, 0x10, 0,
	  -KVMMTE_ERANGE },
	{ "restore_tag_0xf0_in_first_byte_64k", RESTORE, 0, 65536, 0, -1, KVMMTE_TAGS_BYTES, 0, 0, 0xf0,
	  0, -KVMMTE_ERANGE },
	{ "restore_page_misaligned", RESTORE, 16, 4096, 0, -1, KVMMTE_TAGS_PACKED, 0, -1, 0, 0,
	  -KVMMTE_EINVAL },
	{ "restore_page_size_2k", RESTORE, 0, 2048, 0, -1, KVMMTE_TAGS_PACKED, 0, -1, 0, 0,
	  -KVMMTE_EINVAL },
	{ "restore_buffer_one_byte_short", RESTORE, 0, 16384, 0, -2, KVMMTE_TAGS_BYTES, 0, -1, 0, 0,
	  -KVMMTE_ENOSPC },
	{ "restore_buffer_misaligned", RESTORE, 0, 4096, 1, -1, KVMMTE_TAGS_PACKED, 0, -1, 0, 0,
	  -KVMMTE_EINVAL },
};

struct bad_run {
	const struct bad_call *b;
	const struct tags_ops *ops;
};

static void test_bad_call(const void *arg)
{
	const struct bad_run *run = arg;
	const struct bad_call *b = run->b;
	/* Prepare the largest page, so any stray write lands in checked memory. */
	size_t size = MAX_PAGE, need, i;
	uint8_t *page = page_of() + b->page_off, *p = buf + b->buf_off;
	static uint8_t buf_before[sizeof(buf)];
	int ret;

	prepare(size);
	need = b->fmt == KVMMTE_TAGS_PACKED ? KVMMTE_TAGS_PACKED_SIZE(b->size) :
					      KVMMTE_TAGS_BYTES_SIZE(b->size);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(rng() & 0xf);	/* valid tags, for restore */
	if (b->poison_at >= 0)
		p[b->poison_at] = b->poison_val;
	memcpy(buf_before, buf, sizeof(buf));

	switch (b->op) {
	case CLEAR:
		ret = run->ops->clear(page, b->size, b->flags);
		break;
	case SAVE:
		ret = run->ops->save(page, b->size, b->null_buf ? NULL : p,
					   b->buf_size == -2 ? need - 1 : need,
					   (enum kvmmte_tags_format)b->fmt);
		break;
	default:
		ret = run->ops->restore(page, b->size, p, b->buf_size == -2 ? need - 1 : need,
					      (enum kvmmte_tags_format)b->fmt);
		break;
	}
	EXPECT(ret == b->want, "returned %d, expected %d", ret, b->want);
	check_tags(size, expected, "after the failed call");
	check_data(size, 0, "after the failed call");
	EXPECT(!memcmp(buf, buf_before, sizeof(buf)), "buffer changed by the failed call");
}

/* ---- ranges: [guard][range][guard], up to a 2 MiB block ------------------ */

#define BIG		KVMMTE_TAGS_BLOCK_2M
#define RGUARD		(64 * 1024)
#define BIG_TAGS	(BIG / GRANULE)

static uint8_t *big;		/* BIG-aligned; RGUARD mapped below, BIG + RGUARD above */
static uint8_t r_expected[BIG_TAGS];
static uint8_t r_want[BIG_TAGS];
static uint8_t rbuf[BIG_TAGS + BUF_SLACK] __attribute__((aligned(16)));
static uint8_t rbuf_before[BIG_TAGS + BUF_SLACK];

static uint64_t r_data(size_t i)	/* data word @i of [guard][range][guard] */
{
	return 0x9e3779b97f4a7c15ULL * (i + 1);
}

/* Guards and range: fixed tags on the guards, random ones on the range, data everywhere. */
static void prepare_range(size_t size)
{
	uint8_t *lo = big - RGUARD;
	uint64_t *d = (uint64_t *)lo;
	size_t n = size / GRANULE, gn = RGUARD / GRANULE, g, i;

	tag_checks_off();
	for (i = 0; i < (size + 2 * RGUARD) / 8; i++)
		d[i] = r_data(i);
	tag_checks_on();
	for (g = 0; g < gn; g++) {
		stg(lo + g * GRANULE, guard_tag(g));
		stg(big + size + g * GRANULE, guard_tag(g + 5));
	}
	for (g = 0; g < n; g++) {
		r_expected[g] = (uint8_t)(rng() >> 60);
		stg(big + g * GRANULE, r_expected[g]);
	}
}

/* Tags of the range (@want, or 0 if NULL) and of both guards: the first few wrong. */
static void check_range_tags(size_t size, const uint8_t *want, const char *when)
{
	size_t n = size / GRANULE, gn = RGUARD / GRANULE, g;
	unsigned int bad = 0;

	for (g = 0; g < gn; g++) {
		unsigned int t = ldg(big - RGUARD + g * GRANULE);
		unsigned int u = ldg(big + size + g * GRANULE);

		if (t != guard_tag(g) && bad++ < 3)
			EXPECT(0, "%s: guard below, granule %zu: tag %#x, expected %#x", when, g, t,
			       guard_tag(g));
		if (u != guard_tag(g + 5) && bad++ < 3)
			EXPECT(0, "%s: guard above, granule %zu: tag %#x, expected %#x", when, g, u,
			       guard_tag(g + 5));
	}
	for (g = 0; g < n; g++) {
		unsigned int t = ldg(big + g * GRANULE), w = want ? want[g] : 0;

		if (t != w && bad++ < 3)
			EXPECT(0, "%s: granule %zu of the range: tag %#x, expected %#x", when, g, t, w);
	}
	EXPECT(!bad, "%s: %u granules with a wrong tag", when, bad);
}

static void check_range_data(size_t size, int zeroed, const char *when)
{
	const uint64_t *d = (const uint64_t *)(big - RGUARD);
	size_t i;

	tag_checks_off();
	for (i = 0; i < (size + 2 * RGUARD) / 8; i++) {
		int in = i >= RGUARD / 8 && i < (RGUARD + size) / 8;
		uint64_t w = in && zeroed ? 0 : r_data(i), got = d[i];

		if (got != w) {
			tag_checks_on();
			EXPECT(0, "%s: data word %zd (from the range's start) is %#" PRIx64
			       ", expected %#" PRIx64, when, (ssize_t)i - RGUARD / 8, got, w);
			return;
		}
	}
	tag_checks_on();
}

struct range_cycle {
	const struct tags_range_ops *ops;
	unsigned int gmid_bs;	/* _el1: GMID_EL1.BS the emulation reports */
	size_t size;
	enum kvmmte_tags_format fmt;
	unsigned int clear_flags;
	unsigned int ptr_tag;
};

/*
 * Save, clear, restore a range, every step checked against the guards on
 * both sides; tag-checked loads through the restored tags; for _el1, the
 * emulated block instructions counted: no GMID_EL1 read by the range
 * routines (only by the geometry), and LDGM once per block.
 */
static void test_range_cycle(const void *arg)
{
	const struct range_cycle *c = arg;
	struct kvmmte_tags_geometry geo;
	uint8_t *ptr = with_tag(big, c->ptr_tag);
	size_t n = c->size / GRANULE, need, i, g;
	bool el1 = c->ops == &tags_range_ops_el1;
	int ret, faults = 0;

	emul_reset(c->gmid_bs);
	ASSERT(c->ops->geometry(&geo) == 0, "geometry");
	EXPECT(emul_count[EMUL_GMID] == (el1 ? 1u : 0u), "the geometry read GMID_EL1 %lu times",
	       emul_count[EMUL_GMID]);
	prepare_range(c->size);
	need = tags_format_encode(c->fmt, r_expected, n, r_want);
	memset(rbuf, CANARY, need + BUF_SLACK);
	emul_reset(c->gmid_bs);

	ret = c->ops->save(&geo, ptr, c->size, rbuf, need, c->fmt);
	ASSERT(ret == 0, "save returned %d", ret);
	for (i = 0; i < need; i++)
		if (rbuf[i] != r_want[i]) {
			EXPECT(0, "save: buffer byte %zu is %#04x, expected %#04x", i, rbuf[i], r_want[i]);
			break;
		}
	for (i = need; i < need + BUF_SLACK; i++)
		if (rbuf[i] != CANARY) {
			EXPECT(0, "save: buffer byte %zu, past the %zu needed, written", i, need);
			break;
		}
	check_range_tags(c->size, r_expected, "after save");
	check_range_data(c->size, 0, "after save");

	ret = c->ops->clear(&geo, ptr, c->size, c->clear_flags);
	ASSERT(ret == 0, "clear returned %d", ret);
	check_range_tags(c->size, NULL, "after clear");
	check_range_data(c->size, !!(c->clear_flags & KVMMTE_TAGS_CLEAR_DATA), "after clear");

	ret = c->ops->restore(&geo, ptr, c->size, rbuf, need, c->fmt);
	ASSERT(ret == 0, "restore returned %d", ret);
	check_range_tags(c->size, r_expected, "after restore");
	check_range_data(c->size, !!(c->clear_flags & KVMMTE_TAGS_CLEAR_DATA), "after restore");

	EXPECT(emul_count[EMUL_GMID] == 0, "the range routines read GMID_EL1 %lu times, expected 0",
	       emul_count[EMUL_GMID]);
	if (el1)
		EXPECT(emul_count[EMUL_LDGM] == c->size >> (c->gmid_bs + 2),
		       "LDGM x%lu, expected %zu", emul_count[EMUL_LDGM], c->size >> (c->gmid_bs + 2));
	else
		EXPECT(!emul_count[EMUL_LDGM] && !emul_count[EMUL_STGM] && !emul_count[EMUL_STZGM],
		       "_el0 executed an EL1-only instruction");

	/* Sync tag checks through the restored tags: 64 granules, and a wrong one. */
	for (i = 0; i < 64; i++) {
		int code;

		g = rng() % n;
		code = probe_load(big + g * GRANULE, r_expected[g]);
		if (code && faults++ < 4)
			EXPECT(0, "granule %zu: load with its restored tag %#x faulted (si_code %d)",
			       g, r_expected[g], code);
	}
	g = rng() % n;
	ret = probe_load(big + g * GRANULE, r_expected[g] ^ 0x5);
	EXPECT(ret == SEGV_MTESERR, "granule %zu: load with a wrong tag gave si_code %d", g, ret);
}

/* ---- range errors: nothing touched ------------------------------------ */

enum geo_kind { GEO_OK, GEO_NULL, GEO_ZERO, GEO_FLIPPED, GEO_EL0 };

struct range_bad {
	const char *what;
	enum op op;
	enum geo_kind geo;
	size_t addr_off;	/* added to the range's address */
	int null_addr;
	size_t size;
	size_t buf_off;
	ssize_t buf_size;	/* -1: what the format needs, -2: one less */
	int arg;		/* format, or clear flags */
	ssize_t poison_at;	/* restore: byte set to poison_val */
	uint8_t poison_val;
	int null_buf;
	int want;
};

#define SZ	(16 * 4096)	/* the range the bad calls are aimed at: 64 KiB */

static const struct range_bad range_bads[] = {
	{ "clear_null_geometry", CLEAR, GEO_NULL, 0, 0, SZ, 0, 0, 0, -1, 0, 0, -KVMMTE_EFAULT },
	{ "clear_zeroed_geometry", CLEAR, GEO_ZERO, 0, 0, SZ, 0, 0, 1, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_flipped_geometry", SAVE, GEO_FLIPPED, 0, 0, SZ, 0, -1, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "restore_el0_geometry_for_el1", RESTORE, GEO_EL0, 0, 0, SZ, 0, -1, 1, -1, 0, 0,
	  -KVMMTE_EINVAL },
	{ "clear_null_address", CLEAR, GEO_OK, 0, 1, SZ, 0, 0, 0, -1, 0, 0, -KVMMTE_EFAULT },
	{ "save_null_buffer", SAVE, GEO_OK, 0, 0, SZ, 0, -1, 0, -1, 0, 1, -KVMMTE_EFAULT },
	{ "clear_unknown_flag", CLEAR, GEO_OK, 0, 0, SZ, 0, 0, 2, -1, 0, 0, -KVMMTE_EINVAL },
	{ "restore_unknown_format", RESTORE, GEO_OK, 0, 0, SZ, 0, -1, 2, -1, 0, 0, -KVMMTE_EINVAL },
	{ "clear_size_0", CLEAR, GEO_OK, 0, 0, 0, 0, 0, 1, -1, 0, 0, -KVMMTE_EINVAL },
	{ "clear_size_4095", CLEAR, GEO_OK, 0, 0, 4095, 0, 0, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_size_4097", SAVE, GEO_OK, 0, 0, 4097, 0, -1, 0, -1, 0, 0, -KVMMTE_EINVAL },
	{ "restore_size_near_size_max", RESTORE, GEO_OK, 0, 0, (size_t)-4096, 0, 1 << 20, 0, -1, 0,
	  0, -KVMMTE_EINVAL },
	{ "clear_size_2_pow_56", CLEAR, GEO_OK, 0, 0, (size_t)1 << 56, 0, 0, 0, -1, 0, 0,
	  -KVMMTE_EINVAL },
	{ "clear_address_off_by_a_granule", CLEAR, GEO_OK, 16, 0, SZ - 4096, 0, 0, 1, -1, 0, 0,
	  -KVMMTE_EINVAL },
	{ "save_address_off_by_2k", SAVE, GEO_OK, 2048, 0, 4096, 0, -1, 1, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_buffer_misaligned", SAVE, GEO_OK, 0, 0, SZ, 4, -1, 1, -1, 0, 0, -KVMMTE_EINVAL },
	{ "save_buffer_one_byte_short", SAVE, GEO_OK, 0, 0, SZ, 0, -2, 0, -1, 0, 0, -KVMMTE_ENOSPC },
	{ "restore_buffer_one_byte_short", RESTORE, GEO_OK, 0, 0, SZ, 0, -2, 1, -1, 0, 0,
	  -KVMMTE_ENOSPC },
	{ "restore_tag_16_in_last_byte", RESTORE, GEO_OK, 0, 0, SZ, 0, -1, 1, SZ / 16 - 1, 0x10, 0,
	  -KVMMTE_ERANGE },
	{ "restore_tag_0x80_in_first_byte", RESTORE, GEO_OK, 0, 0, SZ, 0, -1, 1, 0, 0x80, 0,
	  -KVMMTE_ERANGE },
	{ "restore_tag_0xff_mid_4k_page", RESTORE, GEO_OK, 4096, 0, 4096, 0, -1, 1, 200, 0xff, 0,
	  -KVMMTE_ERANGE },
};

struct range_bad_run {
	const struct range_bad *b;
	const struct tags_range_ops *ops;
};

static void test_range_bad(const void *arg)
{
	const struct range_bad_run *run = arg;
	const struct range_bad *b = run->b;
	const struct tags_range_ops *ops = run->ops;
	struct kvmmte_tags_geometry geo, *g = &geo;
	uint8_t *addr = b->null_addr ? NULL : big + b->addr_off, *p = rbuf + b->buf_off;
	size_t need = b->arg == KVMMTE_TAGS_BYTES ? KVMMTE_TAGS_BYTES_SIZE(b->size) :
						    KVMMTE_TAGS_PACKED_SIZE(b->size);
	size_t bs = b->buf_size == -1 ? need : b->buf_size == -2 ? need - 1 : (size_t)b->buf_size;
	int want = b->want, ret;
	size_t i;

	emul_reset(6);
	if (b->geo == GEO_EL0)
		ASSERT(kvmmte_tags_geometry_el0(&geo) == 0, "geometry");
	else
		ASSERT(ops->geometry(&geo) == 0, "geometry");
	if (b->geo == GEO_NULL)
		g = NULL;
	else if (b->geo == GEO_ZERO)
		memset(&geo, 0, sizeof(geo));
	else if (b->geo == GEO_FLIPPED)	/* a bit of the plan word this routine reads */
		geo.plan[b->op == CLEAR ? (ops == &tags_range_ops_el1 ? KVMMTE_TAGS_PLAN_CLEAR_EL1 :
					   KVMMTE_TAGS_PLAN_CLEAR_EL0) :
			 ops == &tags_range_ops_el1 ? KVMMTE_TAGS_PLAN_MOVE_EL1 :
			 KVMMTE_TAGS_PLAN_MOVE_EL0] ^= 1U << (rng() % 32);
	if (b->geo == GEO_EL0 && ops == &tags_range_ops_el0)
		want = 0;	/* an _el0 geometry is what _el0 routines want */
	prepare_range(SZ);
	for (i = 0; i < SZ / 16 + BUF_SLACK; i++)
		rbuf[i] = (uint8_t)(rng() & 0xf);
	if (b->poison_at >= 0)
		p[b->poison_at] = b->poison_val;
	memcpy(rbuf_before, rbuf, sizeof(rbuf_before));

	if (b->op == CLEAR)
		ret = ops->clear(g, addr, b->size, (unsigned int)b->arg);
	else if (b->op == SAVE)
		ret = ops->save(g, addr, b->size, b->null_buf ? NULL : p, bs,
				(enum kvmmte_tags_format)b->arg);
	else
		ret = ops->restore(g, addr, b->size, p, bs, (enum kvmmte_tags_format)b->arg);
	EXPECT(ret == want, "returned %d, expected %d", ret, want);
	if (!want)
		return;
	check_range_tags(SZ, r_expected, "after the failed call");
	check_range_data(SZ, 0, "after the failed call");
	EXPECT(!memcmp(rbuf, rbuf_before, SZ / 16 + BUF_SLACK), "buffer changed by the failed call");
}

/*
 * The fast path of asm/tags.S against the checked path of lib/tags.c:
 * random arguments, valid and not, near every boundary, must get the same
 * answer from both; and a call either of them refuses must touch nothing
 * (each call starts from a prepared 64 KiB range between its guards, and
 * every refused call is checked).
 */
static void test_range_fast_path_agrees_with_checked_path(const void *arg)
{
	const struct tags_range_ops *ops = arg;
	bool el1 = ops == &tags_range_ops_el1;
	const struct tags_range_ops *checked = el1 ? &tags_range_ops_el1_checked :
						     &tags_range_ops_el0_checked;
	/* Valid sizes are cut to the prepared range below; the huge ones are
	 * refused by the contract (they carry out of bit 55), or the run crashes. */
	static const size_t sizes[] = { 0, 16, 4095, 4096, 4097, 8192, 12288, 16384 - 16, SZ,
					(size_t)1 << 56, ((size_t)1 << 56) + 4096, (size_t)-4096,
					(size_t)-1 };
	static const size_t offs[] = { 0, 0, 0, 4096, 8192, 16, 2048, 4095 };
	struct kvmmte_tags_geometry geo0, geo1, geo;
	unsigned int k, agree = 0, refused = 0;

	emul_reset(6);
	ASSERT(kvmmte_tags_geometry_el0(&geo0) == 0, "geometry_el0");
	ASSERT(!el1 || kvmmte_tags_geometry_el1(&geo1) == 0, "geometry_el1");
	prepare_range(SZ);
	/* Each argument is wrong with a chance of about 1 in 6, on its own. */
	for (k = 0; k < 1500; k++) {
		unsigned int which = (unsigned int)(rng() % 3);
		unsigned int kind = rng() % 3 ? 7 : (unsigned int)(rng() % 7);
		size_t size = rng() % 6 ? (size_t)4096 * (1 + rng() % 16) :
			      sizes[rng() % (sizeof(sizes) / sizeof(sizes[0]))];
		size_t off = rng() % 6 ? (size_t)4096 * (rng() % 4) : offs[rng() % 8];
		size_t bo = rng() % 6 ? 0 : rng() % 8;
		int a = (int)(rng() % 12 ? rng() % 2 : 2 + rng() % 3);
		unsigned int tag = rng() % 3 ? 0 : (unsigned int)(rng() % 16);
		uint8_t *addr = with_tag(big + off, tag);
		size_t need = size / (a == 1 ? 16 : 32), bs;
		int r1, r2;

		bs = rng() % 6 == 0 ? need - 1 : rng() % 12 == 0 ? 0 : need + rng() % 64;
		geo = kind == 0 ? geo0 : el1 ? geo1 : geo0;
		if (kind == 1)
			memset(&geo, 0, sizeof(geo));
		if (kind == 2)
			geo.plan[rng() % KVMMTE_TAGS_PLANS] ^= 1U << (rng() % 32);
		if (kind == 3)
			((uint8_t *)&geo)[sizeof(geo.plan) + rng() % (sizeof(geo) - sizeof(geo.plan))]
				^= (uint8_t)(1U << (rng() % 8));
		if (kind == 4)
			addr = NULL;
		/* The buffer holds only valid tags: a restore checks them. */
		for (size_t i = 0; i < SZ / 16 + BUF_SLACK; i++)
			rbuf[i] = (uint8_t)(rng() & 0xf);
		if (kind == 5 && need)
			rbuf[rng() % (need < sizeof(rbuf) ? need : sizeof(rbuf))] |= 0x10;
		memcpy(rbuf_before, rbuf, sizeof(rbuf_before));
		/* Only sizes that fit the prepared range may be accepted by either. */
		if (addr && off + size > SZ && size < ((size_t)1 << 52))
			size = SZ - off;
		if (which == 0) {
			unsigned int f = a == 1 ? KVMMTE_TAGS_CLEAR_DATA : a == 0 ? 0 : (unsigned int)a;

			r1 = ops->clear(&geo, addr, size, f);
			prepare_range(SZ);
			r2 = checked->clear(&geo, addr, size, f);
		} else if (which == 1) {
			r1 = ops->save(&geo, addr, size, rbuf + bo, bs, (enum kvmmte_tags_format)a);
			r2 = checked->save(&geo, addr, size, rbuf + bo, bs, (enum kvmmte_tags_format)a);
		} else {
			r1 = ops->restore(&geo, addr, size, rbuf + bo, bs, (enum kvmmte_tags_format)a);
			prepare_range(SZ);
			r2 = checked->restore(&geo, addr, size, rbuf + bo, bs, (enum kvmmte_tags_format)a);
		}
		if (r1 != r2) {
			EXPECT(0, "call %u (%s, geometry kind %u, address %p, size %#zx, buffer +%zu, "
			       "buf_size %zu, arg %d): public %d, checked %d", k,
			       which == 0 ? "clear" : which == 1 ? "save" : "restore", kind,
			       (void *)addr, size, bo, bs, a, r1, r2);
			continue;
		}
		agree++;
		if (r1) {
			refused++;
			check_range_tags(SZ, r_expected, "after a refused call");
			check_range_data(SZ, 0, "after a refused call");
			EXPECT(!memcmp(rbuf, rbuf_before, sizeof(rbuf)),
			       "call %u: buffer changed by a refused call", k);
		}
		prepare_range(SZ);
	}
	EXPECT(refused > 300 && agree - refused > 200, "%u calls agreed, %u of them refused: "
	       "the mix is off", agree, refused);
}

/* ---- main ------------------------------------------------------------- */

static uint64_t parse_seed(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--seed"))
			return strtoull(argv[i + 1], NULL, 0);
	return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

#define MAX_CYCLES	96
#define MAX_BAD		(2 * sizeof(bad_calls) / sizeof(bad_calls[0]))

static struct cycle cycles[MAX_CYCLES];
static char cycle_names[MAX_CYCLES][96];
static size_t ncycles;

/* Every format, clear mode and pointer kind for @ops at @size and @bs. */
static void add_cycles(const struct tags_ops *ops, unsigned int bs, size_t size)
{
	unsigned int f, d, t;

	for (f = 0; f < 2; f++)
		for (d = 0; d < 2; d++)
			for (t = 0; t < 2; t++) {
				struct cycle *c = &cycles[ncycles];

				*c = (struct cycle){ ops, bs, size,
					f ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED,
					d ? KVMMTE_TAGS_CLEAR_DATA : 0, t ? 0xb : 0 };
				if (ops == &tags_ops_el0)
					snprintf(cycle_names[ncycles], sizeof(cycle_names[0]), "el0_");
				else
					snprintf(cycle_names[ncycles], sizeof(cycle_names[0]),
						 "el1_gmid_bs%u_", bs);
				snprintf(cycle_names[ncycles] + strlen(cycle_names[ncycles]),
					 sizeof(cycle_names[0]) - strlen(cycle_names[ncycles]),
					 "%zuk_%s_clear_%s_%s_pointer", size / 1024,
					 f ? "bytes" : "packed", d ? "tags_and_data" : "tags",
					 t ? "tagged" : "untagged");
				ncycles++;
			}
}

/*
 * The range routines: _el0 (native) at 1, 3 and 16 pages and a 2 MiB
 * block; _el1 (block instructions emulated) at GMID_EL1.BS 6 the same, at
 * BS 2..5 on 3 pages and BS 2 on 16; every format, clear mode and pointer
 * kind; then the error table for both, and the fast/checked comparison.
 */
#define MAX_RCYCLES	200
#define MAX_RBAD	(2 * sizeof(range_bads) / sizeof(range_bads[0]))

static struct range_cycle rcycles[MAX_RCYCLES];
static char rcycle_names[MAX_RCYCLES][96];
static size_t nrcycles;

static void add_range_cycles(const struct tags_range_ops *ops, unsigned int bs, size_t size)
{
	unsigned int f, d, t;

	for (f = 0; f < 2; f++)
		for (d = 0; d < 2; d++)
			for (t = 0; t < 2; t++) {
				rcycles[nrcycles] = (struct range_cycle){ ops, bs, size,
					f ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED,
					d ? KVMMTE_TAGS_CLEAR_DATA : 0, t ? 0x7 : 0 };
				snprintf(rcycle_names[nrcycles], sizeof(rcycle_names[0]),
					 "%s%s_gmid_bs%u_%zuk_%s_clear_%s_%s_pointer", "range",
					 ops->el + strlen("_range"), bs, size / 1024,
					 f ? "bytes" : "packed", d ? "tags_and_data" : "tags",
					 t ? "tagged" : "untagged");
				nrcycles++;
			}
}

static void run_range_tests(void)
{
	static const size_t sizes[] = { 4096, 3 * 4096, 16 * 4096, BIG };
	static struct range_bad_run runs[MAX_RBAD];
	static char names[MAX_RBAD][96];
	size_t k, s, nbad = sizeof(range_bads) / sizeof(range_bads[0]);
	unsigned int bs;
	void *map;

	map = mmap(NULL, 3 * BIG + 2 * RGUARD, PROT_READ | PROT_WRITE | PROT_MTE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		perror("mmap(PROT_MTE), 2 MiB");
		EXPECT(0, "no memory for the range tests");
		return;
	}
	big = (uint8_t *)(((uintptr_t)map + RGUARD + BIG - 1) & ~(uintptr_t)(BIG - 1));
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		add_range_cycles(&tags_range_ops_el0, 6, sizes[s]);
		add_range_cycles(&tags_range_ops_el1, 6, sizes[s]);
	}
	for (bs = 2; bs < 6; bs++)
		add_range_cycles(&tags_range_ops_el1, bs, 3 * 4096);
	add_range_cycles(&tags_range_ops_el1, 2, 16 * 4096);
	for (k = 0; k < nrcycles; k++)
		harness_run_arg(rcycle_names[k], test_range_cycle, &rcycles[k]);
	for (k = 0; k < 2 * nbad; k++) {
		runs[k] = (struct range_bad_run){ &range_bads[k % nbad],
						  k < nbad ? &tags_range_ops_el0 : &tags_range_ops_el1 };
		snprintf(names[k], sizeof(names[k]), "range_%s_error_%s", k < nbad ? "el0" : "el1",
			 range_bads[k % nbad].what);
		harness_run_arg(names[k], test_range_bad, &runs[k]);
	}
	emul_reset(6);
	harness_run_arg("range_el0_fast_path_agrees_with_checked_path",
			test_range_fast_path_agrees_with_checked_path, &tags_range_ops_el0);
	harness_run_arg("range_el1_fast_path_agrees_with_checked_path",
			test_range_fast_path_agrees_with_checked_path, &tags_range_ops_el1);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { KVMMTE_TAGS_PAGE_4K, KVMMTE_TAGS_PAGE_16K,
					KVMMTE_TAGS_PAGE_64K };
	static struct bad_run bad_runs[MAX_BAD];
	static char bad_names[MAX_BAD][96];
	struct sigaction sa;
	uint64_t seed = parse_seed(argc, argv);
	size_t k, s, nbad = sizeof(bad_calls) / sizeof(bad_calls[0]);
	unsigned int bs;
	void *map;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("tags-user: seed %" PRIu64 " (rerun: tags-user --seed %" PRIu64 ")\n", seed, seed);
	rng_state = seed ? seed : 1;

	/* Sync tag-check faults; IRG may use any tag (the include mask). */
	if (prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE | PR_MTE_TCF_SYNC |
		  (0xffffUL << PR_MTE_TAG_SHIFT), 0, 0, 0)) {
		perror("prctl(PR_SET_TAGGED_ADDR_CTRL)");
		printf("0 passed, 1 failed\n");
		return 1;
	}
	map = mmap(NULL, 5 * MAX_PAGE, PROT_READ | PROT_WRITE | PROT_MTE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		perror("mmap(PROT_MTE)");
		printf("0 passed, 1 failed\n");
		return 1;
	}
	arena = (uint8_t *)(((uintptr_t)map + MAX_PAGE - 1) & ~(uintptr_t)(MAX_PAGE - 1));

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_sigaction = on_sigill;
	sigaction(SIGILL, &sa, NULL);

	/* _el0 and _el1 (GMID_EL1.BS = 6, as QEMU and known cores report) at
	 * every size; the smaller LDGM/STGM blocks on 4 KiB pages, and the
	 * smallest on a 64 KiB page. */
	for (s = 0; s < 3; s++) {
		add_cycles(&tags_ops_el0, 6, sizes[s]);
		add_cycles(&tags_ops_el1, 6, sizes[s]);
	}
	for (bs = 2; bs < 6; bs++)
		add_cycles(&tags_ops_el1, bs, KVMMTE_TAGS_PAGE_4K);
	add_cycles(&tags_ops_el1, 2, KVMMTE_TAGS_PAGE_64K);

	for (k = 0; k < ncycles; k++)
		harness_run_arg(cycle_names[k], test_cycle, &cycles[k]);
	run_range_tests();
	RUN(test_save_formats_agree_through_pack);
	for (k = 0; k < 2 * nbad; k++) {
		bad_runs[k] = (struct bad_run){ &bad_calls[k % nbad],
						k < nbad ? &tags_ops_el0 : &tags_ops_el1 };
		snprintf(bad_names[k], sizeof(bad_names[k]), "%s_error_%s", k < nbad ? "el0" : "el1",
			 bad_calls[k % nbad].what);
		emul_reset(6);
		harness_run_arg(bad_names[k], test_bad_call, &bad_runs[k]);
	}
	return harness_summary();
}
