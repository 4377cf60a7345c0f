// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The patchable per-CPU gate of the switch macros, and kvmmte_init().
 *
 * The macros perform the switch unless their gate instruction has been
 * rewritten, so an image whose init call was forgotten still switches on
 * an MTE CPU (fail closed).  On a CPU without MTE2, where the registers
 * UNDEF, kvmmte_init() rewrites each gate into a branch over the switch.
 */
#include <kvmmte/cpu.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/sysreg-access.h>

/*
 * Ensure the section, and so its __start_/__stop_ symbols, exists even in
 * an image that uses no patchable gate.  {0, 0} entries are skipped.
 */
static const struct kvmmte_patch_site kvmmte_patch_placeholder
	__attribute__((section("kvmmte_patch_sites"), used, aligned(4))) = { 0, 0 };

/* Defined by the linker for the orphan section; hidden: PC-relative access. */
extern const struct kvmmte_patch_site __start_kvmmte_patch_sites[]
	__attribute__((visibility("hidden")));
extern const struct kvmmte_patch_site __stop_kvmmte_patch_sites[]
	__attribute__((visibility("hidden")));

/* Encodings the macro emits at a gate, and the branch that replaces it. */
#define INSN_MRS_HCR_EL2	0xd53c1100u	/* | Rt */
#define INSN_MRS_RT_MASK	0xffffffe0u
#define INSN_TBZ_BIT56		(0xb6000000u | ((56u - 32u) << 19))	/* tbz xN, #56 */
#define INSN_TBZ_BIT_MASK	0xfff80000u
#define INSN_B			0x14000000u
#define INSN_B_IMM_MASK		0x03ffffffu
#define B_RANGE			(INT64_C(1) << 27)	/* +-128 MiB */

/* Kept in the image's data: which kind of CPU the gates were settled for. */
enum { GATES_UNSETTLED, GATES_SWITCH, GATES_SKIP };
static int kvmmte_gates_state = GATES_UNSETTLED;

static uint32_t *site_addr(const struct kvmmte_patch_site *e)
{
	return (uint32_t *)((uintptr_t)&e->site + (intptr_t)e->site);
}

static uintptr_t skip_addr(const struct kvmmte_patch_site *e)
{
	return (uintptr_t)&e->skip + (intptr_t)e->skip;
}

static int64_t branch_offset(const struct kvmmte_patch_site *e)
{
	return (int64_t)(skip_addr(e) - (uintptr_t)site_addr(e));
}

static uint32_t branch_insn(const struct kvmmte_patch_site *e)
{
	return INSN_B | ((uint32_t)(branch_offset(e) >> 2) & INSN_B_IMM_MASK);
}

static bool placeholder(const struct kvmmte_patch_site *e)
{
	return e->site == 0 && e->skip == 0;
}

static int check_site(const struct kvmmte_patch_site *e)
{
	int64_t off = branch_offset(e);
	uint32_t insn;

	if (off <= 0 || off >= B_RANGE || (off & 3))
		return -KVMMTE_ERANGE;
	insn = *site_addr(e);
	if ((insn & INSN_MRS_RT_MASK) == INSN_MRS_HCR_EL2 ||
	    (insn & INSN_TBZ_BIT_MASK) == INSN_TBZ_BIT56 ||
	    insn == branch_insn(e))
		return 0;
	return -KVMMTE_EINVAL;
}

#ifdef KVMMTE_FAKE_SYSREG
void kvmmte_fake_sync_icache(void *addr);
static void sync_icache(void *addr)
{
	kvmmte_fake_sync_icache(addr);
}
#else
/*
 * Make a rewritten instruction visible to instruction fetch on every CPU
 * in the Inner Shareable domain (Arm ARM, "Concurrent modification and
 * execution of instructions" / cache maintenance for self-modifying code).
 */
static void sync_icache(void *addr)
{
	__asm__ volatile("dc cvau, %0\n\t"
			 "dsb ish\n\t"
			 "ic ivau, %0\n\t"
			 "dsb ish\n\t"
			 "isb"
			 : : "r"(addr) : "memory");
}
#endif

int kvmmte_patch_sites_apply(const struct kvmmte_patch_site *begin,
			     const struct kvmmte_patch_site *end)
{
	const struct kvmmte_patch_site *e;
	int n = 0, ret;

	if (!begin || !end)
		return -KVMMTE_EFAULT;
	if (end < begin)
		return -KVMMTE_EINVAL;

	/* Validate everything first so a bad table writes nothing. */
	for (e = begin; e < end; e++) {
		if (placeholder(e))
			continue;
		ret = check_site(e);
		if (ret)
			return ret;
	}
	for (e = begin; e < end; e++) {
		uint32_t *insn;

		if (placeholder(e))
			continue;
		insn = site_addr(e);
		*(volatile uint32_t *)insn = branch_insn(e);
		sync_icache(insn);
		n++;
	}
	return n;
}

static bool image_has_patch_sites(void)
{
	const struct kvmmte_patch_site *e;

	for (e = __start_kvmmte_patch_sites; e < __stop_kvmmte_patch_sites; e++)
		if (!placeholder(e))
			return true;
	return false;
}

int kvmmte_init(unsigned int flags)
{
	int level, want, ret;

	if (flags & ~KVMMTE_INIT_FLAGS_VALID)
		return -KVMMTE_EINVAL;

	level = kvmmte_cpu_mte_level();
	want = level >= KVMMTE_PFR1_MTE_MTE2 ? GATES_SWITCH : GATES_SKIP;

	if (kvmmte_gates_state != GATES_UNSETTLED) {
		if (kvmmte_gates_state != want)
			return -KVMMTE_EBUSY;
		/*
		 * Another PE patched the text and did the IC IVAU; this one
		 * must still discard what it may have fetched before.
		 */
		if (want == GATES_SKIP)
			kvmmte_isb();
		return level;
	}

	if (want == GATES_SKIP && image_has_patch_sites()) {
		if (flags & KVMMTE_INIT_NO_PATCH)
			return -KVMMTE_EROFS;
		ret = kvmmte_patch_sites_apply(__start_kvmmte_patch_sites,
					       __stop_kvmmte_patch_sites);
		if (ret < 0)
			return ret;
	}
	kvmmte_gates_state = want;
	return level;
}
